"""market_overview on the sandbox market, checked against independent pandas computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

from axion_lab.data import Market
from axion_lab.overview import market_overview
from axion_lab.overview.breadth import breadth


@pytest.fixture(scope="module")
def tech(market: Market) -> tuple[pl.DataFrame, list[str]]:
    symbols = market.universe(asset_class="equity", sector="Information Technology")
    return market.adjusted_bars("split", symbols=symbols), symbols


def test_breadth_matches_a_wide_pandas_reference(
    market: Market, tech: tuple[pl.DataFrame, list[str]]
) -> None:
    adjusted, _ = tech
    ours = breadth(adjusted, market.start, market.end).to_pandas().set_index("date")
    wide = adjusted.to_pandas().pivot(index="ts", columns="symbol", values="close").sort_index()
    wide.index = wide.index.date
    prev = wide.shift(1)
    assert np.array_equal(ours["advancers"].to_numpy(), (wide > prev).sum(axis=1).to_numpy())
    assert np.array_equal(ours["decliners"].to_numpy(), (wide < prev).sum(axis=1).to_numpy())
    for w in (50, 200):
        ma = wide.rolling(w, min_periods=w).mean()
        valid = ma.notna() & wide.notna()
        above = (wide > ma).astype(float).where(valid)
        share = above.sum(axis=1) / valid.sum(axis=1).astype(float).replace(0.0, np.nan) * 100
        np.testing.assert_allclose(
            ours[f"pct_above_ma{w}"].to_numpy(dtype=float), share.to_numpy(dtype=float)
        )
    highs = adjusted.to_pandas().pivot(index="ts", columns="symbol", values="high").sort_index()
    prior = highs.rolling(251, min_periods=251).max().shift(1)
    assert np.array_equal(ours["new_highs"].to_numpy(), (highs > prior).sum(axis=1).to_numpy())


def test_sector_returns_match_a_pandas_reference(market: Market) -> None:
    ov = market_overview(market, sector="Information Technology")
    row = ov.performance.filter(pl.col("group") == ov.total_label, pl.col("period") == "3M")
    start, end = row["start"][0], row["end"][0]
    symbols = market.universe(asset_class="equity", sector="Information Technology")
    closes = (
        market.adjusted_bars("split", symbols=symbols)
        .to_pandas()
        .pivot(index="ts", columns="symbol", values="close")
    )
    closes.index = closes.index.date
    closes = closes.where(closes > 0)  # a zero close is no price (see the engine)
    rets = (closes.loc[end] / closes.loc[start] - 1).dropna()
    assert row["stocks"][0] == len(rets)
    assert row["equal_weight"][0] == pytest.approx(rets.mean())
    # Cap weights: as-traded close x latest published shares, by hand in pandas.
    raw = market.bars.filter(pl.col("symbol").is_in(symbols)).to_pandas()
    raw_close = raw[raw["ts"].dt.date == start].set_index("symbol")["close"]
    f = market.fundamentals.filter(pl.col("published") <= start).to_pandas()
    shares = f.sort_values(["symbol", "published", "period_end"]).groupby("symbol").last()
    splits = market.splits.to_pandas()
    factor = pd.Series(1.0, index=shares.index)
    start_ts = pd.Timestamp(start)
    for _, s in splits.iterrows():
        sym = s["symbol"]
        if sym in shares.index and shares.loc[sym, "published"] < s["ex_date"] <= start_ts:
            factor[sym] *= s["ratio"]
    caps = (raw_close * shares["shares_outstanding"] * factor).dropna()
    both = rets.index.intersection(caps.index)
    expected = (rets[both] * caps[both]).sum() / caps[both].sum()
    assert row["cap_weight"][0] == pytest.approx(expected)


def test_overview_of_the_whole_market_has_every_sector(market: Market) -> None:
    ov = market_overview(market)
    sectors = set(market.instruments.filter(pl.col("asset_class") == "equity")["sector"])
    assert set(ov.performance["group"]) == sectors | {"Market"}
    assert ov.breadth.height == 253  # 252 sessions back plus the base session
    assert ov.gainers["return"].is_sorted(descending=True)
    assert ov.gainers["return"][0] >= ov.losers["return"][-1]
