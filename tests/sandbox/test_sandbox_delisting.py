"""Delisting: a collapsed company stops trading, and nothing happens to it afterwards."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from axion_lab.data.sandbox.delisting import (
    CURE_SESSIONS,
    MIN_MARKET_VALUE_USD,
    delisting_sessions,
)
from axion_lab.data.schema import OPTIONAL_COLUMNS


@pytest.fixture(scope="module")
def delisted(market) -> pl.DataFrame:
    """symbol, currency, delisted date, last bar date of every delisted company."""
    last = market.bars.group_by("symbol").agg(last=pl.col("ts").max().dt.date())
    frame = (
        market.instruments.filter(pl.col("delisted").is_not_null())
        .select("symbol", "asset_class", "currency", "delisted")
        .join(last, on="symbol", how="left")
    )
    assert frame.height >= 3, "the default market has companies that fail"
    return frame


def test_delisted_is_a_documented_optional_date_column(market) -> None:
    assert market.instruments.schema["delisted"] == OPTIONAL_COLUMNS["instruments"]["delisted"]
    assert market.instruments.schema["delisted"] == pl.Date
    others = market.instruments.filter(pl.col("asset_class") != "equity")
    assert others["delisted"].null_count() == others.height


def test_bars_end_the_session_before_the_delisting_date(market, delisted) -> None:
    assert (delisted["asset_class"] == "equity").all()
    sessions = market.trading_days.to_list()
    for row in delisted.iter_rows(named=True):
        k = sessions.index(row["delisted"])
        assert row["last"] == sessions[k - 1], row["symbol"]


def test_delisting_follows_the_exchange_minimums(market, delisted) -> None:
    # Every US delisting: the last CURE_SESSIONS closes were all below $1, or the
    # market value (close x latest reported shares) below the listing minimum.
    shares = (
        market.fundamentals.sort("period_end")
        .group_by("symbol")
        .agg(pl.col("shares_outstanding").last())
    )
    us = delisted.filter(pl.col("currency") == "USD").join(shares, on="symbol")
    assert us.height >= 1
    for row in us.iter_rows(named=True):
        tail = (
            market.bars.filter(pl.col("symbol") == row["symbol"])
            .sort("ts")
            .tail(CURE_SESSIONS)["close"]
        )
        below = (tail < 1.0) | (tail * row["shares_outstanding"] < MIN_MARKET_VALUE_USD * 1.1)
        assert below.all(), row["symbol"]
    # Survivors never spent CURE_SESSIONS sessions in a row below $1 (reverse splits
    # cure a low price in time).
    listed_us = market.instruments.filter(
        pl.col("asset_class") == "equity", pl.col("currency") == "USD", pl.col("delisted").is_null()
    )["symbol"]
    runs = (
        market.bars.filter(pl.col("symbol").is_in(listed_us.implode()))
        .sort("symbol", "ts")
        .with_columns(low=pl.col("close") < 1.0)
        .with_columns(run=pl.struct("symbol", "low").rle_id())
        .filter(pl.col("low"))
        .group_by("run")
        .len()
    )
    assert runs.height == 0 or runs["len"].max() < CURE_SESSIONS


def test_nothing_happens_to_a_company_after_its_delisting(market, delisted) -> None:
    d = delisted.select("symbol", "delisted")

    def after(frame: pl.DataFrame, column: str) -> int:
        return frame.join(d, on="symbol").filter(pl.col(column) >= pl.col("delisted")).height

    assert after(market.dividends, "ex_date") == 0
    assert after(market.fundamentals, "published") == 0
    assert after(market.splits, "ex_date") == 0
    assert after(market.holdings, "quarter") == 0
    assert after(market.short_interest, "date") == 0
    assert after(market.ratings, "date") == 0
    spans = market.index_membership.join(d, on="symbol")
    assert spans.filter(pl.col("end").is_null() | (pl.col("end") > pl.col("delisted"))).height == 0
    # They did trade, report and get rated before.
    assert market.fundamentals.join(d, on="symbol")["symbol"].n_unique() == d.height
    assert market.ratings.join(d, on="symbol").height > 0


def test_indexes_refill_a_delisted_seat_the_same_day() -> None:
    from types import SimpleNamespace

    from axion_lab.data.sandbox.indexes import reconstitute

    # 1,600 US names ranked by a fixed market value; the 11th largest (an AX500
    # member) stops trading on session 80, between two quarterly rebalances.
    n_t, n = 120, 1600
    sessions = np.datetime64("2019-01-02") + np.arange(n_t).astype("timedelta64[D]")
    mcap = np.tile(np.linspace(1e11, 1e8, n), (n_t, 1))
    listed = np.ones((n_t, n), dtype=bool)
    listed[80:, 10] = False
    members = reconstitute(SimpleNamespace(tier=np.zeros(n, dtype=int)), sessions, mcap, listed)
    for name, seats in (("AX500", 500), ("AX400", 400), ("AX600", 600)):
        assert (members[name].sum(axis=1) == seats).all(), name
    assert members["AX500"][79, 10]
    assert not any(m[80:, 10].any() for m in members.values())
    # The largest name outside moves up the same day; each lower index refills in turn.
    for name, first_out in (("AX500", 500), ("AX400", 900), ("AX600", 1500)):
        assert not members[name][79, first_out]
        assert members[name][80, first_out]
    assert members["AX400"][79, 500]
    assert not members["AX400"][80, 500]


def test_as_of_knows_a_delisting_only_once_it_happened(market, delisted) -> None:
    row = delisted.sort("delisted").row(0, named=True)
    before = market.as_of(row["last"])
    after = market.as_of(row["delisted"])
    inst = {
        m: x.instruments.filter(pl.col("symbol") == row["symbol"])
        for m, x in (("before", before), ("after", after))
    }
    assert inst["before"]["delisted"][0] is None
    assert inst["after"]["delisted"][0] == row["delisted"]
    assert row["symbol"] in before.universe()
    assert row["symbol"] not in after.universe()
    assert row["symbol"] not in market.universe()
    assert row["symbol"] in market.symbols  # still in the history


def test_delisting_rule_on_a_hand_worked_case() -> None:
    # Column 0 sinks below $1 on session 2 and stays: with a 3-session cure it
    # trades through session 4 and is delisted on session 5. Column 1 dips for two
    # sessions only. Column 2 is worth less than the minimum market value from
    # session 1 on but only lists on session 3. Column 3 lists late and never fails.
    price = np.array(
        [
            [3.0, 3.0, 5.0, 5.0],
            [2.0, 0.5, 5.0, 5.0],
            [0.9, 0.5, 5.0, 5.0],
            [0.8, 2.0, 5.0, 5.0],
            [0.7, 2.0, 5.0, 5.0],
            [0.6, 2.0, 5.0, 5.0],
            [0.5, 2.0, 5.0, 5.0],
        ]
    )
    value = price * 1e8
    value[1:, 2] = 1e6
    listed = np.ones_like(price, dtype=bool)
    listed[:3, 2] = False
    listed[:5, 3] = False
    out = delisting_sessions(price, value, listed, min_price=np.ones(4), cure=3)
    assert out.tolist() == [5, 7, 6, 7]
    assert (
        delisting_sessions(price[:2], value[:2], listed[:2], min_price=np.ones(4), cure=3).tolist()
        == [2] * 4
    )


def test_no_price_is_zero_or_stuck_near_zero(market) -> None:
    b = market.bars
    assert b.select(pl.min_horizontal("open", "high", "low", "close").min()).item() > 0
    eq = b.filter(
        pl.col("symbol").is_in(
            market.instruments.filter(pl.col("asset_class") == "equity")["symbol"].implode()
        )
    )
    assert eq["low"].min() > 0.05
