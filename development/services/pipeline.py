"""The development pipeline's write path, from the application to the development
candidate: one function per legal step (the rest is in `admission`).

Each step locks the person and then the record, checks the order (no skipping), the
minimum durations and the required items against the committee's rules, writes the
record, the timeline event and the person's political status in one transaction,
and raises `ValidationError` with a clear message otherwise: nothing half-saved.
`development_advance()` dispatches a named step, for the views.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.models import Person

from ..models import Assessment, Candidacy, CultivatingContact, Event, Stage
from ..rules import Code, Rules, assessments_needed, candidate_ready_on
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

# --- The steps ----------------------------------------------------------------------


@transaction.atomic
def candidacy_open(
    *,
    person: Person,
    branch: Organisation,
    applied_on: datetime.date,
    by: AbstractBaseUser | None = None,
    today: datetime.date | None = None,
) -> Candidacy:
    """Receive a written application: the person becomes an applicant."""
    rules = Rules.load()
    today = today or timezone.localdate()
    _check_date(applied_on, today, _("the application"))
    if branch.kind != Organisation.Kind.BRANCH:
        raise ValidationError(_("A development record belongs to a branch."), code="branch")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status in Person.PARTY_STATUSES:
        raise ValidationError(
            _("%(name)s is already a party member.") % {"name": person.name}, code="member"
        )
    if Candidacy.objects.open().filter(person=person).exists():
        raise ValidationError(
            _("%(name)s already has an open development record.") % {"name": person.name},
            code="open",
        )
    minimum = rules[Code.MIN_AGE]
    if person.birth_date is None:
        raise ValidationError(
            _(
                "Record %(name)s's date of birth first: an applicant must be at least %(age)d "
                "years old."
            )
            % {"name": person.name, "age": minimum.value},
            code="birth_date",
        )
    age = relativedelta(applied_on, person.birth_date).years
    if age < minimum.value:
        raise ValidationError(
            _(
                "%(name)s was %(age)d when applying; an applicant must be at least %(min)d "
                "years old (%(source)s)."
            )
            % {"name": person.name, "age": age, "min": minimum.value, "source": minimum.source},
            code="age",
        )
    candidacy = Candidacy.objects.create(person=person, branch=branch, applied_on=applied_on)
    _event(candidacy, Event.Kind.APPLIED, applied_on, by)
    _set_status(person, Status.APPLICANT)
    return candidacy


@transaction.atomic
def candidacy_talk(
    *, candidacy: Candidacy, on: datetime.date, by=None, today=None, note: str = ""
) -> Candidacy:
    """The branch's talk with the applicant (due within a month of the application)."""
    today = today or timezone.localdate()
    candidacy = _lock(candidacy)
    _require_stage(
        candidacy,
        Stage.APPLICANT,
        _("%(name)s is a %(stage)s: the talk belongs to the applicant stage."),
    )
    if candidacy.talked_on:
        raise ValidationError(_("The talk is already recorded."), code="done")
    _check_date(on, today, _("the talk"))
    _not_before(
        on,
        candidacy.applied_on,
        _("The talk (%(date)s) cannot come before the application (%(earlier)s)."),
    )
    candidacy.talked_on = on
    candidacy.save(update_fields=["talked_on"])
    _event(candidacy, Event.Kind.TALKED, on, by, note)
    return candidacy


@transaction.atomic
def candidacy_name_activist(
    *,
    candidacy: Candidacy,
    on: datetime.date,
    filed_on: datetime.date,
    contacts: Sequence[Person],
    by=None,
    today=None,
) -> Candidacy:
    """The branch committee names the applicant an activist, files it with the higher
    committee and names one or two full members as cultivating contacts."""
    rules = Rules.load()
    today = today or timezone.localdate()
    candidacy = _lock(candidacy)
    _require_stage(
        candidacy,
        Stage.APPLICANT,
        _("%(name)s is a %(stage)s: only an applicant is named an activist."),
    )
    if not candidacy.talked_on:
        raise ValidationError(
            _("Record the talk with the applicant first: an activist is named after it."),
            code="skip",
        )
    _check_date(on, today, _("the branch committee's decision"))
    _not_before(
        on,
        candidacy.talked_on,
        _("The decision (%(date)s) cannot come before the talk (%(earlier)s)."),
    )
    _check_date(filed_on, today, _("the filing with the higher committee"))
    _not_before(
        filed_on, on, _("The filing (%(date)s) cannot come before the decision (%(earlier)s).")
    )
    low, high = rules[Code.CONTACTS_MIN].value, rules[Code.CONTACTS_MAX].value
    if not low <= len(contacts) <= high:
        raise ValidationError(
            _("Name %(low)d to %(high)d full members as cultivating contacts (%(source)s).")
            % {"low": low, "high": high, "source": rules[Code.CONTACTS_MIN].source},
            code="contacts",
        )
    _full_members(contacts, candidacy, _("cultivating contact"))
    candidacy.stage = Stage.ACTIVIST
    candidacy.activist_on = on
    candidacy.activist_filed_on = filed_on
    candidacy.save(update_fields=["stage", "activist_on", "activist_filed_on"])
    CultivatingContact.objects.bulk_create(
        CultivatingContact(candidacy=candidacy, person=p, named_on=on) for p in contacts
    )
    _event(
        candidacy,
        Event.Kind.ACTIVIST,
        on,
        by,
        _("Cultivating contacts: %(names)s") % {"names": "、".join(p.name for p in contacts)},
    )
    _set_status(candidacy.person, Status.ACTIVIST)
    return candidacy


@transaction.atomic
def candidacy_assess(
    *, candidacy: Candidacy, on: datetime.date, conclusion: str, by=None, today=None
) -> Assessment:
    """The branch's half-yearly assessment of an activist or candidate."""
    today = today or timezone.localdate()
    candidacy = _lock(candidacy)
    if candidacy.stage not in (Stage.ACTIVIST, Stage.CANDIDATE):
        raise ValidationError(
            _("%(name)s is a %(stage)s: the branch assesses activists and development candidates.")
            % {"name": candidacy.person.name, "stage": candidacy.get_stage_display()},
            code="stage",
        )
    _check_date(on, today, _("the assessment"))
    _not_before(
        on,
        candidacy.activist_on,
        _(
            "The assessment (%(date)s) cannot come before the person was named an "
            "activist (%(earlier)s)."
        ),
    )
    if not conclusion.strip():
        raise ValidationError(_("Write the assessment's conclusion."), code="conclusion")
    if candidacy.assessments.filter(assessed_on=on).exists():
        raise ValidationError(_("An assessment is already recorded on this day."), code="duplicate")
    assessment = Assessment.objects.create(
        candidacy=candidacy, assessed_on=on, conclusion=conclusion.strip()
    )
    _event(candidacy, Event.Kind.ASSESSED, on, by, conclusion.strip())
    return assessment


@transaction.atomic
def candidacy_name_candidate(
    *, candidacy: Candidacy, on: datetime.date, by=None, today=None
) -> Candidacy:
    """Name an activist a development candidate: after the minimum time as an activist,
    with contacts named and the half-yearly assessments done."""
    rules = Rules.load()
    today = today or timezone.localdate()
    candidacy = _lock(candidacy)
    _require_stage(
        candidacy,
        Stage.ACTIVIST,
        _("%(name)s is a %(stage)s: only an activist is named a development candidate."),
    )
    _check_date(on, today, _("the decision"))
    earliest = candidate_ready_on(candidacy, rules)
    if on < earliest:
        rule = rules[Code.ACTIVIST_MIN]
        raise ValidationError(
            _(
                "%(name)s has been an activist since %(since)s; a development candidate needs "
                "at least %(min)s as an activist (%(source)s): the earliest date is %(earliest)s."
            )
            % {
                "name": candidacy.person.name,
                "since": _d(candidacy.activist_on),
                "min": rule.label,
                "source": rule.source,
                "earliest": _d(earliest),
            },
            code="too_early",
        )
    if candidacy.contacts.count() < rules[Code.CONTACTS_MIN].value:
        raise ValidationError(_("Name the cultivating contacts first."), code="contacts")
    needed = assessments_needed(candidacy, rules, on)
    done = candidacy.assessments.filter(assessed_on__lte=on).count()
    if done < needed:
        raise ValidationError(
            _(
                "%(done)d half-yearly assessments are recorded; %(needed)d are needed for the "
                "time as an activist. Record the missing assessments first."
            )
            % {"done": done, "needed": needed},
            code="assessments",
        )
    candidacy.stage = Stage.CANDIDATE
    candidacy.candidate_on = on
    candidacy.save(update_fields=["stage", "candidate_on"])
    _event(candidacy, Event.Kind.CANDIDATE, on, by)
    _set_status(candidacy.person, Status.CANDIDATE)
    return candidacy
