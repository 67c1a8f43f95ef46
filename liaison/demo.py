"""The liaison demo: contact points, pairings, visits, an opinion campaign and problems
in every state of the ledger, including one overdue and escalated.

Called at the end of `members.demo.load()`, inside its transaction, once the people
exist. Like it, it creates what is missing and changes nothing else: each row is
keyed (contact points by cadre and name, pairings by the couple, visits by visitor,
person and date, the campaign by title, problems by title), and every date is fixed,
so two runs give the same rows. Everything goes through `liaison.services`.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.contrib.auth import get_user_model

from branches.models import Organisation
from members.models import Person

from . import services
from .deadlines import problem_escalate_one
from .models import Campaign, ContactPoint, Opinion, Pairing, Problem, ProblemCategory, Visit
from .services import Action, Feedback, VisitData

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
Status = Person.Status


def _at(month: int, day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=SH)


def _d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


CONTACT_POINTS = (
    # cadre, kind, name, paired work team
    ("陈立新", "department", "招标管理部", "招标文件编制班"),
    ("陈立新", "site", "220千伏变电站工程现场", "现场收货服务组"),
    ("周文博", "department", "合同管理部", "合同结算班"),
    ("周文博", "team", "供应商服务窗口", "供应商接待日服务组"),
    ("高志强", "site", "中心仓库", "仓储作业一班"),
    ("高志强", "community", "配送车队", "配送调度班"),
)

CAMPAIGN = {
    "organisation": "机关党总支",
    "title": "2026年“一份问卷听需求”意见征集",
    "starts_on": _d(9, 1),
    "ends_on": _d(10, 31),
    "description": "面向机关各部门职工发放问卷，收集对物资管理、优质服务和员工关怀的意见建议。",
}
CAMPAIGN_OPINIONS = (
    "希望招标文件范本每季度更新一次",
    "合同结算流程环节多，希望精简",
    "食堂晚餐供应时间太早，加班职工吃不上饭",
    "建议开展需求计划系统操作培训",
    "供应商接待日的预约方式不方便",
    "希望增加职工健身活动场地",
)

# title, branch, registrar login, owner name, category, registered, deadline, steps
PROBLEMS = (
    ("招标文件范本更新不及时", "计划招标党支部", "qianduan", "吴晓峰", "物资管理",
     _at(11, 2), _d(12, 15), ()),
    ("需求计划系统操作培训不足", "计划招标党支部", "qianduan", "林晓雯", "员工关怀",
     _at(11, 3), _d(12, 10), ("start",)),
    ("合同结算环节多、周期长", "采购合同党支部", "zhongduan", "王婷婷", "物资管理",
     _at(10, 10), _d(11, 30), ("start", "resolve")),
    ("供应商接待日预约不便", "采购合同党支部", "zhongduan", "赵磊", "优质服务",
     _at(10, 9), _d(11, 20), ("start", "resolve", "feedback")),
    ("加班职工晚餐无着落", "计划招标党支部", "qianduan", "陈立新", "员工关怀",
     _at(9, 20), _d(10, 20), ("start", "resolve", "feedback", "write_off")),
    ("职工健身活动场地不足", "采购合同党支部", "zhongduan", "刘海涛", "员工关怀",
     _at(9, 22), _d(11, 15), ("start", "resolve", "unsatisfied", "reopen")),
    ("仓库收货排队时间长", "仓储配送党支部", "zongzhi", "冯国庆", "物资管理",
     _at(10, 8), _d(10, 31), ("start", "escalate")),
)


class _Loader:
    def __init__(self, report) -> None:
        self.created = report.created
        for what in ("contact points", "member pairings", "visits", "campaigns", "opinions",
                     "problems"):
            self.created[what] += 0
        self.users = {u.username: u for u in get_user_model().objects.filter(
            username__in=["qianduan", "zhongduan", "zongzhi", "dangyuan"])}

    def person(self, name: str) -> Person | None:
        return Person.objects.filter(name=name).order_by("employee_no").first()

    def run(self) -> None:
        if not self.users.get("qianduan") or not self.person("林晓雯"):
            return  # the members demo was not loaded as written; nothing to hang on to
        self.contact_points()
        self.pairings_and_visits()
        self.campaign()
        self.problems()

    def contact_points(self) -> None:
        for cadre_name, kind, name, team in CONTACT_POINTS:
            cadre = self.person(cadre_name)
            if cadre is None or ContactPoint.objects.filter(cadre=cadre, name=name).exists():
                continue
            services.contact_point_create(cadre=cadre, kind=kind, name=name, paired_team=team,
                                          started_on=_d(1, 1))
            self.created["contact points"] += 1

    def pairings_and_visits(self) -> None:
        member = self.person("林晓雯")
        colleagues = list(Person.objects.filter(branch_id=member.branch_id,
                                                status=Status.MASSES).order_by("-employee_no")[:2])
        for colleague in colleagues:
            if not Pairing.objects.filter(member=member, partner=colleague).exists():
                services.pairing_create(member=member, partner=colleague, started_on=_d(3, 1))
                self.created["member pairings"] += 1
        visits = (
            (_d(10, 15), "one_to_one", "谈近期工作和家庭情况，了解加班较多的原因。",
             ["希望需求计划系统能开展一次操作培训"], True),
            (_d(11, 12), "phone", "电话问候，了解晚餐问题解决后的情况。", [], False),
        )
        secretary = self.person("陈立新")
        for colleague, (on, method, discussion, opinions, reviewed) in zip(
                colleagues, visits, strict=False):
            if Visit.objects.filter(visitor=member, visited=colleague, visited_on=on).exists():
                continue
            visit = services.visit_file(
                visitor=member, opinions=opinions, today=on,
                data=VisitData(visited=colleague, visited_on=on, method=method,
                               discussion=discussion))
            self.created["visits"] += 1
            self.created["opinions"] += len(opinions)
            if reviewed:
                services.visit_review(visit=visit, by=secretary, note="记录完整。",
                                      now=datetime.datetime.combine(
                                          on + datetime.timedelta(days=2), datetime.time(9),
                                          tzinfo=SH))

    def campaign(self) -> None:
        organisation = Organisation.objects.filter(name=CAMPAIGN["organisation"]).first()
        if organisation is None:
            return
        campaign = Campaign.objects.filter(title=CAMPAIGN["title"]).first()
        if campaign is None:
            campaign = services.campaign_create(organisation=organisation, **{
                k: v for k, v in CAMPAIGN.items() if k != "organisation"})
            self.created["campaigns"] += 1
        if campaign.opinions.exists():
            return
        staff = list(Person.objects.filter(branch__path__startswith=organisation.path,
                                           status=Status.MASSES).order_by("-employee_no")[:6])
        recorder = self.person("杨秀英")
        for i, text in enumerate(CAMPAIGN_OPINIONS):
            services.opinion_record(campaign=campaign, text=text, raised_by=staff[i % len(staff)],
                                    recorded_by=recorder, raised_on=_d(9, 5 + i * 3))
            self.created["opinions"] += 1

    def problems(self) -> None:
        categories = {c.name: c for c in ProblemCategory.objects.all()}
        campaign_opinions = {o.text: o for o in Opinion.objects.filter(
            campaign__title=CAMPAIGN["title"], problem__isnull=True)}
        sources = {"招标文件范本更新不及时": "希望招标文件范本每季度更新一次",
                   "合同结算环节多、周期长": "合同结算流程环节多，希望精简",
                   "加班职工晚餐无着落": "食堂晚餐供应时间太早，加班职工吃不上饭",
                   "供应商接待日预约不便": "供应商接待日的预约方式不方便",
                   "职工健身活动场地不足": "希望增加职工健身活动场地"}
        for (title, branch, login, owner, category, registered, deadline,
             steps) in PROBLEMS:
            if Problem.objects.filter(title=title).exists():
                continue
            organisation = Organisation.objects.filter(name=branch).first()
            owner_person = self.person(owner)
            by = self.users.get(login)
            if organisation is None or owner_person is None or by is None:
                continue
            opinion = campaign_opinions.get(sources.get(title, ""))
            problem = services.problem_register(
                title=title, category=categories[category], organisation=organisation,
                owner=owner_person, deadline=deadline, by=by, opinion=opinion,
                raised_by=None if opinion else self.raiser(organisation), now=registered)
            self.created["problems"] += 1
            at = registered
            for step in steps:
                at = at + datetime.timedelta(days=5)
                problem = self.step(problem, step, by, at)

    def raiser(self, organisation: Organisation) -> Person:
        return (Person.objects.filter(branch=organisation, status=Status.MASSES)
                .order_by("employee_no").first()
                or Person.objects.filter(branch=organisation).order_by("employee_no").first())

    def step(self, problem: Problem, step: str, by, at: datetime.datetime) -> Problem:
        if step == "escalate":
            problem_escalate_one(problem_id=problem.pk,
                                 now=datetime.datetime.combine(
                                     problem.deadline + datetime.timedelta(days=1),
                                     datetime.time(9), tzinfo=SH))
            return problem
        action, kwargs = {
            "start": (Action.START, {"note": "已安排专人跟进。"}),
            "resolve": (Action.RESOLVE, {"note": "已制定整改措施并落实到位。"}),
            "feedback": (Action.GIVE_FEEDBACK, {
                "feedback": Feedback(method="phone", satisfied=True),
                "note": "电话回访，提出人表示满意。"}),
            "unsatisfied": (Action.GIVE_FEEDBACK, {
                "feedback": Feedback(method="visit", satisfied=False),
                "note": "当面回访，提出人认为场地仍不够。"}),
            "reopen": (Action.REOPEN, {"deadline": datetime.date(2026, 12, 31),
                                       "note": "协调工会另行安排场地。"}),
            "write_off": (Action.WRITE_OFF, {"note": "问题已解决并反馈，予以销号。"}),
        }[step]
        return services.problem_transition(problem=problem, action=action, by=by, now=at,
                                           **kwargs)


def load(report) -> None:
    """Add the liaison demo rows that are missing; count them in the members demo's
    report."""
    _Loader(report).run()
