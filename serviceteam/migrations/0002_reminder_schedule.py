"""Register the weekly supply status reminder as a django-celery-beat row (shown in the
admin). It runs daily; from the `weekday` keyword on (3 = Thursday) it reminds the team
once a week while some project is missing, so a missed day catches up."""

import json

from django.db import migrations

NAME = "重点工程物资供应状态周报提醒"


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="9", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={"task": "serviceteam.tasks.send_weekly_status_reminders",
                  "crontab": schedule, "kwargs": json.dumps({"weekday": 3}),
                  "description": "由迁移登记；可在后台修改时间与参数。"},
    )


def unregister(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("serviceteam", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(register, unregister)]
