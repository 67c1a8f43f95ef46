"""Quorums as data: a meeting without its quorum is not valid, so it does not count.

Seeded from 《中国共产党支部工作条例（试行）》: the branch general meeting needs more than
half of the members with a vote (full members) present, the branch committee meeting
more than half of the committee. Rows are created only when missing.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


REGULATION = "《中国共产党支部工作条例（试行）》(2018)"
QUORUMS = [
    # meeting kind, voters, more than percent, note
    ("general_meeting", "full_members", 50,
     "党员大会须有半数以上有表决权的党员到会方可召开；预备党员没有表决权。"),
    ("committee_meeting", "expected", 50, "支部委员会会议须有半数以上委员到会方可召开。"),
]


def seed(apps, schema_editor):
    QuorumRule = apps.get_model("meetings", "QuorumRule")
    for kind, voters, percent, note in QUORUMS:
        QuorumRule.objects.get_or_create(
            meeting_kind=kind,
            defaults={"voters": voters, "more_than_percent": percent, "source": REGULATION,
                      "note": note},
        )


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0005_secretary_lesson_rule'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmeeting',
            name='is_quorate',
            field=models.BooleanField(default=True, help_text='A submitted meeting without its quorum is kept in the record but does not count toward the obligations.', verbose_name='quorate'),
        ),
        migrations.AddField(
            model_name='historicalmeeting',
            name='quorum_needed',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='quorum'),
        ),
        migrations.AddField(
            model_name='historicalmeeting',
            name='quorum_present',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='of them present'),
        ),
        migrations.AddField(
            model_name='historicalmeeting',
            name='quorum_voters',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='members entitled to attend'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='is_quorate',
            field=models.BooleanField(default=True, help_text='A submitted meeting without its quorum is kept in the record but does not count toward the obligations.', verbose_name='quorate'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='quorum_needed',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='quorum'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='quorum_present',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='of them present'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='quorum_voters',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='members entitled to attend'),
        ),
        migrations.CreateModel(
            name='HistoricalQuorumRule',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('meeting_kind', models.CharField(choices=[('general_meeting', 'Branch general meeting (支部党员大会)'), ('committee_meeting', 'Branch committee meeting (支部委员会)'), ('group_meeting', 'Party-group meeting (党小组会)'), ('party_lesson', 'Party lesson (党课)'), ('theme_day', 'Theme party day (主题党日)'), ('org_life', 'Organisational life meeting (组织生活会)'), ('central_study', 'Second-level central-group study (二级中心组学习)')], db_index=True, error_messages={'unique': 'There is already a quorum for this kind of meeting.'}, max_length=24, verbose_name='kind of meeting')),
                ('voters', models.CharField(choices=[('full_members', 'Full members expected (those with a vote)'), ('expected', 'Everyone expected')], default='full_members', help_text='Whom the share is taken of: probationary members have no vote.', max_length=20, verbose_name='counted among')),
                ('more_than_percent', models.PositiveSmallIntegerField(default=50, help_text='50: more than half must be present; 80: more than four fifths.', verbose_name='more than (percent) present')),
                ('source', models.CharField(max_length=200, verbose_name='source')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('is_enabled', models.BooleanField(default=True, verbose_name='enabled')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical quorum',
                'verbose_name_plural': 'historical quorums',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='QuorumRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('meeting_kind', models.CharField(choices=[('general_meeting', 'Branch general meeting (支部党员大会)'), ('committee_meeting', 'Branch committee meeting (支部委员会)'), ('group_meeting', 'Party-group meeting (党小组会)'), ('party_lesson', 'Party lesson (党课)'), ('theme_day', 'Theme party day (主题党日)'), ('org_life', 'Organisational life meeting (组织生活会)'), ('central_study', 'Second-level central-group study (二级中心组学习)')], error_messages={'unique': 'There is already a quorum for this kind of meeting.'}, max_length=24, unique=True, verbose_name='kind of meeting')),
                ('voters', models.CharField(choices=[('full_members', 'Full members expected (those with a vote)'), ('expected', 'Everyone expected')], default='full_members', help_text='Whom the share is taken of: probationary members have no vote.', max_length=20, verbose_name='counted among')),
                ('more_than_percent', models.PositiveSmallIntegerField(default=50, help_text='50: more than half must be present; 80: more than four fifths.', verbose_name='more than (percent) present')),
                ('source', models.CharField(max_length=200, verbose_name='source')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('is_enabled', models.BooleanField(default=True, verbose_name='enabled')),
            ],
            options={
                'verbose_name': 'quorum',
                'verbose_name_plural': 'quorums',
                'ordering': ['meeting_kind'],
                'constraints': [models.CheckConstraint(condition=models.Q(('more_than_percent__lt', 100)), name='quorum_below_everyone', violation_error_message='The share must be below 100 percent.')],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
