"""The branch committee meeting is due only where a branch committee exists.

《中国共产党支部工作条例（试行）》: a branch with 7 or more full members has a branch
committee; a smaller one has a secretary. The condition is data on the rule (the
threshold itself is the structure rule `committee_threshold`), set here on the
seeded monthly committee-meeting rule of branches.
"""

from django.db import migrations, models


def committee_meetings_need_a_committee(apps, schema_editor):
    ComplianceRule = apps.get_model("meetings", "ComplianceRule")
    ComplianceRule.objects.filter(
        meeting_kind="committee_meeting", organisation_kind="branch", applies_when="always"
    ).update(applies_when="has_committee")


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0003_reminder_schedules'),
    ]

    operations = [
        migrations.AddField(
            model_name='compliancerule',
            name='applies_when',
            field=models.CharField(choices=[('always', 'Always'), ('has_committee', 'Only when the organisation has a branch committee')], default='always', help_text='A branch has a branch committee when its full members reach the structure rule “Full members from which a branch has a branch committee” (7 in the regulations); a smaller branch has a secretary instead and no committee meetings to hold.', max_length=20, verbose_name='applies'),
        ),
        migrations.AddField(
            model_name='historicalcompliancerule',
            name='applies_when',
            field=models.CharField(choices=[('always', 'Always'), ('has_committee', 'Only when the organisation has a branch committee')], default='always', help_text='A branch has a branch committee when its full members reach the structure rule “Full members from which a branch has a branch committee” (7 in the regulations); a smaller branch has a secretary instead and no committee meetings to hold.', max_length=20, verbose_name='applies'),
        ),
        migrations.RunPython(committee_meetings_need_a_committee, migrations.RunPython.noop),
    ]
