from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VanguardConfig(AppConfig):
    """Showing who we are (亮牌承诺, 先锋示范): member cards with public service pledges,
    member model posts (党员示范岗) and safety responsibility zones (党员安全责任区).

    Its own app: designations and pledges are yearly records with their own review,
    not attributes of a person or a post.
    """

    name = "vanguard"
    verbose_name = _("Pledges and model posts")
