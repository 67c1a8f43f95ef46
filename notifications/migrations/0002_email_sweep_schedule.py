"""Register the e-mail sweep as a django-celery-beat row (shown in the admin).

Reminders send their e-mails themselves after commit; the sweep picks up any row
whose e-mail was not claimed yet (e.g. the broker was down), every five minutes.
"""

from django.db import migrations

NAME = "通知邮件补发"


def register(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={"task": "notifications.tasks.send_pending_emails", "interval": every,
                  "description": "由迁移登记；发送尚未发出的通知邮件。"},
    )


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(register, unregister)]
