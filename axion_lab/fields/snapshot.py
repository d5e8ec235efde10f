"""``build_snapshot``: one row per symbol, every requested field, as of a date.

The snapshot is point in time: it is built from ``market.as_of(date)``, so
fundamentals appear only after their ``published`` date, dividends after they are
declared, 13F positions after they are filed, bars up to the date, and index
membership as it stood then. Per-share history is restated for splits effective by
the date (see :mod:`axion_lab.fields._context`).

Only the requested fields and what they depend on are computed: asking for
``pe_ratio`` runs the prices and fundamentals builders, not the indicators.

Null, never NaN: every float column has NaN and +/-inf replaced by null, and ratios
divide only by a non-zero (often strictly positive) denominator. polars sorts NaN
above every number, so a NaN left in ``pe_ratio`` would pass ``pe_ratio > 10``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Final

import numpy as np
import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.exceptions import InputError
from axion_lab.fields._context import SnapshotContext
from axion_lab.fields._model import Field
from axion_lab.fields._src_events import (
    dividends_source,
    ownership_source,
    ratings_source,
    short_interest_source,
)
from axion_lab.fields._src_fundamentals import fundamentals_source
from axion_lab.fields._src_prices import instruments_source, prices_source, technical_source
from axion_lab.fields.registry import FIELD_REGISTRY, FieldRegistry

__all__ = ["SOURCES", "build_snapshot"]

SourceBuilder = Callable[[SnapshotContext, Sequence[Field]], pl.DataFrame]

SOURCES: Final[dict[str, SourceBuilder]] = {
    "instruments": instruments_source,
    "prices": prices_source,
    "technical": technical_source,
    "fundamentals": fundamentals_source,
    "dividends": dividends_source,
    "ownership": ownership_source,
    "short_interest": short_interest_source,
    "ratings": ratings_source,
}
"""Source name -> builder returning ``symbol`` plus the requested fields' columns."""

BASE_HISTORY_DAYS: Final = 45
_TECH_HISTORY_DAYS: Final = 500
"""Calendar days holding the ``tech_sessions`` (320) bars the indicators need, with slack."""


def history_days(fields: Iterable[Field]) -> int:
    """Calendar days of bars before the date that ``fields`` read."""
    days = BASE_HISTORY_DAYS
    for f in fields:
        days = max(days, f.history_days)
        if f.source == "technical":
            days = max(days, _TECH_HISTORY_DAYS)
    return days


def _layers(fields: Sequence[Field]) -> list[list[Field]]:
    """Derived fields grouped so each group reads only columns of earlier groups."""
    depth: dict[str, int] = {}
    layers: list[list[Field]] = []
    for f in fields:  # dependencies come first (registry order)
        d = 1 + max((depth.get(dep, -1) for dep in f.depends), default=-1)
        depth[f.id] = d
        if f.source == "derived":
            while len(layers) <= d:
                layers.append([])
            layers[d].append(f)
    return [layer for layer in layers if layer]


def build_snapshot(
    market: Market,
    *,
    as_of: DateLike | None = None,
    fields: Iterable[str] | None = None,
    symbols: Iterable[str] | None = None,
    benchmark: str | None = None,
    registry: FieldRegistry = FIELD_REGISTRY,
) -> pl.DataFrame:
    """Build the point-in-time snapshot: one row per symbol, one column per field.

    Parameters
    ----------
    market
        The market bundle (full history; it is cut at ``as_of`` here).
    as_of
        The date the snapshot describes (default: the market's last date). Nothing
        published after it is used.
    fields
        Field ids or aliases (see :data:`~axion_lab.fields.FIELD_REGISTRY`); default all.
        Dependencies are computed but only these columns are returned, after ``symbol``.
    symbols
        Restrict the rows to these symbols (checked, case-insensitive); default every
        instrument listed on ``as_of``.
    benchmark
        Symbol whose returns define the market for ``beta_252``; default the
        equal-weight mean of every equity.

    Returns
    -------
    polars.DataFrame
        Sorted by symbol; typed by the field registry; null (never NaN/inf) where a
        value is missing or undefined.

    Raises
    ------
    UnknownNameError
        An unknown field (with suggestions).
    UnknownSymbolError, DateRangeError
        An unknown symbol, or a date outside the market's data.

    Examples
    --------
    >>> from axion_lab import load_market
    >>> from axion_lab.fields import build_snapshot
    >>> snap = build_snapshot(load_market(), as_of="2024-06-28",
    ...                       fields=["price", "pe_ratio", "rsi_14"])
    >>> snap.columns
    ['symbol', 'price', 'pe_ratio', 'rsi_14']
    >>> snap["pe_ratio"].is_nan().any()
    False
    """
    day = market.check_date(as_of, what="as-of date") if as_of is not None else market.end
    wanted, needed = resolve_fields(registry, fields)
    chosen = market.resolve_symbols(symbols) if symbols is not None else None
    if benchmark is not None:
        market.resolve_symbols(benchmark)
    ctx = context_at(market, day, needed, chosen, benchmark)
    frame = pl.DataFrame({"symbol": list(ctx.symbols)}, schema={"symbol": pl.String})
    for source, group in sources(needed).items():
        part = SOURCES[source](ctx, group)
        check_part(source, group, part)
        frame = frame.join(part, on="symbol", how="left", maintain_order="left")
    return finish(frame, needed, wanted, registry, keys=["symbol"])


class BarsByTime:
    """A market's bars sorted by time once, so each date's window is a zero-copy slice.

    For many dates in a row (:func:`~axion_lab.fields.build_snapshots`): filtering
    millions of bars per date would cost more than the sources it feeds.
    """

    def __init__(self, bars: pl.DataFrame) -> None:
        self.bars = bars.sort("ts")
        self._ts = self.bars.get_column("ts").to_numpy()

    def window(self, start: dt.datetime, end: dt.datetime) -> pl.DataFrame:
        """Bars with ``start <= ts <= end``."""
        lo = int(np.searchsorted(self._ts, np.datetime64(start, "us"), side="left"))
        hi = int(np.searchsorted(self._ts, np.datetime64(end, "us"), side="right"))
        return self.bars.slice(lo, hi - lo)


def context_at(
    market: Market,
    day: dt.date,
    needed: Iterable[Field],
    chosen: Sequence[str] | None,
    benchmark: str | None,
    *,
    by_time: BarsByTime | None = None,
) -> SnapshotContext:
    """The as-of context of one date: the market cut at ``day``, its listed symbols."""
    start = dt.datetime.combine(day - dt.timedelta(days=history_days(needed)), dt.time())
    # Slicing the bars first makes as_of (and split adjustment) cheap; no value in the
    # window changes, only history the requested fields do not read is skipped.
    if by_time is not None:
        window = by_time.window(start, dt.datetime.combine(day, dt.time.max))
    else:
        window = market.bars.filter(pl.col("ts") >= start)
    sliced = market.with_bars(window)
    cut = sliced.as_of(day)
    instruments = cut.instruments
    if "delisted" in instruments.columns:  # delisted on or before the day: no longer listed
        instruments = instruments.filter(pl.col("delisted").is_null())
    listed = instruments["symbol"]
    if chosen is not None:
        listed = listed.filter(listed.is_in(chosen))
    return SnapshotContext(
        market=cut, as_of=day, symbols=tuple(sorted(listed.to_list())), benchmark=benchmark
    )


def resolve_fields(
    registry: FieldRegistry, fields: Iterable[str] | None
) -> tuple[list[str], list[Field]]:
    """(requested ids without ``symbol``, every field they need in dependency order)."""
    wanted = list(registry.ids) if fields is None else [registry.resolve(f) for f in fields]
    wanted = [w for w in dict.fromkeys(wanted) if w != "symbol"]
    return wanted, registry.closure(["symbol", *wanted])


def sources(needed: Sequence[Field]) -> dict[str, list[Field]]:
    """The non-derived fields of ``needed`` grouped by source builder."""
    by_source: dict[str, list[Field]] = {}
    for f in needed:
        if f.source != "derived" and f.id != "symbol":
            by_source.setdefault(f.source, []).append(f)
    return by_source


def check_part(source: str, group: Sequence[Field], part: pl.DataFrame) -> None:
    """Raise if a source builder left out a column it was asked for."""
    missing = {f.id for f in group} - set(part.columns)
    if missing:
        raise InputError(f"Source {source!r} did not produce {sorted(missing)}.")


def finish(
    frame: pl.DataFrame,
    needed: Sequence[Field],
    wanted: Sequence[str],
    registry: FieldRegistry,
    *,
    keys: Sequence[str],
) -> pl.DataFrame:
    """Derived fields, registry types, null for NaN/inf; ``keys`` then ``wanted``, sorted."""
    for layer in _layers(needed):
        frame = frame.with_columns(f.expr.alias(f.id) for f in layer if f.expr is not None)
    typed = [registry.get(w) for w in wanted]
    return frame.select(
        *keys,
        *(
            pl.when(pl.col(f.id).is_finite()).then(pl.col(f.id)).cast(pl.Float64).alias(f.id)
            if f.dtype == "float"
            else pl.col(f.id).cast(f.polars_dtype)
            for f in typed
        ),
    ).sort(*keys)
