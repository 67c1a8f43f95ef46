"""Scores as numbers: rounded to two places, printed without trailing zeros."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TWO = Decimal("0.01")


def plain(value: Decimal) -> str:
    """A decimal as people write it: 90, 12.5 (not 9E+1, 12.50)."""
    return f"{value.normalize():f}"


def _q(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)
