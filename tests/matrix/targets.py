"""The objects the matrix opens: the target branch's, or the target person's."""

from __future__ import annotations

from functools import cached_property

from branches.models import Organisation
from members.models import Person

TARGET_BRANCH = "计划招标党支部"
TARGET_PERSON = "林晓雯"  # dangyuan


class Targets:
    """Looked up on first use; the demo is loaded once per module, so pks are stable."""

    @cached_property
    def branch(self) -> Organisation:
        return Organisation.objects.get(name=TARGET_BRANCH)

    @cached_property
    def person(self) -> Person:
        return Person.objects.get(name=TARGET_PERSON)

    @cached_property
    def colleague(self) -> Person:
        """Another member of the target branch, with no login and no post."""
        return (
            Person.objects.active()
            .party_members()
            .filter(branch=self.branch, user=None, posts=None)
            .exclude(pk=self.person.pk)
            .order_by("pk")
            .first()
        )

    def first(self, queryset, what: str):
        obj = queryset.order_by("pk").first()
        assert obj is not None, f"the demo has no {what} for the matrix to open"
        return obj

    # -- by model -------------------------------------------------------------------
    @cached_property
    def meeting(self):
        from meetings.models import Meeting

        return self.first(Meeting.objects.filter(organisation=self.branch), "meeting")

    @cached_property
    def meeting_attachment(self):
        from meetings.models import Attachment

        return self.first(
            Attachment.objects.filter(meeting__organisation=self.branch), "meeting attachment"
        )

    @cached_property
    def attendance(self):
        from meetings.models import Attendance

        return self.first(
            Attendance.objects.filter(person=self.person, meeting__organisation=self.branch),
            "attendance",
        )

    @cached_property
    def visit(self):
        from liaison.models import Visit

        return self.first(Visit.objects.filter(visitor=self.person), "visit")

    @cached_property
    def opinion(self):
        from liaison.models import Opinion

        return self.first(Opinion.objects.filter(organisation=self.branch), "opinion")

    @cached_property
    def problem(self):
        from liaison.models import Problem

        return self.first(Problem.objects.filter(organisation=self.branch), "problem")

    @cached_property
    def campaign(self):
        from liaison.models import Campaign

        # The demo's campaign is 机关党总支's, run in the branches under it.
        return self.first(
            Campaign.objects.filter(
                organisation__in=[*Organisation.objects.get_ancestors(self.branch), self.branch]
            ),
            "campaign",
        )

    @cached_property
    def notification(self):
        from notifications.models import Notification

        return self.first(Notification.objects.filter(recipient=self.person.user), "notification")

    @cached_property
    def assessment(self):
        from assessments.models import BranchAssessment

        return BranchAssessment.objects.filter(branch=self.branch).order_by("-pk").first()

    @cached_property
    def appraisal(self):
        from assessments.models import Appraisal

        return self.first(Appraisal.objects.filter(branch=self.branch), "appraisal")

    @cached_property
    def score_with_attachment(self):
        from assessments.models import Score

        return self.first(
            Score.objects.filter(assessment__branch=self.branch).exclude(attachment=""),
            "score with an attachment",
        )

    @cached_property
    def candidacy(self):
        from development.models import Candidacy

        return self.first(Candidacy.objects.filter(branch=self.branch), "candidacy")

    @cached_property
    def mentor_pair(self):
        from development.models import MentorPair

        return self.first(MentorPair.objects.filter(branch=self.branch), "mentor pair")

    @cached_property
    def pledge(self):
        from vanguard.models import Pledge

        return self.first(Pledge.objects.filter(branch=self.branch), "pledge")

    @cached_property
    def designation(self):
        from vanguard.models import Designation

        return self.first(Designation.objects.filter(organisation=self.branch), "designation")

    @cached_property
    def activity(self):
        from activities.models import Activity

        return self.first(Activity.objects.filter(organisation=self.branch), "activity")

    @cached_property
    def joint_project(self):
        from activities.models import JointProject

        return self.first(JointProject.objects.all(), "joint project")

    @cached_property
    def document(self):
        from activities.models import Document

        return self.first(Document.objects.filter(versions__isnull=False).distinct(), "document")

    @cached_property
    def team(self):
        from serviceteam.models import ServiceTeam

        # The demo's one team is the committee's (dangyuan and zhongduan are on it).
        return self.first(ServiceTeam.objects.all(), "service team")

    @cached_property
    def team_member(self):
        from serviceteam.models import TeamMember

        return self.first(TeamMember.objects.filter(team=self.team), "team member")

    @cached_property
    def service_record(self):
        from serviceteam.models import ServiceRecord

        return self.first(ServiceRecord.objects.filter(team=self.team), "service record")

    @cached_property
    def key_project(self):
        from serviceteam.models import KeyProject

        return self.first(KeyProject.objects.all(), "key project")

    @cached_property
    def import_batch(self):
        from serviceteam.models import ImportBatch

        return ImportBatch.objects.order_by("pk").first()

    @cached_property
    def payment(self):
        from dues.models import Payment

        return self.first(Payment.objects.filter(person=self.person), "dues payment")

    @cached_property
    def material(self):
        from study.models import Material

        return self.first(Material.objects.filter(quiz__isnull=False), "study material")

    @cached_property
    def quiz_attempt(self):
        from study.models import QuizAttempt

        return QuizAttempt.objects.filter(person=self.person).order_by("pk").first()

    @cached_property
    def election(self):
        from elections.models import Election

        return self.first(Election.objects.filter(organisation=self.branch), "election")

    @cached_property
    def candidate(self):
        from elections.models import Candidate

        return self.first(Candidate.objects.filter(election=self.election), "candidate")

    @cached_property
    def transfer(self):
        from transfers.models import Transfer

        return self.first(Transfer.objects.filter(from_branch=self.branch), "transfer")

    @cached_property
    def notice(self):
        from notices.models import Notice

        return self.first(Notice.objects.filter(organisation=self.branch), "notice")

    @cached_property
    def notice_attachment(self):
        from notices.models import NoticeAttachment

        return self.first(
            NoticeAttachment.objects.filter(notice__organisation=self.branch), "notice attachment"
        )
