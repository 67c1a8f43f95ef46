"""The pipeline's steps from development candidate to full member: political review,
training, introducers, admission, approval, the decision at the end of the probation,
and withdrawal before admission. Same contract as `pipeline`."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Person

from ..models import Candidacy, Event, Introducer, Stage
from ..rules import Code, Rules
from .checks import (
    Status,
    _check_date,
    _d,
    _event,
    _full_members,
    _lock,
    _not_before,
    _require_stage,
    _set_status,
)


@transaction.atomic
def candidacy_review(
    *, candidacy: Candidacy, on: datetime.date, conclusion: str, by=None, today=None
) -> Candidacy:
    """The political review of a development candidate."""
    today = today or timezone.localdate()
    candidacy = _lock(candidacy)
    _require_stage(
        candidacy,
        Stage.CANDIDATE,
        _("%(name)s is a %(stage)s: the political review is of a development candidate."),
    )
    if candidacy.reviewed_on:
        raise ValidationError(_("The political review is already recorded."), code="done")
    _check_date(on, today, _("the political review"))
    _not_before(
        on,
        candidacy.candidate_on,
        _(
            "The review (%(date)s) cannot come before the person was named a "
            "development candidate (%(earlier)s)."
        ),
    )
    if not conclusion.strip():
        raise ValidationError(_("Write the review's conclusion."), code="conclusion")
    candidacy.reviewed_on = on
    candidacy.review_conclusion = conclusion.strip()
    candidacy.save(update_fields=["reviewed_on", "review_conclusion"])
    _event(candidacy, Event.Kind.REVIEWED, on, by, conclusion.strip())
    return candidacy


@transaction.atomic
def candidacy_train(
    *,
    candidacy: Candidacy,
    start: datetime.date,
    end: datetime.date,
    days: int,
    hours: int,
    by=None,
    today=None,
) -> Candidacy:
    """The short concentrated training: at least the rule's days or class hours."""
    rules = Rules.load()
    today = today or timezone.localdate()
    candidacy = _lock(candidacy)
    _require_stage(
        candidacy,
        Stage.CANDIDATE,
        _("%(name)s is a %(stage)s: the training is for development candidates."),
    )
    if candidacy.training_to:
        raise ValidationError(_("The training is already recorded."), code="done")
    _check_date(start, today, _("the start of the training"))
    _check_date(end, today, _("the end of the training"))
    _not_before(
        start,
        candidacy.candidate_on,
        _(
            "The training (%(date)s) cannot start before the person was named a "
            "development candidate (%(earlier)s)."
        ),
    )
    _not_before(end, start, _("The training cannot end (%(date)s) before it starts (%(earlier)s)."))
    days, hours = days or 0, hours or 0
    if days > (end - start).days + 1:
        raise ValidationError(
            _("%(days)d training days do not fit between %(start)s and %(end)s.")
            % {"days": days, "start": _d(start), "end": _d(end)},
            code="days",
        )
    min_days, min_hours = rules[Code.TRAINING_DAYS], rules[Code.TRAINING_HOURS]
    if days < min_days.value and hours < min_hours.value:
        raise ValidationError(
            _(
                "The training needs at least %(days)d days or %(hours)d class hours "
                "(%(source)s); recorded: %(got_days)d days, %(got_hours)d class hours."
            )
            % {
                "days": min_days.value,
                "hours": min_hours.value,
                "source": min_days.source,
                "got_days": days,
                "got_hours": hours,
            },
            code="training",
        )
    candidacy.training_from, candidacy.training_to = start, end
    candidacy.training_days, candidacy.training_hours = days, hours
    candidacy.save(
        update_fields=["training_from", "training_to", "training_days", "training_hours"]
    )
    _event(
        candidacy,
        Event.Kind.TRAINED,
        end,
        by,
        _("%(start)s – %(end)s, %(days)d days, %(hours)d class hours")
        % {"start": _d(start), "end": _d(end), "days": days, "hours": hours},
    )
    return candidacy


@transaction.atomic
def candidacy_add_introducers(
    *, candidacy: Candidacy, people: Sequence[Person], on: datetime.date, by=None, today=None
) -> Candidacy:
    """Name the introducers: full members, exactly the rule's number (two); a third is
    refused. They may be named together or one at a time."""
    rules = Rules.load()
    today = today or timezone.localdate()
    candidacy = _lock(candidacy)
    _require_stage(
        candidacy,
        Stage.CANDIDATE,
        _("%(name)s is a %(stage)s: introducers are named for a development candidate."),
    )
    if not people:
        raise ValidationError(_("Choose the introducers."), code="empty")
    _check_date(on, today, _("the naming of the introducers"))
    _not_before(
        on,
        candidacy.candidate_on,
        _(
            "Introducers (%(date)s) are named after the person became a development "
            "candidate (%(earlier)s)."
        ),
    )
    existing = list(candidacy.introducers.select_related("person"))
    if {i.person_id for i in existing} & {p.pk for p in people}:
        raise ValidationError(_("This member is already an introducer."), code="duplicate")
    allowed = rules[Code.INTRODUCERS]
    if len(existing) + len(people) > allowed.value:
        raise ValidationError(
            _(
                "A candidate has exactly %(n)d introducers (%(source)s); %(named)s already "
                "named. A further introducer is refused."
            )
            % {
                "n": allowed.value,
                "source": allowed.source,
                "named": "、".join(i.person.name for i in existing) or _("none"),
            },
            code="too_many",
        )
    _full_members(people, candidacy, _("introducer"))
    Introducer.objects.bulk_create(
        Introducer(candidacy=candidacy, person=p, named_on=on) for p in people
    )
    for p in people:
        _event(candidacy, Event.Kind.INTRODUCER, on, by, p.name)
    return candidacy


@transaction.atomic
def candidacy_admit(*, candidacy: Candidacy, on: datetime.date, by=None, today=None) -> Candidacy:
    """Admission by the branch general meeting: the candidate becomes a probationary
    member from this day; the probation's end is set by the rule."""
    rules = Rules.load()
    today = today or timezone.localdate()
    candidacy = _lock(candidacy)
    _require_stage(
        candidacy,
        Stage.CANDIDATE,
        _("%(name)s is a %(stage)s: the branch general meeting admits a development candidate."),
    )
    missing = []
    if not candidacy.reviewed_on:
        missing.append(_("the political review"))
    if not candidacy.training_to:
        missing.append(_("the training"))
    introducers = list(candidacy.introducers.all())
    needed = rules[Code.INTRODUCERS].value
    if len(introducers) != needed:
        missing.append(
            _("%(n)d introducers (%(got)d named)") % {"n": needed, "got": len(introducers)}
        )
    if missing:
        raise ValidationError(
            _("Not ready for admission; still missing: %(items)s.")
            % {"items": "、".join(str(m) for m in missing)},
            code="missing",
        )
    _check_date(on, today, _("the branch general meeting"))
    latest = max([candidacy.reviewed_on, candidacy.training_to, *(i.named_on for i in introducers)])
    _not_before(
        on,
        latest,
        _(
            "The branch general meeting (%(date)s) cannot come before the "
            "last preparatory step (%(earlier)s)."
        ),
    )
    candidacy.stage = Stage.PROBATIONARY
    candidacy.admitted_on = on
    candidacy.probation_ends_on = rules[Code.PROBATION].after(on)
    candidacy.save(update_fields=["stage", "admitted_on", "probation_ends_on"])
    _event(candidacy, Event.Kind.ADMITTED, on, by)
    _set_status(candidacy.person, Status.PROBATIONARY, joined_party_on=on, full_member_on=None)
    return candidacy


@transaction.atomic
def candidacy_approve(*, candidacy: Candidacy, on: datetime.date, by=None, today=None) -> Candidacy:
    """The higher committee approves the admission (generally within three months)."""
    today = today or timezone.localdate()
    candidacy = _lock(candidacy)
    _require_stage(
        candidacy,
        Stage.PROBATIONARY,
        _(
            "%(name)s is a %(stage)s: the higher committee approves an admission "
            "made by the branch general meeting."
        ),
    )
    if candidacy.approved_on:
        raise ValidationError(_("The approval is already recorded."), code="done")
    _check_date(on, today, _("the approval"))
    _not_before(
        on,
        candidacy.admitted_on,
        _("The approval (%(date)s) cannot come before the admission (%(earlier)s)."),
    )
    candidacy.approved_on = on
    candidacy.save(update_fields=["approved_on"])
    _event(candidacy, Event.Kind.APPROVED, on, by)
    return candidacy


class Decision:
    FULL = "full"
    EXTEND = "extend"
    CANCEL = "cancel"


@transaction.atomic
def candidacy_conclude(
    *,
    candidacy: Candidacy,
    decision: str,
    on: datetime.date,
    months: int | None = None,
    by=None,
    today=None,
) -> Candidacy:
    """At the end of the probation the branch general meeting decides: full membership
    (from the day the probation ends), an extension (once, within the rule's bounds),
    or cancellation."""
    rules = Rules.load()
    today = today or timezone.localdate()
    candidacy = _lock(candidacy)
    _require_stage(
        candidacy,
        Stage.PROBATIONARY,
        _(
            "%(name)s is a %(stage)s: the decision at the end of the probation is "
            "about a probationary member."
        ),
    )
    if not candidacy.approved_on:
        raise ValidationError(
            _("Record the higher committee's approval of the admission first."), code="skip"
        )
    if decision == Decision.EXTEND and candidacy.extended_months:
        raise ValidationError(_("The probation was already extended once."), code="extended")
    _check_date(on, today, _("the branch general meeting"))
    if on < candidacy.probation_ends_on:
        raise ValidationError(
            _(
                "The probation ends on %(end)s; the branch general meeting decides at its end, "
                "not on %(date)s."
            )
            % {"end": _d(candidacy.probation_ends_on), "date": _d(on)},
            code="too_early",
        )
    person = candidacy.person
    if decision == Decision.FULL:
        candidacy.stage, candidacy.closed_on = Stage.FULL, on
        candidacy.save(update_fields=["stage", "closed_on"])
        _event(candidacy, Event.Kind.FULL, on, by)
        _set_status(person, Status.FULL, full_member_on=candidacy.probation_ends_on)
    elif decision == Decision.EXTEND:
        low, high = rules[Code.EXTENSION_MIN], rules[Code.EXTENSION_MAX]
        if months is None or not low.value <= months <= high.value:
            raise ValidationError(
                _("An extension is at least %(low)d and at most %(high)d months (%(source)s).")
                % {"low": low.value, "high": high.value, "source": low.source},
                code="months",
            )
        candidacy.extended_months = months
        candidacy.probation_ends_on = candidacy.probation_ends_on + relativedelta(months=months)
        candidacy.save(update_fields=["extended_months", "probation_ends_on"])
        _event(
            candidacy,
            Event.Kind.EXTENDED,
            on,
            by,
            _("by %(n)d months, until %(end)s")
            % {"n": months, "end": _d(candidacy.probation_ends_on)},
        )
    elif decision == Decision.CANCEL:
        candidacy.stage, candidacy.closed_on = Stage.CANCELLED, on
        candidacy.save(update_fields=["stage", "closed_on"])
        _event(candidacy, Event.Kind.CANCELLED, on, by, _("Probationary membership cancelled"))
        _set_status(person, Status.MASSES, joined_party_on=None, full_member_on=None)
    else:
        raise ValidationError(_("Choose the decision."), code="decision")
    return candidacy


@transaction.atomic
def candidacy_withdraw(
    *, candidacy: Candidacy, on: datetime.date, reason: str, by=None, today=None
) -> Candidacy:
    """Close a record before admission (the person withdrew, left, or was not named)."""
    today = today or timezone.localdate()
    candidacy = _lock(candidacy)
    if candidacy.stage not in (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE):
        raise ValidationError(
            _("%(name)s is a %(stage)s: only a record before admission is withdrawn.")
            % {"name": candidacy.person.name, "stage": candidacy.get_stage_display()},
            code="stage",
        )
    _check_date(on, today, _("the withdrawal"))
    _not_before(
        on,
        candidacy.applied_on,
        _("The withdrawal (%(date)s) cannot come before the application (%(earlier)s)."),
    )
    if not reason.strip():
        raise ValidationError(_("Give the reason."), code="reason")
    candidacy.stage, candidacy.closed_on = Stage.CANCELLED, on
    candidacy.save(update_fields=["stage", "closed_on"])
    _event(candidacy, Event.Kind.CANCELLED, on, by, reason.strip())
    _set_status(candidacy.person, Status.MASSES)
    return candidacy
