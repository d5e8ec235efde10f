"""Statistical realism of the sandbox prices: checks on distributions, not shapes."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest


@pytest.fixture(scope="module")
def returns(market) -> pl.DataFrame:
    """Daily split-adjusted log returns of the equities."""
    eq = market.universe()
    return (
        market.adjusted_bars("split", symbols=eq)
        .sort("symbol", "ts")
        .with_columns(r=pl.col("close").log().diff().over("symbol"))
        .drop_nulls("r")
    )


@pytest.fixture(scope="module")
def wide(returns: pl.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Returns as a (days, symbols) matrix over the names listed all along."""
    table = returns.pivot(on="symbol", index="ts", values="r").sort("ts").drop("ts")
    full = [c for c in table.columns if table[c].null_count() == 0]
    return table.select(full).to_numpy(), full


def test_annualised_volatility_in_realistic_band(returns: pl.DataFrame) -> None:
    vol = returns.group_by("symbol").agg(v=pl.col("r").std() * np.sqrt(252))["v"]
    assert 0.20 <= vol.median() <= 0.45
    assert vol.quantile(0.05) > 0.10
    assert vol.quantile(0.95) < 0.90


def test_index_volatility_and_crash(market) -> None:
    idx = market.bars.filter(pl.col("symbol") == "AX500").sort("ts")
    close = idx["close"].to_numpy()
    vol = np.diff(np.log(close)).std() * np.sqrt(252)
    assert 0.14 <= vol <= 0.22
    dd = close / np.maximum.accumulate(close) - 1
    days = idx["ts"].dt.date().to_numpy()
    crash = (days >= np.datetime64("2020-02-01")) & (days <= np.datetime64("2020-04-30"))
    assert dd[crash].min() < -0.28, "the crash must show in the index drawdown"
    assert close[-1] > close[crash].min() * 1.4, "and the market recovers"
    bear = (days >= np.datetime64("2022-01-01")) & (days <= np.datetime64("2022-12-31"))
    assert dd[bear].min() < -0.15


def test_fat_tails_and_volatility_clustering(returns: pl.DataFrame) -> None:
    stats = returns.group_by("symbol").agg(
        k=pl.col("r").kurtosis(),
        ac=pl.corr(pl.col("r").abs(), pl.col("r").abs().shift(1)),
    )
    assert stats["k"].median() > 1.0
    assert (stats["k"] > 0).mean() > 0.95
    assert stats["ac"].median() > 0.03


def test_correlation_structure(market, wide: tuple[np.ndarray, list[str]]) -> None:
    mat, symbols = wide
    rng = np.random.default_rng(0)
    pick = rng.choice(len(symbols), size=min(400, len(symbols)), replace=False)
    corr = np.corrcoef(mat[:, pick].T)
    sectors = dict(market.instruments.select("symbol", "sector").iter_rows())
    sec = np.array([sectors[symbols[i]] for i in pick])
    upper = np.triu(np.ones_like(corr, dtype=bool), 1)
    same = (sec[:, None] == sec[None, :]) & upper
    assert 0.15 <= corr[upper].mean() <= 0.5
    assert corr[same].mean() > corr[upper & ~same].mean() + 0.05


def test_betas_vary_by_sector(market, returns: pl.DataFrame) -> None:
    idx = (
        market.bars.filter(pl.col("symbol") == "AX500")
        .sort("ts")
        .select("ts", m=pl.col("close").log().diff())
    )
    beta = (
        returns.join(idx, on="ts")
        .group_by("symbol")
        .agg(b=pl.cov("r", "m") / pl.col("m").var())
        .join(market.instruments.select("symbol", "sector"), on="symbol")
        .group_by("sector")
        .agg(pl.col("b").median())
    )
    b = dict(beta.iter_rows())
    assert b["Utilities"] < 0.8 < 1.0 < b["Information Technology"]


def test_earnings_days_move_more(market, returns: pl.DataFrame) -> None:
    # Gap day = the first session after `published`.
    sessions = market.trading_days
    pub = market.fundamentals.select("symbol", "published").with_columns(
        gap_day=pl.col("published").map_batches(
            lambda s: sessions.gather(
                np.searchsorted(sessions.to_numpy(), s.to_numpy(), side="right").clip(
                    0, len(sessions) - 1
                )
            )
        )
    )
    r = returns.with_columns(day=pl.col("ts").dt.date())
    flagged = r.join(
        pub.select("symbol", day="gap_day", e=pl.lit(True)), on=["symbol", "day"], how="left"
    )
    earn = flagged.filter(pl.col("e").is_not_null())["r"].abs().mean()
    normal = flagged.filter(pl.col("e").is_null())["r"].abs().mean()
    assert earn > 1.8 * normal


def test_ohlc_is_consistent_and_gaps_exist(market) -> None:
    b = market.bars
    assert b.select((pl.col("high") >= pl.max_horizontal("open", "close")).all()).item()
    assert b.select((pl.col("low") <= pl.min_horizontal("open", "close")).all()).item()
    assert (b["low"] > 0).all()
    eq = b.filter(pl.col("symbol").is_in(market.universe())).sort("symbol", "ts")
    gap = eq.with_columns(g=(pl.col("open") / pl.col("close").shift(1).over("symbol") - 1).abs())
    assert gap["g"].drop_nulls().median() > 0.001


def test_volume_scales_with_size_and_moves(market, returns: pl.DataFrame) -> None:
    r = returns.with_columns(
        z=(pl.col("r").abs() / pl.col("r").std().over("symbol")),
        lv=pl.col("volume").log() - pl.col("volume").log().mean().over("symbol"),
    )
    assert r.select(pl.corr("z", "lv")).item() > 0.2
    adv = market.bars.group_by("symbol").agg(pl.col("volume").median())
    inst = market.instruments.select("symbol", "indexes").join(adv, on="symbol")
    big = inst.filter(pl.col("indexes").list.contains("AX500"))["volume"].median()
    small = inst.filter(pl.col("indexes").list.contains("AX600"))["volume"].median()
    assert big > small


def test_bars_lie_on_business_days(market) -> None:
    days = market.trading_days
    assert (days.dt.weekday() <= 5).all()
    assert dt.date(2024, 12, 25) not in set(days.to_list())
    assert 245 <= days.filter(days.dt.year() == 2023).len() <= 253
