"""Elections through the services: candidates, approval, the vote's bad input refused
with nothing saved, and the result applied (posts and term) in one transaction."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from elections import services
from elections.models import Candidate, Election, Term
from members.models import Person, Post
from tests.factories import make_member

D = datetime.date
Role = Post.Role


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def branch(world):
    """The branch with 10 full members (3 from the world, 7 more) and 2 probationary."""
    for n in range(7):
        make_member(world.branch, name=f"党员{n}")
    for n in range(2):
        make_member(world.branch, name=f"预备{n}", status=Person.Status.PROBATIONARY)
    world.branch.refresh_from_db()
    return world.branch


def full_members(branch, n):
    return list(Person.objects.filter(branch=branch, status="full").order_by("pk")[:n])


def planned(branch, *, seats=3, contested=True, candidates=4, kind="regular"):
    services.term_open(organisation=branch, started_on=D(2023, 6, 1))
    election = services.election_create(
        organisation=branch,
        kind=kind,
        seats=seats,
        planned_on=D(2026, 5, 20),
        is_contested=contested,
        by=None,
    )
    for person in full_members(branch, candidates):
        services.candidate_add(election=election, person=person)
    return election


def approved(branch, **kwargs):
    election = planned(branch, **kwargs)
    return services.candidates_approve(
        election=election, approved_on=D(2026, 5, 10), document="组字〔2026〕8号", by=None
    )


def votes_for(election, *numbers):
    cands = list(election.candidates.order_by("person_id"))
    return {c.pk: n for c, n in zip(cands, numbers, strict=True)}


def test_entitled_counts_full_members_only(branch):
    assert services.default_entitled(branch, D(2026, 5, 20)) == 10


def test_a_term_ends_after_the_rules_years(branch):
    term = services.term_open(organisation=branch, started_on=D(2024, 2, 29))
    assert term.ends_on == D(2027, 2, 28)
    with pytest.raises(ValidationError, match="already has an open term"):
        services.term_open(organisation=branch, started_on=D(2025, 1, 1))


def test_only_full_members_of_the_branch_can_stand(world, branch):
    election = planned(branch, candidates=0)
    probationary = Person.objects.filter(branch=branch, status="probationary").first()
    for person in (probationary, world.other_member, world.masses):
        with pytest.raises(ValidationError, match="not a full party member"):
            services.candidate_add(election=election, person=person)
    assert not election.candidates.exists()


def test_a_contested_election_needs_twenty_percent_more_candidates(branch):
    election = planned(branch, seats=5, candidates=5)
    with pytest.raises(ValidationError, match="at least 6 candidates"):
        services.candidates_approve(
            election=election, approved_on=D(2026, 5, 1), document="x", by=None
        )
    election.refresh_from_db()
    assert election.status == Election.Status.PLANNED and election.approved_on is None
    services.candidate_add(election=election, person=full_members(branch, 6)[5])
    services.candidates_approve(election=election, approved_on=D(2026, 5, 1), document="x", by=None)
    election.refresh_from_db()
    assert election.status == Election.Status.APPROVED


def test_a_second_running_election_is_refused(branch):
    planned(branch)
    with pytest.raises(ValidationError, match="already has an election under way"):
        services.election_create(
            organisation=branch,
            kind="regular",
            seats=3,
            planned_on=D(2026, 6, 1),
            is_contested=False,
            by=None,
        )


@pytest.mark.parametrize(
    ("present", "ballots", "votes", "message"),
    [
        (11, 10, (5, 5, 5, 5), "more than the 10 members entitled"),
        (9, 10, (5, 5, 5, 5), "more than the 9 members present"),
        (9, 9, (10, 5, 5, 5), "10 votes, more than the 9 members present"),
        (9, 8, (9, 5, 5, 5), "9 votes, more than the 8 valid ballots"),
        (9, 8, (8, 8, 8, 8), "add up to 32"),
    ],
)
def test_impossible_numbers_are_refused_and_nothing_is_saved(
    branch, present, ballots, votes, message
):
    election = approved(branch)
    with pytest.raises(ValidationError, match=message):
        services.vote_record(
            election=election,
            held_on=D(2026, 5, 20),
            entitled=10,
            present=present,
            valid_ballots=ballots,
            votes=votes_for(election, *votes),
        )
    election.refresh_from_db()
    assert election.status == Election.Status.APPROVED and election.present is None
    assert not Candidate.objects.filter(votes__isnull=False).exists()


def test_the_vote_marks_the_elected(branch):
    election = approved(branch)
    result = services.vote_record(
        election=election,
        held_on=D(2026, 5, 20),
        entitled=10,
        present=9,
        valid_ballots=9,
        votes=votes_for(election, 9, 8, 6, 4),
    )
    assert result.has_result
    elected = set(election.candidates.filter(is_elected=True).values_list("votes", flat=True))
    assert elected == {9, 8, 6}  # 4 of 10 entitled is not more than half


def test_four_fifths_exactly_is_no_election(branch):
    election = approved(branch)
    result = services.vote_record(
        election=election,
        held_on=D(2026, 5, 20),
        entitled=10,
        present=8,
        valid_ballots=8,
        votes=votes_for(election, 8, 7, 6, 3),
    )
    assert not result.quorate
    assert not election.candidates.filter(is_elected=True).exists()
    with pytest.raises(ValidationError, match="four fifths"):
        services.election_result_confirm(
            election=election, roles={}, effective_on=D(2026, 5, 20), by=None
        )


def test_a_tie_at_the_cut_cannot_be_confirmed(branch):
    election = approved(branch)
    services.vote_record(
        election=election,
        held_on=D(2026, 5, 20),
        entitled=10,
        present=10,
        valid_ballots=10,
        votes=votes_for(election, 9, 7, 6, 6),
    )
    with pytest.raises(ValidationError, match="vote again"):
        services.election_result_confirm(
            election=election, roles={}, effective_on=D(2026, 5, 20), by=None
        )
    assert Term.objects.open().get(organisation=branch).started_on == D(2023, 6, 1)


def _held(branch):
    election = approved(branch)
    services.vote_record(
        election=election,
        held_on=D(2026, 5, 20),
        entitled=10,
        present=10,
        valid_ballots=10,
        votes=votes_for(election, 9, 8, 7, 3),
    )
    return election, list(election.candidates.filter(is_elected=True).order_by("-votes"))


def test_the_result_gives_posts_and_opens_the_next_term(world, branch):
    old_secretary = Post.objects.get(organisation=branch, role=Role.SECRETARY)
    election, (a, b, c) = _held(branch)
    services.election_result_confirm(
        election=election,
        effective_on=D(2026, 5, 21),
        by=None,
        roles={a.pk: Role.SECRETARY, b.pk: Role.ORGANISATION, c.pk: Role.PROPAGANDA},
    )
    election.refresh_from_db()
    assert election.status == Election.Status.EFFECTIVE
    old_secretary.refresh_from_db()
    assert old_secretary.ended_on == D(2026, 5, 21)
    current = Post.objects.current(D(2026, 5, 21)).filter(organisation=branch).committee()
    assert {(p.person_id, p.role) for p in current} == {
        (a.person_id, Role.SECRETARY),
        (b.person_id, Role.ORGANISATION),
        (c.person_id, Role.PROPAGANDA),
    }
    terms = list(Term.objects.filter(organisation=branch).order_by("started_on"))
    assert [(t.started_on, t.closed_on, t.ends_on) for t in terms] == [
        (D(2023, 6, 1), D(2026, 5, 21), D(2026, 6, 1)),
        (D(2026, 5, 21), None, D(2029, 5, 21)),
    ]
    assert election.new_term == terms[1]


def test_a_bad_role_choice_saves_nothing(branch):
    election, (a, b, c) = _held(branch)
    with pytest.raises(ValidationError) as error:
        services.election_result_confirm(
            election=election,
            effective_on=D(2026, 5, 21),
            by=None,
            roles={a.pk: Role.ORGANISATION, b.pk: Role.ORGANISATION, c.pk: ""},
        )
    text = " ".join(error.value.messages)
    assert "Only one person can be Organisation member" in text
    assert "Choose the post" in text and "needs a secretary" in text
    election.refresh_from_db()
    assert election.status == Election.Status.HELD
    assert Term.objects.filter(organisation=branch).count() == 1
    assert Post.objects.filter(organisation=branch, ended_on__isnull=False).count() == 0


def test_a_failure_inside_the_posts_rolls_back_the_term(branch):
    """The old secretary's post began after the effective date: post_end refuses, and
    the whole result (posts, term, status) is rolled back."""
    election, (a, b, c) = _held(branch)
    Post.objects.filter(organisation=branch, role=Role.SECRETARY).update(started_on=D(2026, 5, 1))
    with pytest.raises(ValidationError):
        services.election_result_confirm(
            election=election,
            effective_on=D(2026, 4, 1),
            by=None,
            roles={a.pk: Role.SECRETARY, b.pk: Role.ORGANISATION, c.pk: Role.PROPAGANDA},
        )
    election.refresh_from_db()
    assert election.status == Election.Status.HELD
    assert Term.objects.filter(organisation=branch).count() == 1
    assert not Post.objects.filter(organisation=branch, ended_on__isnull=False).exists()


def test_a_by_election_fills_a_seat_without_a_new_term(branch):
    election = approved(branch, seats=1, contested=False, candidates=1, kind="by_election")
    services.vote_record(
        election=election,
        held_on=D(2026, 5, 20),
        entitled=10,
        present=9,
        valid_ballots=9,
        votes=votes_for(election, 9),
    )
    (a,) = election.candidates.all()
    services.election_result_confirm(
        election=election, roles={a.pk: Role.DISCIPLINE}, effective_on=D(2026, 5, 20), by=None
    )
    assert Term.objects.filter(organisation=branch).count() == 1
    assert Post.objects.current().filter(organisation=branch, role=Role.SECRETARY).exists()
    assert (
        Post.objects.current().get(organisation=branch, role=Role.DISCIPLINE).person_id
        == a.person_id
    )


def test_a_member_re_elected_to_the_same_post_keeps_it(world, branch):
    election, (a, b, c) = _held(branch)
    # The world's secretary (b, 8 votes) is re-elected secretary.
    services.election_result_confirm(
        election=election,
        effective_on=D(2026, 5, 21),
        by=None,
        roles={a.pk: Role.ORGANISATION, b.pk: Role.SECRETARY, c.pk: Role.PROPAGANDA},
    )
    secretary = Post.objects.get(organisation=branch, role=Role.SECRETARY)
    assert secretary.person_id == world.secretary.pk == b.person_id
    assert secretary.started_on == D(2020, 1, 1) and secretary.ended_on is None


def test_confirming_twice_doubles_nothing(branch):
    election, (a, b, c) = _held(branch)
    roles = {a.pk: Role.SECRETARY, b.pk: Role.ORGANISATION, c.pk: Role.PROPAGANDA}
    services.election_result_confirm(
        election=election, roles=roles, effective_on=D(2026, 5, 21), by=None
    )
    with pytest.raises(ValidationError, match="Result effective"):
        services.election_result_confirm(
            election=election, roles=roles, effective_on=D(2026, 5, 21), by=None
        )
    assert Term.objects.filter(organisation=branch).count() == 2
    assert Post.objects.current(D(2026, 5, 21)).filter(organisation=branch).committee().count() == 3
