"""Source builders over instruments and bars: descriptive, market, performance, technical.

Prices are split-adjusted (:meth:`Market.adjusted_bars`, only splits effective by the
as-of date), so the last close is the traded close and every earlier bar is on
today's share basis.

Indicators run on the last ``tech_sessions`` bars of each symbol (320 by default),
not the whole history: every windowed indicator needs at most 253 bars, and the
recursive ones (EMA, RSI, ADX, MACD) forget their seed to better than 1e-9 within
that many bars. OBV is a running sum, so its level depends on where it starts: compare
its changes, not its value, across snapshots. :func:`~axion_lab.fields.build_snapshots`
runs the same :func:`indicator_rows` over the whole history instead (see there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from axion_lab.fields._context import SnapshotContext
from axion_lab.fields._model import Field
from axion_lab.indicators import Beta, Indicator, compute_indicators

__all__ = [
    "indicator_rows",
    "instrument_exprs",
    "instruments_source",
    "prices_source",
    "technical_source",
    "technical_specs",
]

_C = pl.col("close")


def instrument_exprs(fields: Sequence[Field], as_of: pl.Expr) -> list[pl.Expr]:
    """The instruments-source columns of ``fields`` over an as-of instruments frame.

    ``as_of`` is the snapshot date: a literal for one date, the ``date`` column of a
    stacked frame (:func:`~axion_lab.fields.build_snapshots`).
    """
    exprs: list[pl.Expr] = []
    for f in fields:
        if f.id == "years_listed":
            days = (as_of - pl.col("ipo_date")).dt.total_days()
            exprs.append((days / 365.25).alias("years_listed"))
        elif f.id != "symbol":
            exprs.append(pl.col(f.id))
    return exprs


def instruments_source(ctx: SnapshotContext, fields: Sequence[Field]) -> pl.DataFrame:
    """Descriptive columns from the as-of instruments frame (index membership as of then)."""
    inst = ctx.restrict(ctx.market.instruments)
    return inst.select("symbol", *instrument_exprs(fields, pl.lit(ctx.as_of)))


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


def technical_specs(fields: Sequence[Field]) -> list[Indicator]:
    """The distinct indicator specs behind technical ``fields``, in field order."""
    specs: list[Indicator] = []
    for f in fields:
        if f.indicator is not None and f.indicator not in specs:
            specs.append(f.indicator)
    return specs


def indicator_rows(
    bars: pl.DataFrame,
    fields: Sequence[Field],
    dates: Sequence[dt.date],
    *,
    symbols: Sequence[str],
    equities: pl.Series,
    benchmark: str | None,
) -> pl.DataFrame:
    """Indicators over ``bars``, then each symbol's last row on or before each date.

    The one implementation of every technical field: :func:`technical_source` passes
    the last ``tech_sessions`` bars and one date, ``build_snapshots`` every bar and all
    its dates. Returns ``date, symbol`` and the fields' columns (symbols with no bar by
    a date have no row for it).
    """
    specs = technical_specs(fields)
    columns = [f.id for f in fields]
    empty = pl.DataFrame(
        schema={"date": pl.Date, "symbol": pl.String, **{c: pl.Float64 for c in columns}}
    )
    wanted = pl.Series(list(symbols), dtype=pl.String)
    # Filtering millions of rows costs more than finding out it is not needed (runs of
    # one symbol: bars come sorted by symbol, so there are few).
    present = bars.get_column("symbol").rle().struct.field("value").unique()
    frame = bars
    if present.len() != wanted.n_unique() or not present.is_in(wanted.implode()).all():
        frame = bars.filter(pl.col("symbol").is_in(wanted.implode()))
    bench: str | pl.DataFrame | None = benchmark
    added = False
    if any(isinstance(s, Beta) for s in specs):
        if benchmark is None:
            bench = _equal_weight_market(bars, equities)
        elif benchmark not in symbols:
            frame = pl.concat([frame, bars.filter(pl.col("symbol") == benchmark)])
            added = True
    if frame.height == 0 or not dates:
        return empty
    out = compute_indicators(frame, specs, benchmark=bench)
    if added:
        out = out.filter(pl.col("symbol").is_in(wanted.implode()))
    # A symbol that stopped trading keeps its last row (as `latest` does).
    grid = (
        pl.DataFrame({"date": sorted(dates)}, schema={"date": pl.Date})
        .join(pl.DataFrame({"symbol": wanted.unique().sort()}), how="cross")
        .sort("symbol", "date")
    )
    picked = grid.join_asof(
        # compute_indicators returns the rows sorted by (symbol, ts): no second sort.
        out.select(pl.col("ts").dt.date().alias("__day"), "symbol", *columns),
        left_on="date",
        right_on="__day",
        by="symbol",
        strategy="backward",
        check_sortedness=False,  # both sides sorted by (symbol, date)
    )
    return picked.filter(pl.col("__day").is_not_null()).select("date", "symbol", *columns)


def technical_source(ctx: SnapshotContext, fields: Sequence[Field]) -> pl.DataFrame:
    """Indicator outputs on the last bar of each symbol, for the requested specs only."""
    # Bars of the last `tech_sessions` sessions of each symbol.
    recent = ctx.bars.filter(
        pl.int_range(pl.len()).over("symbol") >= pl.len().over("symbol") - ctx.tech_sessions
    )
    inst = ctx.market.instruments
    rows = indicator_rows(
        recent,
        fields,
        [ctx.as_of],
        symbols=ctx.symbols,
        equities=inst.filter(pl.col("asset_class") == "equity")["symbol"],
        benchmark=ctx.benchmark,
    )
    return rows.drop("date")
