"""People, their memberships, posts and the logins of those who use the portal.

Person.branch and Person.group are written together with the open Membership, as
`members.services.membership_start` keeps them. Logins share one password hash: the
hasher is slow on purpose, and thousands of identical hashes would take many minutes.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from branches.models import Organisation
from members.models import Membership, Person, Post

from .names import DEPARTMENTS, GIVEN, JOBS, SURNAMES
from .tree import Tree, Unit, unit_rng

Kind = Organisation.Kind
Status = Person.Status
Role = Post.Role

PASSWORD = "Dangjian@2026"  # noqa: S105 - the demo's password, documented in the README
USERNAME_PREFIX = "sc"
SUPERUSER = "sc_admin"
# Logins for those who use the portal: every secretary, the committees' and general
# branches' committee members, and a quarter percent of the members (one shared
# password hash, so thousands of logins cost nothing).
MEMBER_LOGIN_SHARE = 0.0025


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


class PeopleWriter:
    def __init__(self, seed: int, tree: Tree, *, today: datetime.date, batch_size: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - replaced per unit below
        self.tree = tree
        self.today = today
        self.batch_size = batch_size
        self.password = make_password(PASSWORD)
        self.seq = 0
        self.users: dict[int, object] = {}  # person id -> login
        self.counts = {"people": 0, "memberships": 0, "posts": 0, "logins": 0}

    # --- people -------------------------------------------------------------------
    def _person(self, unit: Unit, status: str) -> Person:
        rng = self.rng
        self.seq += 1
        node = rng.choice(unit.nodes) if unit.nodes else None
        person = Person(
            name=_name(rng),
            employee_no=f"SC{self.seq:07d}",
            gender=rng.choice("mf"),
            birth_date=_date(rng, datetime.date(1966, 1, 1), datetime.date(2002, 12, 31)),
            phone=f"13{rng.randint(0, 999_999_999):09d}",
            department=DEPARTMENTS[node.code if node else ""],
            node=node,
            job_title=rng.choice(JOBS),
            status=status,
            branch=unit.org,
            is_active=True,
        )
        if status in Person.PARTY_STATUSES:
            if status == Status.FULL:
                person.joined_party_on = _date(
                    rng, datetime.date(1990, 1, 1), self.today - datetime.timedelta(days=800)
                )
                person.full_member_on = person.joined_party_on + datetime.timedelta(days=365)
            else:
                person.joined_party_on = _date(
                    rng, self.today - datetime.timedelta(days=360), self.today
                )
        return person

    def write(self) -> None:
        branches = self.tree.of_kind(Kind.BRANCH)
        for start in range(0, len(branches), 200):
            self._write_branches(branches[start : start + 200])
        self._write_upper_posts()
        self._write_logins()

    def _write_branches(self, branches: list[Unit]) -> None:
        planned: list[tuple[Unit, list[Person]]] = []
        for unit in branches:
            rng = self.rng = unit_rng(self.seed, "people", unit)
            people = []
            for i in range(unit.size):
                if i < unit.party:
                    status = Status.FULL if rng.random() < 0.93 else Status.PROBATIONARY
                else:
                    roll = rng.random()
                    status = (
                        Status.CANDIDATE
                        if roll < 0.02
                        else Status.ACTIVIST
                        if roll < 0.05
                        else Status.APPLICANT
                        if roll < 0.08
                        else Status.MASSES
                    )
                people.append(self._person(unit, status))
            # Party members go into the branch's groups in turn.
            groups = unit.children
            party = [p for p in people if p.status in Person.PARTY_STATUSES]
            for i, person in enumerate(party):
                if groups:
                    person.group = groups[i % len(groups)].org
            planned.append((unit, people))
        Person.objects.bulk_create([p for _, ps in planned for p in ps], batch_size=self.batch_size)
        memberships, posts = [], []
        for unit, people in planned:
            rng = self.rng = unit_rng(self.seed, "posts", unit)
            for person in people:
                memberships.append(
                    Membership(
                        person=person,
                        branch=unit.org,
                        group=person.group,
                        started_on=_date(
                            rng,
                            datetime.date(2015, 1, 1),
                            self.today - datetime.timedelta(days=400),
                        ),
                    )
                )
            unit.people = [p.pk for p in people]
            unit.party_ids = [p.pk for p in people if p.status in Person.PARTY_STATUSES]
            unit.full_ids = [p.pk for p in people if p.status == Status.FULL]
            unit.masses_ids = [p.pk for p in people if p.status not in Person.PARTY_STATUSES]
            for group in unit.children:
                members = [
                    p.pk for p in people if p.group is not None and p.group.pk == group.org.pk
                ]
                unit.group_members[group.org.pk] = members
                if members:
                    posts.append(self._post(members[0], group.org, Role.GROUP_LEADER))
            posts.extend(self._branch_committee(unit))
        Membership.objects.bulk_create(memberships, batch_size=self.batch_size)
        Post.objects.bulk_create(posts, batch_size=self.batch_size)
        self.counts["people"] += sum(len(ps) for _, ps in planned)
        self.counts["memberships"] += len(memberships)
        self.counts["posts"] += len(posts)

    def _post(self, person_id: int, org: Organisation, role: str) -> Post:
        started = _date(
            self.rng, datetime.date(2021, 1, 1), self.today - datetime.timedelta(days=400)
        )
        business = ""
        if role == Role.SECRETARY and self.rng.random() < 0.6:
            business = self.rng.choice(("部门主任", "中心主任", "副主任", "班组长"))
        return Post(
            person_id=person_id,
            organisation=org,
            role=role,
            started_on=started,
            is_part_time=True,
            business_post=business,
        )

    def _branch_committee(self, unit: Unit) -> list[Post]:
        """A secretary (a few branches have none: the structure check shows it), and a
        committee of 3 to 5 when the branch has 7 full members or more."""
        rng = self.rng
        full = list(unit.full_ids)
        # A few branches have no secretary; the first of each general branch always has one.
        if not full or (unit.number != 1 and rng.random() < 0.03):
            return []
        rng.shuffle(full)
        roles = [Role.SECRETARY]
        if len(full) >= 7:
            roles += [Role.ORGANISATION, Role.PROPAGANDA, Role.DISCIPLINE]
            if rng.random() < 0.5:
                roles.append(Role.DEPUTY_SECRETARY)
        elif len(full) >= 3 and rng.random() < 0.3:
            roles.append(Role.DEPUTY_SECRETARY)
        unit.secretary = full[0]
        unit.committee = full[: len(roles)]
        return [self._post(pk, unit.org, role) for pk, role in zip(full, roles, strict=False)]

    def _write_upper_posts(self) -> None:
        """General branches and committees: a secretary, a deputy and committee
        members chosen among the full members of the branches below."""
        posts = []
        for unit in self.tree.units:
            if unit.kind not in (Kind.GENERAL_BRANCH, Kind.COMMITTEE):
                continue
            rng = self.rng = unit_rng(self.seed, "posts", unit)
            pool = [pk for b in unit.walk() if b.kind == Kind.BRANCH for pk in b.full_ids]
            if not pool:
                continue
            chosen = rng.sample(pool, min(len(pool), 5 if unit.kind == Kind.COMMITTEE else 3))
            roles = [
                Role.SECRETARY,
                Role.DEPUTY_SECRETARY,
                Role.ORGANISATION,
                Role.PROPAGANDA,
                Role.DISCIPLINE,
            ]
            unit.secretary = chosen[0]
            unit.committee = chosen
            posts.extend(
                self._post(pk, unit.org, role) for pk, role in zip(chosen, roles, strict=False)
            )
        Post.objects.bulk_create(posts, batch_size=self.batch_size)
        self.counts["posts"] += len(posts)

    def _write_logins(self) -> None:
        chosen: list[int] = []
        for unit in self.tree.units:
            if unit.secretary is None:
                continue
            chosen.append(unit.secretary)
            if unit.kind in (Kind.COMMITTEE, Kind.GENERAL_BRANCH):
                chosen.extend(unit.committee)
        for unit in self.tree.of_kind(Kind.BRANCH):
            rng = unit_rng(self.seed, "logins", unit)
            chosen.extend(pk for pk in unit.party_ids if rng.random() < MEMBER_LOGIN_SHARE)
        chosen = list(dict.fromkeys(chosen))  # a person may lead twice: one login
        User = get_user_model()
        users = [
            User(username=f"{USERNAME_PREFIX}{i:06d}", password=self.password, is_active=True)
            for i in range(1, len(chosen) + 1)
        ]
        User.objects.bulk_create(users, batch_size=self.batch_size)
        people = [Person(pk=pk, user_id=user.pk) for pk, user in zip(chosen, users, strict=True)]
        Person.objects.bulk_update(people, ["user"], batch_size=self.batch_size)
        self.users = dict(zip(chosen, users, strict=True))
        User.objects.create(
            username=SUPERUSER, password=self.password, is_staff=True, is_superuser=True
        )
        self.counts["logins"] = len(users) + 1
