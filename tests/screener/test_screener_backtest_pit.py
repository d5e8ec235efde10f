"""ScreenBacktester on the sandbox: point in time, delistings, an independent equity
curve, weighting, the result object. Expectations are computed from the market's
frames here, never hard-coded sandbox numbers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import numpy as np
import pandas as pd
import polars as pl
import pytest
import quantstats as qs
from matplotlib.figure import Figure

from axion_lab.data.market import Market
from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.fields import build_snapshot
from axion_lab.screener import (
    BacktestResult,
    FilterCondition,
    Screen,
    ScreenBacktester,
    Universe,
)

JUL, AUG = dt.date(2023, 7, 31), dt.date(2023, 8, 31)
START, END = "2023-07-01", "2023-09-30"


@pytest.fixture(scope="module")
def names(market: Market) -> list[str]:
    """Twelve AX500 members on the first rebalance date."""
    cut = market.as_of(JUL).instruments
    members = cut.filter(pl.col("indexes").list.contains("AX500"))["symbol"].sort()
    return members.head(12).to_list()


def run(market: Market, names: list[str], **options: object) -> BacktestResult:
    screen = Screen("twelve", universe=Universe.of(names))
    defaults: dict[str, object] = {"start": START, "end": END, "top_n": 3, "rank_by": "market_cap"}
    return ScreenBacktester(market, progress=False).run(screen, **(defaults | options))  # type: ignore[arg-type]


def plant(market: Market, symbol: str, published: dt.date) -> Market:
    """Restate ``symbol``'s 2023-06-30 quarter with 1000x the shares, published then."""
    f = market.fundamentals
    hit = (pl.col("symbol") == symbol) & (pl.col("period_end") == dt.date(2023, 6, 30))
    assert f.filter(hit).height == 1
    planted = f.with_columns(
        pl.when(hit)
        .then(pl.col("shares_outstanding") * 1000)
        .otherwise("shares_outstanding")
        .alias("shares_outstanding"),
        pl.when(hit).then(pl.lit(published)).otherwise("published").alias("published"),
    )
    return dataclasses.replace(market, fundamentals=planted)


def test_a_future_dated_fundamental_is_ignored_until_published(
    market: Market, names: list[str]
) -> None:
    base = run(market, names)
    assert base.rebalance_dates == [JUL, AUG]
    # The victim: a name the unplanted backtest never holds.
    held = set(base.holdings["symbol"].to_list())
    victim = next(s for s in reversed(names) if s not in held)
    # period_end 2023-06-30 is before the July rebalance; published after it.
    late = run(plant(market, victim, published=dt.date(2023, 8, 15)), names)
    assert victim not in late.holdings_at(JUL)
    assert late.holdings_at(JUL) == base.holdings_at(JUL)
    assert late.holdings_at(AUG)[0] == victim  # once public, 1000x the shares tops the rank
    # Control: published before the July rebalance, the same row changes July's picks.
    early = run(plant(market, victim, published=dt.date(2023, 7, 14)), names)
    assert early.holdings_at(JUL)[0] == victim


def test_a_holding_whose_bars_end_is_sold_at_its_last_price(
    market: Market, names: list[str]
) -> None:
    base = run(market, names, cost_bps=0.0)
    gone = base.holdings_at(JUL)[1]
    cut_after = dt.datetime(2023, 8, 15)
    bars = market.bars.filter((pl.col("symbol") != gone) | (pl.col("ts") <= cut_after))
    delisted = run(dataclasses.replace(market, bars=bars), names, cost_bps=0.0)
    last = bars.filter(pl.col("symbol") == gone)["ts"].max()
    assert isinstance(last, dt.datetime)
    assert delisted.delisted.rows() == [(last.date(), gone)]
    assert gone not in delisted.holdings_at(AUG)
    # After the sale the position is cash worth its last close: with no costs and a
    # start value of 1.0, each third grows with its own price until August.
    px = {
        (row[0].date(), row[1]): row[2]
        for row in market.adjusted_bars("total", symbols=names)
        .select("ts", "symbol", "close")
        .iter_rows()
    }
    others = [s for s in delisted.holdings_at(JUL) if s != gone]
    cash = px[last.date(), gone] / px[JUL, gone] / 3
    eq = delisted.equity.filter(pl.col("date").is_between(last.date(), AUG))
    expected = [cash + sum(px[d, s] / px[JUL, s] / 3 for s in others) for d in eq["date"]]
    assert eq["equity"].to_list() == pytest.approx(expected, rel=1e-10)


def test_equity_matches_an_independent_buy_and_hold(market: Market, names: list[str]) -> None:
    result = run(market, names, cost_bps=0.0, prices="split", end="2023-12-31")
    bars = (
        market.adjusted_bars("split", symbols=names)
        .with_columns(pl.col("ts").dt.date().alias("date"))
        .to_pandas()
        .pivot(index="date", columns="symbol", values="close")
    )
    bars.index = pd.DatetimeIndex(bars.index)
    dates = pd.DatetimeIndex(result.equity["date"].to_list())
    bars = bars.loc[dates]
    value = 1.0
    expected = pd.Series(np.nan, index=dates)
    reb = [*pd.DatetimeIndex(result.rebalance_dates), dates[-1]]
    for a, b in itertools.pairwise(reb):
        window = bars.loc[a:b, result.holdings_at(a.date())]
        # Equal weights bought at a's close, then held: the mean of the growth ratios.
        path = value * (window / window.iloc[0]).mean(axis=1)
        expected.loc[path.index] = path.to_numpy()
        value = float(path.iloc[-1])
    assert result.equity["equity"].to_list() == pytest.approx(expected.to_list(), rel=1e-10)
    assert result.stats["cost_drag"] == 0.0


def test_costs_and_statistics(market: Market, names: list[str]) -> None:
    net = run(market, names, cost_bps=25.0, end="2023-12-31")
    gross = net.equity["gross_equity"].to_numpy()
    assert (net.equity["equity"].to_numpy() < gross).all()
    assert net.periods["cost"].to_list() == pytest.approx(
        [25e-4 * 2 * t for t in net.periods["turnover"].to_list()]
    )
    returns = pd.Series(net.returns.to_numpy(), index=pd.DatetimeIndex(net.equity["date"]))
    assert net.stats["sharpe"] == pytest.approx(qs.stats.sharpe(returns, rf=0.0), rel=1e-9)
    assert net.stats["cagr"] == pytest.approx(qs.stats.cagr(returns), rel=1e-9)
    assert net.stats["max_drawdown"] == pytest.approx(qs.stats.max_drawdown(returns), rel=1e-9)
    assert net.stats["cost_drag"] > 0
    bench = market.adjusted_bars("total", symbols=["AX500"]).with_columns(
        pl.col("ts").dt.date().alias("date")
    )
    bench = net.equity.select("date").join(bench, on="date", how="left")["close"].to_numpy()
    assert net.equity["benchmark"].to_numpy() == pytest.approx(bench / bench[0], rel=1e-12)


def test_cap_weighting_follows_market_cap(market: Market, names: list[str]) -> None:
    result = run(market, names, weighting="cap", rank_by="roe")
    snap = build_snapshot(market, as_of=JUL, fields=["market_cap"], symbols=names)
    held = result.holdings.filter(pl.col("rebalance_date") == JUL)
    caps = dict(snap.iter_rows())
    total = sum(caps[s] for s in held["symbol"])
    assert held["weight"].to_list() == pytest.approx([caps[s] / total for s in held["symbol"]])
    assert held["weight"].sum() == pytest.approx(1.0)


def test_a_formula_rank_and_screen_filters(market: Market, names: list[str]) -> None:
    screen = Screen(
        "cheap", filters=(FilterCondition("pe_ratio", ">", 0),), universe=Universe.of(names)
    )
    result = ScreenBacktester(market, progress=False).run(
        screen, start=START, end=END, top_n=2, rank_by=-pl.col("pe_ratio")
    )
    snap = build_snapshot(market, as_of=AUG, fields=["pe_ratio"], symbols=names)
    cheapest = snap.filter(pl.col("pe_ratio") > 0).sort("pe_ratio")["symbol"].head(2).to_list()
    assert result.holdings_at(AUG) == cheapest


def test_a_screen_matching_nothing_holds_cash(market: Market, names: list[str]) -> None:
    screen = Screen(
        "none", filters=(FilterCondition("pe_ratio", ">", 1e12),), universe=Universe.of(names)
    )
    result = ScreenBacktester(market, progress=False).run(screen, start=START, end=END)
    assert result.periods["matched"].to_list() == [0, 0]
    assert result.holdings.height == 0
    assert set(result.equity["equity"].to_list()) == {1.0}


def test_result_surface(
    market: Market, names: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    screen = Screen("twelve", universe=Universe.of(names))
    result = ScreenBacktester(market, progress=True).run(
        screen, start=START, end=END, top_n=3, rank_by="ret_21"
    )
    assert "rebalance" in capsys.readouterr().err  # the tqdm bar
    frame = result.to_pandas()
    assert isinstance(frame.index, pd.DatetimeIndex)
    assert {"equity", "benchmark", "drawdown", "returns"} <= set(frame.columns)
    assert result.to_frame().height == frame.shape[0]
    page = result._repr_html_()
    for part in ("Synthetic data", "twelve", "sharpe", "Latest holdings"):
        assert part in page
    assert "CAGR" in repr(result)
    for fig in (result.plot(), result.plot_equity(log=True), result.plot_drawdown()):
        assert isinstance(fig, Figure)
        # Jupyter and the report renderer show it as a PNG with the chart title as alt.
        png, meta = fig._repr_png_()
        assert png[:4] == b"\x89PNG"
        assert meta["alt"].startswith("twelve: ")
    assert result.stats_frame().height == len(result.stats)


def test_clear_errors(market: Market, names: list[str]) -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'ret_126'"):
        run(market, names, rank_by="ret_162")
    with pytest.raises(InputError, match="top_n"):
        run(market, names, top_n=0)
    with pytest.raises(InputError, match="weighting"):
        run(market, names, weighting="value")
    with pytest.raises(InputError, match="numeric"):
        run(market, names, rank_by="sector")
    with pytest.raises(InputError, match="No monthly rebalance"):
        run(market, names, start="2023-07-03", end="2023-07-05")


def test_a_universe_empty_on_some_dates_holds_cash_until_it_lists(market: Market) -> None:
    # A symbol listed in the middle of the period: before its first bar nothing in the
    # universe trades, so those rebalances hold cash; from then on it is held.
    listings = market.instruments.filter(
        pl.col("asset_class") == "equity",
        pl.col("ipo_date") > market.start + dt.timedelta(days=400),
    ).sort("ipo_date")
    symbol, ipo = listings.row(0)[0], listings["ipo_date"][0]
    first_bar = market.bars.filter(pl.col("symbol") == symbol)["ts"].min().date()  # type: ignore[union-attr]
    start, end = ipo - dt.timedelta(days=75), ipo + dt.timedelta(days=75)
    result = ScreenBacktester(market, progress=False).run(
        Screen("one", universe=Universe.of([symbol])),
        start=start,
        end=end,
        top_n=1,
        rank_by="price",
        benchmark=None,
    )
    periods = result.periods
    before = periods.filter(pl.col("rebalance_date") < first_bar)
    after = periods.filter(pl.col("rebalance_date") >= first_bar)
    assert before.height >= 1
    assert after.height >= 1
    assert set(before["matched"]) == {0}
    assert set(before["held"]) == {0}
    assert set(after["matched"]) == {1}
    assert set(after["held"]) == {1}
    cash_days = result.equity.filter(pl.col("date") <= before["rebalance_date"].max())
    assert set(cash_days["equity"]) == {1.0}


def test_progress_rises_to_one_as_snapshots_are_built(market: Market, names: list[str]) -> None:
    seen: list[float] = []
    result = run(market, names, on_progress=seen.append, start="2023-01-01")
    dates = len(result.rebalance_dates)
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    # One step per rebalance date's snapshot, then the screens, then the simulation.
    assert len(seen) == dates + 2
    assert seen[dates - 1] == pytest.approx(0.9)


def test_build_snapshots_reports_each_date_once(market: Market, names: list[str]) -> None:
    from axion_lab.fields import build_snapshots

    days = [dt.date(2023, 5, 31), dt.date(2023, 6, 30), dt.date(2023, 7, 31)]
    done: list[dt.date] = []
    # pe_ratio needs the per-date (fundamentals) path; price alone the batched one.
    build_snapshots(market, days, fields=["pe_ratio"], symbols=names, on_date=done.append)
    assert done == days
    done.clear()
    build_snapshots(market, days, fields=["price"], symbols=names, on_date=done.append)
    assert done == days
