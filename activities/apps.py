from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    """Shared activities and pairing: forums and lectures (物资文化讲坛, 物资科技论坛,
    员工讲大家听), team activities, joint research topics with outside branches
    (结对联创) and the company's rules as a versioned document library.

    Its own app: these are events and documents with speakers, attendees, progress
    and versions, distinct from the regulated meetings of `meetings`.
    """

    name = "activities"
    verbose_name = _("Activities and pairing")
