"""Visits, opinions and campaigns: what the liaison work files and reviews."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from branches.models import Organisation
from members.models import Person
from supplychain_party.concurrency import check_version, version_token

from ..models import Campaign, Opinion, Pairing, Visit


def people_within_reach(person: Person):
    """Whom a member may file a visit with: the people of their branch and their
    paired colleagues (open pairings), never themself."""
    paired = Pairing.objects.open().filter(member=person).values("partner_id")
    reach = Person.objects.filter(is_active=True)
    condition = reach.filter(pk__in=paired)
    if person.branch_id:
        condition = condition | reach.filter(branch_id=person.branch_id)
    return condition.exclude(pk=person.pk)


@dataclass(frozen=True)
class VisitData:
    visited: Person
    visited_on: datetime.date
    method: str
    discussion: str
    campaign: Campaign | None = None


def _validate_visit(visitor: Person, data: VisitData, today: datetime.date) -> None:
    errors = []
    if visitor.branch_id is None:
        errors.append(_("You belong to no branch, so there is no branch to file a visit "
                        "with."))
    if data.visited_on > today:
        errors.append(_("The visit is dated %(date)s, in the future: file a visit after it "
                        "took place.") % {"date": date_format(data.visited_on)})
    if data.method not in Visit.Method.values:
        errors.append(_("Choose how the visit was made."))
    if not data.discussion.strip():
        errors.append(_("Say what was discussed."))
    if not people_within_reach(visitor).filter(pk=data.visited.pk).exists():
        errors.append(_("%(name)s is neither in your branch nor one of your paired "
                        "colleagues: file visits only for people within your reach.")
                      % {"name": data.visited.name})
    if errors:
        raise ValidationError(errors)


def visit_file(
    *, visitor: Person, data: VisitData, opinions: Sequence[str] = (),
    today: datetime.date | None = None,
) -> Visit:
    """File a visit record with the opinions and requests raised in it. The visit
    belongs to the visitor's branch, whose secretary reviews it."""
    today = today or timezone.localdate()
    _validate_visit(visitor, data, today)
    with transaction.atomic():
        visit = Visit.objects.create(
            visitor=visitor, visited=data.visited, organisation_id=visitor.branch_id,
            visited_on=data.visited_on, method=data.method, discussion=data.discussion.strip(),
            campaign=data.campaign,
        )
        for text in opinions:
            if text.strip():
                Opinion.objects.create(
                    text=text.strip(), source=Opinion.Source.VISIT, visit=visit,
                    campaign=data.campaign, raised_by=data.visited, recorded_by=visitor,
                    organisation_id=visitor.branch_id, raised_on=data.visited_on,
                )
    return visit


def visit_version(visit: Visit) -> str:
    """The edit page's version token (see `supplychain_party.concurrency`)."""
    return version_token(visit, VisitData)


def visit_update(*, visit: Visit, by: Person, data: VisitData,
                 today: datetime.date | None = None, version: str = "") -> Visit:
    """The visitor corrects their own record, until the secretary has reviewed it.
    The row is locked, so a review (or the visitor's other tab) that saved since the
    page was opened (`version`) is noticed, not overwritten."""
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.visitor_id != by.pk:
            raise ValidationError(_("Only the member who filed a visit edits it."),
                                  code="owner")
        if visit.is_reviewed:
            raise ValidationError(_("The visit was reviewed; it can no longer be changed."),
                                  code="reviewed")
        _validate_visit(by, data, today or timezone.localdate())
        check_version(version, visit_version(visit))
        visit.visited = data.visited
        visit.visited_on = data.visited_on
        visit.method = data.method
        visit.discussion = data.discussion.strip()
        visit.campaign = data.campaign
        visit.save()
        visit.opinions.update(raised_by=data.visited, raised_on=data.visited_on)
    return visit


def visit_review(*, visit: Visit, by: Person, note: str = "",
                 now: datetime.datetime | None = None) -> bool:
    """Mark a visit reviewed; the secretary (or anyone leading the branch) does it, not
    the visitor. Returns False when it was reviewed already (a double click)."""
    if visit.visitor_id == by.pk:
        raise ValidationError(_("A visit is reviewed by someone other than its visitor."),
                              code="self_review")
    reviewed = Visit.objects.filter(pk=visit.pk, reviewed_at__isnull=True).update(
        reviewed_at=now or timezone.now(), reviewed_by=by, review_note=note.strip()
    )
    visit.refresh_from_db()
    return reviewed == 1


def opinion_record(
    *, campaign: Campaign, text: str, raised_by: Person, recorded_by: Person | None,
    raised_on: datetime.date, source: str = Opinion.Source.CAMPAIGN, meeting=None,
) -> Opinion:
    """An opinion collected by a campaign's questionnaire or at a meeting."""
    if not text.strip():
        raise ValidationError(_("Write the opinion down."), code="empty")
    if not campaign.starts_on <= raised_on <= campaign.ends_on:
        raise ValidationError(_("The campaign runs from %(start)s to %(end)s.")
                              % {"start": date_format(campaign.starts_on),
                                 "end": date_format(campaign.ends_on)}, code="period")
    return Opinion.objects.create(
        text=text.strip(), source=source, campaign=campaign, meeting=meeting,
        raised_by=raised_by, recorded_by=recorded_by, organisation=campaign.organisation,
        raised_on=raised_on,
    )


def campaign_create(*, organisation: Organisation, title: str, starts_on: datetime.date,
                    ends_on: datetime.date, description: str = "") -> Campaign:
    if not title.strip():
        raise ValidationError(_("Give the campaign a title."), code="title")
    if ends_on < starts_on:
        raise ValidationError(_("A campaign cannot end before it starts."), code="dates")
    return Campaign.objects.create(organisation=organisation, title=title.strip(),
                                   starts_on=starts_on, ends_on=ends_on,
                                   description=description)
