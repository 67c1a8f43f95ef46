"""Opening a term: its end computed from the rule for the organisation's kind."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from branches.models import Organisation

from ..dates import add_months
from ..models import ELECTED_KINDS, Term, TermRule


def term_end(*, organisation: Organisation, started_on: datetime.date) -> datetime.date:
    rule = TermRule.for_kind(organisation.kind)
    return add_months(started_on, 12 * rule.years)


@transaction.atomic
def term_open(*, organisation: Organisation, started_on: datetime.date, note: str = "") -> Term:
    """Record the organisation's current term (begun on `started_on`).

    Refused when the organisation already has an open term: a term is closed by the
    election that opens the next one.
    """
    if organisation.kind not in ELECTED_KINDS:
        raise ValidationError(
            _("A %(kind)s has no elected committee and no term.")
            % {"kind": organisation.get_kind_display()}
        )
    # Lock the organisation so two submits of the same form cannot both pass the check.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if Term.objects.open().filter(organisation=organisation).exists():
        raise ValidationError(
            _("%(org)s already has an open term; it is closed by the next election.")
            % {"org": organisation.name}
        )
    try:
        with transaction.atomic():
            return Term.objects.create(
                organisation=organisation,
                started_on=started_on,
                ends_on=term_end(organisation=organisation, started_on=started_on),
                note=note,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(org)s already has an open term; it is closed by the next election.")
            % {"org": organisation.name}
        ) from None
