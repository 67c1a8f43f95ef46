"""The committee's admin for the organisation tree, the chain and the structure rules.

The organisation change list is a treebeard tree (one level at a time, drilled into),
scoped to the user's subtrees, with each row's party-member count and structure
warnings computed in the page's one query (`with_figures`) and checked against
rules loaded once per request.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import Case, F, OuterRef, QuerySet, When
from django.http import HttpRequest, HttpResponseBadRequest
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin, TreeChangeList
from treebeard.forms import MoveNodeForm, movenodeform_factory

from members.access import Scope, scope_for
from members.admin import PostInline, ServiceRefusalMixin, dry_run, save_post_formset
from members.admin_scope import GuardedHistoryMixin, ScopedAdminMixin
from members.models import Person
from members.selectors import (
    SubqueryCount,
    attach_warnings,
    figures_of,
    with_figures,
    with_subtree_party_members,
)
from members.selectors import structure_warnings as fetch_structure_warnings

from .models import (
    BusinessNode,
    ExternalOrganisation,
    Organisation,
    Partnership,
    Segment,
    StructureRule,
)
from .rules import Rules, StructureWarning, check_branch
from .services import organisation_create

Kind = Organisation.Kind


def _rules_for(request: HttpRequest) -> Rules:
    """The enabled structure rules, loaded once per request (one query)."""
    rules = getattr(request, "_structure_rules", None)
    if rules is None:
        rules = request._structure_rules = Rules.load()
    return rules


# --- Reference data: the chain and the rules (not scoped; model permissions decide) ---


class BusinessNodeInline(admin.TabularInline):
    model = BusinessNode
    fields = ("code", "name", "order")
    extra = 0


@admin.register(Segment)
class SegmentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "in_chain", "order")
    list_editable = ("order",)
    search_fields = ("name", "code")
    inlines = (BusinessNodeInline,)


@admin.register(BusinessNode)
class BusinessNodeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "segment", "order")
    list_filter = ("segment",)
    list_select_related = ("segment",)
    search_fields = ("name", "code")


@admin.register(StructureRule)
class StructureRuleAdmin(SimpleHistoryAdmin):
    """The regulations' structure rules: the committee may set stricter values."""

    list_display = ("code", "value", "is_enabled", "source")
    list_display_links = ("code",)
    list_editable = ("value", "is_enabled")
    list_filter = ("is_enabled",)
    search_fields = ("source", "note")


@admin.register(ExternalOrganisation)
class ExternalOrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "superior", "contact")
    search_fields = ("name", "superior", "contact")


@admin.register(Partnership)
class PartnershipAdmin(ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin):
    scope_path_fields = ("organisation__path",)
    list_display = ("title", "organisation", "partner", "started_on", "ended_on")
    list_select_related = ("organisation", "partner")
    search_fields = ("title", "organisation__name", "partner__name")
    autocomplete_fields = ("organisation", "partner")
    date_hierarchy = "started_on"


# --- The organisation tree ---


def _parent_picker(admin_site) -> AutocompleteSelect:
    """A search box for the parent organisation instead of a drop-down of the whole
    tree (100,000 rows). The admin's autocomplete needs a foreign key to describe the
    target; `Partnership.organisation` is one to any organisation, unrestricted.
    Results come from `OrganisationAdmin.get_queryset`, so they stay in scope."""
    return AutocompleteSelect(Partnership._meta.get_field("organisation"), admin_site)


class OrganisationMoveForm(MoveNodeForm):
    """treebeard's form, reduced to "parent organisation" (the tree is sorted by name,
    so a node's place among its siblings is not a choice) and checked against the
    regulations' levels: a party group only in a branch, a branch only below a
    (general) committee. `scope` and `admin_site` are set by `OrganisationAdmin`."""

    scope: Scope
    admin_site: admin.AdminSite

    treebeard_ref_node = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Parent organisation"),
        help_text=_("Leave empty only for the top-level party committee."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        position = self.fields["treebeard_position"]
        position.widget = forms.HiddenInput()
        position.initial = "sorted-child"

        parent_field = self.fields["treebeard_ref_node"]
        # treebeard has set the whole tree minus this node's own subtree; keep what is
        # in scope, plus the current parent so that an unchanged form stays valid.
        choices = parent_field.queryset
        if not self.scope.sees_all:
            choices = choices & self.scope.organisations()
            current_parent = self.initial.get("treebeard_ref_node")
            if current_parent is not None:
                choices = choices | Organisation.objects.filter(pk=current_parent.pk)
        parent_field.widget = _parent_picker(self.admin_site)
        parent_field.widget.is_required = False
        parent_field.queryset = choices  # also hands the choices to the new widget

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        reference = cleaned_data.get("treebeard_ref_node")
        if cleaned_data.get("treebeard_position") == "sorted-sibling" and reference is not None:
            parent = Organisation.objects.get_parent(reference)
        else:
            parent = reference
        if parent is None and not self.scope.sees_all and not self._is_existing_root():
            self.add_error("treebeard_ref_node", _("Choose the parent organisation."))
            return cleaned_data
        if kind:
            try:
                Organisation.validate_parent(kind, parent)
            except ValidationError as error:
                self.add_error("treebeard_ref_node", error)
            self._check_children_fit(kind)
        if kind and self.instance.pk is None and not self.errors:
            # A new node is placed by treebeard's form; let the service that creates
            # organisations elsewhere judge it too, so its rules hold here as well.
            try:
                dry_run(
                    organisation_create,
                    name=cleaned_data.get("name"),
                    kind=kind,
                    parent=Organisation.objects.get(pk=parent.pk) if parent else None,
                    segment=cleaned_data.get("segment"),
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data

    def _is_existing_root(self) -> bool:
        return self.instance.pk is not None and self.instance.depth == 1

    def _check_children_fit(self, kind: str) -> None:
        """A changed kind must still hold the organisations below it (a branch with
        party groups cannot become a general branch). `Organisation.clean` checks
        only the parent."""
        if self.instance.pk is None or "kind" not in self.changed_data:
            return
        below = Organisation.objects.get_children(self.instance)
        for child_kind in below.order_by().values_list("kind", flat=True).distinct():
            try:
                Organisation.validate_parent(child_kind, Organisation(kind=kind))
            except ValidationError as error:
                self.add_error("kind", error)


class OrganisationChangeList(TreeChangeList):
    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        # Evaluates the page's queryset once and sets `.warnings` on its cached rows;
        # the rows rendered are these same objects. Rules: one query per request.
        attach_warnings(self.result_list, _rules_for(request))


@admin.register(Organisation)
class OrganisationAdmin(
    ServiceRefusalMixin, ScopedAdminMixin, GuardedHistoryMixin, SimpleHistoryAdmin, TreeAdmin
):
    """The party organisation tree.

    The change list shows one level at a time (a general-branch secretary starts at
    their general branch, not at the committee); a search or a filter lists every
    match in scope, flat. Moving a node, in the form or by dragging, is refused when
    it would break the regulations' levels or leave the user's scope.
    """

    scope_path_fields = ("path",)
    form = movenodeform_factory(Organisation, form=OrganisationMoveForm)
    list_display = (
        "name",
        "kind",
        "segment",
        "party_member_count",
        "warnings_summary",
        "is_active",
    )
    list_filter = ("kind", "segment", "is_active")
    list_select_related = ("segment",)
    search_fields = ("name", "unit")
    filter_horizontal = ("nodes",)
    inlines = (PostInline,)
    readonly_fields = ("figures", "structure_warnings")

    # --- Queryset: scope, tree level and figures ---

    def _at_tree_root(self, request: HttpRequest) -> bool:
        """Whether treebeard is about to list the top level of the tree."""
        return (
            hasattr(request, "_treebeard_parent_id")
            and not request._treebeard_parent_id
            and not getattr(request, "_ignore_treebeard_filters", False)
            and not self.is_filtered(request)
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        scope = scope_for(request.user)
        if not scope.sees_all and self._at_tree_root(request):
            # The tree's roots (committees) are out of reach; a scoped user's tree
            # starts at the organisations they lead.
            request._treebeard_parent = None
            queryset = Organisation.objects.filter(path__in=scope.paths)
        else:
            queryset = super().get_queryset(request)
        if getattr(request.resolver_match, "url_name", None) == "autocomplete":
            return queryset  # a search box needs names, not headcounts
        group_members = Person.objects.party_members().filter(group=OuterRef("pk"), is_active=True)
        return with_subtree_party_members(with_figures(queryset)).annotate(
            # Groups hold their people through `Person.group`; everything else counts
            # the party members in its subtree's branches.
            party_member_count=Case(
                When(kind=Kind.GROUP, then=SubqueryCount(group_members)),
                default=F("subtree_party_members"),
            )
        )

    def get_changelist(self, request: HttpRequest, **kwargs):
        return OrganisationChangeList

    # --- Columns and read-only fields ---

    @admin.display(description=_("party members"), ordering="party_member_count")
    def party_member_count(self, obj: Organisation) -> int:
        return obj.party_member_count

    @admin.display(description=_("structure warnings"))
    def warnings_summary(self, obj: Organisation) -> str:
        found: list[StructureWarning] = getattr(obj, "warnings", [])
        if not obj.is_branch:
            return "–"
        if not found:
            return "✓"
        return format_html(
            '<span title="{}"><strong>{}</strong> {}</span>',
            "\n".join(w.message for w in found),
            len(found),
            Truncator(found[0].message).chars(24),
        )

    @admin.display(description=_("figures"))
    def figures(self, obj: Organisation) -> str:
        if obj.pk is None or not hasattr(obj, "full_members"):
            return "–"
        return format_html(
            "{}: {} · {}: {} · {}: {} · {}: {} · {}: {}",
            _("full members"),
            obj.full_members,
            _("party members"),
            obj.party_member_count,
            _("committee members"),
            obj.committee_size,
            _("secretary in post"),
            _("yes") if obj.has_secretary else _("no"),
            _("party groups"),
            obj.group_count,
        )

    @admin.display(description=_("structure warnings"))
    def structure_warnings(self, obj: Organisation) -> str:
        """Each rule the branch breaks, citing the regulation it comes from."""
        if obj.pk is None or not obj.is_branch:
            return _("Checked for branches only.")
        if hasattr(obj, "full_members"):
            found = check_branch(figures_of(obj), Rules.load())
        else:  # e.g. a historical version on the revert page
            found = fetch_structure_warnings(obj)
        if not found:
            return _("None: the branch meets every enabled structure rule.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} <small>({}: {})</small></li>",
                ((w.message, _("source"), w.source or "–") for w in found),
            ),
        )

    def get_fieldsets(self, request: HttpRequest, obj: Organisation | None = None):
        place = (
            "name",
            "kind",
            "treebeard_ref_node",
            "treebeard_position",
            "segment",
            "nodes",
            "unit",
            "is_joint",
            "established_on",
            "is_active",
            "description",
        )
        fieldsets = [(None, {"fields": place})]
        if obj is not None:
            fieldsets.append((_("Structure check"), {"fields": ("figures", "structure_warnings")}))
        return fieldsets

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The form needs the user's scope for its parent choices.
        return type(
            form.__name__,
            (form,),
            {"scope": scope_for(request.user), "admin_site": self.admin_site},
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is PostInline.model:
            save_post_formset(formset)
        else:
            super().save_formset(request, form, formset, change)

    # --- Drag and drop in the tree ---

    def move_node(self, request: HttpRequest):
        """treebeard's drag-and-drop move, refused when the new parent is out of scope
        or the node's kind cannot stand below it."""
        try:
            node = self.get_queryset(request).get(pk=request.POST.get("node"))
            target = Organisation.objects.get(pk=request.POST.get("target"))
        except (Organisation.DoesNotExist, ValueError, TypeError):
            messages.error(request, _("Invalid form data provided"))
            return HttpResponseBadRequest("Invalid form data provided")
        if request.POST.get("relation") == "child":
            parent = target
        else:
            parent = Organisation.objects.get_parent(target)
        scope = scope_for(request.user)
        try:
            if not (scope.sees_all or scope.covers(parent)):
                raise ValidationError(_("You can only move organisations within your scope."))
            Organisation.validate_parent(node.kind, parent)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseBadRequest("Refused move")
        return super().move_node(request)
