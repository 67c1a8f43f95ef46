"""The member development demo (called at the end of `members.demo.load()`).

- History: every probationary member of the demo has the paper record of their
  development, admitted on the day the register says; three full members developed
  in 2023, 2024 and 2025 complete the seed's "11 members developed in four years".
- 计划招标党支部 (secretary: qianduan) has a live pipeline: an applicant whose talk is
  due, an activist READY to be named a development candidate (an activist for more
  than a year, contacts named, assessments done) whom a new user can walk through to
  probationary member, a second activist whose assessment falls due, a candidate
  waiting for introducers, and two probationary members.
- 12 mentor pairs (双向双带) across the branches, three of them closed with outcomes.

Everything goes through `development.services` with fixed dates, keyed by person
(development records) and by (mentor, mentee, start) (pairs): a second load creates
nothing. Existing people only; no logins are created.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta

from branches.models import Organisation
from members.models import Person

from . import services
from .models import Candidacy, MentorPair

D = datetime.date
Status = Person.Status
FRONT = "计划招标党支部"
LAST_DEMO_DAY = D(2026, 11, 20)  # no demo step is dated later

# The front branch's named members used as contacts and introducers.
CONTACTS = {"ready": ["吴晓峰", "黄佳怡"], "second": ["徐志明"], "candidate": ["吴晓峰"]}
GOOD = "表现良好，积极参加支部活动，业务上主动担当"


def _history_steps(admitted: D, helpers: list[Person], *, full: bool) -> tuple[D, list]:
    """A complete, rule-abiding record that ends with admission on `admitted` (and, for
    `full`, full membership a year later)."""
    applied = admitted - relativedelta(months=28)
    activist = applied + relativedelta(months=2)
    candidate = activist + relativedelta(months=12)
    steps = [
        ("talk", {"on": applied + datetime.timedelta(days=15)}),
        (
            "activist",
            {
                "on": activist,
                "filed_on": activist + datetime.timedelta(days=3),
                "contacts": helpers[:1],
            },
        ),
        ("assess", {"on": activist + relativedelta(months=6), "conclusion": GOOD}),
        ("assess", {"on": candidate, "conclusion": GOOD}),
        ("candidate", {"on": candidate}),
        ("review", {"on": candidate + datetime.timedelta(days=10), "conclusion": "政治审查合格"}),
        (
            "train",
            {
                "start": candidate + datetime.timedelta(days=20),
                "end": candidate + datetime.timedelta(days=22),
                "days": 3,
                "hours": 24,
            },
        ),
        ("introducers", {"people": helpers[:2], "on": candidate + datetime.timedelta(days=25)}),
        ("admit", {"on": admitted}),
    ]
    approved = admitted + relativedelta(months=1)
    if approved <= LAST_DEMO_DAY:
        steps.append(("approve", {"on": approved}))
    if full:
        steps.append(
            ("conclude", {"decision": "full", "on": admitted + relativedelta(years=1, days=3)})
        )
    return applied, steps


class _Loader:
    def __init__(self, report) -> None:
        self.created = report.created
        self.created["development records"] += 0
        self.created["mentor pairs"] += 0

    def branch(self, name: str) -> Organisation | None:
        return Organisation.objects.filter(name=name, kind=Organisation.Kind.BRANCH).first()

    def person(self, name: str) -> Person | None:
        return Person.objects.filter(name=name).order_by("employee_no").first()

    def people(self, branch: Organisation, status: str):
        return list(
            Person.objects.filter(
                branch=branch, status=status, posts__isnull=True, user__isnull=True
            ).order_by("employee_no")
        )

    def helpers(self, branch: Organisation, exclude: Person) -> list[Person]:
        """Two full members with posts in the branch: contacts and introducers."""
        return list(
            Person.objects.filter(branch=branch, status=Status.FULL, posts__organisation=branch)
            .exclude(pk=exclude.pk)
            .distinct()
            .order_by("employee_no")[:2]
        )

    def record(self, person: Person, branch: Organisation, applied: D, steps) -> None:
        if Candidacy.objects.filter(person=person).exists():
            return
        services.candidacy_record(person=person, branch=branch, applied_on=applied, steps=steps)
        self.created["development records"] += 1

    def run(self) -> None:
        front = self.branch(FRONT)
        if front is None or self.person("吴晓峰") is None:
            return  # the members demo was not loaded as written
        self.history()
        self.front_pipeline(front)
        self.mentoring()

    def history(self) -> None:
        branches = Organisation.objects.filter(kind=Organisation.Kind.BRANCH).order_by("path")
        for branch in branches:
            for person in Person.objects.filter(
                branch=branch, status=Status.PROBATIONARY, joined_party_on__isnull=False
            ).order_by("employee_no"):
                if Candidacy.objects.filter(person=person).exists():
                    continue
                applied, steps = _history_steps(
                    person.joined_party_on, self.helpers(branch, person), full=False
                )
                self.record(person, branch, applied, steps)
        # Three full members developed before, one a year: 2023, 2024, 2025.
        for year, name in (
            (2023, "仓储配送党支部"),
            (2024, "处置质监党支部"),
            (2025, "综合管理党支部"),
        ):
            branch = self.branch(name)
            if branch is None:
                continue
            if Candidacy.objects.filter(branch=branch, stage="full").exists():
                continue
            fulls = self.people(branch, Status.FULL)
            if not fulls:
                continue
            person = fulls[-1]
            applied, steps = _history_steps(D(year, 6, 18), self.helpers(branch, person), full=True)
            self.record(person, branch, applied, steps)

    def front_pipeline(self, front: Organisation) -> None:
        named = {key: [self.person(n) for n in names] for key, names in CONTACTS.items()}
        applicants = self.people(front, Status.APPLICANT)
        activists = self.people(front, Status.ACTIVIST)
        candidates = self.people(front, Status.CANDIDATE)
        if applicants:
            self.record(applicants[0], front, D(2026, 11, 2), [])
        if activists:
            # The activist a new user walks through to probationary member.
            self.record(
                activists[0],
                front,
                D(2025, 8, 4),
                [
                    ("talk", {"on": D(2025, 8, 20)}),
                    (
                        "activist",
                        {
                            "on": D(2025, 10, 20),
                            "filed_on": D(2025, 10, 24),
                            "contacts": named["ready"],
                        },
                    ),
                    ("assess", {"on": D(2026, 4, 20), "conclusion": GOOD}),
                    (
                        "assess",
                        {"on": D(2026, 10, 20), "conclusion": "政治立场坚定，业务骨干作用明显"},
                    ),
                ],
            )
        if len(activists) > 1:
            self.record(
                activists[1],
                front,
                D(2026, 3, 2),
                [
                    ("talk", {"on": D(2026, 3, 16)}),
                    (
                        "activist",
                        {
                            "on": D(2026, 6, 10),
                            "filed_on": D(2026, 6, 15),
                            "contacts": named["second"],
                        },
                    ),
                ],
            )
        if candidates:
            self.record(
                candidates[0],
                front,
                D(2024, 9, 2),
                [
                    ("talk", {"on": D(2024, 9, 20)}),
                    (
                        "activist",
                        {
                            "on": D(2024, 11, 5),
                            "filed_on": D(2024, 11, 8),
                            "contacts": named["candidate"],
                        },
                    ),
                    ("assess", {"on": D(2025, 5, 5), "conclusion": GOOD}),
                    ("assess", {"on": D(2025, 11, 5), "conclusion": GOOD}),
                    ("candidate", {"on": D(2025, 11, 10)}),
                    ("review", {"on": D(2026, 6, 20), "conclusion": "政治审查合格"}),
                    (
                        "train",
                        {"start": D(2026, 7, 1), "end": D(2026, 7, 3), "days": 3, "hours": 24},
                    ),
                ],
            )

    def mentoring(self) -> None:
        for branch_name, kind, mentor, mentee, goals, start, end, outcome in PAIRS:
            branch = self.branch(branch_name)
            mentor_p, mentee_p = self.pick(branch, mentor), self.pick(branch, mentee)
            if branch is None or mentor_p is None or mentee_p is None:
                continue
            if MentorPair.objects.filter(
                mentor=mentor_p, mentee=mentee_p, started_on=start
            ).exists():
                continue
            pair = services.mentor_pair_create(
                branch=branch,
                kind=kind,
                mentor=mentor_p,
                mentee=mentee_p,
                goals=goals,
                started_on=start,
            )
            if end is not None:
                services.mentor_pair_close(pair=pair, ended_on=end, outcome=outcome)
            self.created["mentor pairs"] += 1

    def pick(self, branch: Organisation | None, spec: str) -> Person | None:
        """A person by name, or "status:n" for the n-th generated person of a status."""
        if branch is None:
            return None
        if ":" not in spec:
            return self.person(spec)
        status, n = spec.split(":")
        people = self.people(branch, status)
        return people[int(n)] if len(people) > int(n) else None


E, S = MentorPair.Kind.EXPERT_TO_MEMBER, MentorPair.Kind.MEMBER_TO_STAFF
PAIRS = (
    # branch, kind, mentor, mentee, goals, start, end, outcome
    (
        FRONT,
        E,
        "陈立新",
        "林晓雯",
        "掌握招标文件编制与评标组织全流程，独立承担一类物资招标。",
        D(2026, 3, 1),
        None,
        "",
    ),
    (
        FRONT,
        S,
        "吴晓峰",
        "activist:0",
        "带教招标业务，帮助其向党组织靠拢，争取列为发展对象。",
        D(2025, 10, 25),
        None,
        "",
    ),
    (
        FRONT,
        S,
        "黄佳怡",
        "masses:0",
        "传授需求计划审核方法，引导其递交入党申请书。",
        D(2025, 3, 1),
        D(2026, 3, 1),
        "独立完成月度需求计划审核；已参加支部主题党日两次。",
    ),
    (
        "采购合同党支部",
        E,
        "刘海涛",
        "full:0",
        "提升供应商绩效评价能力，成为采购业务专家。",
        D(2026, 1, 10),
        None,
        "",
    ),
    (
        "采购合同党支部",
        S,
        "王婷婷",
        "masses:0",
        "带教合同结算业务，引导其积极向党组织靠拢。",
        D(2025, 9, 1),
        None,
        "",
    ),
    (
        "采购合同党支部",
        S,
        "孙俊杰",
        "activist:0",
        "履约协调带教，争取一年内列为发展对象。",
        D(2026, 2, 1),
        None,
        "",
    ),
    (
        "仓储配送党支部",
        E,
        "冯国庆",
        "full:0",
        "掌握标准化仓库作业规范，成为仓储管理骨干。",
        D(2025, 6, 1),
        D(2026, 6, 1),
        "通过仓储管理专业技能鉴定，牵头一个标准化库区改造。",
    ),
    (
        "仓储配送党支部",
        S,
        "曹丽娟",
        "masses:0",
        "配送调度带教，帮助其成长为业务能手并递交入党申请。",
        D(2026, 4, 1),
        None,
        "",
    ),
    (
        "处置质监党支部",
        E,
        "沈国栋",
        "full:0",
        "学习抽检方案设计，成为质量监督业务专家。",
        D(2026, 2, 15),
        None,
        "",
    ),
    (
        "处置质监党支部",
        S,
        "蔡永刚",
        "masses:0",
        "废旧物资处置流程带教，引导其向党组织靠拢。",
        D(2025, 5, 1),
        D(2026, 5, 1),
        "独立完成两批废旧物资竞价处置；已递交入党申请书。",
    ),
    (
        "综合管理党支部",
        E,
        "唐建平",
        "full:0",
        "财务资产管理带教，提升党员业务能力。",
        D(2026, 3, 15),
        None,
        "",
    ),
    (
        "综合管理党支部",
        S,
        "宋雪梅",
        "masses:0",
        "综合管理业务带教，培养入党积极分子苗子。",
        D(2026, 5, 10),
        None,
        "",
    ),
)


def load(report) -> None:
    """Add the demo rows that are missing; count them in the report."""
    _Loader(report).run()
    report.totals["development records (open)"] = Candidacy.objects.open().count()
    report.totals["mentor pairs"] = MentorPair.objects.count()
