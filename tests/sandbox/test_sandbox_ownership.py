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


def test_funds_never_own_more_than_the_company(market) -> None:
    from axion_lab.data.sandbox.ownership import MAX_INSTITUTIONAL_SHARE

    h = market.holdings.with_columns(month=pl.col("quarter").dt.truncate("1mo"))
    owned = h.group_by("symbol", "month").agg(pl.col("shares").sum(), pl.col("fund").n_unique())
    # Shares outstanding of the same quarter, as reported (split-consistent: both
    # are in the share units of the quarter end).
    so = market.fundamentals.select(
        "symbol", pl.col("period_end").dt.truncate("1mo").alias("month"), "shares_outstanding"
    )
    both = owned.join(so, on=["symbol", "month"])
    assert both.height > 0.9 * owned.height
    ratio = both["shares"] / both["shares_outstanding"]
    assert ratio.max() <= MAX_INSTITUTIONAL_SHARE * (1 + 1e-6)
    assert 0.05 < ratio.median() < 0.6
    # No fund sinks nearly all of itself into one name by accident.
    assert h.filter(pl.col("weight") > 0.5).height < 0.001 * h.height


def test_holdings_value_is_shares_times_the_quarter_end_close(market) -> None:
    h = market.holdings
    weights = h.group_by("fund", "quarter").agg(pl.col("weight").sum())["weight"]
    assert (weights - 1).abs().max() < 1e-9
    close = market.bars.select("symbol", quarter=pl.col("ts").dt.date(), close="close")
    j = h.join(close, on=["symbol", "quarter"])
    assert j.height == h.height, "every position is in a stock trading at the quarter end"
    assert ((j["value"] - j["shares"] * j["close"]).abs() <= 0.5 + 1e-9 * j["value"]).all()
    assert (j["shares"] > 0).all()
    assert (j["shares"] == j["shares"].round(0)).all()
    # The weight is the position's share of the fund's reported value.
    implied = j.with_columns(w=pl.col("value") / pl.col("value").sum().over("fund", "quarter"))
    assert (implied["w"] - implied["weight"]).abs().max() < 1e-6


def test_borrow_fee_is_an_annual_fraction(market) -> None:
    fee = market.short_interest["borrow_fee"]
    # General collateral costs about 0.25% a year: 0.0025, not 0.25.
    assert 0.001 < fee.median() < 0.01
    assert fee.min() > 0
    assert fee.max() < 2.0
