"""Source builders over instruments and bars: descriptive, market, performance, technical.

Prices are split-adjusted (:meth:`Market.adjusted_bars`, only splits effective by the
as-of date), so the last close is the traded close and every earlier bar is on
today's share basis.

Indicators run on the last ``tech_sessions`` bars of each symbol (320 by default),
not the whole history: every windowed indicator needs at most 253 bars, and the
recursive ones (EMA, RSI, ADX, MACD) forget their seed to better than 1e-9 within
that many bars. OBV is a running sum, so its level depends on where it starts: compare
its changes, not its value, across snapshots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from axion_lab.fields._context import SnapshotContext
from axion_lab.fields._model import Field
from axion_lab.indicators import Beta, Indicator, compute_indicators, latest

__all__ = ["instruments_source", "prices_source", "technical_source"]

_C = pl.col("close")


def instruments_source(ctx: SnapshotContext, fields: Sequence[Field]) -> pl.DataFrame:
    """Descriptive columns from the as-of instruments frame (index membership as of then)."""
    inst = ctx.restrict(ctx.market.instruments)
    exprs: list[pl.Expr] = []
    for f in fields:
        if f.id == "years_listed":
            days = (pl.lit(ctx.as_of) - pl.col("ipo_date")).dt.total_days()
            exprs.append((days / 365.25).alias("years_listed"))
        elif f.id != "symbol":
            exprs.append(pl.col(f.id))
    return inst.select("symbol", *exprs)


def prices_source(ctx: SnapshotContext, fields: Sequence[Field]) -> pl.DataFrame:
    """Last-session prices, liquidity and the hand-written performance fields."""
    bars = ctx.restrict(ctx.bars)
    jan1 = dt.datetime(ctx.as_of.year, 1, 1)
    last252 = _C.tail(252)
    aggs = {
        "price": _C.last(),
        "open": pl.col("open").last(),
        "high": pl.col("high").last(),
        "low": pl.col("low").last(),
        "prev_close": pl.when(pl.len() >= 2).then(_C.tail(2).first()),
        "volume": pl.col("volume").last(),
        "avg_volume_20": pl.col("volume").tail(20).mean(),
        "avg_dollar_volume_20": (_C * pl.col("volume")).tail(20).mean(),
        "last_bar_date": pl.col("ts").last().dt.date(),
        "perf_ytd": _C.last() / _C.filter(pl.col("ts") < jan1).last() - 1.0,
        # 756 sessions back needs 757 bars; fewer (a recent IPO) leaves it null.
        "perf_3y": pl.when(pl.len() >= 757).then(_C.last() / _C.tail(757).first() - 1.0),
        "max_drawdown_1y": (last252 / last252.cum_max() - 1.0).min(),
    }
    out = bars.group_by("symbol", maintain_order=True).agg(aggs[f.id].alias(f.id) for f in fields)
    return out.with_columns(pl.col(f.id).cast(f.polars_dtype) for f in fields)


def _equal_weight_market(bars: pl.DataFrame, equities: pl.Series) -> pl.DataFrame:
    """An equal-weight index level (ts, close) of ``equities``: the default beta benchmark."""
    returns = (
        bars.filter(pl.col("symbol").is_in(equities.implode()))
        .select("ts", (_C / _C.shift(1) - 1.0).over("symbol").alias("r"))
        .drop_nulls("r")
        .filter(pl.col("r").is_finite())
    )
    daily = returns.group_by("ts").agg(pl.col("r").mean()).sort("ts")
    return daily.select("ts", (1.0 + pl.col("r")).cum_prod().alias("close"))


def technical_source(ctx: SnapshotContext, fields: Sequence[Field]) -> pl.DataFrame:
    """Indicator outputs on the last bar of each symbol, for the requested specs only."""
    specs: list[Indicator] = []
    for f in fields:
        if f.indicator is not None and f.indicator not in specs:
            specs.append(f.indicator)
    columns = [f.id for f in fields]
    # Bars of the last `tech_sessions` sessions of each symbol.
    recent = ctx.bars.filter(
        pl.int_range(pl.len()).over("symbol") >= pl.len().over("symbol") - ctx.tech_sessions
    )
    benchmark: str | pl.DataFrame | None = ctx.benchmark
    frame = ctx.restrict(recent)
    if any(isinstance(s, Beta) for s in specs):
        if ctx.benchmark is None:
            inst = ctx.market.instruments
            equities = inst.filter(pl.col("asset_class") == "equity")["symbol"]
            benchmark = _equal_weight_market(recent, equities)
        elif ctx.benchmark not in ctx.symbols:
            frame = pl.concat([frame, recent.filter(pl.col("symbol") == ctx.benchmark)])
    if frame.height == 0:
        return pl.DataFrame(schema={"symbol": pl.String, **{c: pl.Float64 for c in columns}})
    out = compute_indicators(frame, specs, benchmark=benchmark)
    return latest(out).filter(pl.col("symbol").is_in(ctx.symbols)).select("symbol", *columns)
