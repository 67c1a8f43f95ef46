"""The admin as the committee's product: every page opens, rows stay in scope, the
tree keeps its levels, memberships go through the service, lists do not grow
queries with rows."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from branches.models import (
    BusinessNode,
    ExternalOrganisation,
    Organisation,
    Partnership,
    Segment,
    StructureRule,
)
from members.models import Membership, Person, Post
from members.permissions import ensure_committee_admin_group
from tests.factories import START, PersonFactory, make_leader, make_member, make_org

Kind = Organisation.Kind
User = get_user_model()

ADMIN_APPS = {"branches", "members", "liaison", "auth"}
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in ADMIN_APPS),
    key=lambda model: model._meta.label,
)


def _ids(model) -> str:
    return model._meta.label


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_data(response) -> dict:
    """What a browser posts back for an admin form as rendered (with its inlines)."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if bound.field.disabled or value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)
    return data


def make_staff(username: str) -> None:
    user = User.objects.get(username=username)
    user.is_staff = True
    user.save()
    user.groups.add(ensure_committee_admin_group())


@pytest.fixture
def superuser(login):
    return login("superuser")


@pytest.fixture
def objects(world) -> dict:
    """One object of each registered model, for its change and history pages."""
    partner = ExternalOrganisation.objects.create(name="国网物资部党支部", superior="国网公司")
    pairing = Partnership.objects.create(
        organisation=world.general, partner=partner, title="现场收货服务提升", started_on=START
    )
    return {
        Segment: Segment.objects.get(code="middle"),
        BusinessNode: BusinessNode.objects.get(code="contracts"),
        Organisation: world.branch,
        StructureRule: StructureRule.objects.get(code="committee_threshold"),
        ExternalOrganisation: partner,
        Partnership: pairing,
        Person: world.member,
        Membership: world.member.memberships.get(),
        Post: Post.objects.get(person=world.secretary),
        User: User.objects.get(username="member"),
        Group: ensure_committee_admin_group(),
        **assessments_objects(world),
        **liaison_objects(world),
    }


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


# --- Every page opens ---


@pytest.mark.parametrize("model", REGISTERED, ids=_ids)
def test_it_opens_every_changelist_and_add_page(superuser, model):
    assert superuser.get(url(model, "changelist")).status_code == 200
    assert superuser.get(url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=_ids)
def test_it_opens_every_change_and_history_page(superuser, objects, model):
    obj = objects.get(model) or model._default_manager.first()
    assert obj is not None, f"No {model._meta.label} to open: add one to the `objects` fixture."
    assert superuser.get(url(model, "change", obj.pk)).status_code == 200
    assert superuser.get(url(model, "history", obj.pk)).status_code == 200


def test_it_opens_an_organisations_history_after_an_edit_in_the_admin(superuser, world):
    change = url(Organisation, "change", world.branch.pk)
    data = form_data(superuser.get(change))
    data["unit"] = "合同管理部"
    assert superuser.post(change, data).status_code == 302

    history = superuser.get(url(Organisation, "history", world.branch.pk))
    assert history.status_code == 200
    before_edit = world.branch.history.filter(unit="").latest()
    revert = reverse(
        "admin:branches_organisation_simple_history", args=(world.branch.pk, before_edit.history_id)
    )
    revert_page = superuser.get(revert)
    assert revert_page.status_code == 200
    assert superuser.post(revert, form_data(revert_page)).status_code == 302
    world.branch.refresh_from_db()
    assert world.branch.unit == ""
    assert Organisation.objects.get_parent(world.branch) == world.general
    assert not any(Organisation.objects.find_problems())


def test_it_shows_the_tree_one_level_at_a_time(superuser, world):
    top = superuser.get(url(Organisation, "changelist")).content.decode()
    assert world.committee.name in top
    assert world.branch.name not in top

    children = superuser.get(url(Organisation, "changelist") + f"children/{world.general.pk}/")
    assert children.status_code == 200
    assert world.branch.name in children.json()["result_html"]


def test_it_shows_a_branchs_structure_warnings_with_their_source(superuser, world):
    page = superuser.get(url(Organisation, "change", world.branch.pk)).content.decode()
    source = StructureRule.objects.get(code="company_min_members").source
    assert source in page


# --- Personas and scope ---


def test_it_lets_the_committee_open_the_person_list(login, world):
    make_staff("committee")
    response = login("committee").get(url(Person, "changelist"))
    assert response.status_code == 200
    assert world.other_member.name in response.content.decode()


def test_it_shows_a_general_branch_only_its_subtree(login, world):
    make_staff("general")
    client = login("general")

    tree = client.get(url(Organisation, "changelist")).content.decode()
    assert world.general.name in tree
    assert world.committee.name not in tree
    assert world.functional.name not in tree

    flat = client.get(url(Organisation, "changelist"), {"is_active__exact": "1"}).content.decode()
    for inside in (world.general, world.branch, world.group, world.other_branch):
        assert inside.name in flat
    for outside in (world.committee, world.functional):
        assert outside.name not in flat

    people = client.get(url(Person, "changelist")).content.decode()
    assert world.member.name in people
    assert world.other_member.name in people
    assert world.committee_secretary.name not in people

    assert client.get(url(Organisation, "change", world.committee.pk)).status_code == 302
    assert client.get(url(Organisation, "history", world.committee.pk)).status_code in (
        302,
        403,
        404,
    )


def test_it_offers_a_general_branch_only_organisations_in_scope(login, world):
    make_staff("general")
    response = login("general").get(
        reverse("admin:autocomplete"),
        {
            "app_label": "branches",
            "model_name": "partnership",
            "field_name": "organisation",
            "term": "党",
        },
    )
    names = {result["text"] for result in response.json()["results"]}
    assert world.branch.name in names
    assert world.committee.name not in names
    assert world.functional.name not in names


def test_it_lets_a_general_branch_save_its_own_organisation(login, world):
    """Its parent (the committee) is out of scope, but an unchanged parent is kept."""
    make_staff("general")
    client = login("general")
    change = url(Organisation, "change", world.general.pk)
    data = form_data(client.get(change))
    data["unit"] = "采购部、物资供应部"
    assert client.post(change, data).status_code == 302
    world.general.refresh_from_db()
    assert world.general.unit == "采购部、物资供应部"


# --- The tree keeps its levels ---


def test_it_refuses_a_party_group_under_a_committee(superuser, world):
    add = url(Organisation, "add")
    data = form_data(superuser.get(add))
    data.update(
        name="越级党小组",
        kind=Kind.GROUP,
        treebeard_ref_node=str(world.committee.pk),
        treebeard_position="sorted-child",
    )
    response = superuser.post(add, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["treebeard_ref_node"]
    assert errors
    assert errors[0] in response.content.decode()
    assert not Organisation.objects.filter(name="越级党小组").exists()


def test_it_adds_a_party_group_in_a_branch(superuser, world):
    add = url(Organisation, "add")
    data = form_data(superuser.get(add))
    data.update(
        name="第二党小组",
        kind=Kind.GROUP,
        treebeard_ref_node=str(world.branch.pk),
        treebeard_position="sorted-child",
    )
    assert superuser.post(add, data).status_code == 302
    group = Organisation.objects.get(name="第二党小组")
    assert Organisation.objects.get_parent(group) == world.branch
    assert not Organisation.objects.find_problems()[0]


def test_it_refuses_to_drag_a_party_group_under_a_committee(superuser, world):
    response = superuser.post(
        url(Organisation, "changelist") + "move/",
        {"node": world.group.pk, "target": world.committee.pk, "relation": "child"},
    )
    assert response.status_code == 400
    world.group.refresh_from_db()
    assert Organisation.objects.get_parent(world.group) == world.branch


# --- Memberships go through the service ---


def test_it_moves_a_person_through_the_membership_inline(superuser, world):
    change = url(Person, "change", world.member.pk)
    data = form_data(superuser.get(change))
    data.update(
        {
            "memberships-TOTAL_FORMS": str(int(data["memberships-TOTAL_FORMS"]) + 1),
            "memberships-1-branch": str(world.other_branch.pk),
            "memberships-1-started_on": "2024-03-01",
        }
    )
    response = superuser.post(change, data)
    assert response.status_code == 302, response.context["errors"]

    world.member.refresh_from_db()
    assert world.member.branch == world.other_branch
    assert world.member.group is None
    (first,) = world.member.memberships.filter(branch=world.branch)
    assert first.ended_on == datetime.date(2024, 3, 1)


def test_it_starts_a_membership_through_the_service(superuser, world):
    newcomer = PersonFactory(name="新同志")
    add = url(Membership, "add")
    response = superuser.post(
        add,
        {
            "person": newcomer.pk,
            "branch": world.branch.pk,
            "group": world.group.pk,
            "started_on": "2024-05-01",
        },
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert (newcomer.branch, newcomer.group) == (world.branch, world.group)


def test_it_refuses_a_group_outside_the_branch(superuser, world):
    response = superuser.post(
        url(Membership, "add"),
        {
            "person": world.other_member.pk,
            "branch": world.other_branch.pk,
            "group": world.group.pk,
            "started_on": "2024-05-01",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["group"]
    world.other_member.refresh_from_db()
    assert world.other_member.branch == world.other_branch


def test_it_refuses_a_membership_the_service_refuses(superuser, world):
    """The form asks `membership_start` itself (in a rolled-back savepoint)."""
    response = superuser.post(
        url(Membership, "add"),
        {
            "person": world.other_member.pk,
            "branch": world.branch.pk,
            "started_on": "2019-01-01",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    world.other_member.refresh_from_db()
    assert world.other_member.branch == world.other_branch
    assert world.other_member.memberships.count() == 1


def test_it_ends_memberships_with_the_action(superuser, world):
    membership = world.other_member.memberships.get()
    response = superuser.post(
        url(Membership, "changelist"),
        {
            "action": "end_memberships",
            "_selected_action": [membership.pk],
        },
    )
    assert response.status_code == 302
    world.other_member.refresh_from_db()
    assert world.other_member.branch is None
    membership.refresh_from_db()
    assert membership.ended_on is not None


def test_it_refuses_to_revert_a_membership(superuser, world):
    membership = world.member.memberships.get()
    version = membership.history.latest()
    revert = reverse(
        "admin:members_membership_simple_history", args=(membership.pk, version.history_id)
    )
    assert superuser.get(revert).status_code == 200
    assert superuser.post(revert, {"started_on": "2019-01-01"}).status_code == 403


def test_it_lets_a_general_branch_add_a_person_into_its_branch(login, world):
    make_staff("general")
    client = login("general")
    add = url(Person, "add")
    data = form_data(client.get(add))
    assert data["memberships-TOTAL_FORMS"] == "1"  # a scoped user places the person at once
    data.update(
        {
            "name": "新调入党员",
            "status": Person.Status.FULL,
            "memberships-0-branch": str(world.other_branch.pk),
            "memberships-0-started_on": "2024-06-01",
        }
    )
    response = client.post(add, data)
    assert response.status_code == 302, response.context["errors"]
    newcomer = Person.objects.get(name="新调入党员")
    assert newcomer.branch == world.other_branch
    assert newcomer.name in client.get(url(Person, "changelist")).content.decode()


def test_it_keeps_branch_and_group_read_only_on_a_person(superuser, world):
    change = url(Person, "change", world.member.pk)
    form = superuser.get(change).context["adminform"].form
    assert "branch" not in form.fields
    assert "group" not in form.fields


def test_it_keeps_the_branch_when_a_person_is_reverted(superuser, world):
    """Reverting to a version from before the membership must not move the person."""
    oldest = world.member.history.earliest()
    assert oldest.branch_id is None
    revert = reverse(
        "admin:members_person_simple_history", args=(world.member.pk, oldest.history_id)
    )
    data = form_data(superuser.get(revert))
    data["note"] = "恢复旧版本"
    assert superuser.post(revert, data).status_code == 302

    world.member.refresh_from_db()
    assert world.member.note == "恢复旧版本"
    assert (world.member.branch, world.member.group) == (world.branch, world.group)


def test_it_refuses_a_second_secretary_in_the_post_inline(superuser, world):
    change = url(Organisation, "change", world.branch.pk)
    data = form_data(superuser.get(change))
    total = int(data["posts-TOTAL_FORMS"])
    data.update(
        {
            "posts-TOTAL_FORMS": str(total + 1),
            f"posts-{total}-person": str(world.member.pk),
            f"posts-{total}-role": Post.Role.SECRETARY,
            f"posts-{total}-started_on": "2024-01-01",
        }
    )
    response = superuser.post(change, data)
    assert response.status_code == 200
    with translation.override("zh-hans"):  # the admin speaks the portal's default language
        expected = translation.gettext("This organisation already has a secretary.")
    assert expected in str(response.context["errors"])
    assert Post.objects.filter(organisation=world.branch, role=Post.Role.SECRETARY).count() == 1


def test_it_rolls_back_a_save_that_a_service_refuses(superuser, world):
    """Two new secretaries in one submission pass every form check; the second
    `post_assign` refuses, and the whole save is undone with the reason shown."""
    general = make_org("新建党总支", Kind.GENERAL_BRANCH, world.committee)
    first, second = PersonFactory(name="甲"), PersonFactory(name="乙")
    change = url(Organisation, "change", general.pk)
    data = form_data(superuser.get(change))
    data.update({"unit": "不应保存", "posts-TOTAL_FORMS": "2"})
    for n, person in enumerate((first, second)):
        data.update(
            {
                f"posts-{n}-person": str(person.pk),
                f"posts-{n}-role": Post.Role.SECRETARY,
                f"posts-{n}-started_on": "2024-01-01",
                f"posts-{n}-is_part_time": "on",
            }
        )
    response = superuser.post(change, data, follow=True)

    assert response.redirect_chain[0] == (change, 302)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Post.objects.filter(organisation=general).exists()
    general.refresh_from_db()
    assert general.unit == ""


def test_it_deletes_an_empty_party_group(superuser, world):
    empty = make_org("空党小组", Kind.GROUP, world.other_branch)
    delete = url(Organisation, "delete", empty.pk)
    assert superuser.get(delete).status_code == 200
    assert superuser.post(delete, {"post": "yes"}).status_code == 302
    assert not Organisation.objects.filter(pk=empty.pk).exists()
    assert not any(Organisation.objects.find_problems())


# --- Lists stay usable at scale ---


def test_it_masks_phones_in_the_person_list(superuser, world):
    page = superuser.get(url(Person, "changelist")).content.decode()
    assert world.member.masked_phone in page
    assert world.member.phone not in page


def _add_branches(general: Organisation, count: int, start: int) -> None:
    for n in range(start, start + count):
        branch = make_org(f"规模党支部{n}", Kind.BRANCH, general)
        group = make_org(f"规模党小组{n}", Kind.GROUP, branch)
        make_member(branch, group=group, phone=f"1380000{n:04d}")
        make_leader(branch, Post.Role.SECRETARY, username=f"scale{n}", branch=branch)


def _count(client, path: str, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, params).status_code == 200
    return len(queries)


def test_it_lists_organisations_in_the_same_queries_for_ten_times_the_rows(superuser, world):
    """Each row's headcounts, committee and warnings come from `with_figures`'
    subqueries and rules loaded once: no query per organisation (the N+1 of counting
    members, posts and groups, or loading the rules, row by row)."""
    flat = (url(Organisation, "changelist"), {"kind__exact": Kind.BRANCH})
    children = (url(Organisation, "changelist") + f"children/{world.general.pk}/", None)
    _add_branches(world.general, 2, 0)
    _count(superuser, *flat)  # warm caches (content types, session)
    few = [_count(superuser, *flat), _count(superuser, *children)]

    _add_branches(world.general, 18, 2)
    many = [_count(superuser, *flat), _count(superuser, *children)]
    assert few == many


def test_it_lists_people_in_the_same_queries_for_ten_times_the_rows(superuser, world):
    """Branch and group come with each person (`list_select_related`): no query per
    row to name them."""
    changelist = url(Person, "changelist")
    _add_branches(world.general, 2, 0)
    _count(superuser, changelist)
    few = _count(superuser, changelist)

    _add_branches(world.general, 18, 2)
    assert Person.objects.count() > 40
    assert _count(superuser, changelist) == few
