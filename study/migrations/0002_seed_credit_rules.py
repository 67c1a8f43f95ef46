"""Seed the credit rules; the committee edits them in the admin afterwards."""

from decimal import Decimal

from django.db import migrations

RULES = [
    # event, name, points, monthly cap, note
    ("read", "学习资料已读", Decimal("1.0"), Decimal("10.0"),
     "每读完一份指派的学习资料得 1 分，每月最多 10 分。"),
    ("quiz_passed", "学习测验通过", Decimal("2.0"), Decimal("20.0"),
     "每份资料的测验通过一次得 2 分，每月最多 20 分。"),
    ("quiz_perfect", "学习测验满分", Decimal("1.0"), Decimal("10.0"),
     "测验满分另加 1 分，每月最多 10 分。"),
]


def seed(apps, schema_editor):
    CreditRule = apps.get_model("study", "CreditRule")
    for event, name, points, cap, note in RULES:
        CreditRule.objects.get_or_create(
            event=event,
            defaults={"name": name, "points": points, "monthly_cap": cap, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("study", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
