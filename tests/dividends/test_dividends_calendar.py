"""Frequency detection and the calendar's paid/declared/estimated events."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from dividend_data import tiny_frames

from axion_lab.data import Market
from axion_lab.dividends import DividendCalendar, DividendFrequency, DividendStatus
from axion_lab.dividends.history import detect_frequency
from axion_lab.exceptions import UnknownSymbolError

D = dt.date


def _every(months: int, n: int, start: dt.date) -> list[dt.date]:
    from axion_lab.dividends.history import add_months

    return [add_months(start, months * k) for k in range(n)]


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (_every(1, 12, D(2023, 1, 15)), DividendFrequency.MONTHLY),
        (_every(3, 8, D(2020, 2, 10)), DividendFrequency.QUARTERLY),
        (_every(6, 5, D(2020, 3, 1)), DividendFrequency.SEMI_ANNUAL),
        (_every(12, 4, D(2018, 6, 1)), DividendFrequency.ANNUAL),
        # One skipped quarter among recent payments: the median of the last gaps holds.
        (
            [*_every(3, 6, D(2020, 1, 15)), D(2021, 10, 15), D(2022, 1, 15)],
            DividendFrequency.QUARTERLY,
        ),
        # Quarterly for years, then monthly: two monthly gaps are enough.
        (
            [*_every(3, 12, D(2019, 1, 10)), D(2022, 1, 10), D(2022, 2, 10), D(2022, 3, 10)],
            DividendFrequency.MONTHLY,
        ),
    ],
)
def test_detect_frequency(dates: list[dt.date], expected: DividendFrequency) -> None:
    assert detect_frequency(dates) is expected


def test_one_payment_falls_back_to_the_declared_label() -> None:
    assert (
        detect_frequency([D(2024, 1, 1)], declared="semi_annual") is DividendFrequency.SEMI_ANNUAL
    )
    assert detect_frequency([D(2024, 1, 1)], declared="special") is DividendFrequency.ANNUAL


def test_statuses_and_estimates_on_the_hand_made_market(tiny: Market) -> None:
    cal = DividendCalendar(tiny).build(
        ["aaa"], as_of="2024-11-20", start="2024-08-01", end="2025-06-30"
    )
    events = cal.to_frame().select("ex_date", "record_date", "pay_date", "amount", "status")
    # Specials do not disturb the quarterly rhythm; the special of 2023 is outside the window.
    assert cal.frequencies.row(0, named=True)["frequency"] == "quarterly"
    assert events.rows() == [
        (D(2024, 8, 15), D(2024, 8, 16), D(2024, 9, 3), 0.14, "paid"),
        # Declared 11-01, paid 12-02: after the reference date 2024-11-20.
        (D(2024, 11, 15), D(2024, 11, 16), D(2024, 12, 2), 0.14, "declared"),
        # 2025-02-15 is a Saturday -> Monday 02-17; record +1 day, pay +17 days as last time.
        # The 2-for-1 split effective 2025-01-10 halves the per-share amount: 0.07.
        (D(2025, 2, 17), D(2025, 2, 18), D(2025, 3, 6), 0.07, "estimated"),
        (D(2025, 5, 15), D(2025, 5, 16), D(2025, 6, 1), 0.07, "estimated"),
    ]
    assert [e.status for e in cal.event_objects()][-1] is DividendStatus.ESTIMATED
    assert cal.upcoming()["status"].to_list() == ["declared", "estimated", "estimated"]
    assert "Dividend calendar" in cal._repr_html_()


def test_a_suspended_payer_is_not_projected() -> None:
    frames = tiny_frames()
    # AAA without its 2024 dividends: last ex-date 2023-11-15, quarterly; by 2024-12-31
    # that is 412 days, more than two periods plus 30 days (213).
    frames["dividends"] = frames["dividends"].filter(pl.col("ex_date").dt.year() < 2024)
    cal = DividendCalendar(Market.from_frames(frames)).build("AAA", end="2025-12-31")
    assert cal.frequencies["suspended"].to_list() == [True]
    assert "estimated" not in cal.events["status"].to_list()


def test_missed_payments_are_not_estimated_in_the_past(tiny: Market) -> None:
    # BBB paid once (2023-06-15, annual): the June 2024 payment never came, so the next
    # estimate is June 2025 (2025-06-15 is a Sunday -> Monday 06-16).
    cal = DividendCalendar(tiny).build("BBB", start="2023-01-01", end="2025-12-31")
    assert cal.events.select("ex_date", "status").rows() == [
        (D(2023, 6, 15), "paid"),
        (D(2025, 6, 16), "estimated"),
    ]


def test_unknown_symbol_suggests(tiny: Market) -> None:
    with pytest.raises(UnknownSymbolError, match="Did you mean 'AAA'"):
        DividendCalendar(tiny).build(["AAX"])


def test_sandbox_calendar_detects_the_labelled_frequency(market: Market) -> None:
    symbols = market.dividends.filter(pl.col("kind") == "regular")["symbol"].unique().sort()[:200]
    cal = DividendCalendar(market).build(symbols.to_list())
    labels = (
        market.dividends.filter(pl.col("kind") == "regular")
        .sort("ex_date")
        .group_by("symbol")
        .agg(pl.col("frequency").last())
    )
    joined = cal.frequencies.join(labels, on="symbol", suffix="_label")
    assert joined.height == 200
    assert (joined["frequency"] == joined["frequency_label"]).all()
