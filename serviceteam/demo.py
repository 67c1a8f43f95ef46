"""The service team and supply status demo (called at the end of `members.demo.load()`).

One members' service team under the committee with eight members drawn from the demo
people, twenty services over the past months, eight key projects and six weeks of
weekly statuses advancing week on week, the latest being the current week (so the
board is live whenever the demo is loaded). Rows are keyed (the team by name, places by
person, services by date and unit, projects by code, statuses by project and week) and
nothing that exists is changed, so a second load creates nothing. Everything goes
through `serviceteam.services`.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from branches.models import Organisation
from members.models import Person

from . import services
from .models import (
    ContractStage,
    KeyProject,
    ServiceRecord,
    ServiceTeam,
    TeamMember,
    TenderingStage,
    WeeklyStatus,
    week_start,
)
from .services import RecordData

TEAM_NAME = "物资公司共产党员服务队"
JOINED = datetime.date(2026, 1, 5)
# name, role: the captain first
ROSTER = (
    ("周文博", TeamMember.Role.CAPTAIN),
    ("赵磊", TeamMember.Role.MEMBER),
    ("王婷婷", TeamMember.Role.MEMBER),
    ("孙俊杰", TeamMember.Role.MEMBER),
    ("林晓雯", TeamMember.Role.MEMBER),
    ("吴晓峰", TeamMember.Role.MEMBER),
    ("冯国庆", TeamMember.Role.MEMBER),
    ("袁斌", TeamMember.Role.MEMBER),
)

K = ServiceRecord.Kind
P, S = ServiceRecord.UnitKind.PROJECT_UNIT, ServiceRecord.UnitKind.SUPPLIER
# date, kind, unit kind, unit, members, what was done, outcome, follow-up
RECORDS = (
    (
        (2026, 6, 3),
        K.NEEDS_SURVEY,
        P,
        "市区供电公司",
        ("周文博", "林晓雯"),
        "走访项目部，梳理三季度配网工程物资需求计划。",
        "收集需求计划偏差问题4条。",
        "计划专责跟踪调整。",
    ),
    (
        (2026, 6, 11),
        K.RECONCILIATION,
        S,
        "江苏某电缆有限公司",
        ("王婷婷", "孙俊杰"),
        "核对上半年合同结算台账与开票金额。",
        "差异3笔全部查清。",
        "",
    ),
    (
        (2026, 6, 19),
        K.ON_SITE,
        P,
        "110千伏临港输变电工程项目部",
        ("冯国庆", "袁斌"),
        "现场协调主变压器到货卸车与开箱验收。",
        "当日完成卸车验收。",
        "",
    ),
    (
        (2026, 6, 30),
        K.NEEDS_SURVEY,
        P,
        "浦东供电公司",
        ("吴晓峰", "林晓雯"),
        "调研招标批次安排与工程开工时间的衔接。",
        "提出提前一个批次招标的建议。",
        "纳入下一批招标计划。",
    ),
    (
        (2026, 7, 8),
        K.RECONCILIATION,
        S,
        "上海某开关设备有限公司",
        ("王婷婷", "赵磊"),
        "逐项核对质保金到期与退还情况。",
        "确认可退质保金12项。",
        "财务按月办理。",
    ),
    (
        (2026, 7, 16),
        K.ON_SITE,
        P,
        "220千伏金山输变电工程项目部",
        ("孙俊杰", "冯国庆"),
        "协调组合电器到货时间与土建进度。",
        "到货时间顺延一周，双方确认。",
        "",
    ),
    (
        (2026, 7, 24),
        K.OTHER,
        S,
        "供应商接待日",
        ("赵磊", "周文博"),
        "接待供应商来访，解答合同履约与结算问题。",
        "答复问题9个。",
        "",
    ),
    (
        (2026, 8, 5),
        K.NEEDS_SURVEY,
        P,
        "检修公司",
        ("林晓雯", "吴晓峰"),
        "了解检修备品备件需求与储备定额。",
        "形成备品需求清单。",
        "仓储中心核对库存。",
    ),
    (
        (2026, 8, 13),
        K.ON_SITE,
        P,
        "35千伏奉贤配电工程项目部",
        ("袁斌", "冯国庆"),
        "现场清点电缆盘数量并办理交接。",
        "交接完成，无差异。",
        "",
    ),
    (
        (2026, 8, 21),
        K.RECONCILIATION,
        S,
        "浙江某变压器股份有限公司",
        ("王婷婷", "孙俊杰"),
        "核对变压器合同到货款支付进度。",
        "支付进度与合同一致。",
        "",
    ),
    (
        (2026, 9, 2),
        K.ON_SITE,
        P,
        "110千伏临港输变电工程项目部",
        ("周文博", "孙俊杰"),
        "协调电缆附件缺件补发。",
        "供应商承诺三日内补齐。",
        "跟踪补发到货。",
    ),
    (
        (2026, 9, 10),
        K.NEEDS_SURVEY,
        P,
        "市南供电公司",
        ("吴晓峰", "林晓雯"),
        "调研迎峰度冬物资需求。",
        "梳理急需物资8类。",
        "纳入应急采购。",
    ),
    (
        (2026, 9, 18),
        K.OTHER,
        S,
        "供应商接待日",
        ("赵磊", "王婷婷"),
        "宣讲合同结算新流程，现场答疑。",
        "供应商满意度良好。",
        "",
    ),
    (
        (2026, 9, 29),
        K.ON_SITE,
        P,
        "220千伏松江输变电工程项目部",
        ("冯国庆", "袁斌"),
        "现场协调钢芯铝绞线分批到货。",
        "确定三批次到货计划。",
        "",
    ),
    (
        (2026, 10, 9),
        K.RECONCILIATION,
        S,
        "江苏某电缆有限公司",
        ("王婷婷", "赵磊"),
        "三季度合同结算对账。",
        "对账一致，已确认。",
        "",
    ),
    (
        (2026, 10, 20),
        K.NEEDS_SURVEY,
        P,
        "浦东供电公司",
        ("林晓雯", "周文博"),
        "回访需求计划提报质量。",
        "需求计划准确率提升。",
        "",
    ),
    (
        (2026, 10, 28),
        K.ON_SITE,
        P,
        "500千伏静安变电站扩建工程项目部",
        ("孙俊杰", "冯国庆"),
        "协调主变压器运输路线与进场时间。",
        "大件运输方案确认。",
        "跟踪运输许可。",
    ),
    (
        (2026, 11, 4),
        K.RECONCILIATION,
        S,
        "上海某开关设备有限公司",
        ("王婷婷", "孙俊杰"),
        "核对10月到货验收单与发票。",
        "发现1张验收单漏签，已补签。",
        "",
    ),
    (
        (2026, 11, 12),
        K.ON_SITE,
        P,
        "220千伏金山输变电工程项目部",
        ("袁斌", "周文博"),
        "现场开箱验收组合电器。",
        "验收合格。",
        "",
    ),
    (
        (2026, 11, 18),
        K.NEEDS_SURVEY,
        P,
        "市区供电公司",
        ("吴晓峰", "林晓雯"),
        "调研明年一季度配网物资需求。",
        "形成需求预测初稿。",
        "计划部汇总。",
    ),
)

T, C = TenderingStage, ContractStage
# Stages a project moves through, one step a week when it moves.
STEPS = (
    (30, T.NOT_STARTED, C.NOT_SIGNED, 0),
    (55, T.NOT_STARTED, C.NOT_SIGNED, 0),
    (75, T.IN_PROGRESS, C.NOT_SIGNED, 0),
    (90, T.IN_PROGRESS, C.NOT_SIGNED, 0),
    (100, T.AWARDED, C.NOT_SIGNED, 0),
    (100, T.AWARDED, C.SIGNED, 0),
    (100, T.AWARDED, C.SIGNED, 20),
    (100, T.AWARDED, C.SIGNED, 45),
    (100, T.AWARDED, C.SETTLING, 65),
    (100, T.AWARDED, C.SETTLING, 85),
    (100, T.AWARDED, C.SETTLING, 100),
    (100, T.AWARDED, C.SETTLED, 100),
)
# code, name, unit, voltage, category, first step, weeks stalled at the end, first week
PROJECTS = (
    ("ZDGC-2026-001", "110千伏临港输变电工程", "临港供电公司", "110千伏", "输变电", 5, 0, 0),
    ("ZDGC-2026-002", "220千伏金山输变电工程", "金山供电公司", "220千伏", "输变电", 3, 0, 0),
    ("ZDGC-2026-003", "500千伏静安变电站扩建工程", "超高压公司", "500千伏", "变电", 2, 2, 0),
    ("ZDGC-2026-004", "220千伏松江输变电工程", "松江供电公司", "220千伏", "输变电", 6, 0, 0),
    ("ZDGC-2026-005", "35千伏奉贤配电工程", "奉贤供电公司", "35千伏", "配电", 1, 0, 0),
    ("ZDGC-2026-006", "110千伏嘉定输变电工程", "嘉定供电公司", "110千伏", "输变电", 4, 0, 0),
    ("ZDGC-2026-007", "220千伏宝山电缆线路工程", "宝山供电公司", "220千伏", "线路", 6, 0, 0),
    ("ZDGC-2026-008", "110千伏崇明风电送出工程", "崇明供电公司", "110千伏", "新能源送出", 0, 0, 4),
)
WEEKS = 6
DELAY_NOTE = "主变压器厂家排产延期，已约谈供应商"
RETURN_NOTE = "部分电缆抽检不合格，退货重发"


def _values(index: int, project: tuple, week_no: int) -> dict | None:
    """Project `index`'s status in week `week_no` (0 = five weeks ago, 5 = this week)."""
    _code, _name, _unit, _volt, _cat, first, stalled, first_week = project
    if week_no < first_week:
        return None
    moving_weeks = min(week_no, WEEKS - 1 - stalled)
    step = min(first + moving_weeks - first_week, len(STEPS) - 1)
    plan, tendering, contract, arrival = STEPS[step]
    remarks, delayed = "", False
    if stalled and week_no >= WEEKS - stalled:
        remarks, delayed = DELAY_NOTE, True
    if index == 6 and week_no == WEEKS - 1:  # a regression: goods sent back
        arrival, remarks = STEPS[step - 1][3] - 10, RETURN_NOTE
    return {
        "plan_allocation": plan,
        "tendering": tendering.value,
        "contract": contract.value,
        "arrival": max(arrival, 0),
        "is_delayed": delayed,
        "remarks": remarks,
    }


class _Loader:
    def __init__(self, report) -> None:
        self.created = report.created
        for what in (
            "service teams",
            "service team members",
            "service records",
            "key projects",
            "weekly supply statuses",
        ):
            self.created[what] += 0
        self.entry_user = get_user_model().objects.filter(username="dangyuan").first()

    def person(self, name: str) -> Person | None:
        return Person.objects.filter(name=name).order_by("employee_no").first()

    def run(self) -> None:
        committee = Organisation.objects.filter(
            kind=Organisation.Kind.COMMITTEE, name="物资公司党委"
        ).first()
        if committee is None or self.person("周文博") is None:
            return  # the members demo was not loaded as written
        team = self.team(committee)
        self.records(team)
        self.board()

    def team(self, committee) -> ServiceTeam:
        team = ServiceTeam.objects.filter(name=TEAM_NAME).first()
        if team is None:
            team = services.service_team_create(
                name=TEAM_NAME,
                organisation=committee,
                leader=self.person("高志强"),
                description="面向项目单位和供应商开展需求调研、对账结算、现场协调服务，"
                "每周汇总重点工程物资采购供应状态。",
            )
            self.created["service teams"] += 1
        for name, role in ROSTER:
            person = self.person(name)
            if person is None or TeamMember.objects.filter(team=team, person=person).exists():
                continue
            services.team_member_add(team=team, person=person, role=role, joined_on=JOINED)
            self.created["service team members"] += 1
        return team

    def records(self, team: ServiceTeam) -> None:
        today = timezone.localdate()
        for (y, m, d), kind, unit_kind, unit, names, done, outcome, follow_up in RECORDS:
            served_on = datetime.date(y, m, d)
            if (
                served_on > today
                or ServiceRecord.objects.filter(
                    team=team, served_on=served_on, unit_name=unit
                ).exists()
            ):
                continue
            members = [p for p in (self.person(n) for n in names) if p is not None]
            services.service_record_create(
                team=team,
                members=members,
                by=members[0] if members else None,
                data=RecordData(
                    served_on=served_on,
                    kind=kind,
                    unit_kind=unit_kind,
                    unit_name=unit,
                    work_done=done,
                    outcome=outcome,
                    follow_up=follow_up,
                ),
            )
            self.created["service records"] += 1

    def board(self) -> None:
        this_week = week_start(timezone.localdate())
        for index, spec in enumerate(PROJECTS):
            code, name, unit, voltage, category = spec[:5]
            project, made = KeyProject.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "project_unit": unit,
                    "voltage_level": voltage,
                    "category": category,
                },
            )
            self.created["key projects"] += int(made)
            for week_no in range(WEEKS):
                week = this_week - datetime.timedelta(weeks=WEEKS - 1 - week_no)
                values = _values(index, spec, week_no)
                if (
                    values is None
                    or WeeklyStatus.objects.filter(project=project, week=week).exists()
                ):
                    continue
                services.weekly_status_record(
                    project=project, week=week, values=values, by=self.entry_user
                )
                self.created["weekly supply statuses"] += 1


def load(report) -> None:
    """Add the demo rows that are missing; count them in the report."""
    _Loader(report).run()
