"""Shared set-up for the admin tests: admin URLs, form data, staff, a row of each model."""


from django.contrib.auth import get_user_model
from django.urls import reverse

from branches.models import Organisation
from members.models import Post
from members.permissions import ensure_committee_admin_group
from tests.factories import START

Kind = Organisation.Kind
User = get_user_model()


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_data(response) -> dict:
    """What a browser posts back for an admin form as rendered (with its inlines)."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    return forms_data(forms)


def forms_data(forms) -> dict:
    """What a browser posts back for these forms as rendered (their initial values)."""
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if bound.field.disabled or value is None:
                continue
            widget = bound.field.widget
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif hasattr(widget, "widgets"):  # a split date and time
                parts = value if isinstance(value, list) else widget.decompress(value)
                for index, part in enumerate(parts):
                    data[f"{bound.html_name}_{index}"] = str(part)
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value]
            else:
                data[bound.html_name] = str(value)
    return data


def make_staff(username: str, *, whole_tree: bool = False) -> None:
    """Staff with the committee admin group's permissions on the portal's models.

    Only with `whole_tree` in the group itself, which also reads the whole tree
    (members.view_whole_tree: it is the committee office's). Otherwise with the group's
    permissions but that one, as a subtree's leader given admin rights: scoped by posts."""
    user = User.objects.get(username=username)
    user.is_staff = True
    user.save()
    group = ensure_committee_admin_group()
    if whole_tree:
        user.groups.add(group)
    else:
        user.user_permissions.add(*group.permissions.exclude(codename="view_whole_tree"))


def liaison_objects(world) -> dict:
    """One row of each liaison model, made through its services."""
    from django.utils import timezone

    from liaison import services as liaison
    from liaison.models import Campaign, ContactPoint, Opinion, Pairing, Problem, Visit

    world.branch.refresh_from_db()  # a sibling sorted before it renumbered its path
    today = timezone.localdate()
    visit = liaison.visit_file(visitor=world.member, opinions=["意见"], data=liaison.VisitData(
        visited=world.masses, visited_on=today, method="phone", discussion="问候"))
    return {
        ContactPoint: liaison.contact_point_create(cadre=world.secretary, kind="team",
                                                   name="合同结算班", started_on=START),
        Pairing: liaison.pairing_create(member=world.member, partner=world.masses,
                                        started_on=START),
        Campaign: liaison.campaign_create(organisation=world.branch, title="问卷",
                                          starts_on=START, ends_on=today),
        Visit: visit,
        Opinion: visit.opinions.get(),
        Problem: liaison.problem_register(
            title="问题", category=liaison.ProblemCategory.objects.first(),
            organisation=world.branch, owner=world.member, raised_by=world.masses,
            deadline=today, by=world.secretary.user),
    }


def assessments_objects(world) -> dict:
    """One row of each assessments model, made through its services."""
    import datetime

    from assessments import services as assessments
    from assessments.models import (
        Appraisal,
        BranchAssessment,
        CriterionGroup,
        DutyAssessment,
        PostStar,
        RedFlag,
        RedFlagWeight,
        Scheme,
    )
    from tests.assessments_helpers import make_scheme

    world.branch.refresh_from_db()  # a sibling sorted before it renumbered its path
    scheme = make_scheme()
    post = Post.objects.get(person=world.secretary)
    post.business_post = "合同管理部主任"
    post.save()
    month = datetime.date(2026, 10, 1)
    rule = RedFlagWeight.objects.create(indicator="attendance_rate", weight=100)
    return {
        Scheme: scheme,
        CriterionGroup: scheme.groups.first(),
        BranchAssessment: assessments.assessment_open(scheme=scheme, branch=world.branch),
        Appraisal: assessments.appraisal_open(scheme=scheme, branch=world.branch),
        DutyAssessment: assessments.duty_assessment_save(scheme=scheme, post=post,
                                                         business_score=90),
        RedFlagWeight: rule,
        RedFlag: assessments.red_flag_award(month=month),
        PostStar: assessments.post_star_award(branch=world.branch, person=world.member,
                                              month=month),
    }
