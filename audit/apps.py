from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit trail: every file downloaded from the portal (ledgers, exports,
    attachments) and every recorded change, in one place the committee reads.

    Its own app: it watches all the others (through a middleware and the
    `simple_history` tables they keep) and belongs to none of them.
    """

    name = "audit"
    verbose_name = _("Audit trail")
