"""The committee's admin group: what the party committee's office may do in the admin."""

from django.contrib.auth.models import Group, Permission

COMMITTEE_ADMIN_GROUP = "党委管理员"
# Apps whose models the committee manages in the admin.
COMMITTEE_APPS = (
    "accounts",
    "audit",
    "branches",
    "members",
    "liaison",
    "meetings",
    "notifications",
    "assessments",
    "development",
    "vanguard",
    "activities",
    "serviceteam",
    "dues",
    "study",
    "elections",
    "transfers",
    "notices",
    "django_celery_beat",
)


def ensure_committee_admin_group() -> Group:
    """Create or refresh the group holding every permission on the portal's own models.

    Safe to call repeatedly (the demo loader and deployments call it after migrating).
    """
    group, _ = Group.objects.get_or_create(name=COMMITTEE_ADMIN_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=COMMITTEE_APPS))
    return group
