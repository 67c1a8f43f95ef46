"""Seed the dues rules with the regulations' values, make payment entries append-only
in the database, and register the yearly re-declaration reminder with beat.

Rules: 中组部《关于中国共产党党费收缴、使用和管理的规定》(2008). Working members, on
the monthly after-tax salary: up to 3,000 yuan 0.5%; over 3,000 to 5,000 1%; over
5,000 to 10,000 1.5%; over 10,000 2%. Retirees, on the pension: up to 5,000 0.5%,
over 5,000 1%. Students and low-income members 0.20 yuan a month. The committee edits
them in the admin (a new schedule with the date it takes effect).

The trigger refuses UPDATE and DELETE of dues entries whatever the code path (shell,
admin, a bug): a mistake is put right by a correction, a new entry.
"""

import datetime
import json
from decimal import Decimal

from django.db import migrations

SOURCE = "中组部《关于中国共产党党费收缴、使用和管理的规定》(2008)"
IN_FORCE = datetime.date(2008, 4, 1)
SCHEDULES = [
    (
        "在职党员党费标准",
        "working",
        [("3000.00", "0.5"), ("5000.00", "1.0"), ("10000.00", "1.5"), (None, "2.0")],
    ),
    ("离退休党员党费标准", "retired", [("5000.00", "0.5"), (None, "1.0")]),
]
FIXED = [("student", "0.20"), ("low_income", "0.20")]
REMINDER = "党费基数年度申报提醒"


def seed(apps, schema_editor):
    BracketSchedule = apps.get_model("dues", "BracketSchedule")
    Bracket = apps.get_model("dues", "Bracket")
    FixedRate = apps.get_model("dues", "FixedRate")
    for name, category, rows in SCHEDULES:
        schedule, created = BracketSchedule.objects.get_or_create(
            category=category,
            effective_from=IN_FORCE,
            defaults={"name": name, "source": SOURCE},
        )
        if created:
            for upper, rate in rows:
                Bracket.objects.create(
                    schedule=schedule,
                    upper_bound=Decimal(upper) if upper else None,
                    rate=Decimal(rate),
                )
    for category, amount in FIXED:
        FixedRate.objects.get_or_create(
            category=category,
            effective_from=IN_FORCE,
            defaults={"amount": Decimal(amount), "source": SOURCE},
        )
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="9",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=REMINDER,
        defaults={
            "task": "dues.tasks.send_redeclaration_reminders",
            "crontab": crontab,
            "kwargs": json.dumps({"month": 1}),
            "description": "由迁移登记；每日运行，在参数 month 指定的月份提醒未申报当年"
            "党费基数的党员（每人每年一次）。",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=REMINDER).delete()


MESSAGE = "dues entries are append-only: record a correction instead"
# The same guard on both databases the portal runs on: PostgreSQL (tests, production)
# and SQLite (the demo).
APPEND_ONLY = {
    "postgresql": [
        f"""
        CREATE OR REPLACE FUNCTION dues_payment_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '{MESSAGE}';
        END;
        $$ LANGUAGE plpgsql;
        """,
        """
        CREATE TRIGGER dues_payment_append_only BEFORE UPDATE OR DELETE ON dues_payment
            FOR EACH ROW EXECUTE FUNCTION dues_payment_append_only();
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER dues_payment_no_update BEFORE UPDATE ON dues_payment
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
        """,
        f"""
        CREATE TRIGGER dues_payment_no_delete BEFORE DELETE ON dues_payment
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
        """,
    ],
}
DROP_APPEND_ONLY = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS dues_payment_append_only ON dues_payment;",
        "DROP FUNCTION IF EXISTS dues_payment_append_only();",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS dues_payment_no_update;",
        "DROP TRIGGER IF EXISTS dues_payment_no_delete;",
    ],
}


def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("dues", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [
        migrations.RunPython(seed, unseed),
        migrations.RunPython(_run(APPEND_ONLY), _run(DROP_APPEND_ONLY)),
    ]
