"""Seed the problem categories (editable in the admin) and register the ledger's
sweeps as django-celery-beat rows.

Both sweeps run often and act on what is due *by* now (the schedule is on the problem
row), so a missed run catches up and a rerun finds nothing left to do.
"""

import json

from django.db import migrations

CATEGORIES = [
    # name, order
    ("物资管理", 10),
    ("优质服务", 20),
    ("员工关怀", 30),
    ("其他", 90),
]

TASKS = [
    # name, task, minute, hour
    ("问题销账到期提醒", "liaison.tasks.send_problem_reminders", "0", "*/2"),
    ("问题逾期逐级督办", "liaison.tasks.escalate_overdue_problems", "15", "*"),
]


def seed(apps, schema_editor):
    ProblemCategory = apps.get_model("liaison", "ProblemCategory")
    for name, order in CATEGORIES:
        ProblemCategory.objects.get_or_create(name=name, defaults={"order": order})
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in TASKS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*",
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={"task": task, "crontab": schedule, "kwargs": json.dumps({}),
                      "description": "由迁移登记；可在后台修改时间。"},
        )


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[t[0] for t in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
