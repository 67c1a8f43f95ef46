"""Democratic appraisal: entries, self-assessments, mutual votes, tallies, the decision."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.models import Person
from supplychain_party.concurrency import check_version, version_token

from ..models import LOW_GRADES, Appraisal, AppraisalEntry, AppraisalGrade, AppraisalVote, Scheme
from .branch_assessment import Kind
from .numbers import plain


@transaction.atomic
def appraisal_open(*, scheme: Scheme, branch: Organisation) -> Appraisal:
    """The branch's appraisal for the year, with an entry for each active party member
    (members who joined since are added when it is opened again)."""
    if branch.kind != Kind.BRANCH:
        raise ValidationError(_("Members are appraised in their branch."))
    appraisal, _created = Appraisal.objects.get_or_create(scheme=scheme, branch=branch)
    if appraisal.state == Appraisal.State.OPEN:
        have = set(appraisal.entries.values_list("person_id", flat=True))
        AppraisalEntry.objects.bulk_create(
            AppraisalEntry(appraisal=appraisal, person=person)
            for person in Person.objects.active().party_members().filter(branch=branch)
            .exclude(pk__in=have)
        )
    return appraisal


@dataclass(frozen=True)
class Tally:
    members: int
    by_grade: dict[str, int]
    excellent_limit: int

    @property
    def excellent(self) -> int:
        return self.by_grade.get(AppraisalGrade.EXCELLENT, 0)

    @property
    def too_many_excellent(self) -> bool:
        return self.excellent > self.excellent_limit


def excellent_limit(*, scheme: Scheme, members: int) -> int:
    """How many may be graded excellent (rounded down: 10 members, a third: 3)."""
    # The share is kept to two decimals (33.33 for a third): round to one decimal
    # before flooring, so that 6 × 33.33% allows 2, not 1.
    share = Decimal(members) * scheme.excellent_share_percent / 100
    return int(share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def appraisal_tally(*, appraisal: Appraisal, field: str = "") -> Tally:
    """Grades counted (the decision when made, else the committee's proposal)."""
    entries = list(appraisal.entries.all())
    field = field or ("decided_grade" if appraisal.state == Appraisal.State.DECIDED
                      else "proposed_grade")
    by_grade: dict[str, int] = {}
    for entry in entries:
        grade = getattr(entry, field)
        if grade:
            by_grade[grade] = by_grade.get(grade, 0) + 1
    return Tally(len(entries), by_grade,
                 excellent_limit(scheme=appraisal.scheme, members=len(entries)))


def appraisal_warnings(*, appraisal: Appraisal) -> list[str]:
    """What the committee should look at before the decision: too many excellent."""
    warnings = []
    tally = appraisal_tally(appraisal=appraisal)
    if tally.too_many_excellent:
        warnings.append(
            _("%(n)d of %(members)d members are graded excellent; the rule allows at most "
              "%(limit)d (%(share)s%%). Source: %(source)s")
            % {"n": tally.excellent, "members": tally.members, "limit": tally.excellent_limit,
               "share": plain(appraisal.scheme.excellent_share_percent),
               "source": appraisal.scheme.excellent_share_source})
    return warnings


def appraisal_entry_validate(*, entry: AppraisalEntry) -> None:
    """Votes cannot exceed the members who vote; a decided appraisal is final."""
    appraisal = entry.appraisal
    if appraisal.state == Appraisal.State.DECIDED:
        raise ValidationError(_("The branch meeting has decided this appraisal; it can no "
                                "longer be changed."), code="final")
    members = appraisal.entries.count()
    votes = (entry.votes_excellent + entry.votes_qualified + entry.votes_basic
             + entry.votes_unqualified)
    if votes > members:
        raise ValidationError(_("%(person)s has %(votes)d votes but only %(members)d members "
                                "vote.") % {"person": entry.person, "votes": votes,
                                            "members": members}, code="too_many_votes")


@transaction.atomic
def appraisal_entry_save(*, entry: AppraisalEntry) -> AppraisalEntry:
    appraisal_entry_validate(entry=entry)
    entry.save()
    return entry


def appraisal_grades_version(appraisal: Appraisal,
                             entries: Iterable[AppraisalEntry] | None = None) -> str:
    """The grades form's version token: the appraisal's state and every entry's grades
    (`entries`: the rows the page already read, to spare a query)."""
    if entries is None:
        entries = appraisal.entries.all()
    rows = sorted((e.pk, e.proposed_grade, e.decided_grade) for e in entries)
    return version_token(appraisal, ["state"], rows)


@transaction.atomic
def appraisal_grades_save(*, appraisal: Appraisal, grades: Mapping[int, Mapping[str, str]],
                          version: str = "") -> None:
    """The committee's proposed grades and the branch meeting's decided ones, by entry
    id (`{"proposed": ..., "decided": ...}`, a missing one unchanged), all or nothing.
    The entries are locked (a vote's count waits), and grades saved by someone else
    since the page was opened (`version`) are not overwritten."""
    appraisal = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    entries = list(appraisal.entries.select_for_update().select_related("person"))
    check_version(version, appraisal_grades_version(appraisal, entries))
    valid = set(AppraisalGrade.values) | {""}
    for entry in entries:
        posted = grades.get(entry.pk, {})
        proposed = posted.get("proposed", entry.proposed_grade)
        decided = posted.get("decided", entry.decided_grade)
        if proposed not in valid or decided not in valid:
            raise ValidationError(_("Choose a grade."), code="grade")
        if (proposed, decided) != (entry.proposed_grade, entry.decided_grade):
            entry.proposed_grade, entry.decided_grade = proposed, decided
            appraisal_entry_save(entry=entry)


def _refuse_unless_open(appraisal: Appraisal) -> None:
    if appraisal.state != Appraisal.State.OPEN:
        raise ValidationError(_("The branch meeting has decided this appraisal; it can no "
                                "longer be changed."), code="final")


VOTE_FIELDS = {
    AppraisalGrade.EXCELLENT: "votes_excellent",
    AppraisalGrade.QUALIFIED: "votes_qualified",
    AppraisalGrade.BASIC: "votes_basic",
    AppraisalGrade.UNQUALIFIED: "votes_unqualified",
}


def self_assessment_version(entry: AppraisalEntry) -> str:
    """The self-assessment form's version token."""
    return version_token(entry, ["self_assessment"])


@transaction.atomic
def appraisal_self_assessment_save(*, entry: AppraisalEntry, text: str,
                                   version: str = "") -> AppraisalEntry:
    """The member's own self-assessment, while the appraisal is open; refused when it
    was saved since the page was opened (`version`: the member's other tab)."""
    _refuse_unless_open(entry.appraisal)
    locked = AppraisalEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.self_assessment != text.strip():  # the same text twice overwrites nothing
        check_version(version, self_assessment_version(locked))
    entry.self_assessment = text.strip()
    entry.save(update_fields=["self_assessment"])
    return entry


@transaction.atomic
def appraisal_vote_cast(*, entry: AppraisalEntry, voter: Person, grade: str) -> AppraisalVote:
    """The voter's mutual-appraisal vote for a colleague of their branch, while the
    appraisal is open: one vote per voter and colleague, a new one replacing it. The
    entry's counts move with the vote (F() updates, so concurrent votes add up)."""
    appraisal = entry.appraisal
    _refuse_unless_open(appraisal)
    if grade not in VOTE_FIELDS:
        raise ValidationError(_("Choose a grade."), code="no_grade")
    if entry.person_id == voter.pk:
        raise ValidationError(_("Members do not vote for themselves."), code="self_vote")
    if not appraisal.entries.filter(person=voter).exists():
        raise ValidationError(_("Only the members of %(branch)s vote in its appraisal.")
                              % {"branch": appraisal.branch.name}, code="not_a_member")
    vote = (AppraisalVote.objects.select_for_update()
            .filter(entry=entry, voter=voter).first())
    counts = AppraisalEntry.objects.filter(pk=entry.pk)
    if vote is None:
        vote = AppraisalVote.objects.create(entry=entry, voter=voter, grade=grade,
                                            cast_at=timezone.now())
    elif vote.grade != grade:
        old = VOTE_FIELDS[vote.grade]
        counts.filter(**{f"{old}__gt": 0}).update(**{old: F(old) - 1})
        vote.grade, vote.cast_at = grade, timezone.now()
        vote.save(update_fields=["grade", "cast_at"])
    else:
        return vote
    new = VOTE_FIELDS[grade]
    counts.update(**{new: F(new) + 1})
    return vote


@transaction.atomic
def appraisal_decide(*, appraisal: Appraisal, decided_on: datetime.date) -> list[str]:
    """Record the branch meeting's decision. Every member needs a decided grade (the
    committee's proposal is taken where none is given). Returns the warnings."""
    if appraisal.state == Appraisal.State.DECIDED:
        raise ValidationError(_("The branch meeting has already decided this appraisal."))
    entries = list(appraisal.entries.select_related("person"))
    missing = [e.person.name for e in entries if not (e.decided_grade or e.proposed_grade)]
    if missing:
        raise ValidationError(_("Propose or decide a grade for: %(names)s.")
                              % {"names": "、".join(missing)})
    for entry in entries:
        if not entry.decided_grade:
            entry.decided_grade = entry.proposed_grade
            entry.save(update_fields=["decided_grade"])
    appraisal.state = Appraisal.State.DECIDED
    appraisal.decided_on = decided_on
    appraisal.save(update_fields=["state", "decided_on"])
    return appraisal_warnings(appraisal=appraisal)


def appraisal_follow_ups(queryset) -> list[AppraisalEntry]:
    """Members with a low decided grade whose follow-up is not done."""
    return list(queryset.filter(decided_grade__in=LOW_GRADES, follow_up_done_on__isnull=True)
                .select_related("person", "appraisal__branch"))
