from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceTeamConfig(AppConfig):
    """The members' service team (共产党员服务队) and the key-project materials supply
    status board (重点工程物资采购供应状态跟踪表).

    Its own app: it joins party building to the supply chain's business data (key
    projects, weekly supply states, Excel imports) that no other app owns.
    """

    name = "serviceteam"
    verbose_name = _("Service team and supply status")
