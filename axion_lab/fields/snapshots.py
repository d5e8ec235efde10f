"""``build_snapshots``: point-in-time snapshots of many dates, each source computed once.

The stacked frame holds one row per symbol listed on each date, with a ``date``
column; the row for ``(d, s)`` is what ``build_snapshot(market, as_of=d)`` gives for
``s``, field by field, with one intended difference (below). Sources with a batched
form run once for all dates:

* **instruments**: listing (IPO on or before the date, not yet delisted) and index
  membership (``start <= d`` and ``end`` null or after ``d``) by interval conditions
  on each date, the other descriptive columns as they are;
* **technical**: the indicators over each symbol's whole split-adjusted history,
  then each date's row by an as-of join (a symbol that stopped trading keeps its last
  row, as in a single snapshot). Bars are adjusted for every split in the data; a
  split after ``d`` scales every bar up to ``d`` by the same factor, so ratio-type
  outputs are unchanged and price-unit outputs (moving averages, bands, ATR) are
  restated to the basis of ``d`` by that factor (shares-unit outputs divided by it).

Every other source (fundamentals, dividends, ownership, short interest, ratings,
prices) runs per date through the same source builders as :func:`build_snapshot`,
on the market cut at that date: one implementation of every field.

The intended difference is the indicator warm-up. A single snapshot runs the
indicators on the last ``tech_sessions`` (320) bars, the batch on the full history.
Windowed outputs (SMA, returns, highs/lows, volatility, beta, Bollinger, VWAP...)
agree exactly once a symbol has 320 bars, and exist here from their own window on
(``ret_126`` after 126 bars) instead of after 320. Path-dependent ones differ by
their seed: the recursive averages (EMA, RSI, ATR, ADX/DI, MACD, stochastics'
smoothing) converge to well under 1e-6 relative, while OBV is a running sum whose
level depends on where it starts (compare its changes, never its level).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.exceptions import InputError
from axion_lab.fields._context import SPLIT, split_factor
from axion_lab.fields._model import Field
from axion_lab.fields._src_prices import indicator_rows, instrument_exprs
from axion_lab.fields.registry import FIELD_REGISTRY, FieldRegistry
from axion_lab.fields.snapshot import (
    SOURCES,
    BarsByTime,
    check_part,
    context_at,
    finish,
    resolve_fields,
    sources,
)
from axion_lab.indicators import Beta
from axion_lab.indicators._kernel import available_cores

__all__ = ["PATH_DEPENDENT_INDICATORS", "build_snapshots"]

PATH_DEPENDENT_INDICATORS = frozenset(
    {"ema", "rsi", "atr", "adx", "macd", "stoch", "stochrsi", "obv", "kama", "dema", "tema"}
)
"""Indicator names whose value depends on the warm-up length (recursive or cumulative)."""

_KEYS = ["date", "symbol"]


def _listed(market: Market, days: Sequence[dt.date], chosen: Sequence[str] | None) -> pl.DataFrame:
    """The as-of instruments of every date, stacked: ``date`` + the instruments columns."""
    grid = pl.DataFrame({"date": list(days)}, schema={"date": pl.Date})
    inst = market.instruments
    if chosen is not None:
        inst = inst.filter(pl.col("symbol").is_in(list(chosen)))
    out = grid.join(inst, how="cross").filter(
        pl.col("ipo_date").is_null() | (pl.col("ipo_date") <= pl.col("date"))
    )
    if "delisted" in out.columns:
        # Delisted on or before the date: gone. Later: not known yet, so null.
        out = out.filter(pl.col("delisted").is_null() | (pl.col("delisted") > pl.col("date")))
        out = out.with_columns(pl.lit(None, dtype=out.schema["delisted"]).alias("delisted"))
    # Sorted before grouping: a group keeps its rows' order, and sorting inside each
    # group costs several times more.
    member = (
        market.index_membership.join(grid, how="cross")
        .filter(
            pl.col("start") <= pl.col("date"),
            pl.col("end").is_null() | (pl.col("end") > pl.col("date")),
        )
        .sort("index")
        .group_by("date", "symbol")
        .agg(pl.col("index").alias("__idx"))
    )
    return (
        out.drop("indexes", strict=False)
        .join(member, on=_KEYS, how="left")
        .with_columns(
            pl.col("__idx").fill_null(pl.lit([], dtype=pl.List(pl.String))).alias("indexes")
        )
        .drop("__idx")
        .sort(_KEYS)
    )


def _technical(
    market: Market,
    days: Sequence[dt.date],
    fields: Sequence[Field],
    symbols: Sequence[str],
    benchmark: str | None,
) -> pl.DataFrame:
    """Technical fields of every date from one indicator pass over the full history."""
    equities = market.instruments.filter(pl.col("asset_class") == "equity")["symbol"]
    read = list(symbols)
    if any(isinstance(f.indicator, Beta) for f in fields):
        read += equities.to_list() if benchmark is None else [benchmark]
    end = dt.datetime.combine(max(days), dt.time.max)
    # Bars after the last date are never read: dropping them keeps the pass small.
    # (The market's own adjusted bars, not a trimmed copy's: the bundle keeps them, so
    # a second batch over the same symbols does not adjust again.)
    bars = market.adjusted_bars("split", symbols=sorted(set(read)))
    bars = bars.filter(pl.col("ts") <= end)
    rows = indicator_rows(
        bars, fields, days, symbols=symbols, equities=equities, benchmark=benchmark
    )
    # adjusted_bars restated every bar for splits up to the market's end; the snapshot
    # of `date` knows only splits effective by then.
    splits = market.splits.filter(pl.col("ex_date") <= market.end)
    rows = split_factor(rows, "date", splits)
    scale = {f.id: f.unit for f in fields if f.unit in ("price", "shares")}
    return rows.with_columns(
        (pl.col(c) * pl.col(SPLIT) if unit == "price" else pl.col(c) / pl.col(SPLIT)).alias(c)
        for c, unit in scale.items()
    ).drop(SPLIT)


def build_snapshots(
    market: Market,
    dates: Iterable[DateLike],
    *,
    fields: Iterable[str] | None = None,
    symbols: Iterable[str] | None = None,
    benchmark: str | None = None,
    registry: FieldRegistry = FIELD_REGISTRY,
    on_date: Callable[[dt.date], None] | None = None,
) -> pl.DataFrame:
    """Point-in-time snapshots of many dates, stacked: ``date``, ``symbol``, the fields.

    Parameters
    ----------
    market
        The market bundle with its full history.
    dates
        The snapshot dates (duplicates collapse; each must be inside the data).
    fields, symbols, benchmark, registry
        As for :func:`~axion_lab.fields.build_snapshot`.
    on_date
        Called once with each date as its snapshot is complete (on the calling
        thread): a progress hook.

    Returns
    -------
    polars.DataFrame
        Sorted by ``date, symbol``; the rows of a date are the symbols listed then.

    Raises
    ------
    InputError
        No dates.
    UnknownNameError, UnknownSymbolError, DateRangeError
        As for :func:`~axion_lab.fields.build_snapshot`.

    Examples
    --------
    >>> from axion_lab import load_market
    >>> from axion_lab.fields import build_snapshots
    >>> snaps = build_snapshots(load_market(), ["2024-05-31", "2024-06-28"],
    ...                         fields=["price", "ret_126"])
    >>> snaps.columns
    ['date', 'symbol', 'price', 'ret_126']
    >>> snaps["date"].n_unique()
    2
    """
    days = sorted({market.check_date(d, what="snapshot date") for d in dates})
    if not days:
        raise InputError("build_snapshots needs at least one date.")
    wanted, needed = resolve_fields(registry, fields)
    chosen = market.resolve_symbols(symbols) if symbols is not None else None
    if benchmark is not None:
        market.resolve_symbols(benchmark)
    listed = _listed(market, days, chosen)
    frame = listed.select(_KEYS)
    groups = sources(needed)
    if "instruments" in groups:
        part = listed.select(*_KEYS, *instrument_exprs(groups["instruments"], pl.col("date")))
        check_part("instruments", groups.pop("instruments"), part.drop(_KEYS))
        frame = frame.join(part, on=_KEYS, how="left", maintain_order="left")
    if "technical" in groups:
        group = groups.pop("technical")
        syms = listed["symbol"].unique().sort().to_list()
        part = _technical(market, days, group, syms, benchmark)
        check_part("technical", group, part)
        frame = frame.join(part, on=_KEYS, how="left", maintain_order="left")
    reported: set[dt.date] = set()
    if groups:  # sources without a batched form: the single-date builders, per date
        rest = [f for g in groups.values() for f in g]
        by_time = BarsByTime(market.bars)

        def one_date(day: dt.date) -> pl.DataFrame:
            ctx = context_at(market, day, rest, chosen, benchmark, by_time=by_time)
            one = pl.DataFrame({"symbol": list(ctx.symbols)}, schema={"symbol": pl.String})
            for source, group in groups.items():
                got = SOURCES[source](ctx, group)
                check_part(source, group, got)
                one = one.join(got, on="symbol", how="left", maintain_order="left")
            return one.with_columns(pl.lit(day).alias("date"))

        # A date on which none of the symbols is listed yet has no rows to fill. The
        # dates are independent and each is many small polars steps that release the
        # GIL: one thread per core keeps both cores busy.
        todo = listed["date"].unique().sort().to_list()
        workers = max(1, min(available_cores(), len(todo)))
        parts = []
        with ThreadPoolExecutor(workers, thread_name_prefix="axion-snapshots") as pool:
            # map yields in date order on this thread: progress is reported from here.
            for day, part in zip(todo, pool.map(one_date, todo), strict=True):
                parts.append(part)
                reported.add(day)
                if on_date is not None:
                    on_date(day)
        if parts:
            frame = frame.join(pl.concat(parts, how="diagonal_relaxed"), on=_KEYS, how="left")
        else:  # nothing listed on any date: the columns, empty
            frame = frame.with_columns(pl.lit(None).alias(f.id) for f in rest)
    if on_date is not None:  # dates without per-date work are complete now
        for day in days:
            if day not in reported:
                on_date(day)
    return finish(frame, needed, wanted, registry, keys=_KEYS)
