from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import BusinessNode, Organisation


def _rank(field: str, values) -> models.Case:
    """An integer column ordering `field` by the position of its value in `values`."""
    return models.Case(
        *(models.When(**{field: value}, then=models.Value(i)) for i, value in enumerate(values)),
        default=models.Value(len(values)),
        output_field=models.IntegerField(),
    )


class PersonQuerySet(models.QuerySet):
    def party_members(self) -> PersonQuerySet:
        return self.filter(status__in=Person.PARTY_STATUSES)

    def in_status_order(self) -> PersonQuerySet:
        """Full members first, then probationary, ... non-party staff last; by name."""
        order = list(reversed(Person.Status.values))
        return self.alias(status_rank=_rank("status", order)).order_by("status_rank", "name", "pk")

    def active(self) -> PersonQuerySet:
        return self.filter(is_active=True)


class Person(models.Model):
    """Anyone the portal knows: party members, those on the way to membership, and
    non-party staff (群众), who need no login."""

    class Status(models.TextChoices):
        MASSES = "masses", _("Non-party staff")
        APPLICANT = "applicant", _("Applicant")
        ACTIVIST = "activist", _("Activist")
        CANDIDATE = "candidate", _("Development candidate")
        PROBATIONARY = "probationary", _("Probationary member")
        FULL = "full", _("Full member")

    class Gender(models.TextChoices):
        MALE = "m", _("Male")
        FEMALE = "f", _("Female")

    PARTY_STATUSES = (Status.PROBATIONARY, Status.FULL)

    name = models.CharField(_("name"), max_length=50, db_index=True)
    employee_no = models.CharField(
        _("employee number"), max_length=20, unique=True, null=True, blank=True
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    node = models.ForeignKey(
        BusinessNode,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("business node"),
    )
    job_title = models.CharField(_("job"), max_length=100, blank=True)
    status = models.CharField(
        _("political status"), max_length=20, choices=Status.choices, default=Status.MASSES
    )
    joined_party_on = models.DateField(_("admitted to the party on"), null=True, blank=True)
    full_member_on = models.DateField(_("full member since"), null=True, blank=True)
    # The current branch and group, kept by the membership services so that scoping a
    # list of people is one join; `Membership` keeps the dated history.
    branch = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("branch"),
        limit_choices_to={"kind": Organisation.Kind.BRANCH},
    )
    group = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_people",
        verbose_name=_("party group"),
        limit_choices_to={"kind": Organisation.Kind.GROUP},
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # Staff holding it read the whole tree as the committee does (members.access),
        # without a post; writing still takes a post. The committee admin group has it.
        permissions = [("view_whole_tree", _("Can read the whole organisation tree"))]
        # Partial: headcounts count the active only, and read the index alone (an
        # index-only scan of 200,000 people takes a quarter of the table's time).
        indexes = [
            models.Index(
                fields=["branch", "status"],
                condition=Q(is_active=True),
                name="person_active_branch_status",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(full_member_on__isnull=True)
                | Q(joined_party_on__isnull=True)
                | Q(full_member_on__gte=F("joined_party_on")),
                name="full_membership_after_admission",
                violation_error_message=_(
                    "Full membership cannot come before admission to the party."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        person = super().from_db(db, field_names, values)
        # Where the person was counted (members.headcounts), to recount the branch
        # they leave when a save moves them; None when a field was not loaded.
        loaded = person.__dict__
        person.counted_as = (
            (loaded["branch_id"], loaded["status"], loaded["is_active"])
            if {"branch_id", "status", "is_active"} <= loaded.keys()
            else None
        )
        return person

    @property
    def is_party_member(self) -> bool:
        return self.status in self.PARTY_STATUSES

    @property
    def masked_phone(self) -> str:
        """The phone number with its middle digits hidden, for lists."""
        if len(self.phone) < 7:
            return "*" * len(self.phone)
        return f"{self.phone[:3]}****{self.phone[-4:]}"


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None) -> MembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)


class Membership(models.Model):
    """A person's membership of a branch (and party group), with dates.

    Non-party staff are attached to the branch that covers their department, which
    is how a branch knows whom its members pair with and visit.
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    branch = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("branch"),
        limit_choices_to={"kind": Organisation.Kind.BRANCH},
    )
    group = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("party group"),
        limit_choices_to={"kind": Organisation.Kind.GROUP},
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="one_open_membership_per_person",
                violation_error_message=_("This person already belongs to a branch."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="membership_ends_after_start",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.branch}"


class PostQuerySet(models.QuerySet):
    def current(self, on=None) -> PostQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)

    def in_role_order(self) -> PostQuerySet:
        """Secretary, deputy, then committee members, as a committee is listed."""
        return self.alias(role_rank=_rank("role", Post.Role.values)).order_by(
            "role_rank", "started_on", "pk"
        )

    def committee(self) -> PostQuerySet:
        """Posts that make up a branch committee (not group leaders)."""
        return self.exclude(role=Post.Role.GROUP_LEADER)


class Post(models.Model):
    """A post in an organisation: secretary, deputy, committee member or group leader.

    Holding a post gives the person the organisation's subtree to see and manage;
    that is the whole of the access model (see `members.access`).
    """

    class Role(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
        ORGANISATION = "organisation", _("Organisation member")
        PROPAGANDA = "propaganda", _("Propaganda member")
        DISCIPLINE = "discipline", _("Discipline inspection member")
        COMMITTEE = "committee", _("Committee member")
        GROUP_LEADER = "group_leader", _("Party-group leader")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="posts", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="posts", verbose_name=_("organisation")
    )
    role = models.CharField(_("post"), max_length=20, choices=Role.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    is_part_time = models.BooleanField(
        _("part-time"),
        default=True,
        help_text=_("Most secretaries also hold a business post."),
    )
    business_post = models.CharField(
        _("business post"),
        max_length=100,
        blank=True,
        help_text=_(
            "E.g. head of the contract department: a part-time secretary who is "
            "also a department head carries “one post, two duties” (一岗双责)."
        ),
    )
    history = HistoricalRecords()

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__path", "role", "pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [models.Index(fields=["person", "ended_on"], name="post_person_open_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(role="secretary", ended_on__isnull=True),
                name="one_secretary_per_organisation",
                violation_error_message=_("This organisation already has a secretary."),
            ),
            models.UniqueConstraint(
                fields=["person", "organisation", "role"],
                condition=Q(ended_on__isnull=True),
                name="one_open_post_per_role",
                violation_error_message=_("This person already holds this post."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="post_ends_after_start",
                violation_error_message=_("A post cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_role_display()} {self.person}"

    @property
    def carries_two_duties(self) -> bool:
        """A part-time secretary with a business post: assessed on both (一岗双责)."""
        return (
            self.role in (self.Role.SECRETARY, self.Role.DEPUTY_SECRETARY)
            and self.is_part_time
            and bool(self.business_post)
        )


class Headcount(models.Model):
    """How many active people of one political status a branch has: a maintained
    summary (members.headcounts), so that a committee's overview adds up a few
    thousand of these rather than counting two hundred thousand people per request.

    Exact at every commit: saving or deleting a person recounts the branches they
    leave and join in the same transaction; bulk writers (the scale generator) and
    the hourly overview refresh recount everything."""

    branch = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("branch"),
    )
    # A copy of the branch's tree path, so that a committee's overview adds up its
    # subtree without joining the tree; rewritten by every recount and by a move.
    path = models.CharField(_("branch path"), max_length=255, default="", editable=False)
    status = models.CharField(_("political status"), max_length=20, choices=Person.Status.choices)
    people = models.PositiveIntegerField(_("people"))

    class Meta:
        verbose_name = _("headcount")
        verbose_name_plural = _("headcounts")
        constraints = [
            models.UniqueConstraint(fields=["branch", "status"], name="one_headcount_per_status")
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.status} {self.people}"


# The roster import's record lives beside the import (members/imports/).
from .imports.models import RosterImport  # noqa: E402, F401
