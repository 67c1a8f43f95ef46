"""Register the pledge review reminder as a django-celery-beat row (shown in the admin).

It runs daily and reminds each secretary once a week (keyed by recipient, reason and
ISO week), so a missed day catches up; the waiting days are the task's keyword,
which the committee edits in the admin.
"""

import json

from django.db import migrations

NAME = "亮牌承诺待审核提醒"


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="9", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={"task": "vanguard.tasks.send_pledge_review_reminders", "crontab": schedule,
                  "kwargs": json.dumps({"waiting_days": 3}),
                  "description": "由迁移登记；可在后台修改时间与参数。"},
    )


def unregister(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("vanguard", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(register, unregister)]
