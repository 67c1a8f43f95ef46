"""Register the hourly refresh of the overview figures as a django-celery-beat row
(shown and editable in the admin). At minute 20: after the compliance summary's run at
minute 5, so the two heavy reads do not start together."""

from django.db import migrations

NAME = "总览看板数据刷新"


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="20", hour="*", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={"task": "overview.tasks.refresh_overview_figures", "crontab": schedule,
                  "description": "由迁移登记；每小时重算各组织本年度的总览看板月度数据。"},
    )


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("overview", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(register, unregister)]
