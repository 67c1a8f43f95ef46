"""Seed the member-development rules from the regulations, editable in the admin.

Creates only missing rows, so an edit made in the admin is never overwritten.
"""

from django.db import migrations

REGULATION = "《中国共产党发展党员工作细则》(2014)"
COMPANY = "物资公司党委"

RULES = [
    # code, value, unit, source, note
    ("min_age", 18, "years", REGULATION, "年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子可以申请入党。"),
    ("talk_within", 1, "months", REGULATION, "党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话。"),
    ("activist_min", 12, "months", REGULATION, "对入党积极分子进行一年以上培养教育和考察，方可列为发展对象。"),
    ("assessment_interval", 6, "months", REGULATION, "党支部每半年对入党积极分子进行一次考察。"),
    ("contacts_min", 1, "people", REGULATION, "党组织应当指定一至两名正式党员作入党积极分子的培养联系人。"),
    ("contacts_max", 2, "people", REGULATION, "党组织应当指定一至两名正式党员作入党积极分子的培养联系人。"),
    ("training_days", 3, "days", REGULATION, "对发展对象进行短期集中培训，时间一般不少于三天（或不少于二十四个学时）。"),
    ("training_hours", 24, "hours", REGULATION, "对发展对象进行短期集中培训，时间一般不少于三天（或不少于二十四个学时）。"),
    ("introducers", 2, "people", REGULATION, "发展党员，必须有两名正式党员作入党介绍人。"),
    ("approval_within", 3, "months", REGULATION, "上级党委对支部上报的接收预备党员的决议，应当在三个月内审批。"),
    ("probation", 12, "months", REGULATION, "预备党员的预备期为一年，从支部大会通过之日起计算。"),
    ("extension_min", 6, "months", REGULATION, "延长预备期，时间不能少于半年，最长不超过一年。"),
    ("extension_max", 12, "months", REGULATION, "延长预备期，时间不能少于半年，最长不超过一年。"),
    ("reminder_lead", 30, "days", COMPANY, "半年考察与预备期满，提前这么多天提醒支部书记。"),
]


def seed(apps, schema_editor):
    DevelopmentRule = apps.get_model("development", "DevelopmentRule")
    for code, value, unit, source, note in RULES:
        DevelopmentRule.objects.get_or_create(
            code=code, defaults={"value": value, "unit": unit, "source": source, "note": note})


def unseed(apps, schema_editor):
    apps.get_model("development", "DevelopmentRule").objects.filter(
        code__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("development", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
