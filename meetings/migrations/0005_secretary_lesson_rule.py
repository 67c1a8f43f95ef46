"""The branch secretary gives at least one party lesson a year.

《中国共产党支部工作条例（试行）》: a rule of its own, counted from the lecturer of the
submitted party lessons (the organisation's secretary in post). Created only when
missing, like the other seeded rules.
"""

from django.db import migrations, models

REGULATION = "《中国共产党支部工作条例（试行）》(2018)"


def seed(apps, schema_editor):
    ComplianceRule = apps.get_model("meetings", "ComplianceRule")
    ComplianceRule.objects.get_or_create(
        meeting_kind="party_lesson",
        organisation_kind="branch",
        given_by="secretary",
        defaults={"period": "year", "minimum_count": 1, "source": REGULATION,
                  "note": "党支部书记每年至少讲1次党课。"},
    )


def unseed(apps, schema_editor):
    apps.get_model("meetings", "ComplianceRule").objects.filter(given_by="secretary").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0004_committee_condition'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='compliancerule',
            options={'ordering': ['organisation_kind', 'period', 'meeting_kind', 'given_by'], 'verbose_name': 'party-life rule', 'verbose_name_plural': 'party-life rules'},
        ),
        migrations.RemoveConstraint(
            model_name='compliancerule',
            name='one_rule_per_meeting_and_organisation_kind',
        ),
        migrations.AddField(
            model_name='compliancerule',
            name='given_by',
            field=models.CharField(choices=[('anyone', 'Anyone'), ('secretary', "The organisation's secretary")], default='anyone', help_text="For party lessons: count only those whose lecturer is the organisation's secretary in post (the regulations: the branch secretary gives at least one party lesson a year).", max_length=20, verbose_name='counts lessons given by'),
        ),
        migrations.AddField(
            model_name='historicalcompliancerule',
            name='given_by',
            field=models.CharField(choices=[('anyone', 'Anyone'), ('secretary', "The organisation's secretary")], default='anyone', help_text="For party lessons: count only those whose lecturer is the organisation's secretary in post (the regulations: the branch secretary gives at least one party lesson a year).", max_length=20, verbose_name='counts lessons given by'),
        ),
        migrations.AddConstraint(
            model_name='compliancerule',
            constraint=models.UniqueConstraint(fields=('meeting_kind', 'organisation_kind', 'given_by'), name='one_rule_per_meeting_organisation_kind_lecturer', violation_error_message='There is already a rule for this kind of meeting and organisation.'),
        ),
        migrations.AddConstraint(
            model_name='compliancerule',
            constraint=models.CheckConstraint(condition=models.Q(('given_by', 'anyone'), ('meeting_kind', 'party_lesson'), _connector='OR'), name='rule_lecturer_only_for_lessons', violation_error_message='Only a party lesson has a lecturer to count by.'),
        ),
        migrations.RunPython(seed, unseed),
    ]
