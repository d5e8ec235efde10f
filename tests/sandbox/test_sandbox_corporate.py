"""Fundamentals, dividends and splits: identities, schedules and adjustments."""

from __future__ import annotations

import datetime as dt

import polars as pl
from polars.testing import assert_series_equal


def test_fundamental_identities_hold_exactly(market) -> None:
    f = market.fundamentals
    assert_series_equal(f["gross_profit"], f["revenue"] - f["cost_of_revenue"], check_names=False)
    assert_series_equal(
        f["free_cash_flow"], f["operating_cash_flow"] - f["capex"], check_names=False
    )
    assert_series_equal(
        f["total_assets"], f["total_liabilities"] + f["shareholders_equity"], check_names=False
    )
    assert_series_equal(f["eps"], f["net_income"] / f["shares_outstanding"], check_names=False)
    assert (f["cash"] <= f["current_assets"]).all()
    assert (f["inventory"] >= 0).all()


def test_every_equity_reports_quarterly_30_to_60_days_later(market) -> None:
    f = market.fundamentals
    lag = (f["published"] - f["period_end"]).dt.total_days()
    assert lag.min() >= 30
    assert lag.max() <= 60
    equities = market.instruments.filter(pl.col("asset_class") == "equity")["symbol"]
    assert set(f["symbol"]) == set(equities)  # delisted companies reported while listed
    assert set(f["fiscal_quarter"]) == {1, 2, 3, 4}
    gaps = (
        f.sort("symbol", "period_end")
        .with_columns(d=(pl.col("period_end").diff().over("symbol")).dt.total_days())["d"]
        .drop_nulls()
    )
    assert gaps.min() >= 89
    assert gaps.max() <= 92


def test_fundamentals_are_plausible(market) -> None:
    f = market.fundamentals
    margins = (
        f.group_by("symbol")
        .agg(
            gm=(pl.col("gross_profit").sum() / pl.col("revenue").sum()),
            ni=pl.col("net_income").sum(),
        )
        .join(market.instruments.select("symbol", "sector"), on="symbol")
    )
    by_sector = dict(margins.group_by("sector").agg(pl.col("gm").median()).iter_rows())
    assert by_sector["Information Technology"] > by_sector["Energy"] + 0.15
    loss_share = (margins["ni"] < 0).mean()
    assert 0.03 < loss_share < 0.35
    # Valuation: price-to-sales at the end in a plausible range for most names.
    last = (
        f.sort("period_end")
        .group_by("symbol")
        .tail(4)
        .group_by("symbol")
        .agg(pl.col("revenue").sum(), pl.col("shares_outstanding").last())
    )
    px = market.bars.filter(pl.col("ts") == pl.col("ts").max()).select("symbol", "close")
    ps = last.join(px, on="symbol").select(
        (pl.col("close") * pl.col("shares_outstanding") / pl.col("revenue")).alias("ps")
    )["ps"]
    assert 0.3 < ps.median() < 10
    assert ((ps > 0.05) & (ps < 80)).mean() > 0.9


def test_growth_persists(market) -> None:
    f = (
        market.fundamentals.sort("symbol", "period_end")
        .with_columns(g=pl.col("revenue").log().diff(4).over("symbol"))
        .with_columns(g_next=pl.col("g").shift(4).over("symbol"))
    )
    assert f.select(pl.corr("g", "g_next")).item() > 0.2


def test_buybacks_shrink_share_counts(market) -> None:
    f = market.fundamentals.filter(pl.col("share_buybacks") > 0)
    assert f.height > 1000


def test_dividend_dates_are_ordered(market) -> None:
    d = market.dividends
    assert (d["declared"] < d["ex_date"]).all()
    assert (d["ex_date"] < d["record_date"]).all()
    assert (d["record_date"] < d["pay_date"]).all()
    assert (d["amount"] > 0).all()
    assert (d["declared"] <= market.end).all()


def test_dividend_history_has_long_streaks_cuts_and_specials(market) -> None:
    d = market.dividends.filter(pl.col("kind") == "regular")
    assert d["ex_date"].min() < dt.date(2000, 1, 1), "history starts before the bars"
    streak = market.instruments["dividend_streak_start"].drop_nulls()
    assert (market.end.year - streak >= 25).sum() >= 20
    # Cuts or suspensions concentrate around the crash.
    yearly = (
        d.filter(pl.col("frequency") == "quarterly")
        .with_columns(y=pl.col("ex_date").dt.year())
        .group_by("symbol", "y")
        .agg(pl.col("amount").max())
        .sort("symbol", "y")
        .with_columns(prev=pl.col("amount").shift(1).over("symbol"))
        .filter(pl.col("amount") < 0.9 * pl.col("prev"))
    )
    splits = set(market.splits["symbol"])
    cut_years = yearly.filter(~pl.col("symbol").is_in(splits))["y"].value_counts().sort("count")
    assert cut_years["y"][-1] in (2020, 2021)
    assert market.dividends.filter(pl.col("kind") == "special").height >= 10


def test_payout_follows_earnings(market) -> None:
    paid = (
        market.fundamentals.group_by("symbol")
        .agg(pl.col("dividends_paid").sum(), pl.col("net_income").sum())
        .filter(pl.col("dividends_paid") > 0, pl.col("net_income") > 0)
    )
    payout = paid["dividends_paid"] / paid["net_income"]
    assert 0.15 < payout.median() < 1.0


def test_splits_forward_and_reverse_match_share_counts(market) -> None:
    s = market.splits
    assert (s["ratio"] > 1).sum() >= 20
    assert (s["ratio"] < 1).sum() >= 3
    assert (s["announced"] < s["ex_date"]).all()
    f = market.fundamentals.sort("symbol", "period_end")
    checked = 0
    for row in s.filter(pl.col("ex_date") < dt.date(2026, 3, 1)).head(30).iter_rows(named=True):
        fs = f.filter(pl.col("symbol") == row["symbol"])
        before = fs.filter(pl.col("period_end") < row["ex_date"]).tail(1)["shares_outstanding"]
        after = fs.filter(pl.col("period_end") >= row["ex_date"]).head(1)["shares_outstanding"]
        if before.len() and after.len():
            assert abs(after[0] / before[0] / row["ratio"] - 1) < 0.05
            checked += 1
    assert checked >= 10


def test_split_adjusted_prices_have_no_jump_on_split_days(market) -> None:
    s = market.splits.filter(pl.col("ratio") != 1).head(40)
    raw = market.bars.filter(pl.col("symbol").is_in(s["symbol"])).sort("symbol", "ts")
    adj = market.adjusted_bars("split", symbols=s["symbol"].to_list()).sort("symbol", "ts")

    def jumps(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(
            j=(pl.col("close") / pl.col("close").shift(1).over("symbol")).log().abs(),
            day=pl.col("ts").dt.date(),
        ).join(s.select("symbol", day="ex_date"), on=["symbol", "day"])

    assert jumps(raw)["j"].min() > 0.4  # as traded: the split shows
    assert jumps(adj)["j"].max() < 0.3  # adjusted: it does not


def test_total_return_series_compounds_dividends(market) -> None:
    payers = (
        market.dividends.filter(
            pl.col("ex_date") > market.start, pl.col("frequency") == "quarterly"
        )
        .group_by("symbol")
        .len()
        .filter(pl.col("len") >= 40)["symbol"]
        .head(20)
        .to_list()
    )
    price = (
        market.adjusted_bars("split", symbols=payers)
        .group_by("symbol")
        .agg(pr=pl.col("close").sort_by("ts").last() / pl.col("close").sort_by("ts").first())
    )
    total = (
        market.adjusted_bars("total", symbols=payers)
        .group_by("symbol")
        .agg(tr=pl.col("close").sort_by("ts").last() / pl.col("close").sort_by("ts").first())
    )
    both = price.join(total, on="symbol")
    assert (both["tr"] > both["pr"] * 1.05).all()
