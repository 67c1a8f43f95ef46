from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    """The person register, memberships, posts and role-scoped access."""

    name = "members"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from branches.models import Organisation, tree_paths_changed

        from . import headcounts
        from .models import Person

        # The headcount summary follows every saved or deleted person.
        post_save.connect(headcounts.person_saved, sender=Person, dispatch_uid="headcount_save")
        post_delete.connect(
            headcounts.person_deleted, sender=Person, dispatch_uid="headcount_delete"
        )
        tree_paths_changed.connect(
            headcounts.paths_follow, sender=Organisation, dispatch_uid="headcount_paths"
        )
