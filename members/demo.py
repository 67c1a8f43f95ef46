"""The demo organisation: a materials company's party branches built along its supply
chain (see docs in /work/shared/DOMAIN.md), with people, posts, a pairing and logins.

`load()` creates whatever is missing and leaves every existing row as it is, so it
can run any number of times: people are keyed by employee number, organisations by
(name, kind) under their parent, logins by username. A login's password is set only
when the login is created; a password changed since is kept. Everything goes through
the services (`organisation_create`, `membership_start`, `post_assign`) in one
transaction, with fixed dates, so two runs give the same rows.

The data is deterministic: the people who hold posts or logins are written out
below; the rank and file are generated from fixed name pools by arithmetic, never
by chance.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from branches.models import BusinessNode, ExternalOrganisation, Organisation, Partnership, Segment
from branches.services import organisation_create

from .models import Membership, Person, Post
from .permissions import ensure_committee_admin_group
from .services import membership_start, post_assign

DEMO_PASSWORD = "Dangjian@2026"  # noqa: S105 - the demo's published password
# Memberships, posts and the pairing all start on this day, so reruns are stable.
START = datetime.date(2023, 1, 1)

Kind = Organisation.Kind
Role = Post.Role
Status = Person.Status
M, F = Person.Gender.MALE, Person.Gender.FEMALE


# --- The organisation tree -------------------------------------------------------------


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    kind: str
    parent: str | None = None
    segment: str | None = None  # Segment.code, seeded by branches migration 0002
    nodes: tuple[str, ...] = ()  # BusinessNode.code
    unit: str = ""
    established_on: datetime.date | None = None
    description: str = ""


PAIRING_TOPICS = (
    "共产党员服务队如何提升现场收货服务水平",
    "重点物资供应履约协调中党员如何发挥先锋模范作用",
    "党支部在推进标准化仓库建设中应发挥的作用",
)

ORGANISATIONS: tuple[OrgSpec, ...] = (
    OrgSpec(
        "committee", "物资公司党委", Kind.COMMITTEE,
        unit="国网上海市电力公司物资公司",
        established_on=datetime.date(2014, 3, 1),
        description="“业务延伸到哪里，党组织就覆盖到哪里”：沿物资供应链设置党支部。",
    ),
    OrgSpec(
        "jiguan", "机关党总支", Kind.GENERAL_BRANCH, "committee",
        unit="计划管理部、招标管理部、采购管理部、合同管理部、综合管理部、财务资产部",
        established_on=datetime.date(2014, 6, 1),
    ),
    OrgSpec(
        "supply", "采购供应党总支", Kind.GENERAL_BRANCH, "committee",
        unit="仓储管理中心、配送管理中心、废旧物资处置中心、质量监督中心",
        established_on=datetime.date(2014, 6, 1),
        description="与电力公司物资部党支部结对联创“电网先锋党支部”，共同研讨三个课题："
        + "；".join(f"“{topic}”" for topic in PAIRING_TOPICS)
        + "。",
    ),
    OrgSpec(
        "front", "计划招标党支部", Kind.BRANCH, "jiguan",
        segment="front", nodes=("tendering", "planning"),
        unit="计划管理部、招标管理部", established_on=datetime.date(2014, 6, 1),
        description="供应链前端：需求计划与招标。",
    ),
    OrgSpec(
        "middle", "采购合同党支部", Kind.BRANCH, "jiguan",
        segment="middle", nodes=("procurement", "contracts"),
        unit="采购管理部、合同管理部", established_on=datetime.date(2014, 6, 1),
        description="供应链中端：采购与合同履约。",
    ),
    OrgSpec(
        "functional", "综合管理党支部", Kind.BRANCH, "jiguan",
        segment="functional",
        unit="综合管理部、财务资产部", established_on=datetime.date(2014, 6, 1),
        description="供应链外的两个职能部门，为链上各级组织提供协调、支撑服务。",
    ),
    OrgSpec(
        "back", "仓储配送党支部", Kind.BRANCH, "supply",
        segment="back", nodes=("warehousing", "distribution"),
        unit="仓储管理中心、配送管理中心", established_on=datetime.date(2014, 6, 1),
        description="供应链后端：仓储与配送。",
    ),
    OrgSpec(
        "end", "处置质监党支部", Kind.BRANCH, "supply",
        segment="end", nodes=("disposal", "quality"),
        unit="废旧物资处置中心、质量监督中心", established_on=datetime.date(2014, 6, 1),
        description="供应链末端：废旧物资处置与产品质量监督。",
    ),
    OrgSpec("middle-procurement", "采购党小组", Kind.GROUP, "middle"),
    OrgSpec("middle-contracts", "合同党小组", Kind.GROUP, "middle"),
    OrgSpec("back-warehousing", "仓储党小组", Kind.GROUP, "back"),
    OrgSpec("back-distribution", "配送党小组", Kind.GROUP, "back"),
)

PARTNER = {
    "name": "电力公司物资部党支部",
    "superior": "国网上海市电力公司",
    "contact": "物资部党支部书记",
}
PARTNERSHIP = {
    "organisation": "supply",
    "title": "结对联创“电网先锋党支部”",
    "started_on": START,
}

# Department -> the business node its people work at (None: outside the chain).
LEADERSHIP = "公司领导"
DEPARTMENT_NODES: dict[str, str | None] = {
    "计划管理部": "planning",
    "招标管理部": "tendering",
    "采购管理部": "procurement",
    "合同管理部": "contracts",
    "仓储管理中心": "warehousing",
    "配送管理中心": "distribution",
    "废旧物资处置中心": "disposal",
    "质量监督中心": "quality",
    "综合管理部": None,
    "财务资产部": None,
    LEADERSHIP: None,
}

# Jobs the rank and file hold, by department (given out in turn).
JOBS: dict[str, tuple[str, ...]] = {
    "计划管理部": ("计划管理专责", "需求计划专责", "统计分析专责"),
    "招标管理部": ("招标管理专责", "招标文件审核专责", "评标组织专责"),
    "采购管理部": ("采购管理专责", "供应商管理专责", "采购执行专责"),
    "合同管理部": ("合同管理专责", "合同结算专责", "履约协调专责"),
    "仓储管理中心": ("库存管理专责", "物资保管员", "仓储作业员", "仓库管理员"),
    "配送管理中心": ("配送调度员", "配送管理专责", "驾驶员", "装卸作业员"),
    "废旧物资处置中心": ("废旧物资处置专责", "回收管理专责", "拍卖管理专责"),
    "质量监督中心": ("质量监督专责", "抽检管理专责", "驻厂监造专责", "检测员"),
    "综合管理部": ("党建专责", "人力资源专责", "行政文秘", "安全管理专责"),
    "财务资产部": ("会计", "预算管理专责", "资产管理专责", "出纳"),
}


# --- People ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Named:
    """Someone written out by hand: a post holder or a demo login."""

    name: str
    gender: str
    department: str
    job_title: str
    posts: tuple[tuple[str, str], ...] = ()  # (organisation key, Post.Role)
    username: str | None = None
    group: str | None = None  # default: the group of the department, if any
    status: str = Status.FULL


@dataclass(frozen=True)
class Roster:
    """One branch's people: the named ones, then generated ones by status."""

    branch: str  # organisation key
    block: int  # employee numbers WZ{block}001, WZ{block}002, ...
    departments: tuple[str, ...]
    named: tuple[Named, ...]
    full: int  # generated full members, on top of the named ones
    probationary: int
    candidates: int
    activists: int
    applicants: int
    masses: int
    groups: tuple[str, ...] = ()  # one group key per department, in the same order


ROSTERS: tuple[Roster, ...] = (
    Roster(
        "front", 1, ("计划管理部", "招标管理部"),
        (
            Named("陈立新", M, "计划管理部", "计划管理部主任",
                  (("front", Role.SECRETARY),), username="qianduan"),
            Named("吴晓峰", M, "招标管理部", "招标管理部副主任", (("front", Role.ORGANISATION),)),
            Named("黄佳怡", F, "计划管理部", "需求计划专责", (("front", Role.PROPAGANDA),)),
            Named("徐志明", M, "招标管理部", "评标组织专责", (("front", Role.DISCIPLINE),)),
            Named("林晓雯", F, "招标管理部", "招标管理专责", username="dangyuan"),
        ),
        full=7, probationary=2, candidates=1, activists=2, applicants=1, masses=4,
    ),
    Roster(
        "middle", 2, ("采购管理部", "合同管理部"),
        (
            Named("周文博", M, "合同管理部", "合同管理部主任",
                  (("middle", Role.SECRETARY),), username="zhongduan"),
            Named("刘海涛", M, "采购管理部", "采购管理部主任",
                  (("middle", Role.DEPUTY_SECRETARY),)),
            Named("赵磊", M, "采购管理部", "供应商管理专责", (("middle", Role.ORGANISATION),)),
            Named("王婷婷", F, "合同管理部", "合同结算专责", (("middle", Role.PROPAGANDA),)),
            Named("孙俊杰", M, "合同管理部", "履约协调专责", (("middle", Role.DISCIPLINE),)),
            Named("郭敏", F, "采购管理部", "采购执行专责",
                  (("middle-procurement", Role.GROUP_LEADER),)),
            Named("梁振宇", M, "合同管理部", "合同管理专责",
                  (("middle-contracts", Role.GROUP_LEADER),)),
            Named("杨秀英", F, "合同管理部", "合同管理部副主任", (("jiguan", Role.PROPAGANDA),)),
        ),
        full=8, probationary=2, candidates=1, activists=2, applicants=1, masses=6,
        groups=("middle-procurement", "middle-contracts"),
    ),
    Roster(
        "back", 3, ("仓储管理中心", "配送管理中心"),
        (
            Named("高志强", M, LEADERSHIP, "副总经理",
                  (("supply", Role.SECRETARY),), username="zongzhi", group="back-warehousing"),
            Named("冯国庆", M, "仓储管理中心", "仓储管理中心主任", (("back", Role.SECRETARY),)),
            Named("曹丽娟", F, "配送管理中心", "配送管理中心主任", (("back", Role.ORGANISATION),)),
            Named("蒋春燕", F, "仓储管理中心", "库存管理专责", (("back", Role.PROPAGANDA),)),
            Named("邓卫国", M, "配送管理中心", "配送调度员", (("back", Role.DISCIPLINE),)),
            Named("袁斌", M, "仓储管理中心", "物资保管员",
                  (("back-warehousing", Role.GROUP_LEADER),)),
            Named("潘红梅", F, "配送管理中心", "配送管理专责",
                  (("back-distribution", Role.GROUP_LEADER),)),
            Named("彭勇", M, "仓储管理中心", "仓储管理中心副主任",
                  (("supply", Role.ORGANISATION),)),
        ),
        full=7, probationary=2, candidates=1, activists=2, applicants=1, masses=8,
        groups=("back-warehousing", "back-distribution"),
    ),
    Roster(
        "end", 4, ("废旧物资处置中心", "质量监督中心"),
        (
            Named("沈国栋", M, "质量监督中心", "质量监督中心主任", (("end", Role.SECRETARY),)),
            Named("蔡永刚", M, "废旧物资处置中心", "废旧物资处置中心主任",
                  (("end", Role.ORGANISATION),)),
            Named("董思琪", F, "质量监督中心", "抽检管理专责", (("end", Role.PROPAGANDA),)),
            Named("程德明", M, "废旧物资处置中心", "回收管理专责", (("end", Role.DISCIPLINE),)),
            Named("叶慧敏", F, "质量监督中心", "质量监督中心副主任",
                  (("supply", Role.PROPAGANDA),)),
        ),
        full=5, probationary=1, candidates=0, activists=1, applicants=1, masses=5,
    ),
    Roster(
        "functional", 5, ("综合管理部", "财务资产部"),
        (
            Named("孙振华", M, LEADERSHIP, "党委书记、执行董事",
                  (("committee", Role.SECRETARY),), username="dangwei"),
            Named("马卫东", M, LEADERSHIP, "总经理、党委副书记",
                  (("committee", Role.DEPUTY_SECRETARY),)),
            Named("何丽华", F, LEADERSHIP, "纪委书记、工会主席",
                  (("committee", Role.DISCIPLINE),)),
            Named("朱宏伟", M, LEADERSHIP, "副总经理",
                  (("committee", Role.ORGANISATION), ("jiguan", Role.SECRETARY))),
            Named("郑海燕", F, "综合管理部", "综合管理部主任", (("committee", Role.PROPAGANDA),)),
            Named("唐建平", M, "财务资产部", "财务资产部主任", (("functional", Role.SECRETARY),)),
            Named("宋雪梅", F, "综合管理部", "综合管理部副主任",
                  (("functional", Role.ORGANISATION), ("jiguan", Role.ORGANISATION))),
            Named("许文静", F, "综合管理部", "党建专责", (("functional", Role.PROPAGANDA),)),
            Named("韩明辉", M, "财务资产部", "资产管理专责", (("functional", Role.DISCIPLINE),)),
        ),
        full=6, probationary=1, candidates=1, activists=1, applicants=1, masses=4,
    ),
)


@dataclass(frozen=True)
class LoginSpec:
    username: str
    description: str
    is_staff: bool = False
    is_superuser: bool = False
    committee_admin: bool = False


LOGINS: tuple[LoginSpec, ...] = (
    LoginSpec("admin", "superuser, sees everything", is_staff=True, is_superuser=True),
    LoginSpec("dangwei", "secretary of 物资公司党委 (committee admin)",
              is_staff=True, committee_admin=True),
    LoginSpec("zongzhi", "secretary of 采购供应党总支"),
    LoginSpec("qianduan", "secretary of 计划招标党支部 (front end)"),
    LoginSpec("zhongduan", "secretary of 采购合同党支部 (middle)"),
    LoginSpec("dangyuan", "member of 计划招标党支部, no post"),
)

# Fixed name pools for the rank and file.
SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏"
    "程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵"
)
GIVEN_NAMES = {
    M: ("建华", "志刚", "海波", "晓东", "伟", "磊", "俊", "文杰", "浩", "立军", "国平", "振东",
        "宏亮", "子豪", "明", "卫平", "永健", "家辉", "嘉伟", "思远", "鹏", "斌", "军", "勇",
        "一帆", "天翔", "继伟", "学兵", "春林", "德华", "峰", "超"),
    F: ("丽", "秀兰", "静", "敏", "婷", "晓燕", "雪", "佳", "慧", "颖", "丹", "琳", "海燕",
        "红", "玉兰", "思佳", "雨婷", "晓红", "美华", "莉", "芳", "倩", "蕾", "洁", "文娟",
        "梦婷", "欣", "春梅", "桂英", "凤"),
}
PHONE_PREFIXES = ("139", "138", "137", "136", "135", "150", "158", "186", "189", "177")


@dataclass(frozen=True)
class PersonRow:
    """Everything the loader writes about one person."""

    employee_no: str
    name: str
    gender: str
    birth_date: datetime.date
    phone: str
    department: str
    node: str | None
    job_title: str
    status: str
    joined_party_on: datetime.date | None
    full_member_on: datetime.date | None
    branch: str
    group: str | None
    username: str | None
    posts: tuple[tuple[str, str], ...]


def _dates(status: str, k: int, has_post: bool) -> tuple[datetime.date, ...]:
    """(birth date, admitted, full member since) for the k-th person, by arithmetic."""
    month, day = 1 + (k * 5) % 12, 1 + (k * 11) % 28
    if has_post:
        birth_year = 1966 + (k * 7) % 20  # 1966-1985
    elif status == Status.FULL:
        birth_year = 1968 + (k * 7) % 28  # 1968-1995
    elif status == Status.MASSES:
        birth_year = 1970 + (k * 3) % 31  # 1970-2000
    else:  # on the way to membership, or probationary: younger staff
        birth_year = 1994 + (k * 3) % 8  # 1994-2001
    birth = datetime.date(birth_year, month, day)
    if status == Status.FULL:
        joined = datetime.date(min(birth_year + 22 + k % 8, 2021), 1 + (k * 7) % 12, 1)
        return birth, joined, joined.replace(year=joined.year + 1)
    if status == Status.PROBATIONARY:
        # Admitted in 2026: probation (one year) ends in 2027.
        return birth, datetime.date(2026, 1 + (k * 2) % 6, 1), None
    return birth, None, None


def _names(used: set[str]):
    """A function giving unique generated names from the pool of the given gender."""
    k = 0

    def next_name(gender: str) -> str:
        nonlocal k
        pool = GIVEN_NAMES[gender]
        while True:
            k += 1
            # Strides coprime with the pools' sizes: no pair repeats for thousands of names.
            name = SURNAMES[(k * 37) % len(SURNAMES)] + pool[(k * 7) % len(pool)]
            if name not in used:
                used.add(name)
                return name

    return next_name


def people() -> list[PersonRow]:
    """Every demo person, in a fixed order (employee numbers follow it)."""
    used = {named.name for roster in ROSTERS for named in roster.named}
    next_name = _names(used)
    rows: list[PersonRow] = []
    k = 0  # person counter across all branches: drives dates and phones
    for roster in ROSTERS:
        group_of = dict(zip(roster.departments, roster.groups, strict=False))
        entries: list[tuple[str, str, str, str, str | None, str | None, tuple]] = [
            (n.name, n.gender, n.department, n.job_title, n.status, n.username, n.posts)
            for n in roster.named
        ]
        overrides = {n.name: n.group for n in roster.named if n.group}
        plan = (
            (Status.FULL, roster.full),
            (Status.PROBATIONARY, roster.probationary),
            (Status.CANDIDATE, roster.candidates),
            (Status.ACTIVIST, roster.activists),
            (Status.APPLICANT, roster.applicants),
            (Status.MASSES, roster.masses),
        )
        i = 0
        for status, count in plan:
            for _ in range(count):
                department = roster.departments[i % len(roster.departments)]
                jobs = JOBS[department]
                job = jobs[(i // len(roster.departments)) % len(jobs)]
                gender = F if i % 5 in (1, 3) else M
                entries.append((next_name(gender), gender, department, job, status, None, ()))
                i += 1
        for number, (name, gender, department, job, status, username, posts) in enumerate(
            entries, start=1
        ):
            k += 1
            birth, joined, full = _dates(status, k, bool(posts))
            is_member = status in Person.PARTY_STATUSES
            group = overrides.get(name) or (group_of.get(department) if is_member else None)
            rows.append(
                PersonRow(
                    employee_no=f"WZ{roster.block}{number:03d}",
                    name=name,
                    gender=gender,
                    birth_date=birth,
                    phone=PHONE_PREFIXES[k % len(PHONE_PREFIXES)]
                    + f"{(k * 73856093 + 19260817) % 10**8:08d}",
                    department=department,
                    node=DEPARTMENT_NODES[department],
                    job_title=job,
                    status=status,
                    joined_party_on=joined,
                    full_member_on=full,
                    branch=roster.branch,
                    group=group,
                    username=username,
                    posts=posts,
                )
            )
    return rows


# --- Loading ---------------------------------------------------------------------------


@dataclass
class Report:
    created: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, person, what

    @property
    def nothing_new(self) -> bool:
        return not any(self.created.values())

    def lines(self) -> list[str]:
        out: list[str] = []
        if self.nothing_new:
            out.append("Nothing new: the demo data were already loaded; nothing was changed.")
        else:
            made = ", ".join(f"{what}: {n}" for what, n in self.created.items())
            out.append(f"Created: {made}.")
        out.extend(f"Note: {note}" for note in self.notes)
        out.append("In the database now:")
        out.extend(f"  {what}: {n}" for what, n in self.totals.items())
        out.append(
            f"Demo logins (password {DEMO_PASSWORD}, set when the login is created; "
            "a password changed since is kept):"
        )
        out.extend(
            f"  {username:<10} {person:<6} {what}" for username, person, what in self.logins
        )
        return out


class _Loader:
    def __init__(self) -> None:
        self.report = Report()
        self.created = self.report.created
        for what in ("organisations", "people", "memberships", "posts", "logins",
                     "outside organisations", "pairings"):
            self.created[what] = 0

    def run(self) -> Report:
        admin_group = ensure_committee_admin_group()
        orgs = self.organisations()
        users = {spec.username: self.user(spec, admin_group) for spec in LOGINS}
        nodes = {node.code: node for node in BusinessNode.objects.all()}
        for row in people():
            self.person(row, orgs, nodes, users)
        self.pairing(orgs)
        self.summarise()
        return self.report

    def organisations(self) -> dict[str, Organisation]:
        segments = {segment.code: segment for segment in Segment.objects.all()}
        nodes = {node.code: node for node in BusinessNode.objects.all()}
        pks: dict[str, int] = {}
        for spec in ORGANISATIONS:
            # Fetch the parent afresh: adding a sibling sorted by name may have moved it.
            parent = Organisation.objects.get(pk=pks[spec.parent]) if spec.parent else None
            siblings = (
                Organisation.objects.get_children(parent)
                if parent
                else Organisation.objects.get_root_nodes()
            )
            organisation = siblings.filter(name=spec.name, kind=spec.kind).first()
            if organisation is None:
                organisation = organisation_create(
                    name=spec.name,
                    kind=spec.kind,
                    parent=parent,
                    segment=segments.get(spec.segment) if spec.segment else None,
                    nodes=[nodes[code] for code in spec.nodes if code in nodes],
                    unit=spec.unit,
                    established_on=spec.established_on,
                    description=spec.description,
                )
                self.created["organisations"] += 1
            pks[spec.key] = organisation.pk
        # Reload once the tree is complete, so every path is current.
        by_pk = Organisation.objects.in_bulk(pks.values())
        return {key: by_pk[pk] for key, pk in pks.items()}

    def user(self, spec: LoginSpec, admin_group):
        User = get_user_model()
        user = User.objects.filter(username=spec.username).first()
        if user is not None:
            return user
        user = User.objects.create_user(
            spec.username,
            password=DEMO_PASSWORD,
            is_staff=spec.is_staff,
            is_superuser=spec.is_superuser,
        )
        if spec.committee_admin:
            user.groups.add(admin_group)
        self.created["logins"] += 1
        return user

    def person(self, row: PersonRow, orgs, nodes, users) -> None:
        person = Person.objects.filter(employee_no=row.employee_no).first()
        user = users.get(row.username) if row.username else None
        if person is None:
            if user is not None and Person.objects.filter(user=user).exists():
                self.report.notes.append(
                    f"login {user.username} already belongs to someone else; "
                    f"{row.name} was created without it."
                )
                user = None
            person = Person.objects.create(
                employee_no=row.employee_no,
                name=row.name,
                gender=row.gender,
                birth_date=row.birth_date,
                phone=row.phone,
                department=row.department,
                node=nodes.get(row.node) if row.node else None,
                job_title=row.job_title,
                status=row.status,
                joined_party_on=row.joined_party_on,
                full_member_on=row.full_member_on,
                user=user,
            )
            self.created["people"] += 1
        # A person with any membership, open or closed, has been placed (perhaps moved
        # by hand since): leave them where they are.
        if not Membership.objects.filter(person=person).exists():
            membership_start(
                person=person,
                branch=orgs[row.branch],
                group=orgs[row.group] if row.group else None,
                on=START,
            )
            self.created["memberships"] += 1
        for org_key, role in row.posts:
            self.post(person, orgs[org_key], role, row.job_title)

    def post(self, person: Person, organisation: Organisation, role: str, job: str) -> None:
        # Any such post, even one ended since, means it was loaded before.
        if Post.objects.filter(person=person, organisation=organisation, role=role).exists():
            return
        if role == Role.SECRETARY and Post.objects.filter(
            organisation=organisation, role=role, ended_on__isnull=True
        ).exists():
            self.report.notes.append(
                f"{organisation} already has a secretary; {person} was not made secretary."
            )
            return
        leads = role in (Role.SECRETARY, Role.DEPUTY_SECRETARY)
        post_assign(
            person=person,
            organisation=organisation,
            role=role,
            on=START,
            # Part-time secretaries keep their business post: one post, two duties.
            business_post=job if leads else "",
        )
        self.created["posts"] += 1

    def pairing(self, orgs) -> None:
        partner, made = ExternalOrganisation.objects.get_or_create(
            name=PARTNER["name"],
            defaults={"superior": PARTNER["superior"], "contact": PARTNER["contact"]},
        )
        self.created["outside organisations"] += int(made)
        organisation = orgs[PARTNERSHIP["organisation"]]
        if not Partnership.objects.filter(organisation=organisation, partner=partner).exists():
            Partnership.objects.create(
                organisation=organisation,
                partner=partner,
                title=PARTNERSHIP["title"],
                started_on=PARTNERSHIP["started_on"],
            )
            self.created["pairings"] += 1

    def summarise(self) -> None:
        totals = self.report.totals
        for value, label in Kind.choices:
            totals[f"organisations, {label}"] = Organisation.objects.filter(kind=value).count()
        for value, label in Person.Status.choices:
            totals[f"people, {label}"] = Person.objects.filter(status=value).count()
        totals["memberships (open)"] = Membership.objects.filter(ended_on__isnull=True).count()
        totals["posts (open)"] = Post.objects.filter(ended_on__isnull=True).count()
        totals["pairings"] = Partnership.objects.count()
        usernames = [spec.username for spec in LOGINS]
        people_by_user = {p.user_id: p for p in Person.objects.filter(user__username__in=usernames)}
        User = get_user_model()
        for spec in LOGINS:
            user = User.objects.filter(username=spec.username).first()
            person = people_by_user.get(user.pk) if user else None
            self.report.logins.append(
                (spec.username, person.name if person else "—", spec.description)
            )


@transaction.atomic
def load() -> Report:
    """Load the demo organisation; create what is missing, change nothing else."""
    report = _Loader().run()
    # Then the liaison app's rows (visits, campaign, problem ledger), which need the people.
    from liaison import demo as liaison_demo

    liaison_demo.load(report)
    # Then a year of party life (meetings with attendance), which needs the posts.
    from meetings import demo as meetings_demo

    meetings_demo.load(report)
    # Then this year's assessments, which read the meetings and visits above.
    from assessments import demo as assessments_demo

    assessments_demo.load(report)
    return report
