"""Cents conversion and validation at the edges, worked by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.signals import (
    Direction,
    RiskLevel,
    Signal,
    TimeHorizon,
    UserProfile,
    bucket_label,
    price_to_cents,
    return_bps,
)
from axion_lab.signals.money import format_cents

MakeSignal = Callable[..., Signal]


@pytest.mark.parametrize(
    ("price", "cents"),
    [
        (12.34, 1234),  # 1234.0 exactly
        (12.345, 1234),  # 1234.5 -> tie -> even 1234 (half-up would give 1235)
        (12.355, 1236),  # 1235.5 -> tie -> even 1236
        (2.675, 268),  # repr 2.675 -> 267.5 -> even 268 (float is 2.67499999..., not read)
        (0.125, 12),  # 12.5 -> even 12
        (0.135, 14),  # 13.5 -> even 14
        (0.1234, 12),  # 12.34 -> 12
        (0.0, 0),
        ("19.995", 2000),  # 1999.5 -> even 2000
        (Decimal("7.005"), 700),  # 700.5 -> even 700
        (3, 300),
    ],
)
def test_price_to_cents_rounds_half_to_even(price: float | str | Decimal, cents: int) -> None:
    assert price_to_cents(price) == cents


@pytest.mark.parametrize("bad", [-0.01, float("nan"), float("inf"), "abc"])
def test_price_to_cents_rejects_bad_prices(bad: object) -> None:
    with pytest.raises(InputError, match="price"):
        price_to_cents(bad)  # type: ignore[arg-type]


def test_return_bps_by_hand() -> None:
    # Long $100.00 -> $102.50: +250 cents / 10,000 = 2.5 % = 250 bps.
    assert return_bps(10_000, 10_250) == 250
    # Short $40.00 -> $41.00: -100 / 4,000 = -2.5 % = -250 bps for the short.
    assert return_bps(4_000, 4_100, sign=-1) == -250
    # 1 cent on $30.00 = 3.333... bps -> 3; 15 cents on $30.00 = 50 bps exactly.
    assert return_bps(3_000, 3_001) == 3
    assert return_bps(3_000, 3_015) == 50
    # A tie: 1 cent on $80.00 = 1.25 bps -> 1; 3 cents on $80.00 = 3.75 -> 4;
    # 1 cent on $40.00 = 2.5 bps -> even 2.
    assert return_bps(8_000, 8_001) == 1
    assert return_bps(8_000, 8_003) == 4
    assert return_bps(4_000, 4_001) == 2
    assert format_cents(-150) == "-$1.50"
    assert format_cents(123_456) == "$1,234.56"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"risk_score": 101}, "risk_score must be an integer from 0 to 100, got 101"),
        ({"confidence_score": -1}, "confidence_score must be an integer from 0 to 100"),
        ({"profit_potential_score": 50.5}, "profit_potential_score must be an integer"),
        ({"risk_score": True}, "risk_score must be an integer"),
        ({"stop_cents": -5}, "stop_cents must not be negative, got -5 cents"),
        ({"entry_cents": 100.0}, "entry_cents must be an integer number of cents"),
        ({"target_cents": 9_900}, r"long signal on ACME needs target > entry > stop"),
        ({"stop_cents": 10_000}, r"long signal on ACME needs target > entry > stop"),
        ({"direction": "short"}, r"short signal on ACME needs stop > entry > target"),
        ({"expires_on": dt.date(2024, 6, 28)}, "expiry must be later"),
        ({"source": " "}, "needs a source"),
        ({"direction": "sideways"}, "Unknown direction 'sideways'"),
        ({"horizon": "swnig"}, "Did you mean 'swing'"),
    ],
)
def test_signal_validation_errors(make_signal: MakeSignal, changes: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        make_signal(**changes)


def test_valid_short_and_derived_fields(make_signal: MakeSignal) -> None:
    s = make_signal(direction="SHORT", target_cents=9_400, stop_cents=10_300, symbol=" acme ")
    assert s.direction is Direction.SHORT
    assert s.symbol == "ACME"
    # Reward 10,000 - 9,400 = 600; risk 10,300 - 10,000 = 300; ratio 2.0.
    assert (s.reward_cents, s.risk_cents, s.reward_risk) == (600, 300, 2.0)
    assert s.horizon is TimeHorizon.SWING
    assert len(s.id) == 32
    assert s.id == make_signal(direction="short", target_cents=9_400, stop_cents=10_300).id


def test_levels_and_buckets() -> None:
    assert [RiskLevel.from_score(x).value for x in (0, 19, 20, 59, 60, 80, 100)] == [
        "very_low", "very_low", "low", "moderate", "high", "very_high", "very_high"
    ]  # fmt: skip
    assert [bucket_label(x) for x in (0, 20, 39, 40, 99, 100)] == [
        "0-20", "20-40", "20-40", "40-60", "80-100", "80-100"
    ]  # fmt: skip
    with pytest.raises(InputError):
        RiskLevel.from_score(101)


def test_profile_validation() -> None:
    with pytest.raises(InputError, match="risk_tolerance"):
        UserProfile("u", risk_tolerance=-1)
    with pytest.raises(InputError, match="max_sector_pct is a fraction"):
        UserProfile("u", max_sector_pct=25)
    with pytest.raises(InputError, match="portfolio_cents must not be negative"):
        UserProfile("u", portfolio_cents=-1)
    with pytest.raises(InputError, match="positive weight"):
        UserProfile("u", asset_classes={"equity": 0.0})
    with pytest.raises(UnknownNameError, match="time horizon"):
        UserProfile("u", time_horizon="weekly")  # type: ignore[arg-type]
    p = UserProfile("u", risk_tolerance=90, asset_classes={"Equity": 2.0, "etf": 1.0})
    assert p.max_risk_score == 100  # 90 + 15 capped
    assert (p.asset_weight("equity"), p.asset_weight("ETF")) == (1.0, 0.5)
