"""The provincial tree: committee -> subsidiary committees -> general branches ->
branches on the chain's segments -> party groups, written with one bulk insert.

treebeard's `add_child` renumbers and saves one node at a time; here the
materialised path, depth and child count are computed in Python exactly as
treebeard would (`MP_Node._get_path`: the parent's path plus the sibling's position
in base 36, padded to `steplen`), with siblings numbered in name order because
`Organisation.node_order_by` is the name.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from branches.models import BusinessNode, Organisation, Segment

from .names import GENERAL_BRANCH_KINDS, PLACES

Kind = Organisation.Kind

# At factor 1: 60 subsidiary committees, each with about 10 general branches of about
# 5 branches and 2 branches of its own; about 2 party groups per branch. ~10,000 in all.
SUBSIDIARIES = 60
GENERAL_BRANCHES_PER_SUBSIDIARY = 10
BRANCHES_PER_GENERAL_BRANCH = (3, 7)
DIRECT_BRANCHES = (1, 3)
PEOPLE_PER_BRANCH = (30, 98)
PARTY_SHARE = (0.15, 0.35)
# A branch divides its party members into groups of about this many.
GROUP_SIZE = 7


@dataclass
class Unit:
    """One organisation of the plan, and what the later steps need to know of it."""

    org: Organisation
    # Where the unit stands in the plan ("s0.g1.b2": subsidiary 0, general branch 1,
    # branch 2), whatever the factor; `number` is its position among its planned siblings.
    key: str = "r"
    number: int = 0
    parent: Unit | None = None
    children: list[Unit] = field(default_factory=list)
    # Branches only: planned head count and party members, nodes covered.
    size: int = 0
    party: int = 0
    nodes: list[BusinessNode] = field(default_factory=list)
    # Filled in by the people step (person ids).
    people: list[int] = field(default_factory=list)
    party_ids: list[int] = field(default_factory=list)
    full_ids: list[int] = field(default_factory=list)
    masses_ids: list[int] = field(default_factory=list)
    group_members: dict[int, list[int]] = field(default_factory=dict)  # group org pk -> ids
    secretary: int | None = None
    committee: list[int] = field(default_factory=list)  # committee posts' holders
    # How faithfully the branch keeps its meetings (0..1): some branches have gaps.
    diligence: float = 1.0

    @property
    def kind(self) -> str:
        return self.org.kind

    def ancestors(self) -> list[Unit]:
        """Nearest first."""
        found, unit = [], self.parent
        while unit is not None:
            found.append(unit)
            unit = unit.parent
        return found

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Tree:
    root: Unit
    units: list[Unit]

    def of_kind(self, kind: str) -> list[Unit]:
        return [u for u in self.units if u.kind == kind]


def _org(name: str, kind: str, **fields) -> Organisation:
    return Organisation(name=name, kind=kind, is_active=True, **fields)


def _established(rng: random.Random) -> datetime.date:
    return datetime.date(rng.randint(1995, 2022), rng.randint(1, 12), 1)


def unit_rng(seed: int, step: str, unit: Unit) -> random.Random:
    """A generator of its own for each unit and step, keyed by the unit's place in the
    plan: the first subsidiaries come out the same at every factor (from 1/60 up), so a
    page of the same branch can be compared at two data sizes."""
    return random.Random(f"{seed}:{step}:{unit.key}")  # noqa: S311 - test data


def plan(seed: int, factor: float) -> Tree:
    """The tree in memory (unsaved), sized by `factor`."""
    segments = list(Segment.objects.order_by("order", "pk"))
    in_chain = [s for s in segments if s.in_chain]
    functional = next((s for s in segments if not s.in_chain), None)
    nodes_of = {
        s.pk: list(BusinessNode.objects.filter(segment=s).order_by("order", "pk")) for s in segments
    }

    subsidiaries = max(1, round(SUBSIDIARIES * factor))
    # Below 1/60 a factor shrinks each subsidiary too, so F=0.01 is about 100 units.
    within = min(1.0, SUBSIDIARIES * factor)
    root = Unit(
        _org(
            "省电力物资公司党委",
            Kind.COMMITTEE,
            unit="省电力物资公司",
            established_on=datetime.date(1990, 7, 1),
        )
    )

    def branch(rng: random.Random, parent: Unit, number: int, prefix: str) -> Unit:
        segment = functional if (functional and rng.random() < 0.15) else rng.choice(in_chain)
        nodes = nodes_of.get(segment.pk, [])
        label = "".join(n.name for n in nodes[:2]) or "综合管理"
        size = max(8, round(rng.randint(*PEOPLE_PER_BRANCH)))
        party = max(3, round(size * rng.uniform(*PARTY_SHARE)))
        unit = Unit(
            _org(
                f"{prefix}{label}第{number}党支部",
                Kind.BRANCH,
                segment=segment,
                unit=f"{prefix}{label}",
                established_on=_established(rng),
            ),
            key=f"{parent.key}.b{number}",
            number=number,
            parent=parent,
            size=size,
            party=party,
            nodes=nodes,
        )
        roll = rng.random()
        unit.diligence = 0.95 if roll < 0.6 else (0.6 if roll < 0.85 else 0.25)
        for g in range(1, party // GROUP_SIZE + 1):
            unit.children.append(
                Unit(
                    _org(f"{unit.org.name}第{g}党小组", Kind.GROUP, segment=segment),
                    key=f"{unit.key}.p{g}",
                    number=g,
                    parent=unit,
                )
            )
        return unit

    for s in range(subsidiaries):
        rng = random.Random(f"{seed}:tree:{s}")  # noqa: S311 - test data
        place = PLACES[s % len(PLACES)] + (str(s // len(PLACES) + 1) if s >= len(PLACES) else "")
        sub = Unit(
            _org(
                f"{place}物资分公司党委",
                Kind.COMMITTEE,
                unit=f"{place}物资分公司",
                established_on=_established(rng),
            ),
            key=f"s{s}",
            number=s,
            parent=root,
        )
        root.children.append(sub)
        count = max(1, round(GENERAL_BRANCHES_PER_SUBSIDIARY * within))
        for g in range(count):
            kind_name = GENERAL_BRANCH_KINDS[g % len(GENERAL_BRANCH_KINDS)]
            suffix = (
                str(g // len(GENERAL_BRANCH_KINDS) + 1) if g >= len(GENERAL_BRANCH_KINDS) else ""
            )
            general = Unit(
                _org(
                    f"{place}{kind_name}{suffix}党总支",
                    Kind.GENERAL_BRANCH,
                    unit=f"{place}{kind_name}部门",
                    established_on=_established(rng),
                ),
                key=f"s{s}.g{g}",
                number=g,
                parent=sub,
            )
            sub.children.append(general)
            low, high = BRANCHES_PER_GENERAL_BRANCH
            for b in range(1, rng.randint(low, high) + 1):
                general.children.append(branch(rng, general, b, f"{place}{kind_name}{suffix}"))
        for b in range(1, max(1, round(rng.randint(*DIRECT_BRANCHES) * within)) + 1):
            sub.children.append(branch(rng, sub, b, f"{place}直属"))

    units = _number(root, root_step=Organisation.objects.filter(depth=1).count() + 1)
    return Tree(root=root, units=units)


def _number(root: Unit, *, root_step: int) -> list[Unit]:
    """Give every unit treebeard's path, depth and numchild; the units in path order."""
    step = Organisation.steplen

    def key(position: int) -> str:
        return Organisation._int2str(position).rjust(step, Organisation.alphabet[0])

    root.org.path, root.org.depth = key(root_step), 1
    ordered: list[Unit] = []

    def visit(unit: Unit) -> None:
        ordered.append(unit)
        unit.children.sort(key=lambda u: u.org.name)
        unit.org.numchild = len(unit.children)
        for position, child in enumerate(unit.children, start=1):
            child.org.path = unit.org.path + key(position)
            child.org.depth = unit.org.depth + 1
            visit(child)

    visit(root)
    return ordered


def write(tree: Tree, *, batch_size: int) -> None:
    """Insert the organisations (ids come back from PostgreSQL) and branches' nodes."""
    Organisation.objects.bulk_create([u.org for u in tree.units], batch_size=batch_size)
    through = Organisation.nodes.through
    through.objects.bulk_create(
        [
            through(organisation_id=u.org.pk, businessnode_id=n.pk)
            for u in tree.units
            if u.kind == Kind.BRANCH
            for n in u.nodes
        ],
        batch_size=batch_size,
    )
