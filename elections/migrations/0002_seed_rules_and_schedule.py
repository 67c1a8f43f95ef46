"""Seed the term rules from the regulations and register the daily term-reminder task.

《中国共产党基层组织选举工作条例》(2020): a basic-level party committee (党的基层委员会)
serves 5 years, a general branch committee and a branch committee 3 years;
《中国共产党支部工作条例（试行）》(2018): a branch committee's term is generally 3 years.
The committee edits the values in the admin; the reminder windows (6 months and 1
month before the end) are the company's practice.
"""

import json

from django.db import migrations

SOURCE_ELECTIONS = "《中国共产党基层组织选举工作条例》（2020）"
SOURCE_BRANCH = "《中国共产党支部工作条例（试行）》（2018）；《中国共产党基层组织选举工作条例》（2020）"
RULES = [
    ("committee", 5, SOURCE_ELECTIONS),
    ("general_branch", 3, SOURCE_ELECTIONS),
    ("branch", 3, SOURCE_BRANCH),
]
TASK_NAME = "换届到期提醒"


def seed(apps, schema_editor):
    TermRule = apps.get_model("elections", "TermRule")
    for kind, years, source in RULES:
        TermRule.objects.get_or_create(
            organisation_kind=kind,
            defaults={"years": years, "first_reminder_months": 6, "second_reminder_months": 1,
                      "source": source},
        )
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="8", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={"task": "elections.tasks.send_term_reminders", "crontab": schedule,
                  "kwargs": json.dumps({}),
                  "description": "由迁移登记；每日发送届满前6个月、1个月及逾期提醒，可在后台修改时间。"},
    )


def unseed(apps, schema_editor):
    apps.get_model("elections", "TermRule").objects.filter(
        organisation_kind__in=[r[0] for r in RULES]).delete()
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
