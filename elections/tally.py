"""Counting an election by 《中国共产党基层组织选举工作条例》: a pure function of the
numbers, so every boundary is tested without a database.

- The election is valid when MORE than four fifths of the members entitled to vote
  are present (exactly four fifths is not enough).
- A candidate is elected with yes votes from MORE than half of the members entitled
  to vote who should attend (应到会有选举权人数), i.e. of `entitled`, not of those present.
- With more such candidates than seats, the most votes win; a tie at the cut is
  decided by a new vote between the tied candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


def is_quorate(*, entitled: int, present: int) -> bool:
    """More than four fifths present (integers: present * 5 > entitled * 4)."""
    return entitled > 0 and present * 5 > entitled * 4


def has_majority(*, votes: int, entitled: int) -> bool:
    """Yes votes from more than half of the members entitled to vote."""
    return votes * 2 > entitled


def enough_candidates(*, candidates: int, seats: int, contested: bool) -> bool:
    """Contested (差额): at least 20% more candidates than seats; otherwise (等额) as
    many candidates as seats."""
    if contested:
        return candidates * 5 >= seats * 6 and candidates > seats
    return candidates >= seats


@dataclass
class Tally:
    quorate: bool
    elected: list = field(default_factory=list)  # keys, most votes first
    tied: list = field(default_factory=list)  # keys tied at the cut: they vote again
    messages: list[str] = field(default_factory=list)

    @property
    def has_result(self) -> bool:
        return self.quorate and not self.tied and bool(self.elected)


def tally(*, entitled: int, present: int, seats: int, votes: dict) -> Tally:
    """Who is elected, from `votes` (candidate key -> yes votes)."""
    if not is_quorate(entitled=entitled, present=present):
        return Tally(
            quorate=False,
            messages=[
                _(
                    "The election is not valid: %(present)d of %(entitled)d members entitled to "
                    "vote were present, and more than four fifths must be."
                )
                % {"present": present, "entitled": entitled}
            ],
        )
    qualifying = sorted(
        ((key, n) for key, n in votes.items() if has_majority(votes=n, entitled=entitled)),
        key=lambda item: -item[1],
    )
    result = Tally(quorate=True)
    if len(qualifying) <= seats:
        result.elected = [key for key, _n in qualifying]
    else:
        cut = qualifying[seats - 1][1]
        above = [key for key, n in qualifying if n > cut]
        at_cut = [key for key, n in qualifying if n == cut]
        if len(above) + len(at_cut) == seats:
            result.elected = above + at_cut
        else:
            result.elected = above
            result.tied = at_cut
            result.messages.append(
                _(
                    "%(n)d candidates are tied with %(votes)d votes for the last %(seats)d "
                    "seat(s): the tied candidates vote again."
                )
                % {"n": len(at_cut), "votes": cut, "seats": seats - len(above)}
            )
    if not result.tied and len(result.elected) < seats:
        result.messages.append(
            _(
                "Only %(n)d candidate(s) received yes votes from more than half of the "
                "members entitled to vote; %(left)d seat(s) stay empty."
            )
            % {"n": len(result.elected), "left": seats - len(result.elected)}
        )
    return result
