"""Seed the regulations' party-life frequencies as editable rules.

Creates only missing rows, so an edit made in the admin is never overwritten.
"""

from django.db import migrations

REGULATION = "《中国共产党支部工作条例（试行）》(2018)"
COMPANY = "物资公司党委：二级中心组每月学习一次"

RULES = [
    # meeting kind, organisation kind, period, minimum, source, note
    ("general_meeting", "branch", "quarter", 1, REGULATION,
     "党员大会一般每季度召开1次；须有半数以上有表决权的党员到会。"),
    ("committee_meeting", "branch", "month", 1, REGULATION, "支部委员会会议一般每月召开1次。"),
    ("group_meeting", "group", "month", 1, REGULATION, "党小组会一般每月召开1次。"),
    ("party_lesson", "branch", "quarter", 1, REGULATION,
     "党课（许多支部规定每季度1次）；支部书记每年至少讲1次党课。"),
    ("theme_day", "branch", "month", 1, REGULATION, "每月相对固定1天开展主题党日。"),
    ("org_life", "branch", "year", 1, REGULATION, "组织生活会一般每年召开1次（通常第四季度）。"),
    ("central_study", "general_branch", "month", 1, COMPANY,
     "二级中心组每月学习1次，链上各党组织参加，兼作跨部门问题协调。"),
    ("central_study", "committee", "month", 1, COMPANY,
     "二级中心组每月学习1次，链上各党组织参加，兼作跨部门问题协调。"),
]


def seed(apps, schema_editor):
    ComplianceRule = apps.get_model("meetings", "ComplianceRule")
    for meeting_kind, organisation_kind, period, minimum, source, note in RULES:
        ComplianceRule.objects.get_or_create(
            meeting_kind=meeting_kind,
            organisation_kind=organisation_kind,
            defaults={"period": period, "minimum_count": minimum, "source": source,
                      "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
