"""The demo's people: the written-out post holders and logins, and the generated rank and file."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..models import Person, Post
from .tree import DEPARTMENT_NODES, JOBS, LEADERSHIP

DEMO_PASSWORD = "Dangjian@2026"  # noqa: S105 - the demo's published password


Role = Post.Role
Status = Person.Status
M, F = Person.Gender.MALE, Person.Gender.FEMALE


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
