"""The organisation page (a secretary's home) reads its figures in a few queries and
shows exactly what the per-row subqueries of `with_figures` showed.

`members.selectors.organisation_page` replaced two `with_figures` calls, two subtree
counts and a COUNT for the roster; these tests hold it to the old readings on data
that is not tidy (people in another branch's group, inactive people, ended posts).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Organisation
from members.models import Person, Post
from members.selectors import (
    attach_subtree_party_members,
    attach_warnings,
    organisation_page,
    with_figures,
)
from members.services import post_assign, post_end
from tests.factories import PersonFactory, make_member, make_org

FIGURES = (
    "full_members",
    "party_members",
    "people_count",
    "committee_size",
    "has_secretary",
    "group_count",
)
ON = datetime.date(2024, 1, 1)


@pytest.fixture
def untidy(world):
    """The world with what real registers hold: a second group, probationary members
    and staff, an inactive member, a person in another branch's group, an ended post,
    and a committee below the committee."""
    second = make_org("第二党小组", Organisation.Kind.GROUP, world.branch)
    make_member(world.branch, group=second, status=Person.Status.PROBATIONARY)
    make_member(world.branch, group=second)
    make_member(world.branch, status=Person.Status.APPLICANT)
    gone = make_member(world.branch)
    gone.is_active = False
    gone.save()
    # Belongs to the other branch, sits in this branch's group (the services refuse it;
    # an old import did not): counted by both.
    stray = make_member(world.other_branch)
    Person.objects.filter(pk=stray.pk).update(group=world.group)
    deputy = make_member(world.branch)
    post = post_assign(
        person=deputy, organisation=world.branch, role=Post.Role.DEPUTY_SECRETARY, on=ON
    )
    post_end(post=post, on=datetime.date(2024, 6, 1))
    post_assign(
        person=make_member(world.branch),
        organisation=world.branch,
        role=Post.Role.PROPAGANDA,
        on=ON,
    )
    subsidiary = make_org("分公司党委", Organisation.Kind.COMMITTEE, world.committee)
    sub_branch = make_org("分公司党支部", Organisation.Kind.BRANCH, subsidiary)
    make_member(sub_branch)
    make_member(sub_branch, status=Person.Status.MASSES)
    return world


def old_reading(organisations: list[Organisation]) -> dict[int, Organisation]:
    """The figures as the page read them before: `with_figures`, then warnings and
    subtree counts."""
    annotated = with_figures(Organisation.objects.filter(pk__in=[o.pk for o in organisations]))
    return {o.pk: o for o in attach_subtree_party_members(attach_warnings(annotated))}


def reading(org: Organisation) -> tuple:
    return (
        *(getattr(org, name) for name in FIGURES),
        [w.code for w in org.warnings],
        [w.message for w in org.warnings],
    )


@pytest.mark.parametrize(
    "name", ["committee", "general", "branch", "group", "other_branch", "functional"]
)
def test_it_reads_the_same_figures_as_with_figures(untidy, name):
    organisation = getattr(untidy, name)
    page = organisation_page(organisation)
    shown = [page.organisation, *page.children]
    old = old_reading(shown)
    for org in shown:
        assert reading(org) == reading(old[org.pk]), org.name
    # The subtree counts where the page shows them.
    if not page.organisation.is_branch:
        assert page.organisation.subtree_party_members == old[organisation.pk].subtree_party_members
    for child in page.children:
        if child.kind not in (Organisation.Kind.BRANCH, Organisation.Kind.GROUP):
            assert child.subtree_party_members == old[child.pk].subtree_party_members


def test_it_reads_the_tree_around_the_organisation(untidy):
    page = organisation_page(untidy.branch)  # stale: adding orgs renumbered the tree
    untidy.branch.refresh_from_db()
    assert page.ancestors == list(Organisation.objects.get_ancestors(untidy.branch))
    assert page.children == list(Organisation.objects.get_children(untidy.branch))
    assert page.organisation.segment == untidy.branch.segment
    assert page.roster_size == Person.objects.filter(branch=untidy.branch, is_active=True).count()


def test_it_lists_the_current_posts_in_role_order(untidy):
    for role in (Post.Role.DISCIPLINE, Post.Role.ORGANISATION, Post.Role.COMMITTEE):
        post_assign(person=make_member(untidy.branch), organisation=untidy.branch, role=role, on=ON)
    page = organisation_page(untidy.branch)
    expected = Post.objects.current().filter(organisation=untidy.branch).in_role_order()
    assert [post.pk for post in page.posts] == [post.pk for post in expected]
    assert all(post.person.name for post in page.posts)


@pytest.mark.parametrize("page_size", [4, 50], ids=["several pages", "one page"])
def test_it_pages_the_roster_in_status_order(login, world, settings, page_size):
    """Two ways to one order: `in_status_order` when the roster spans pages, a sort in
    Python when it fits on one."""
    settings.PAGE_SIZE = page_size
    for name, status in [
        ("安", Person.Status.MASSES),
        ("白", Person.Status.PROBATIONARY),
        ("安", Person.Status.ACTIVIST),
        ("车", Person.Status.FULL),
        ("安", Person.Status.FULL),
        ("丁", Person.Status.CANDIDATE),
        ("白", Person.Status.APPLICANT),
    ]:
        make_member(world.branch, name=name, status=status)
    people = list(Person.objects.filter(branch=world.branch, is_active=True).in_status_order())
    client = login("secretary")
    url = reverse("branches:organisation_detail", args=[world.branch.pk])
    pages = -(-len(people) // page_size)
    shown = []
    for number in range(1, pages + 1):
        roster = client.get(url, {"page": number}).context["roster"]
        assert roster.paginator.count == len(people)
        shown += [person.pk for person in roster.object_list]
    assert shown == [person.pk for person in people]
    last = client.get(url, {"page": 99}).context["roster"]
    assert last.number == last.paginator.num_pages == pages


def test_it_shows_each_roster_row_with_its_link_and_status(login, world):
    body = (
        login("secretary")
        .get(reverse("branches:organisation_detail", args=[world.branch.pk]))
        .content.decode()
    )
    link = reverse("members:person_detail", args=[world.masses.pk])
    assert (
        f'<a href="{link}">{world.masses.name}</a></td><td>{world.masses.get_status_display()}'
        in body
    )


def test_it_links_only_the_ancestors_in_scope(login, world):
    url = reverse("branches:organisation_detail", args=[world.branch.pk])
    general_link = reverse("branches:organisation_detail", args=[world.general.pk])
    assert general_link not in login("secretary").get(url).content.decode()
    assert general_link in login("committee").get(url).content.decode()


def test_it_forgets_a_secretarys_scope_once_the_post_ends(login, world):
    """The scope is kept on the request's user: the next request reads the posts again."""
    client = login("secretary")
    url = reverse("branches:organisation_detail", args=[world.branch.pk])
    assert client.get(url).status_code == 200
    post = Post.objects.current().get(person=world.secretary, organisation=world.branch)
    post_end(post=post, on=timezone.localdate() - datetime.timedelta(days=1))
    assert client.get(url).status_code == 403


def test_it_shows_a_branch_outside_the_secretarys_scope_as_not_found(login, world):
    url = reverse("branches:organisation_detail", args=[world.other_branch.pk])
    assert login("secretary").get(url).status_code == 404


def test_it_counts_a_group_reached_only_through_its_people(world):
    """A person whose group lies in another branch counts for that group, as
    `with_figures` counts them (branch or group)."""
    stray = make_member(world.other_branch)
    stranger = PersonFactory(status=Person.Status.PROBATIONARY)  # in no branch at all
    Person.objects.filter(pk__in=[stray.pk, stranger.pk]).update(group=world.group)
    group = next(
        child for child in organisation_page(world.branch).children if child.pk == world.group.pk
    )
    old = with_figures(Organisation.objects.filter(pk=world.group.pk)).get()
    assert (group.people_count, group.party_members, group.full_members) == (
        old.people_count,
        old.party_members,
        old.full_members,
    )
    assert group.people_count == 4  # the member, the group leader and the two strays
