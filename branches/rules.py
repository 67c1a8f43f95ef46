"""The regulations' structure rules, checked against a branch's figures.

The values come from `StructureRule` rows (seeded from the regulations, edited in the
admin); this module only compares. A check never raises: it returns warnings for the
branch page, the overview and the admin to show with the source they cite.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import StructureRule


@dataclass(frozen=True)
class BranchFigures:
    """What the checks need to know about one branch."""

    full_members: int
    party_members: int  # full and probationary
    committee_size: int  # secretary, deputy and committee members in post
    has_secretary: bool
    group_count: int


@dataclass(frozen=True)
class StructureWarning:
    code: str
    message: str
    source: str


class Rules:
    """The enabled rules, loaded once (one query) and looked up by code."""

    def __init__(self, rules: dict[str, StructureRule]):
        self._rules = rules

    @classmethod
    def load(cls) -> Rules:
        return cls({r.code: r for r in StructureRule.objects.filter(is_enabled=True)})

    def get(self, code: str) -> StructureRule | None:
        return self._rules.get(code)


def check_branch(figures: BranchFigures, rules: Rules) -> list[StructureWarning]:
    """Every structure rule the branch breaks, with the rule's source."""
    code = StructureRule.Code
    warnings: list[StructureWarning] = []

    def warn(rule: StructureRule, message: str) -> None:
        warnings.append(StructureWarning(rule.code, message, rule.source))

    if (rule := rules.get(code.BRANCH_MIN_FULL_MEMBERS)) and figures.full_members < rule.value:
        warn(
            rule,
            _(
                "Only %(n)d full members: a branch needs at least %(min)d; "
                "consider a joint branch with neighbouring units."
            )
            % {"n": figures.full_members, "min": rule.value},
        )

    if not figures.has_secretary:
        source = rules.get(code.COMMITTEE_THRESHOLD)
        warnings.append(
            StructureWarning(
                "secretary_missing",
                _("The branch has no secretary in post."),
                source.source if source else "",
            )
        )

    if rule := rules.get(code.COMMITTEE_THRESHOLD):
        threshold = rule.value
        if figures.full_members >= threshold:
            low = rules.get(code.COMMITTEE_MIN_SIZE)
            high = rules.get(code.COMMITTEE_MAX_SIZE)
            if low and figures.committee_size < low.value:
                warn(
                    low,
                    _(
                        "%(n)d full members: the branch should have a branch committee of "
                        "at least %(min)d, it has %(size)d."
                    )
                    % {"n": figures.full_members, "min": low.value, "size": figures.committee_size},
                )
            if high and figures.committee_size > high.value:
                warn(
                    high,
                    _("The branch committee has %(size)d members; the most is %(max)d.")
                    % {"size": figures.committee_size, "max": high.value},
                )
        elif figures.committee_size > 2:
            warn(
                rule,
                _(
                    "Fewer than %(threshold)d full members: the branch has a secretary "
                    "(and a deputy where needed) instead of a committee of %(size)d."
                )
                % {"threshold": threshold, "size": figures.committee_size},
            )

    rule = rules.get(code.BRANCH_MAX_MEMBERS)
    if rule and figures.party_members > rule.value and figures.group_count == 0:
        warn(
            rule,
            _("%(n)d members and no party groups: a branch over %(max)d is divided into groups.")
            % {"n": figures.party_members, "max": rule.value},
        )

    low = rules.get(code.COMPANY_MIN_MEMBERS)
    high = rules.get(code.COMPANY_MAX_MEMBERS)
    if low and figures.party_members < low.value:
        warn(
            low,
            _("%(n)d members: the company keeps branches at %(min)d or more.")
            % {"n": figures.party_members, "min": low.value},
        )
    if high and figures.party_members > high.value:
        warn(
            high,
            _("%(n)d members: the company keeps branches at %(max)d or fewer.")
            % {"n": figures.party_members, "max": high.value},
        )
    return warnings
