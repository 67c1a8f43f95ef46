"""The demo's organisation tree: branches, departments, the pairing and the start date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from branches.models import Organisation

# Memberships, posts and the pairing all start on this day, so reruns are stable.
START = datetime.date(2023, 1, 1)


Kind = Organisation.Kind


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
