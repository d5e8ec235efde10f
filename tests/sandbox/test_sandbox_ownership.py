"""Holdings, short interest, ratings and macro series."""

from __future__ import annotations

import datetime as dt

import polars as pl


def test_holdings_cover_many_funds_with_overlap(market) -> None:
    h = market.holdings
    assert h["fund"].n_unique() >= 40
    assert set(market.funds["style"]) >= {"index", "value", "growth", "quant", "activist"}
    assert market.funds["is_fictional"].all()
    assert set(h["fund"]) <= set(market.funds["fund"])
    lag = (h["filed"] - h["quarter"]).dt.total_days()
    assert lag.min() >= 30
    assert lag.max() <= 50
    weights = h.group_by("fund", "quarter").agg(pl.col("weight").sum())["weight"]
    assert (weights - 1).abs().max() < 1e-9
    # The last quarter every fund has filed for.
    full = (
        h.group_by("quarter")
        .agg(pl.col("fund").n_unique())
        .filter(pl.col("fund") == h["fund"].n_unique())
    )
    last = h.filter(pl.col("quarter") == full["quarter"].max())
    active = last.join(market.funds, on="fund").filter(pl.col("style") != "index")
    holders = active.group_by("symbol").agg(pl.col("fund").n_unique().alias("n"))
    assert holders["n"].max() >= 8, "crowded names held by many active funds"


def test_holdings_persist_quarter_to_quarter(market) -> None:
    h = market.holdings.join(market.funds, on="fund").filter(pl.col("style") == "value")
    quarters = sorted(set(h["quarter"]))[-4:-2]
    a = set(h.filter(pl.col("quarter") == quarters[0]).select("fund", "symbol").iter_rows())
    b = set(h.filter(pl.col("quarter") == quarters[1]).select("fund", "symbol").iter_rows())
    assert len(a & b) / len(a) > 0.5


def test_short_interest_schedule_and_squeeze_candidates(market) -> None:
    si = market.short_interest
    lag = (si["published"] - si["date"]).dt.total_days()
    assert lag.min() >= 10
    assert lag.max() <= 16
    per_month = (
        si.filter(pl.col("symbol") == si["symbol"][0])
        .group_by(pl.col("date").dt.strftime("%Y-%m"))
        .len()
    )
    assert per_month["len"].max() == 2
    sf = si.with_columns(sf=pl.col("short_shares") / pl.col("float_shares"))
    squeeze = sf.filter(pl.col("sf") > 0.2)
    assert squeeze["symbol"].n_unique() >= 5
    assert squeeze["borrow_fee"].median() > 3 * sf["borrow_fee"].median()
    assert (si["short_shares"] <= si["float_shares"]).all()


def test_ratings_are_a_time_series_in_range(market) -> None:
    r = market.ratings
    assert r["rating"].min() >= 1.0
    assert r["rating"].max() <= 5.0
    assert (r["target_price"] > 0).all()
    assert (r["analyst_count"] > 0).all()
    per_symbol = r.group_by("symbol").len()["len"]
    assert per_symbol.median() > 100


def test_macro_series_follow_the_regimes(market) -> None:
    m = market.macro
    assert set(m["series"]) == {"policy_rate", "treasury_10y", "cpi", "unemployment"}
    assert (m["published"] > m["date"]).all()

    def value(series: str, month: str) -> float:
        day = dt.date.fromisoformat(month + "-01")
        return m.filter((pl.col("series") == series) & (pl.col("date") == day))["value"].item()

    assert value("unemployment", "2020-04") > 2 * value("unemployment", "2019-12")
    assert value("policy_rate", "2020-05") < value("policy_rate", "2019-12")
    assert value("policy_rate", "2023-09") > 4.0
    cpi = m.filter(pl.col("series") == "cpi").sort("date")["value"]
    assert cpi[-1] > cpi[0] * 1.2
