"""Rows the demo does not have but the matrix needs one of, for the target branch
(attachments, an appraisal, a transfer, an import batch, the member's quiz attempt).
Created once per module inside the demo's transaction."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from .targets import Targets

PDF = b"%PDF-1.4\n% matrix\n"


def _file(name: str) -> ContentFile:
    return ContentFile(PDF, name=name)


def create_extras(t: Targets) -> None:
    from assessments.models import Score
    from assessments.services.appraisal import appraisal_open
    from meetings.models import Attachment
    from notices.models import NoticeAttachment
    from serviceteam.models import ImportBatch
    from study.models import QuizAttempt
    from transfers.models import Transfer
    from transfers.services import TransferData, transfer_issue

    dangwei = get_user_model().objects.get(username="dangwei")
    today = timezone.localdate()
    appraisal_open(scheme=t.assessment.scheme, branch=t.branch)
    meta = {"original_name": "matrix.pdf", "content_type": "application/pdf", "size": len(PDF)}
    Attachment.objects.create(meeting=t.meeting, file=_file("matrix.pdf"), **meta)
    NoticeAttachment.objects.create(notice=t.notice, file=_file("matrix.pdf"), **meta)
    score = Score.objects.filter(assessment=t.assessment).order_by("pk").first()
    score.attachment = _file("matrix.pdf")
    score.save(update_fields=["attachment"])
    if not Transfer.objects.filter(from_branch=t.branch).exists():
        from members.models import Person

        mover = (
            Person.objects.active()
            .party_members()
            .filter(branch=t.branch, user=None)
            .exclude(posts__isnull=False)
            .order_by("pk")
            .first()
        )
        transfer_issue(
            data=TransferData(
                person=mover,
                direction=Transfer.Direction.OUT,
                letter_no="矩阵-001",
                issued_on=today,
                effective_on=today,
                from_branch=t.branch,
                outside_organisation="外单位党委",
            ),
            by=dangwei,
        )
    ImportBatch.objects.create(
        week=today - datetime.timedelta(days=today.weekday()),
        filename="matrix.xlsx",
        content=b"",
        uploaded_by=dangwei,
    )
    if not QuizAttempt.objects.filter(person=t.person).exists():
        from study.models import Quiz

        QuizAttempt.objects.create(
            person=t.person, quiz=Quiz.objects.order_by("pk").first(), number=1
        )


def create_admin_rows(t: Targets) -> None:
    """One row for each admin model the demo leaves empty, and a history record for the
    reference data that migrations seeded without one, so no admin page is skipped."""
    from django.contrib import admin
    from django_celery_beat.models import ClockedSchedule, SolarSchedule

    from accounts.models import LoginThrottle
    from assessments.models import DutyAssessment
    from audit.models import Download
    from members.models import Post

    now = timezone.now()
    LoginThrottle.objects.create(
        username="matrix", failures=1, first_failure_at=now, last_failure_at=now
    )
    Download.objects.create(
        user=t.person.user,
        username=t.person.user.username,
        path="/matrix.xlsx",
        filename="matrix.xlsx",
    )
    ClockedSchedule.objects.create(clocked_time=now)
    SolarSchedule.objects.create(event="sunrise", latitude=31.23, longitude=121.47)
    post = Post.objects.current().filter(organisation=t.branch).order_by("pk").first()
    DutyAssessment.objects.create(scheme=t.assessment.scheme, post=post, branch=t.branch)
    for model in admin.site._registry:
        history = getattr(model, "history", None)
        newest = model._default_manager.order_by("-pk").first()
        if history is not None and newest is not None and not newest.history.exists():
            newest.save()
