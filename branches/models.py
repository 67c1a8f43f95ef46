from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet


class Segment(models.Model):
    """A segment of the materials supply chain (front, middle, back, end), or the
    functional departments that stand outside the chain."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    in_chain = models.BooleanField(
        _("on the supply chain"),
        default=True,
        help_text=_("Functional departments stand outside the chain and support it."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("supply-chain segment")
        verbose_name_plural = _("supply-chain segments")

    def __str__(self) -> str:
        return self.name


class BusinessNode(models.Model):
    """A business node of the chain (tendering, planning, ...), assigned to a segment."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    segment = models.ForeignKey(
        Segment, on_delete=models.PROTECT, related_name="nodes", verbose_name=_("segment")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["segment__order", "order", "pk"]
        verbose_name = _("business node")
        verbose_name_plural = _("business nodes")

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(MP_NodeQuerySet):
    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)

    def branches(self) -> OrganisationQuerySet:
        return self.filter(kind=Organisation.Kind.BRANCH)

    def within(self, paths: list[str] | tuple[str, ...]) -> OrganisationQuerySet:
        """Organisations at or below any of the given tree paths (one indexed query)."""
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)


# Sent (sender=Organisation) after the tree's paths may have changed, in the same
# transaction: a move, or an organisation added among siblings kept in name order (which
# shifts the paths of the siblings after it and of their subtrees). Copies of the paths
# follow it (members.Headcount).
tree_paths_changed = Signal()


class OrganisationManager(MP_NodeManager.from_queryset(OrganisationQuerySet)):
    def get_queryset(self) -> OrganisationQuerySet:
        return OrganisationQuerySet(self.model, using=self._db).order_by("path")

    # treebeard's writers (services, the admin's tree and move form), each followed by
    # `tree_paths_changed` in one transaction.
    def add_root(self, *args, **kwargs):
        return self._announced(super().add_root, *args, **kwargs)

    def add_child(self, *args, **kwargs):
        return self._announced(super().add_child, *args, **kwargs)

    def add_sibling(self, *args, **kwargs):
        return self._announced(super().add_sibling, *args, **kwargs)

    def move(self, *args, **kwargs):
        return self._announced(super().move, *args, **kwargs)

    def _announced(self, write, *args, **kwargs):
        with transaction.atomic():
            result = write(*args, **kwargs)
            tree_paths_changed.send(sender=self.model)
        return result


class Organisation(MP_Node):
    """A party organisation: committee, general branch, branch or party group.

    The tree is a materialised path (django-treebeard): `path` holds the ancestors'
    steps, so a subtree is `path LIKE 'prefix%'` and the ancestors are the path's
    prefixes, each a single query at any depth.
    """

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Party committee")
        GENERAL_BRANCH = "general_branch", _("General branch")
        BRANCH = "branch", _("Branch")
        GROUP = "group", _("Party group")

    # Which kinds may stand directly below which: the regulations' levels.
    ALLOWED_PARENTS = {
        Kind.COMMITTEE: {Kind.COMMITTEE, None},
        Kind.GENERAL_BRANCH: {Kind.COMMITTEE},
        Kind.BRANCH: {Kind.COMMITTEE, Kind.GENERAL_BRANCH},
        Kind.GROUP: {Kind.BRANCH},
    }

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    segment = models.ForeignKey(
        Segment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("supply-chain segment"),
    )
    nodes = models.ManyToManyField(
        BusinessNode,
        blank=True,
        related_name="organisations",
        verbose_name=_("business nodes covered"),
    )
    unit = models.CharField(
        _("unit or departments"),
        max_length=200,
        blank=True,
        help_text=_("The departments or units whose members this organisation gathers."),
    )
    is_joint = models.BooleanField(
        _("joint branch"),
        default=False,
        help_text=_("A joint branch (联合党支部) covers several units with too few members."),
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild"])

    node_order_by = ["name"]
    objects = OrganisationManager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        # `path` is unique, so on PostgreSQL Django already adds a varchar_pattern_ops
        # index beside the unique one: `path LIKE 'prefix%'` is an index range scan
        # (0.8 ms for a subtree count among 91,000 organisations).
        indexes = [models.Index(fields=["kind", "path"], name="org_kind_path_idx")]

    def __str__(self) -> str:
        return self.name

    # No clean() on the kind: whether a kind fits depends on where the node is going, which
    # only the code that places it knows (`organisation_create`, the admin's move form).

    @classmethod
    def validate_parent(cls, kind: str, parent: Organisation | None) -> None:
        """Refuse a tree that breaks the levels (e.g. a group under a committee)."""
        parent_kind = parent.kind if parent else None
        if parent_kind not in cls.ALLOWED_PARENTS[cls.Kind(kind)]:
            if parent is None:
                message = _("A %(kind)s must have a parent organisation.")
            else:
                message = _("A %(kind)s cannot stand below a %(parent)s.")
            raise ValidationError(
                message,
                params={
                    "kind": cls.Kind(kind).label,
                    "parent": cls.Kind(parent_kind).label if parent_kind else "",
                },
                code="invalid_parent",
            )

    @property
    def is_branch(self) -> bool:
        return self.kind == self.Kind.BRANCH

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP


class StructureRule(models.Model):
    """One of the regulations' structure rules, as data the committee can edit.

    Seeded with the values of 《中国共产党支部工作条例（试行）》 and the company's own
    rule; a company may set stricter values, and the regulations change.
    """

    class Code(models.TextChoices):
        BRANCH_MIN_FULL_MEMBERS = "branch_min_full_members", _(
            "Full members needed to set up a branch"
        )
        COMMITTEE_THRESHOLD = "committee_threshold", _(
            "Full members from which a branch has a branch committee"
        )
        COMMITTEE_MIN_SIZE = "committee_min_size", _("Smallest branch committee")
        COMMITTEE_MAX_SIZE = "committee_max_size", _("Largest branch committee")
        BRANCH_MAX_MEMBERS = "branch_max_members", _(
            "Members above which a branch is divided into party groups"
        )
        COMPANY_MIN_MEMBERS = "company_min_members", _("Company rule: fewest members per branch")
        COMPANY_MAX_MEMBERS = "company_max_members", _("Company rule: most members per branch")

    code = models.CharField(_("rule"), max_length=40, choices=Code.choices, unique=True)
    value = models.PositiveIntegerField(_("value"))
    source = models.CharField(_("source"), max_length=200)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("structure rule")
        verbose_name_plural = _("structure rules")

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.value}"


class ExternalOrganisation(models.Model):
    """A party organisation outside the tree, e.g. the parent company's materials
    department branch that a general branch is paired with (结对联创)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    superior = models.CharField(_("superior unit"), max_length=100, blank=True)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("outside organisation")
        verbose_name_plural = _("outside organisations")

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    """A pairing (结对联创) of one of our organisations with an outside one."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="partnerships",
        verbose_name=_("our organisation"),
    )
    partner = models.ForeignKey(
        ExternalOrganisation,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("partner organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "pk"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "partner"],
                condition=Q(ended_on__isnull=True),
                name="one_open_pairing_per_partner",
                violation_error_message=_("These organisations are already paired."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pairing_ends_after_start",
                violation_error_message=_("A pairing cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ⇄ {self.partner}"
