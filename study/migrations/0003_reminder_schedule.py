"""Register the study due-date reminder as a django-celery-beat row (edited in the admin).

Runs daily and sends what is due by then (keyed by recipient, reason and assignment),
so a missed day catches up; `days_before` is the task's keyword.
"""

import json

from django.db import migrations

NAME = "学习资料到期提醒"
TASK = "study.tasks.send_study_due_reminders"


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="9", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={"task": TASK, "crontab": schedule, "kwargs": json.dumps({"days_before": 3}),
                  "description": "由迁移登记；可在后台修改时间与参数。"},
    )


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("study", "0002_seed_credit_rules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
