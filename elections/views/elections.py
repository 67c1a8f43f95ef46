"""An election's pages: plan, candidates, the higher organisation's approval, the vote
and the confirmation of the result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import Organisation
from members.access import get_organisation_or_404, scope_for

from .. import services
from ..forms import ApprovalForm, CandidateForm, ConfirmForm, ElectionForm, VoteForm
from ..models import Candidate, Election
from ..services.elections import election_tally

Status = Election.Status


def get_election_or_404(request: HttpRequest, pk: int) -> Election:
    elections = scope_for(request.user).within(Election.objects.all(), "organisation__path")
    try:
        return elections.select_related("organisation", "term", "new_term", "approved_by").get(
            pk=pk
        )
    except Election.DoesNotExist:
        raise Http404 from None


def may_approve(request: HttpRequest, election: Election) -> bool:
    """The higher organisation approves the candidates: its leaders (or, for the top
    committee, whoever sees everything)."""
    scope = scope_for(request.user)
    parent = Organisation.objects.get_parent(election.organisation)
    if parent is None:
        return scope.sees_all or scope.covers(election.organisation)
    return scope.covers(parent)


def _errors_to(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def election_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = get_organisation_or_404(request, org_pk)
    form = ElectionForm(
        request.POST or None, initial={"planned_on": timezone.localdate(), "is_contested": True}
    )
    if request.method == "POST" and form.is_valid():
        try:
            election = services.election_create(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("The election was planned; add the candidates."))
            return redirect("elections:election_detail", pk=election.pk)
    return render(
        request,
        "elections/election_form.html",
        {"form": form, "organisation": organisation, "election": None},
    )


@login_required
def election_edit(request: HttpRequest, pk: int) -> HttpResponse:
    election = get_election_or_404(request, pk)
    form = ElectionForm(
        request.POST or None,
        editing=True,
        initial={
            "seats": election.seats,
            "planned_on": election.planned_on,
            "is_contested": election.is_contested,
        },
        version=services.election_version(election),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.election_update(election=election, **form.cleaned_data)
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("The election was updated."))
            return redirect("elections:election_detail", pk=election.pk)
    return render(
        request,
        "elections/election_form.html",
        {"form": form, "organisation": election.organisation, "election": election},
    )


@login_required
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = get_election_or_404(request, pk)
    candidates = list(
        election.candidates.select_related("person").order_by("-votes", "person__name", "pk")
    )
    context = {
        "election": election,
        "organisation": election.organisation,
        "candidates": candidates,
        "tally": election_tally(election, candidates),
        "may_approve": may_approve(request, election),
    }
    if election.status == Status.PLANNED:
        eligible = services.eligible_candidates(election.organisation).exclude(
            pk__in=[c.person_id for c in candidates]
        )
        context["candidate_form"] = CandidateForm(eligible=eligible)
        context["approval_form"] = ApprovalForm(initial={"approved_on": timezone.localdate()})
    return render(request, "elections/election_detail.html", context)


def _message_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def election_candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    election = get_election_or_404(request, pk)
    form = CandidateForm(request.POST, eligible=services.eligible_candidates(election.organisation))
    if form.is_valid():
        try:
            services.candidate_add(election=election, person=form.cleaned_data["person"])
        except ValidationError as error:
            _message_errors(request, error)
    else:
        messages.error(
            request,
            _("Choose a full party member of %(org)s.") % {"org": election.organisation.name},
        )
    return redirect("elections:election_detail", pk=election.pk)


@login_required
@require_POST
def election_candidate_remove(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    election = get_election_or_404(request, pk)
    candidate = Candidate.objects.filter(election=election, pk=candidate_pk).first()
    if candidate is not None:
        try:
            services.candidate_remove(candidate=candidate)
        except ValidationError as error:
            _message_errors(request, error)
    return redirect("elections:election_detail", pk=election.pk)


@login_required
@require_POST
def election_approve(request: HttpRequest, pk: int) -> HttpResponse:
    election = get_election_or_404(request, pk)
    if not may_approve(request, election):
        raise Http404
    form = ApprovalForm(request.POST)
    if form.is_valid():
        try:
            services.candidates_approve(
                election=election,
                by=request.user,
                approved_on=form.cleaned_data["approved_on"],
                document=form.cleaned_data["document"],
            )
        except ValidationError as error:
            _message_errors(request, error)
        else:
            messages.success(request, _("The candidates were approved."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("elections:election_detail", pk=election.pk)


@login_required
def election_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter the vote: entitled (defaults to the full members), present, valid ballots
    and every candidate's yes votes."""
    election = get_election_or_404(request, pk)
    if election.status not in (Status.APPROVED, Status.HELD):
        messages.info(request, _("The vote is entered once the candidates are approved."))
        return redirect("elections:election_detail", pk=election.pk)
    candidates = list(election.candidates.select_related("person").order_by("person__name"))
    held_on = election.held_on or election.planned_on
    initial = {
        "held_on": held_on,
        "entitled": election.entitled or services.default_entitled(election.organisation, held_on),
        "present": election.present,
        "valid_ballots": election.valid_ballots,
    }
    form = VoteForm(request.POST or None, initial=initial, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.vote_record(
                election=election,
                held_on=data["held_on"],
                entitled=data["entitled"],
                present=data["present"],
                valid_ballots=data["valid_ballots"],
                votes=form.votes(),
            )
        except ValidationError as error:
            _errors_to(form, error)
        else:
            for message in result.messages:
                messages.warning(request, message)
            if result.has_result:
                messages.success(
                    request, _("The vote was recorded; confirm the result to make it effective.")
                )
            return redirect("elections:election_detail", pk=election.pk)
    return render(
        request,
        "elections/election_vote.html",
        {"form": form, "election": election, "organisation": election.organisation},
    )


@login_required
def election_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose who takes which post, and make the result effective."""
    election = get_election_or_404(request, pk)
    if election.status != Status.HELD:
        messages.info(request, _("Only a held election's result can be confirmed."))
        return redirect("elections:election_detail", pk=election.pk)
    elected = list(
        election.candidates.filter(is_elected=True)
        .select_related("person")
        .order_by("-votes", "person__name")
    )
    form = ConfirmForm(
        request.POST or None, elected=elected, initial={"effective_on": election.held_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.election_result_confirm(
                election=election,
                roles=form.roles(),
                by=request.user,
                effective_on=form.cleaned_data["effective_on"],
            )
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(
                request,
                _("The result is effective: the new committee's posts and term are recorded."),
            )
            return redirect("elections:election_detail", pk=election.pk)
    return render(
        request,
        "elections/election_confirm.html",
        {
            "form": form,
            "election": election,
            "organisation": election.organisation,
            "elected": elected,
        },
    )
