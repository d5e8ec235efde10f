"""Point-in-time views and intraday bars of the sandbox market."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from axion_lab.exceptions import InputError

DAY = dt.date(2020, 3, 31)


def test_as_of_hides_everything_published_later(market) -> None:
    past = market.as_of(DAY)
    assert past.end <= DAY
    assert past.fundamentals["published"].max() <= DAY
    assert past.dividends["declared"].max() <= DAY
    assert past.splits["announced"].max() <= DAY
    assert past.holdings["filed"].max() <= DAY
    assert past.short_interest["published"].max() <= DAY
    assert past.ratings["date"].max() <= DAY
    assert past.macro["published"].max() <= DAY
    assert past.index_membership["start"].max() <= DAY
    assert past.instruments.filter(pl.col("ipo_date") > DAY).height == 0
    # A report for the quarter ended before DAY but published after it is hidden.
    late = market.fundamentals.filter((pl.col("period_end") <= DAY) & (pl.col("published") > DAY))
    assert late.height > 0
    assert past.fundamentals.join(late, on=["symbol", "period_end"]).height == 0
    assert past.instruments.filter(pl.col("indexes").list.contains("AX500")).height == 500


@pytest.mark.parametrize("interval", ["1m", "5m", "15m", "30m", "1h"])
def test_intraday_is_consistent_with_daily_bars(market, interval: str) -> None:
    symbols = [*market.universe(index="AX500")[:3], "AX500", "EURUSD"]
    bars = market.intraday(symbols, days=3, interval=interval)
    minutes = {"1m": 1, "5m": 5, "15m": 15, "30m": 30, "1h": 60}[interval]
    per_day = -(-390 // minutes)
    assert bars.height == len(symbols) * 3 * per_day
    times = bars["ts"].dt.time()
    assert times.min() == dt.time(9, 30)
    assert times.max() < dt.time(16, 0)
    agg = (
        bars.sort("symbol", "ts")
        .group_by("symbol", pl.col("ts").dt.date().alias("day"))
        .agg(
            pl.col("open").first(),
            pl.col("high").max(),
            pl.col("low").min(),
            pl.col("close").last(),
            pl.col("volume").sum(),
        )
    )
    daily = market.bars.filter(pl.col("symbol").is_in(symbols)).with_columns(
        day=pl.col("ts").dt.date()
    )
    joined = agg.join(daily, on=["symbol", "day"], suffix="_d")
    assert joined.height == len(symbols) * 3
    for col in ("open", "high", "low", "close", "volume"):
        assert (joined[col] == joined[f"{col}_d"]).all(), col
    assert bars.select((pl.col("high") >= pl.max_horizontal("open", "close")).all()).item()
    assert bars.select((pl.col("low") <= pl.min_horizontal("open", "close")).all()).item()


def test_intraday_volume_is_u_shaped_and_deterministic(market) -> None:
    sym = market.universe(index="AX500")[:5]
    a = market.intraday(sym, days=5, interval="30m")
    by_slot = a.group_by(pl.col("ts").dt.time().alias("t")).agg(pl.col("volume").sum()).sort("t")
    v = by_slot["volume"]
    assert v[0] > v[6]
    assert v[-1] > v[6]
    # A session's bars do not depend on the window that was asked for.
    b = market.intraday(sym, days=2, interval="30m")
    assert (
        a.filter(pl.col("ts") >= b["ts"].min()).sort("symbol", "ts").equals(b.sort("symbol", "ts"))
    )
    old = market.as_of(DAY).intraday(sym[:1], days=1, interval="1h")
    assert old["ts"].dt.date().max() <= DAY


def test_bad_interval_lists_valid_ones(market) -> None:
    with pytest.raises(InputError, match="1m, 5m, 15m, 30m, 1h"):
        market.intraday(market.universe()[:1], days=1, interval="2m")
