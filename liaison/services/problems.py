"""The problem ledger: registering problems and moving them through the MOVES table."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Organisation
from members.access import scope_for
from members.models import Person, Post
from notifications.services import notify

from ..models import Opinion, Problem, ProblemCategory, ProblemEvent, ProblemState

State = ProblemState
PROBLEM_ASSIGNED = "problem_assigned"


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _schedule(problem: Problem) -> None:
    """Set the reminder and the next escalation from the deadline (open problems)."""
    category = problem.category
    problem.remind_after = _start_of(
        problem.deadline - datetime.timedelta(days=category.remind_days_before)
    )
    # Overdue from the day after the deadline; later levels follow the category's pace.
    problem.escalate_after = _start_of(
        problem.deadline
        + datetime.timedelta(days=1 + category.escalate_every_days * problem.escalation_level)
    )


def _person_of(user: AbstractBaseUser) -> Person | None:
    return scope_for(user).person


def _validate_deadline(deadline: datetime.date, today: datetime.date) -> None:
    if deadline < today:
        raise ValidationError(
            _("The deadline %(date)s is in the past: give a date from today on.")
            % {"date": date_format(deadline)}, code="deadline_past",
        )


def problem_register(
    *, title: str, category: ProblemCategory, organisation: Organisation, owner: Person,
    deadline: datetime.date, by: AbstractBaseUser, opinion: Opinion | None = None,
    raised_by: Person | None = None, description: str = "",
    now: datetime.datetime | None = None,
) -> Problem:
    """Register a problem (挂号), from an opinion or directly, with an owner and a
    deadline; the owner is told at once. The registrar must lead the responsible
    organisation."""
    now = now or timezone.now()
    scope = scope_for(by)
    errors = []
    if not title.strip():
        errors.append(_("Name the problem."))
    try:
        _validate_deadline(deadline, timezone.localdate(now))
    except ValidationError as error:
        errors.extend(error.messages)
    if not scope.covers(organisation):
        errors.append(_("You do not lead %(org)s, so you cannot register problems for it.")
                      % {"org": organisation.name})
    if opinion is not None:
        raised_by = opinion.raised_by
        if Problem.objects.filter(opinion=opinion).exists():
            errors.append(_("This opinion is already registered as a problem."))
    if raised_by is None:
        errors.append(_("Say who raised the problem: feedback goes to them."))
    if not category.is_active:
        errors.append(_("The category “%(name)s” is no longer used.") % {"name": category})
    if errors:
        raise ValidationError(errors)
    registrar = scope.person
    with transaction.atomic():
        problem = Problem(
            title=title.strip(), description=description, opinion=opinion, category=category,
            organisation=organisation, owner=owner, raised_by=raised_by,
            registered_by=registrar, registered_at=now, deadline=deadline,
        )
        _schedule(problem)
        try:
            with transaction.atomic():
                problem.save()
        except IntegrityError:
            # Two registrations of one opinion at once: the OneToOne key let one win.
            raise ValidationError(_("This opinion is already registered as a problem."),
                                  code="duplicate") from None
        ProblemEvent.objects.create(
            problem=problem, action=Action.REGISTER, by=registrar, by_user=by, at=now,
            from_state="", to_state=State.REGISTERED,
            note=_("Deadline %(date)s, owner %(owner)s.")
            % {"date": date_format(deadline), "owner": owner.name},
        )
        if owner.user_id:
            notify(
                recipient=owner.user, reason=PROBLEM_ASSIGNED, period_key=str(problem.pk),
                title=_("Problem for you to solve: %(title)s") % {"title": problem.title},
                body=_("Registered for %(org)s; deadline %(date)s.")
                % {"org": organisation.name, "date": date_format(deadline)},
                url=reverse("liaison:problem_detail", args=[problem.pk]),
            )
    return problem


class Action(enum.StrEnum):
    REGISTER = "register"
    START = "start"
    RESOLVE = "resolve"
    GIVE_FEEDBACK = "give_feedback"
    REOPEN = "reopen"
    WRITE_OFF = "write_off"
    ESCALATE = "escalate"


class Actor(enum.StrEnum):
    OWNER = "owner"  # the person responsible for the problem
    LEADER = "leader"  # anyone holding a post over the responsible organisation
    SECRETARY = "secretary"  # a secretary or deputy of it or of an organisation above


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    target: str
    actors: frozenset[Actor]


# The legal moves, and who may make them. Anything else is refused.
MOVES: dict[Action, Move] = {
    Action.START: Move((State.REGISTERED,), State.IN_PROGRESS,
                       frozenset({Actor.OWNER, Actor.LEADER})),
    Action.RESOLVE: Move((State.IN_PROGRESS,), State.RESOLVED,
                         frozenset({Actor.OWNER, Actor.LEADER})),
    Action.GIVE_FEEDBACK: Move((State.RESOLVED,), State.FEEDBACK_GIVEN,
                               frozenset({Actor.OWNER, Actor.LEADER})),
    # Only when the person who raised it was not satisfied (checked below).
    Action.REOPEN: Move((State.FEEDBACK_GIVEN,), State.IN_PROGRESS,
                        frozenset({Actor.OWNER, Actor.LEADER})),
    Action.WRITE_OFF: Move((State.FEEDBACK_GIVEN,), State.WRITTEN_OFF,
                           frozenset({Actor.SECRETARY})),
}

ACTION_LABELS = {
    Action.REGISTER: gettext_lazy("Register"),
    Action.START: gettext_lazy("Start"),
    Action.RESOLVE: gettext_lazy("Mark resolved"),
    Action.GIVE_FEEDBACK: gettext_lazy("Record feedback"),
    Action.REOPEN: gettext_lazy("Reopen"),
    Action.WRITE_OFF: gettext_lazy("Write off"),
    Action.ESCALATE: gettext_lazy("Escalate"),
}


def actors_for(problem: Problem, user: AbstractBaseUser) -> frozenset[Actor]:
    """What the user is to this problem (one query for the secretary posts)."""
    scope = scope_for(user)
    actors: set[Actor] = set()
    if scope.person is not None and scope.person.pk == problem.owner_id:
        actors.add(Actor.OWNER)
    if scope.covers(problem.organisation):
        actors.add(Actor.LEADER)
    if scope.sees_all:
        actors.add(Actor.SECRETARY)
    elif scope.person is not None and Actor.LEADER in actors:
        path = problem.organisation.path
        leading = Post.objects.current().filter(
            person=scope.person,
            role__in=(Post.Role.SECRETARY, Post.Role.DEPUTY_SECRETARY),
        ).values_list("organisation__path", flat=True)
        if any(path.startswith(p) for p in leading):
            actors.add(Actor.SECRETARY)
    return frozenset(actors)


def allowed_actions(problem: Problem, user: AbstractBaseUser) -> list[Action]:
    """The moves this user may make now (for the buttons on the problem page)."""
    actors = actors_for(problem, user)
    allowed = []
    for action, move in MOVES.items():
        if problem.state not in move.sources or not (actors & move.actors):
            continue
        if action == Action.REOPEN and problem.satisfied is not False:
            continue
        if action == Action.WRITE_OFF and problem.satisfied is not True:
            continue
        allowed.append(action)
    return allowed


@dataclass(frozen=True)
class Feedback:
    """How the person who raised the problem was told (一个电话暖人心), and whether they
    are satisfied."""

    method: str
    satisfied: bool
    at: datetime.datetime | None = None


def problem_transition(
    *, problem: Problem, action: Action | str, by: AbstractBaseUser, note: str = "",
    feedback: Feedback | None = None, deadline: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Problem:
    """Make one move of the ledger, if the table allows it for this user, and record
    it as a `ProblemEvent`. The row is locked for the move, so a sweep or a second
    click sees the new state, never a half-made one.

    - resolve: `note` says how it was solved;
    - give_feedback: `feedback` says how, when, and whether they were satisfied;
    - reopen: only after unsatisfied feedback, with a new `deadline`;
    - write_off: only by a secretary or above, after satisfied feedback.
    """
    now = now or timezone.now()
    try:
        action = Action(action)
        move = MOVES[action]
    except (ValueError, KeyError):
        raise ValidationError(_("Unknown step “%(action)s”.") % {"action": action},
                              code="unknown") from None
    with transaction.atomic():
        locked = Problem.objects.select_for_update().select_related(
            "organisation", "category").get(pk=problem.pk)
        label = ACTION_LABELS[action]
        if locked.state not in move.sources:
            raise ValidationError(
                _("“%(action)s” is not possible while the problem is “%(state)s”: %(hint)s")
                % {"state": locked.get_state_display(), "action": label,
                   "hint": _hint(action)},
                code="illegal_move",
            )
        if not (actors_for(locked, by) & move.actors):
            if action == Action.WRITE_OFF:
                message = _("Only the branch secretary or a higher organisation writes a "
                            "problem off.")
            else:
                message = _("Only the person responsible or the organisation's leaders may do "
                            "this (“%(action)s”).") % {"action": label}
            raise ValidationError(message, code="not_allowed")
        before = locked.state
        event_note = note.strip()
        if action == Action.START:
            pass
        elif action == Action.RESOLVE:
            if not event_note:
                raise ValidationError(_("Say how the problem was solved."), code="resolution")
            locked.resolution = event_note
            locked.resolved_at = now
            locked.remind_after = locked.escalate_after = None
        elif action == Action.GIVE_FEEDBACK:
            if feedback is None or feedback.method not in Problem.FeedbackMethod.values:
                raise ValidationError(_("Say how the feedback was given."), code="feedback")
            at = feedback.at or now
            if at > now:
                raise ValidationError(_("Feedback cannot be dated in the future."),
                                      code="feedback_future")
            locked.feedback_method = feedback.method
            locked.feedback_at = at
            locked.satisfied = feedback.satisfied
            summary = _("%(method)s, %(satisfied)s") % {
                "method": Problem.FeedbackMethod(feedback.method).label,
                "satisfied": _("satisfied") if feedback.satisfied else _("not satisfied"),
            }
            event_note = f"{summary}. {event_note}" if event_note else summary
        elif action == Action.REOPEN:
            if locked.satisfied is not False:
                raise ValidationError(_("The person who raised it was satisfied: write it "
                                        "off instead of reopening it."), code="satisfied")
            if deadline is None:
                raise ValidationError(_("Give the reopened problem a new deadline."),
                                      code="deadline")
            _validate_deadline(deadline, timezone.localdate(now))
            locked.deadline = deadline
            locked.resolved_at = None
            locked.feedback_method = ""
            locked.feedback_at = None
            locked.satisfied = None
            _schedule(locked)
        elif action == Action.WRITE_OFF:
            if locked.satisfied is not True:
                raise ValidationError(_("The person who raised it was not satisfied: reopen "
                                        "the problem instead of writing it off."),
                                      code="unsatisfied")
            locked.written_off_at = now
            locked.written_off_by = _person_of(by)
        locked.state = move.target
        locked.save()
        ProblemEvent.objects.create(
            problem=locked, action=action, by=_person_of(by), by_user=by, at=now,
            from_state=before, to_state=locked.state, note=event_note,
        )
    return locked


def _hint(action: Action) -> str:
    return {
        Action.START: _("only a newly registered problem is started."),
        Action.RESOLVE: _("start work on it first."),
        Action.GIVE_FEEDBACK: _("feedback follows the resolution."),
        Action.REOPEN: _("only a problem whose feedback was unsatisfactory is reopened."),
        Action.WRITE_OFF: _("a problem is written off only after it is resolved and the "
                            "person who raised it has been told."),
    }[action]


def problem_start(*, problem: Problem, by: AbstractBaseUser, note: str = "",
                  now: datetime.datetime | None = None) -> Problem:
    return problem_transition(problem=problem, action=Action.START, by=by, note=note, now=now)


def problem_resolve(*, problem: Problem, by: AbstractBaseUser, resolution: str,
                    now: datetime.datetime | None = None) -> Problem:
    return problem_transition(problem=problem, action=Action.RESOLVE, by=by, note=resolution,
                              now=now)


def problem_give_feedback(*, problem: Problem, by: AbstractBaseUser, feedback: Feedback,
                          note: str = "", now: datetime.datetime | None = None) -> Problem:
    return problem_transition(problem=problem, action=Action.GIVE_FEEDBACK, by=by,
                              feedback=feedback, note=note, now=now)


def problem_reopen(*, problem: Problem, by: AbstractBaseUser, deadline: datetime.date,
                   note: str = "", now: datetime.datetime | None = None) -> Problem:
    return problem_transition(problem=problem, action=Action.REOPEN, by=by, deadline=deadline,
                              note=note, now=now)


def problem_write_off(*, problem: Problem, by: AbstractBaseUser, note: str = "",
                      now: datetime.datetime | None = None) -> Problem:
    return problem_transition(problem=problem, action=Action.WRITE_OFF, by=by, note=note,
                              now=now)
