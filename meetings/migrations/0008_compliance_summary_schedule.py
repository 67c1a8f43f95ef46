"""Register the hourly refresh of the compliance summary as a django-celery-beat row."""

from django.db import migrations

NAME = "三会一课合规汇总刷新"


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="5", hour="*", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={"task": "meetings.tasks.refresh_compliance_summary", "crontab": schedule,
                  "description": "由迁移登记；每小时重算各组织本年度的三会一课合规汇总。"},
    )


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0007_compliance_summary"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(register, unregister)]
