"""Ledger money: exact decimal inputs, one half-even rounding, clear errors."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from axion_lab.exceptions import InputError
from axion_lab.money import (
    bps_of_cents,
    check_cents,
    dec,
    dollars_to_cents,
    format_cents,
    fraction_of_cents,
    product_cents,
    return_bps,
    whole_cents,
)


@pytest.mark.parametrize(
    ("dollars", "cents"),
    [
        (19.99, 1999),
        (0.125, 12),  # 12.5 cents: tie goes to the even 12
        (0.135, 14),  # 13.5 cents: tie goes to the even 14
        (2.675, 268),  # float 2.675 read as printed, not as 2.67499999...
        ("1234.565", 123456),  # 123456.5: tie to even
        (np.float64(10.005), 1000),  # 1000.5 -> 1000 (numpy scalars read as plain floats)
        (np.int64(3), 300),
        (Decimal("-0.015"), -2),  # -1.5 -> -2 (even)
    ],
)
def test_dollars_to_cents_rounds_half_even_once(dollars: object, cents: int) -> None:
    assert dollars_to_cents(dollars) == cents  # type: ignore[arg-type]


def test_product_rounds_once_not_per_factor() -> None:
    # 3 x $10.005 = $30.015 = 3001.5 cents -> 3002; rounding the price first would give 3003.
    assert product_cents(3, 10.005) == 3002
    # 0.1 shares x $0.07 = 0.7 cents -> 1
    assert product_cents(0.1, 0.07) == 1


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True, "abc", Decimal("NaN")])
def test_non_numbers_are_refused(bad: object) -> None:
    with pytest.raises(InputError, match="number"):
        dec(bad, what="price")  # type: ignore[arg-type]


def test_whole_cents_refuses_fractions_of_a_cent() -> None:
    assert whole_cents("250.50") == 25050
    with pytest.raises(InputError, match=r"10\.005 is not a whole number of cents.*10\.01"):
        whole_cents(10.005, what="contribution")


def test_check_cents() -> None:
    assert check_cents(5, "entry") == 5
    with pytest.raises(InputError, match="integer number of cents"):
        check_cents(5.0, "entry")
    with pytest.raises(InputError, match="must not be negative"):
        check_cents(-1, "stop")


def test_basis_points_fractions_and_returns() -> None:
    assert bps_of_cents(1_000_050, 5) == 500  # 500.025 -> 500
    assert bps_of_cents(30_000, 25) == 75
    assert fraction_of_cents(10_000, 2, 3) == 6667  # 6666.67 -> 6667
    with pytest.raises(InputError, match="zero denominator"):
        fraction_of_cents(100, 1, 0)
    assert return_bps(10_000, 10_250) == 250
    assert return_bps(4_000, 3_900, sign=-1) == 250
    assert return_bps(200, 201) == 50  # 1/200 = 50 bps exactly
    with pytest.raises(InputError, match="entry must be positive"):
        return_bps(0, 10)


def test_format_cents() -> None:
    assert format_cents(123456) == "$1,234.56"
    assert format_cents(-5) == "-$0.05"
    assert format_cents(0) == "$0.00"
