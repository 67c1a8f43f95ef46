"""Visits with opinions, and the problem ledger in every state.

Open problems carry the schedule the sweeps would have left by yesterday: reminders
already due are spent, overdue problems have climbed the levels that fell due (with
their `Escalation` rows and steps), so today's sweep does one day's work, as in a
portal that has been running for a year.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from branches.models import Organisation
from liaison.models import Escalation, Opinion, Problem, ProblemCategory, ProblemEvent, Visit

from .names import DISCUSSIONS, OPINIONS
from .tree import Tree, Unit, unit_rng

Kind = Organisation.Kind
State = Problem.State
VISITS_PER_PERSON = 1.0
OPINION_SHARE = 0.4
# Of the opinions, this share is registered as problems (~50,000 at factor 1).
PROBLEM_SHARE = 0.62
BRANCH_CHUNK = 300


class LiaisonWriter:
    def __init__(self, seed: int, tree: Tree, *, now: datetime.datetime, batch_size: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - replaced per branch below
        self.tree = tree
        self.now = now
        self.today = timezone.localdate(now)
        self.tz = timezone.get_current_timezone()
        self.batch_size = batch_size
        self.categories = list(ProblemCategory.objects.filter(is_active=True).order_by("pk"))
        self.counts = {
            "visits": 0,
            "opinions": 0,
            "problems": 0,
            "problem steps": 0,
            "escalations": 0,
        }

    def _at(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=self.tz)

    def write(self) -> None:
        branches = [u for u in self.tree.units if u.kind == Kind.BRANCH]
        for start in range(0, len(branches), BRANCH_CHUNK):
            self._chunk(branches[start : start + BRANCH_CHUNK])

    def _chunk(self, branches: list[Unit]) -> None:
        visits, opinions, problems = [], [], []
        for unit in branches:
            if not unit.party_ids or len(unit.people) < 2:
                continue
            # One pass per branch with its own generator: the related rows are
            # linked unsaved and get their keys as each bulk insert returns them.
            rng = self.rng = unit_rng(self.seed, "liaison", unit)
            for _ in range(round(len(unit.people) * VISITS_PER_PERSON)):
                visit = self._visit(rng, unit)
                if visit is None:
                    continue
                visits.append(visit)
                if rng.random() >= OPINION_SHARE:
                    continue
                opinion = Opinion(
                    text=rng.choice(OPINIONS),
                    source=Opinion.Source.VISIT,
                    visit=visit,
                    raised_by_id=visit.visited_id,
                    recorded_by_id=visit.visitor_id,
                    organisation=unit.org,
                    raised_on=visit.visited_on,
                )
                opinions.append(opinion)
                if rng.random() < PROBLEM_SHARE:
                    problem = self._problem(unit, opinion)
                    if problem is not None:
                        problems.append(problem)
        Visit.objects.bulk_create(visits, batch_size=self.batch_size)
        Opinion.objects.bulk_create(opinions, batch_size=self.batch_size)
        Problem.objects.bulk_create([p for p, _, _ in problems], batch_size=self.batch_size)
        events, escalations = [], []
        for problem, steps, climbed in problems:
            events.extend(ProblemEvent(problem=problem, **step) for step in steps)
            escalations.extend(Escalation(problem=problem, **e) for e in climbed)
        ProblemEvent.objects.bulk_create(events, batch_size=self.batch_size)
        Escalation.objects.bulk_create(escalations, batch_size=self.batch_size)
        self.counts["visits"] += len(visits)
        self.counts["opinions"] += len(opinions)
        self.counts["problems"] += len(problems)
        self.counts["problem steps"] += len(events)
        self.counts["escalations"] += len(escalations)

    def _visit(self, rng: random.Random, unit: Unit) -> Visit | None:
        visitor = rng.choice(unit.party_ids)
        visited = rng.choice(unit.masses_ids or unit.people)
        if visited == visitor:
            return None
        day = self.today - datetime.timedelta(days=rng.randint(1, 365))
        visit = Visit(
            visitor_id=visitor,
            visited_id=visited,
            organisation=unit.org,
            visited_on=day,
            method=rng.choice(Visit.Method.values),
            discussion=rng.choice(DISCUSSIONS),
        )
        if unit.secretary and rng.random() < 0.75:
            visit.reviewed_by_id = unit.secretary
            visit.reviewed_at = min(
                self._at(day + datetime.timedelta(days=rng.randint(1, 10))), self.now
            )
        return visit

    def _problem(self, branch: Unit, opinion: Opinion):
        rng = self.rng
        # One in ten is handed to the organisation above the branch.
        unit = branch.parent if rng.random() < 0.1 and branch.parent else branch
        if unit.secretary is None:
            unit = branch
        if unit.secretary is None:
            return None
        owner = rng.choice(unit.committee or [unit.secretary])
        category = rng.choice(self.categories)
        registered = opinion.raised_on + datetime.timedelta(days=rng.randint(0, 5))
        registered = min(registered, self.today)
        deadline = registered + datetime.timedelta(days=rng.randint(15, 60))
        problem = Problem(
            title=opinion.text,
            opinion=opinion,
            category=category,
            organisation=unit.org,
            owner_id=owner,
            raised_by_id=opinion.raised_by_id,
            registered_by_id=unit.secretary,
            registered_at=min(self._at(registered, 9), self.now),
            deadline=deadline,
        )
        steps = [
            {
                "action": "register",
                "by_id": unit.secretary,
                "at": problem.registered_at,
                "from_state": "",
                "to_state": State.REGISTERED,
            }
        ]
        if deadline >= self.today:
            roll = rng.random()
            state = (
                State.REGISTERED
                if roll < 0.45
                else State.IN_PROGRESS
                if roll < 0.85
                else State.RESOLVED
            )
        else:
            roll = rng.random()
            state = (
                State.WRITTEN_OFF
                if roll < 0.62
                else State.FEEDBACK_GIVEN
                if roll < 0.74
                else State.RESOLVED
                if roll < 0.82
                else State.IN_PROGRESS
                if roll < 0.92
                else State.REGISTERED
            )
        order = [
            State.REGISTERED,
            State.IN_PROGRESS,
            State.RESOLVED,
            State.FEEDBACK_GIVEN,
            State.WRITTEN_OFF,
        ]
        reached = order.index(state)
        at = problem.registered_at
        span = max(1, (min(deadline, self.today) - registered).days)

        def later(max_days: int) -> datetime.datetime:
            return min(
                at
                + datetime.timedelta(
                    days=rng.randint(1, max(1, max_days)), hours=rng.randint(0, 6)
                ),
                self.now,
            )

        actions = ["start", "resolve", "give_feedback", "write_off"]
        for index in range(1, reached + 1):
            at = later(span // 2 if index == 1 else 5)
            target = order[index]
            if target == State.RESOLVED:
                problem.resolution = "已协调解决。"
                problem.resolved_at = at
            elif target == State.FEEDBACK_GIVEN:
                problem.feedback_method = rng.choice(Problem.FeedbackMethod.values)
                problem.feedback_at = at
                problem.satisfied = state == State.WRITTEN_OFF or rng.random() < 0.85
            elif target == State.WRITTEN_OFF:
                problem.written_off_at = at
                problem.written_off_by_id = unit.secretary
            steps.append(
                {
                    "action": actions[index - 1],
                    "by_id": owner,
                    "at": at,
                    "from_state": order[index - 1],
                    "to_state": target,
                }
            )
        problem.state = state
        climbed = []
        if state in (State.REGISTERED, State.IN_PROGRESS):
            climbed = self._schedule(problem, unit, steps)
        return problem, steps, climbed

    def _schedule(self, problem: Problem, unit: Unit, steps: list[dict]) -> list[dict]:
        """The schedule and escalations the sweeps would have left as of yesterday."""
        category = problem.category
        last_sweep = self.now - datetime.timedelta(days=1)
        remind = self._at(
            problem.deadline - datetime.timedelta(days=category.remind_days_before), 0
        )
        problem.remind_after = remind if remind > last_sweep else None
        above = unit.ancestors()

        def due(level: int) -> datetime.datetime:  # when level `level` (1..) falls due
            return self._at(
                problem.deadline
                + datetime.timedelta(days=1 + category.escalate_every_days * (level - 1)),
                0,
            )

        done = 0
        while done < len(above) and due(done + 1) <= last_sweep:
            done += 1
        problem.escalation_level = done
        problem.escalate_after = due(done + 1) if done < len(above) else None
        climbed = []
        for level in range(1, done + 1):
            target = above[level - 1]
            climbed.append({"level": level, "organisation": target.org, "escalated_at": due(level)})
            steps.append(
                {
                    "action": "escalate",
                    "by_id": None,
                    "at": due(level),
                    "from_state": problem.state,
                    "to_state": problem.state,
                    "note": f"逾期升级至{target.org.name}（第{level}级）",
                }
            )
        return climbed
