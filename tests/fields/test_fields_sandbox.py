"""Snapshots of the sandbox market checked against independent computations."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from axion_lab.data import Market
from axion_lab.fields import FIELD_REGISTRY, build_snapshot
from axion_lab.indicators import compute_indicators

AS_OF = dt.date(2024, 6, 28)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def snap(market: Market) -> pl.DataFrame:
    return build_snapshot(market, as_of=AS_OF)


def test_full_sandbox_snapshot_is_typed_and_nan_free(snap: pl.DataFrame, market: Market) -> None:
    # Listed on the day: IPO'd by then and not delisted yet.
    inst = market.as_of(AS_OF).instruments
    listed = inst.filter(pl.col("delisted").is_null()).height
    assert 0 < inst.height - listed < 20
    assert snap.height == listed
    for f in FIELD_REGISTRY:
        assert snap.schema[f.id] == f.polars_dtype, f.id
    floats = [c for c, t in snap.schema.items() if t == pl.Float64]
    assert snap.select(pl.sum_horizontal(pl.col(floats).is_nan().sum())).item() == 0
    assert snap["last_report_date"].max() <= AS_OF
    assert snap["last_bar_date"].max() == AS_OF


def test_pe_matches_an_independent_computation(snap: pl.DataFrame, market: Market) -> None:
    # Symbols without splits: TTM EPS is the plain sum of the last four published quarters.
    split_syms = market.splits["symbol"].unique().implode()
    eps = (
        market.fundamentals.filter(
            pl.col("published") <= AS_OF, ~pl.col("symbol").is_in(split_syms)
        )
        .sort("period_end")
        .group_by("symbol")
        .agg(pl.col("eps").tail(4).sum().alias("eps4"), pl.len().alias("n"))
        .filter(pl.col("n") >= 4)
    )
    close = market.bars.filter(pl.col("ts").dt.date() == AS_OF).select("symbol", "close")
    ref = eps.join(close, on="symbol").filter(pl.col("eps4") > 0)
    got = ref.join(snap.select("symbol", "pe_ratio"), on="symbol")
    assert got.height > 500
    diff = got.select(((pl.col("close") / pl.col("eps4")) / pl.col("pe_ratio") - 1).abs().max())
    assert diff.item() < 1e-9


def test_technicals_match_indicators_on_full_history(snap: pl.DataFrame, market: Market) -> None:
    # The snapshot feeds the indicators 320 bars; on the full history the windowed ones
    # are identical and the recursive ones (RSI, EMA) agree to many digits.
    syms = snap.filter(pl.col("asset_class") == "equity")["symbol"].head(5).to_list()
    bars = market.as_of(AS_OF).adjusted_bars("split", symbols=syms)
    full = compute_indicators(bars, ["sma_200", "rsi_14", "ema_26", "high_252"])
    last = full.filter(pl.col("ts").dt.date() == AS_OF).sort("symbol")
    mine = snap.filter(pl.col("symbol").is_in(syms)).sort("symbol")
    for col in ("sma_200", "high_252"):
        assert mine[col].to_list() == pytest.approx(last[col].to_list(), rel=1e-12)
    for col in ("rsi_14", "ema_26"):
        assert mine[col].to_list() == pytest.approx(last[col].to_list(), rel=1e-6)
