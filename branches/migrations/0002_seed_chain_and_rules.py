"""Seed the materials supply chain and the regulations' structure rules.

Both are data the committee edits in the admin afterwards; this migration only
creates rows that are missing, so it never overwrites an edit.
"""

from django.db import migrations

SUPPORT_REGULATION = "《中国共产党支部工作条例（试行）》(2018)"
COMPANY_RULE = "物资公司党委：支部人数控制在10至20人"

SEGMENTS = [
    # code, name, in_chain, order, nodes (code, name)
    ("front", "前端", True, 1, [("tendering", "招标"), ("planning", "计划")]),
    ("middle", "中端", True, 2, [("procurement", "采购"), ("contracts", "合同")]),
    ("back", "后端", True, 3, [("warehousing", "仓储"), ("distribution", "配送")]),
    ("end", "末端", True, 4, [("disposal", "废旧物资处置"), ("quality", "质量监督")]),
    ("functional", "职能部门", False, 5, []),
]

RULES = [
    ("branch_min_full_members", 3, SUPPORT_REGULATION,
     "正式党员3人以上的单位成立党支部；不足3人的，可与邻近单位联合成立党支部。"),
    ("committee_threshold", 7, SUPPORT_REGULATION,
     "有正式党员7人以上的党支部设立支部委员会；不足7人的设书记1名，必要时设副书记。"),
    ("committee_min_size", 3, SUPPORT_REGULATION, "支部委员会由3至5人组成。"),
    ("committee_max_size", 7, SUPPORT_REGULATION, "支部委员会一般不超过7人。"),
    ("branch_max_members", 50, SUPPORT_REGULATION,
     "党支部党员人数一般不超过50名；人数较多或分散的，划分党小组。"),
    ("company_min_members", 10, COMPANY_RULE, "公司规定每个支部不少于10人（党员）。"),
    ("company_max_members", 20, COMPANY_RULE, "公司规定每个支部不多于20人（党员）。"),
]


def seed(apps, schema_editor):
    Segment = apps.get_model("branches", "Segment")
    BusinessNode = apps.get_model("branches", "BusinessNode")
    StructureRule = apps.get_model("branches", "StructureRule")
    for code, name, in_chain, order, nodes in SEGMENTS:
        segment, _ = Segment.objects.get_or_create(
            code=code, defaults={"name": name, "in_chain": in_chain, "order": order}
        )
        for position, (node_code, node_name) in enumerate(nodes, start=1):
            BusinessNode.objects.get_or_create(
                code=node_code,
                defaults={"name": node_name, "segment": segment, "order": position},
            )
    for code, value, source, note in RULES:
        StructureRule.objects.get_or_create(
            code=code, defaults={"value": value, "source": source, "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [("branches", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
