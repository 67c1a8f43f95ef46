"""Pages for mass liaison and the problem ledger. Thin: access through
`members.access`, reads through `selectors`, writes through `services`."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import Organisation
from members.access import Scope, get_organisation_or_404, get_person_or_404, scope_for
from supplychain_party.exports import ledger_response, xlsx_response

from . import selectors, services
from .exports import CAMPAIGN_COLUMNS, OPINION_COLUMNS, problems_workbook, visits_workbook
from .forms import CampaignForm, OpinionForm, ProblemForm, TransitionForm, VisitForm
from .models import Campaign, Opinion, Problem, ProblemCategory, ProblemState, Visit


def _person_or_404(scope: Scope):
    if scope.person is None:
        raise Http404
    return scope.person


def _campaigns_for(scope: Scope, person):
    """Campaigns a visit may belong to: those run by the member's branch or above it."""
    today = timezone.localdate()
    campaigns = Campaign.objects.filter(ends_on__gte=today - datetime.timedelta(days=90))
    if person is not None and person.branch_id:
        path = person.branch.path
        step = Organisation.steplen
        prefixes = [path[:i] for i in range(step, len(path) + 1, step)]
        return campaigns.filter(organisation__path__in=prefixes)
    return scope.within(campaigns, "organisation__path")


def get_visit_or_404(request: HttpRequest, pk: int) -> Visit:
    visits = selectors.visible_visits(scope_for(request.user))
    try:
        return visits.select_related("visitor", "visited", "organisation").get(pk=pk)
    except Visit.DoesNotExist:
        raise Http404 from None


def get_problem_or_404(request: HttpRequest, pk: int) -> Problem:
    problems = selectors.visible_problems(scope_for(request.user))
    try:
        return problems.select_related(
            "category", "organisation", "owner", "raised_by", "registered_by",
            "written_off_by", "opinion__visit",
        ).get(pk=pk)
    except Problem.DoesNotExist:
        raise Http404 from None


# --- Visits -----------------------------------------------------------------------------


@login_required
def my_visits(request: HttpRequest) -> HttpResponse:
    """The visits a member filed, and their pairings."""
    scope = scope_for(request.user)
    person = _person_or_404(scope)
    visits = selectors.visits_for_list(Visit.objects.filter(visitor=person))
    page = Paginator(visits, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    pairings = services.Pairing.objects.open().filter(member=person).select_related("partner")
    return render(request, "liaison/my_visits.html",
                  {"person": person, "page": page, "pairings": pairings})


def _visit_form_page(request: HttpRequest, *, person, visit: Visit | None = None):
    scope = scope_for(request.user)
    reach = services.people_within_reach(person)
    campaigns = _campaigns_for(scope, person)
    initial = {"visited_on": timezone.localdate()}
    if visit is not None:
        initial = {"visited": visit.visited_id, "visited_on": visit.visited_on,
                   "method": visit.method, "discussion": visit.discussion,
                   "campaign": visit.campaign_id}
    form = VisitForm(request.POST or None, initial=initial, reach=reach, campaigns=campaigns,
                     with_opinions=visit is None,
                     version=services.visit_version(visit) if visit else None)
    if request.method == "POST" and form.is_valid():
        try:
            if visit is None:
                visit = services.visit_file(visitor=person, data=form.visit_data(),
                                            opinions=form.opinion_lines())
                messages.success(request, _("The visit was filed; your secretary will review "
                                            "it."))
            else:
                services.visit_update(visit=visit, by=person, data=form.visit_data(),
                                      version=form.version)
                messages.success(request, _("The visit was updated."))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("liaison:my_visits")
    return render(request, "liaison/visit_form.html", {"form": form, "visit": visit})


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    person = _person_or_404(scope_for(request.user))
    return _visit_form_page(request, person=person)


@login_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The visitor edits their own record until it is reviewed; nobody else does."""
    scope = scope_for(request.user)
    person = _person_or_404(scope)
    visit = get_visit_or_404(request, pk)
    if visit.visitor_id != person.pk:
        raise Http404
    if visit.is_reviewed:
        messages.info(request, _("The visit was reviewed; it can no longer be changed."))
        return redirect("liaison:my_visits")
    return _visit_form_page(request, person=person, visit=visit)


def _visits_of(organisation, request: HttpRequest):
    visits = Visit.objects.filter(organisation__path__startswith=organisation.path)
    status = request.GET.get("status", "")
    if status == "pending":
        visits = visits.filter(reviewed_at__isnull=True)
    elif status == "reviewed":
        visits = visits.filter(reviewed_at__isnull=False)
    return visits, status


@login_required
def visit_review_list(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The secretary's list of the branch's (or subtree's) visits to review."""
    organisation = get_organisation_or_404(request, org_pk)
    visits, status = _visits_of(organisation, request)
    visits = selectors.visits_for_list(visits).prefetch_related("opinions")
    page = Paginator(visits, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "liaison/visit_review_list.html",
                  {"organisation": organisation, "page": page, "status": status})


@login_required
@require_POST
def visit_review(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    visit = get_visit_or_404(request, pk)
    if not scope.covers(visit.organisation):
        raise Http404
    try:
        reviewed = services.visit_review(visit=visit, by=_person_or_404(scope),
                                         note=request.POST.get("note", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if reviewed:
            messages.success(request, _("The visit was marked reviewed."))
    return redirect(request.POST.get("next") or "liaison:visit_review_list",
                    org_pk=visit.organisation_id)


@login_required
def visits_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_organisation_or_404(request, org_pk)
    visits, _status = _visits_of(organisation, request)
    visits = visits.select_related("visitor", "visited", "organisation", "reviewed_by") \
        .prefetch_related("opinions").order_by("visited_on", "pk")
    return xlsx_response(visits_workbook(organisation=organisation, visits=visits),
                 f"{organisation.name}党员走访谈心记录跟踪表.xlsx")


# --- Opinions and campaigns ----------------------------------------------------------


def _opinions_of(organisation, request: HttpRequest):
    """The opinion list's rows, with its filter: the page and its export."""
    opinions = (Opinion.objects.filter(organisation__path__startswith=organisation.path)
                .select_related("raised_by", "campaign", "problem", "visit__visitor")
                .order_by("problem", "-raised_on", "-pk"))
    if request.GET.get("unregistered"):
        opinions = opinions.filter(problem__isnull=True)
    return opinions


@login_required
def opinion_list(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Opinions collected in the subtree; those not yet registered first."""
    organisation = get_organisation_or_404(request, org_pk)
    opinions = _opinions_of(organisation, request)
    page = Paginator(opinions, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "liaison/opinion_list.html",
                  {"organisation": organisation, "page": page, "columns": OPINION_COLUMNS,
                   "unregistered": bool(request.GET.get("unregistered"))})


@login_required
def opinions_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The opinion list as Excel: its columns, its filter."""
    organisation = get_organisation_or_404(request, org_pk)
    return ledger_response(_opinions_of(organisation, request), OPINION_COLUMNS,
                           filename=f"{organisation.name}意见建议台账")


@login_required
def problem_register(request: HttpRequest, opinion_pk: int) -> HttpResponse:
    """Register an opinion as a problem (挂号): owner, category and deadline."""
    scope = scope_for(request.user)
    try:
        opinion = scope.within(Opinion.objects.select_related("raised_by", "organisation"),
                               "organisation__path").get(pk=opinion_pk)
    except Opinion.DoesNotExist:
        raise Http404 from None
    form = ProblemForm(
        request.POST or None, organisations=scope.organisations(), people=scope.people(),
        initial={"title": opinion.text[:200], "organisation": opinion.organisation_id,
                 "deadline": timezone.localdate() + datetime.timedelta(days=14)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            problem = services.problem_register(
                title=data["title"], description=data["description"],
                category=data["category"], organisation=data["organisation"],
                owner=data["owner"], deadline=data["deadline"], by=request.user,
                opinion=opinion,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The problem was registered."))
            return redirect("liaison:problem_detail", pk=problem.pk)
    return render(request, "liaison/problem_register.html",
                  {"form": form, "opinion": opinion, "organisation": opinion.organisation})


@login_required
def campaign_list(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_organisation_or_404(request, org_pk)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The campaign was created."))
            return redirect("liaison:campaign_detail", pk=campaign.pk)
    campaigns = selectors.campaigns_for_list(organisation)
    return render(request, "liaison/campaign_list.html",
                  {"organisation": organisation, "campaigns": campaigns, "form": form,
                   "columns": CAMPAIGN_COLUMNS})


@login_required
def campaigns_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The campaign list as Excel: its columns, the subtree's campaigns."""
    organisation = get_organisation_or_404(request, org_pk)
    return ledger_response(selectors.campaigns_for_list(organisation), CAMPAIGN_COLUMNS,
                           filename=f"{organisation.name}意见征集活动")


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign's opinions, and a form to record one from a questionnaire."""
    scope = scope_for(request.user)
    try:
        campaign = scope.within(Campaign.objects.select_related("organisation"),
                                "organisation__path").get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None
    form = OpinionForm(request.POST or None, people=scope.people(),
                       initial={"raised_on": min(timezone.localdate(), campaign.ends_on)})
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_record(campaign=campaign, recorded_by=scope.person,
                                    **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The opinion was recorded."))
            return redirect("liaison:campaign_detail", pk=campaign.pk)
    opinions = campaign.opinions.select_related("raised_by", "problem").order_by("-raised_on",
                                                                                 "-pk")
    return render(request, "liaison/campaign_detail.html",
                  {"campaign": campaign, "organisation": campaign.organisation,
                   "opinions": opinions, "form": form})


# --- The ledger -------------------------------------------------------------------------


def _filtered_problems(request: HttpRequest, queryset):
    filters = {
        "state": request.GET.get("state", ""),
        "category": request.GET.get("category", ""),
        "overdue": bool(request.GET.get("overdue")),
        "search": request.GET.get("q", ""),
    }
    return selectors.problems_filtered(queryset, **filters), filters


@login_required
def problem_list(request: HttpRequest, org_pk: int) -> HttpResponse:
    """The ledger (挂号销账台账) of an organisation's subtree, filtered and paginated."""
    organisation = get_organisation_or_404(request, org_pk)
    problems, filters = _filtered_problems(
        request, Problem.objects.within_subtree(organisation))
    page = Paginator(selectors.problems_for_list(problems), settings.PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "liaison/problem_list.html", {
        "organisation": organisation, "page": page, "filters": filters,
        "states": ProblemState.choices, "categories": ProblemCategory.objects.all(),
        "today": timezone.localdate(),
    })


@login_required
def my_problems(request: HttpRequest) -> HttpResponse:
    """The problems a member owns or raised."""
    person = _person_or_404(scope_for(request.user))
    problems = Problem.objects.filter(owner=person) | Problem.objects.filter(raised_by=person)
    page = Paginator(selectors.problems_for_list(problems), settings.PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "liaison/my_problems.html",
                  {"person": person, "page": page, "today": timezone.localdate()})


@login_required
def problems_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_organisation_or_404(request, org_pk)
    problems, _filters = _filtered_problems(
        request, Problem.objects.within_subtree(organisation))
    problems = selectors.problems_for_list(problems).order_by("registered_at", "pk")
    return xlsx_response(problems_workbook(organisation=organisation, problems=problems),
                 f"{organisation.name}问题挂号销账台账.xlsx")


@login_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = get_problem_or_404(request, pk)
    return render(request, "liaison/problem_detail.html", {
        "problem": problem,
        "organisation": problem.organisation,
        # The one who raised it may read it without seeing the organisation's ledger.
        "ledger_visible": scope_for(request.user).covers(problem.organisation),
        "events": problem.events.select_related("by"),
        "escalations": problem.escalations.select_related("organisation"),
        "actions": [(a.value, services.ACTION_LABELS[a])
                    for a in services.allowed_actions(problem, request.user)],
        "feedback_methods": Problem.FeedbackMethod.choices,
        "overdue": problem.is_overdue(),
        "today": timezone.localdate(),
    })


@login_required
@require_POST
def problem_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One move of the ledger; the service refuses what the table does not allow."""
    problem = get_problem_or_404(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("liaison:problem_detail", pk=problem.pk)
    try:
        services.problem_transition(
            problem=problem, action=action, by=request.user, note=form.cleaned_data["note"],
            feedback=form.feedback(), deadline=form.cleaned_data.get("deadline"),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The problem is now “%(state)s”.")
                         % {"state": Problem.objects.get(pk=problem.pk).get_state_display()})
    return redirect("liaison:problem_detail", pk=problem.pk)


# --- Figures and the handbook ---------------------------------------------------------


def _parse_date(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return default


@login_required
def figures(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Opinions and problems of the subtree for a period (default: this year)."""
    organisation = get_organisation_or_404(request, org_pk)
    today = timezone.localdate()
    start = _parse_date(request.GET.get("start"), today.replace(month=1, day=1))
    end = _parse_date(request.GET.get("end"), today)
    if end < start:
        messages.error(request, _("The period ends before it starts; showing this year."))
        start, end = today.replace(month=1, day=1), today
    total, rows = selectors.figures(organisation, start=start, end=end, today=today)
    return render(request, "liaison/figures.html", {
        "organisation": organisation, "total": total, "rows": rows, "start": start,
        "end": end,
    })


@login_required
def handbook(request: HttpRequest, person_pk: int) -> HttpResponse:
    """A cadre's contact handbook (联系手册): contact points, pairings and visits."""
    cadre = get_person_or_404(request, person_pk)
    return render(request, "liaison/handbook.html",
                  {"cadre": cadre, **selectors.contact_handbook(cadre)})


# --- Panels for other apps' pages (loaded by htmx, so those pages keep their counts) ---


@login_required
def member_panel(request: HttpRequest) -> HttpResponse:
    person = _person_or_404(scope_for(request.user))
    return render(request, "liaison/member_panel.html", {
        "person": person, **selectors.member_panel(person, today=timezone.localdate()),
    })


@login_required
def organisation_panel(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_organisation_or_404(request, org_pk)
    return render(request, "liaison/organisation_panel.html", {
        "organisation": organisation,
        **selectors.organisation_panel(organisation, today=timezone.localdate()),
    })

