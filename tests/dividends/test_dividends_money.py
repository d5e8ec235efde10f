"""Money rules: integer cents, half-even rounding once, whole cents only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from axion_lab.dividends.money import (
    format_cents,
    payment_cents,
    round_half_even,
    tax_cents,
    to_cents,
    whole_shares,
)
from axion_lab.exceptions import InputError


@pytest.mark.parametrize(
    ("shares", "amount", "cents"),
    [
        (100, 0.25, 2500),
        (1, 0.025, 2),  # 2.5c -> 2 (half to even)
        (1, 0.035, 4),  # 3.5c -> 4 (half to even); float 0.035 is read as written
        (102.5, 0.25, 2562),  # 2562.5c -> 2562
        (3, 0.1, 30),  # 0.1 * 3 is 0.30000000000000004 in floats; exact here
    ],
)
def test_payment_is_rounded_half_even_once(shares: float, amount: float, cents: int) -> None:
    assert payment_cents(shares, amount) == cents


def test_tax_on_cents() -> None:
    assert tax_cents(2550, 0.15) == 382  # 382.5 -> 382
    assert tax_cents(2570, 0.15) == 386  # 385.5 -> 386
    assert round_half_even(Decimal("-0.5")) == 0


def test_whole_shares_never_spend_more_than_the_cash() -> None:
    assert whole_shares(2293, 10.0) == (2, 2000)
    n, cost = whole_shares(1000, 3.333)  # 3 x 333.3c = 999.9 -> 1000c
    assert (n, cost) == (3, 1000)
    n, cost = whole_shares(999, 3.333)  # the rounded cost of 3 would be 1000 > 999
    assert (n, cost) == (2, 667)


def test_to_cents_refuses_fractions_of_a_cent() -> None:
    assert to_cents("0.10") == 10
    assert to_cents(Decimal("12.30")) == 1230
    with pytest.raises(InputError, match="whole number of cents"):
        to_cents(1.001)
    with pytest.raises(InputError, match="number of dollars"):
        to_cents("ten")
    with pytest.raises(InputError, match="number of dollars"):
        to_cents(True)


def test_format_cents() -> None:
    assert format_cents(123456789) == "$1,234,567.89"
    assert format_cents(-1) == "-$0.01"
