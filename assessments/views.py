"""The branch's pages: its assessment for a year (computed scores with their
evidence, hand-entered scores, submit), and the panels shown on the branch and
member pages. Thin: access through `members.access`, writes through `services`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.access import get_organisation_or_404, get_person_or_404, scope_for

from . import selectors, services
from .models import AppraisalEntry, AssessmentEvent, BranchAssessment, Scheme, Score


def _assessment_or_404(request: HttpRequest, org_pk: int, year: int) -> BranchAssessment:
    branch = get_organisation_or_404(request, org_pk)
    scheme = Scheme.objects.filter(year=year).first()
    if not branch.is_branch or scheme is None:
        raise Http404
    assessment = BranchAssessment.objects.filter(scheme=scheme, branch=branch).select_related(
        "scheme", "branch").first()
    if assessment is None:
        if scheme.state != Scheme.State.ACTIVE:
            raise Http404
        assessment = services.assessment_open(scheme=scheme, branch=branch)
    return assessment


@login_required
def assessment_detail(request: HttpRequest, org_pk: int, year: int | None = None
                      ) -> HttpResponse:
    year = year or timezone.localdate().year
    assessment = _assessment_or_404(request, org_pk, year)
    scores = list(selectors.scores_for_display(assessment))
    return render(request, "assessments/assessment_detail.html", {
        "assessment": assessment,
        "organisation": assessment.branch,
        "scores": scores,
        "version": services.scores_version(assessment, scores),
        "events": assessment.events.select_related("by"),
        "can_submit": AssessmentEvent.Action.SUBMIT in services.allowed_actions(
            user=request.user, assessment=assessment),
    })


@login_required
@require_POST
def scores_enter(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    assessment = _assessment_or_404(request, org_pk, year)
    if not services.may(user=request.user, action=AssessmentEvent.Action.SUBMIT,
                        assessment=assessment):
        raise Http404
    entries, attachments, errors = {}, {}, []
    for score in assessment.scores.select_related("criterion"):
        raw = request.POST.get(f"value-{score.pk}", "").strip()
        try:
            value = Decimal(raw) if raw else None
        except InvalidOperation:
            errors.append(_("%(criterion)s: enter a number.") % {"criterion": score.criterion})
            continue
        entries[score.pk] = services.ScoreEntry(value, request.POST.get(f"evidence-{score.pk}",
                                                                        ""))
        if request.FILES.get(f"file-{score.pk}"):
            attachments[score.pk] = request.FILES[f"file-{score.pk}"]
    try:
        if errors:
            raise ValidationError(errors)
        services.scores_enter(assessment=assessment, entries=entries, attachments=attachments,
                              version=request.POST.get("version", ""))
        messages.success(request, _("Scores saved."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("assessments:detail", org_pk=org_pk, year=year)


@login_required
@require_POST
def assessment_submit(request: HttpRequest, org_pk: int, year: int) -> HttpResponse:
    assessment = _assessment_or_404(request, org_pk, year)
    try:
        services.assessment_transition(assessment=assessment,
                                       action=AssessmentEvent.Action.SUBMIT, by=request.user,
                                       comment=request.POST.get("comment", ""))
        messages.success(request, _("Self-assessment submitted for review."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("assessments:detail", org_pk=org_pk, year=year)


@login_required
def branch_panel(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_organisation_or_404(request, org_pk)
    return render(request, "assessments/branch_panel.html",
                  {"organisation": organisation, "year": timezone.localdate().year,
                   **selectors.branch_panel(organisation)})


@login_required
def member_stars(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_or_404(request, pk)
    # The link to the member's own appraisal shows only when there is one to open.
    has_appraisal = AppraisalEntry.objects.filter(
        person=person, appraisal__scheme__year=timezone.localdate().year,
        appraisal__branch_id=person.branch_id,
    ).exists()
    return render(request, "assessments/member_stars.html",
                  {"person": person, "stars": selectors.member_stars(person),
                   "has_appraisal": has_appraisal})


@login_required
def score_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A score's evidence file, for those whose scope covers the branch; media is never
    served raw."""
    scores = scope_for(request.user).within(
        Score.objects.exclude(attachment=""), "assessment__branch__path"
    )
    score = get_object_or_404(scores, pk=pk)
    return FileResponse(score.attachment.open("rb"), as_attachment=True,
                        filename=score.attachment.name.rsplit("/", 1)[-1])
