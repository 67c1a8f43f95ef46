"""Admin lists stay usable at scale: masked phones, queries that do not grow with rows."""


from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Organisation
from members.models import Person, Post
from tests.admin_helpers import Kind, url
from tests.factories import make_leader, make_member, make_org


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


def test_the_quick_action_checkbox_is_djangos_own_markup(world):
    """The scoped admins render the action checkbox without the widget machinery; the
    markup must stay what Django's widget renders (the actions' JavaScript reads it)."""
    model_admin = admin.site._registry[Person]
    person = Person.objects.get(pk=world.member.pk)
    assert "QuickCheckboxMixin" in {cls.__name__ for cls in type(model_admin).__mro__}
    assert model_admin.action_checkbox(person) == admin.ModelAdmin.action_checkbox(
        model_admin, person
    )
