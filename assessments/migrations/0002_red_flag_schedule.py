"""Register the monthly mobile red flag as a django-celery-beat row (shown in the
admin): on the 1st at 08:00 Asia/Shanghai, last month's flag by the admin's rule.
The task awards a month only once, so a rerun or a late run is harmless."""

from django.db import migrations

NAME = "流动红旗月度评定"
TASK = "assessments.tasks.award_monthly_red_flag"


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="8", day_of_week="*", day_of_month="1", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={"task": TASK, "crontab": schedule, "kwargs": "{}",
                  "description": "由迁移登记：每月1日评定上月流动红旗（按后台规则，每月仅一次）；"
                                 "可在后台修改时间。"},
    )


def unregister(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(register, unregister)]
