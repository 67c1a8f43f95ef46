"""Register the party-life reminders as django-celery-beat rows (shown in the admin).

Both tasks run daily and send what is due by then (keyed by recipient, reason and
period), so a missed day catches up and the day of the month is the task's `day`
keyword, which the committee edits in the admin.
"""

import json

from django.db import migrations

TASKS = [
    # name, task, hour, minute, kwargs
    ("每月二级中心组学习提醒", "meetings.tasks.send_monthly_study_reminders", "8", "0",
     {"day": 1}),
    ("三会一课到期提醒", "meetings.tasks.send_compliance_reminders", "8", "30",
     {"days_before": 7}),
]


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, hour, minute, kwargs in TASKS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*",
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={"task": task, "crontab": schedule, "kwargs": json.dumps(kwargs),
                      "description": "由迁移登记；可在后台修改时间与参数。"},
        )


def unregister(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[t[0] for t in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_seed_compliance_rules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(register, unregister)]
