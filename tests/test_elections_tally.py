"""The count of an election by 《中国共产党基层组织选举工作条例》, at every boundary."""

import pytest

from elections.tally import enough_candidates, has_majority, is_quorate, tally


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.mark.parametrize(
    ("entitled", "present", "valid"),
    [
        (10, 8, False),  # exactly four fifths is not enough
        (10, 9, True),
        (20, 16, False),
        (20, 17, True),
        (7, 6, True),  # 6 * 5 = 30 > 28
        (5, 4, False),
        (0, 0, False),
    ],
)
def test_quorum_is_strictly_more_than_four_fifths(entitled, present, valid):
    assert is_quorate(entitled=entitled, present=present) is valid


@pytest.mark.parametrize(
    ("votes", "entitled", "elected"),
    [(5, 10, False), (6, 10, True), (5, 9, True), (4, 9, False), (10, 20, False)],
)
def test_election_needs_more_than_half_of_the_entitled(votes, entitled, elected):
    assert has_majority(votes=votes, entitled=entitled) is elected


def test_the_majority_counts_the_entitled_not_those_present():
    # 9 of 10 present; 5 votes are a majority of those present but not of the entitled.
    result = tally(entitled=10, present=9, seats=2, votes={"a": 5, "b": 6, "c": 9})
    assert result.elected == ["c", "b"]


@pytest.mark.parametrize(
    ("candidates", "seats", "ok"),
    [
        (5, 5, False),
        (6, 5, True),
        (3, 3, False),
        (4, 3, True),
        (7, 7, False),
        (9, 7, True),
        (8, 7, False),
    ],
)
def test_a_contested_election_needs_twenty_percent_more_candidates(candidates, seats, ok):
    assert enough_candidates(candidates=candidates, seats=seats, contested=True) is ok


def test_an_uncontested_election_needs_as_many_candidates_as_seats():
    assert enough_candidates(candidates=3, seats=3, contested=False)
    assert not enough_candidates(candidates=2, seats=3, contested=False)


def test_without_quorum_nobody_is_elected():
    result = tally(entitled=10, present=8, seats=1, votes={"a": 8})
    assert not result.quorate and not result.has_result and result.elected == []
    assert "four fifths" in result.messages[0]


def test_most_votes_win_when_more_qualify_than_seats():
    result = tally(entitled=10, present=10, seats=2, votes={"a": 9, "b": 8, "c": 7})
    assert result.elected == ["a", "b"] and result.has_result


def test_a_tie_at_the_cut_means_a_new_vote():
    result = tally(entitled=10, present=10, seats=2, votes={"a": 9, "b": 7, "c": 7})
    assert result.elected == ["a"] and result.tied == ["b", "c"]
    assert not result.has_result
    assert "vote again" in result.messages[0]


def test_a_tie_inside_the_seats_is_no_problem():
    result = tally(entitled=10, present=10, seats=2, votes={"a": 7, "b": 7, "c": 3})
    assert sorted(result.elected) == ["a", "b"] and result.has_result


def test_fewer_elected_than_seats_is_a_result_with_a_warning():
    result = tally(entitled=10, present=10, seats=3, votes={"a": 9, "b": 5, "c": 4})
    assert result.elected == ["a"] and result.has_result
    assert "stay empty" in result.messages[0]
