"""The branch pipeline, a record's page with its timeline and next-step forms, the
subtree's figures and the landing page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import Organisation
from members.access import Role, get_organisation_or_404, scope_for
from members.models import Person
from supplychain_party.exports import xlsx_response

from .. import selectors, services
from ..exports import pipeline_workbook
from ..forms import STEP_FORMS, OpenForm
from ..models import Candidacy, MentorPair, Stage
from ..rules import Rules
from ..selectors import Step

# Which step forms a record's page offers at each stage (the services still check).
STAGE_STEPS = {
    Stage.APPLICANT: ("talk", "activist", "withdraw"),
    Stage.ACTIVIST: ("assess", "candidate", "withdraw"),
    Stage.CANDIDATE: ("review", "train", "introducers", "admit", "assess", "withdraw"),
    Stage.PROBATIONARY: ("approve", "conclude"),
}


def _get_candidacy_or_404(request: HttpRequest, pk: int) -> Candidacy:
    try:
        return (
            selectors.visible_candidacies(scope_for(request.user))
            .select_related("person", "branch")
            .get(pk=pk)
        )
    except Candidacy.DoesNotExist:
        raise Http404 from None


def _branch_people(candidacy: Candidacy):
    return (
        Person.objects.active()
        .filter(branch=candidacy.branch)
        .exclude(pk=candidacy.person_id)
        .order_by("name")
    )


def _forms_for(candidacy: Candidacy, bound: tuple[str, object] | None = None):
    today = timezone.localdate()
    out = []
    steps = STAGE_STEPS.get(candidacy.stage, ())
    if bound and bound[0] not in steps:
        # A refused step the page does not offer (e.g. a skip): show it with its message.
        out.append((bound[0], Step.LABELS[bound[0]], bound[1]))
    for step in steps:
        if step == "talk" and candidacy.talked_on:
            continue
        if step == "review" and candidacy.reviewed_on:
            continue
        if step == "train" and candidacy.training_to:
            continue
        if step == "approve" and candidacy.approved_on:
            continue
        if bound and bound[0] == step:
            form = bound[1]
        else:
            initial = {"on": today, "filed_on": today, "start": today, "end": today}
            form = STEP_FORMS[step](people=_branch_people(candidacy), initial=initial, prefix=step)
        out.append((step, Step.LABELS[step], form))
    return out


def _detail(request: HttpRequest, candidacy: Candidacy, bound=None, status: int = 200):
    scope = scope_for(request.user)
    rules = Rules.load()
    today = timezone.localdate()
    can_act = scope.covers(candidacy.branch) and candidacy.is_open
    context = {
        "candidacy": candidacy,
        "person": candidacy.person,
        "next": selectors.next_step(candidacy, rules, today) if candidacy.is_open else None,
        "events": candidacy.events.select_related("recorded_by"),
        "contacts": candidacy.contacts.select_related("person"),
        "introducers": candidacy.introducers.select_related("person"),
        "assessments": candidacy.assessments.all(),
        "can_act": can_act,
        "step_forms": _forms_for(candidacy, bound) if can_act else (),
        "source": rules.source,
    }
    return render(request, "development/candidacy_detail.html", context, status=status)


@login_required
def candidacy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A record with its timeline; the branch's leaders get the forms of the next steps."""
    return _detail(request, _get_candidacy_or_404(request, pk))


@login_required
@require_POST
def candidacy_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    candidacy = _get_candidacy_or_404(request, pk)
    if not scope_for(request.user).covers(candidacy.branch) or step not in STEP_FORMS:
        raise Http404
    form = STEP_FORMS[step](request.POST, people=_branch_people(candidacy), prefix=step)
    if form.is_valid():
        try:
            services.development_advance(
                candidacy=candidacy, step=step, by=request.user, **form.service_data()
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Recorded: %(step)s.") % {"step": Step.LABELS[step]})
            return redirect("development:candidacy_detail", pk=candidacy.pk)
    candidacy.refresh_from_db()
    return _detail(request, candidacy, bound=(step, form), status=200)


def _open_form(organisation: Organisation, data=None) -> OpenForm:
    people = (
        Person.objects.active()
        .filter(branch=organisation, status__in=(Person.Status.MASSES, Person.Status.APPLICANT))
        .exclude(
            candidacies__stage__in=[
                s.value for s in Stage if s not in (Stage.FULL, Stage.CANCELLED)
            ]
        )
        .order_by("name")
    )
    return OpenForm(
        data, people=people, prefix="open", initial={"applied_on": timezone.localdate()}
    )


@login_required
def pipeline(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The open records of the branch (or subtree) by stage, each with its next step
    and due date; overdue ones highlighted."""
    organisation = get_organisation_or_404(request, org_pk)
    today = timezone.localdate()
    rules = Rules.load()
    context = {
        "organisation": organisation,
        "stages": selectors.pipeline(organisation, rules, today),
        "rules": rules.listed(),
        "open_form": _open_form(organisation) if organisation.is_branch else None,
        "today": today,
    }
    return render(request, "development/pipeline.html", context)


@login_required
def pipeline_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The pipeline page as an Excel sheet, same columns."""
    organisation = get_organisation_or_404(request, org_pk)
    stages = selectors.pipeline(organisation, Rules.load(), timezone.localdate())
    return xlsx_response(
        pipeline_workbook(organisation=organisation, stages=stages),
        f"{organisation.name}发展党员工作台账.xlsx",
    )


@login_required
@require_POST
def candidacy_open(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_organisation_or_404(request, org_pk)
    form = _open_form(organisation, request.POST)
    if form.is_valid():
        try:
            candidacy = services.candidacy_open(
                person=form.cleaned_data["person"],
                branch=organisation,
                applied_on=form.cleaned_data["applied_on"],
                by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The application was recorded."))
            return redirect("development:candidacy_detail", pk=candidacy.pk)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("development:pipeline", org_pk=organisation.pk)


@login_required
def figures(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Members developed per year over the subtree, and the open records per stage."""
    organisation = get_organisation_or_404(request, org_pk)
    per_year = selectors.developed_per_year(organisation)
    counts = selectors.stage_counts(organisation)
    context = {
        "organisation": organisation,
        "per_year": per_year,
        "total": sum(n for _year, n in per_year),
        "stage_counts": [(Stage(stage).label, n) for stage, n in counts.items()],
    }
    return render(request, "development/figures.html", context)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The landing page: a leader's organisation, or a member's own record."""
    scope = scope_for(request.user)
    home = scope.home_organisation
    if scope.sees_all and home is None:
        home = Organisation.objects.get_root_nodes().first()
    if home is not None:
        if scope.role in (Role.COMMITTEE, Role.GENERAL_BRANCH):
            return redirect("development:figures", org_pk=home.pk)
        return redirect("development:pipeline", org_pk=home.pk)
    candidacies = []
    pairs = []
    if scope.person is not None:
        candidacies = list(
            Candidacy.objects.filter(person=scope.person)
            .select_related("branch")
            .order_by("-applied_on")
        )
        pairs = list(
            MentorPair.objects.filter(
                Q(mentor=scope.person) | Q(mentee=scope.person)
            ).select_related("mentor", "mentee", "branch")
        )
    return render(
        request,
        "development/index.html",
        {"person": scope.person, "candidacies": candidacies, "pairs": pairs},
    )
