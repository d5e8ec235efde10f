"""The screener: a pure function over a snapshot, and an engine that builds snapshots.

:func:`run_screen` takes a snapshot frame (one row per symbol) and a
:class:`~axion_lab.screener.Screen` and returns a
:class:`~axion_lab.screener.ScreenResult`; it does no I/O. :class:`ScreenerEngine`
holds a market and a cache of point-in-time snapshots (one per date, growing as
screens ask for more fields), so running many screens on the same date computes each
field once.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.screener import FilterCondition, Screen, ScreenerEngine
>>> engine = ScreenerEngine(load_market())
>>> result = engine.run(Screen("cheap", filters=(FilterCondition("pe_ratio", "<", 12),)),
...                     as_of="2024-06-28", limit=5)
>>> len(result) <= 5 and result.funnel[0].passed == result.matched
True
>>> result.is_synthetic
True
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.exceptions import InputError, UnknownNameError, UnknownSymbolError
from axion_lab.fields import FIELD_REGISTRY, build_snapshot
from axion_lab.screener.compile import Schema, node_expr, prev_column, sanitize
from axion_lab.screener.config import CROSS_OPS
from axion_lab.screener.filters import FILTER_REGISTRY, FilterRegistry
from axion_lab.screener.masks import Columns, Mask, fast_mask
from axion_lab.screener.models import (
    FilterCondition,
    FilterGroup,
    FilterNode,
    FormulaFilter,
    Screen,
    Universe,
    node_fields,
)
from axion_lab.screener.presets import get_preset
from axion_lab.screener.result import FunnelStep, ScreenResult

__all__ = ["ScreenerEngine", "apply_universe", "run_screen"]

_DEFAULT_COLUMNS = ("symbol", "name", "sector")
_DEFAULT_SORT = "market_cap"


def apply_universe(frame: pl.DataFrame, universe: Universe) -> pl.DataFrame:
    """Rows of a snapshot inside ``universe``; unknown names raise with suggestions."""
    absent = sorted(universe.fields - set(frame.columns))
    if absent:
        raise InputError(f"The universe ({universe.describe()}) needs snapshot column(s) {absent}.")
    out = frame
    if universe.asset_classes:
        valid = sorted(v for v in frame["asset_class"].unique().to_list() if v)
        for a in universe.asset_classes:
            if a not in valid:
                raise UnknownNameError.for_name("asset class", a, valid)
        out = out.filter(pl.col("asset_class").is_in(list(universe.asset_classes)))
    if universe.indexes:
        valid = sorted(frame["indexes"].explode().drop_nulls().unique().to_list())
        for i in universe.indexes:
            if i not in valid:
                raise UnknownNameError.for_name("index", i, valid, hint="(as of the screen date)")
        hit = pl.col("indexes").list.set_intersection(pl.lit(list(universe.indexes)))
        out = out.filter(hit.list.len() > 0)
    if universe.sectors:
        valid = sorted(v for v in frame["sector"].unique().to_list() if v)
        by_lower = {v.lower(): v for v in valid}
        chosen = []
        for s in universe.sectors:
            if s.lower() not in by_lower:
                raise UnknownNameError.for_name("sector", s, valid)
            chosen.append(by_lower[s.lower()])
        out = out.filter(pl.col("sector").is_in(chosen))
    if universe.symbols:
        known = set(frame["symbol"].to_list())
        wanted = [s.strip().upper() for s in universe.symbols]
        for raw, sym in zip(universe.symbols, wanted, strict=True):
            if sym not in known:
                raise UnknownSymbolError.for_name(
                    "symbol", raw, sorted(known), hint="(not listed on the screen date?)"
                )
        out = out.filter(pl.col("symbol").is_in(wanted))
    if universe.exclude:
        out = out.filter(~pl.col("symbol").is_in([s.upper() for s in universe.exclude]))
    if out.height == 0:
        raise InputError(
            f"The universe ({universe.describe()}) is empty on this date; widen it, "
            "e.g. Universe.equities()."
        )
    return out


def _schema(frame: pl.DataFrame) -> Schema:
    """The frame's column dtypes (``frame.schema`` costs three times more to build)."""
    return dict(zip(frame.columns, frame.dtypes, strict=True))


def _validate(
    nodes: Sequence[FilterNode], filters: FilterRegistry, schema: Schema | None
) -> list[FilterNode]:
    """Normalised copies of ``nodes``; ``schema`` (a snapshot's) allows extra columns."""
    out: list[FilterNode] = []
    for node in nodes:
        if isinstance(node, FilterCondition):
            out.append(filters.validate(node, schema))
        elif isinstance(node, FilterGroup):
            out.append(FilterGroup(tuple(_validate(node.items, filters, schema)), node.logic))
        elif isinstance(node, FormulaFilter):
            missing = sorted(set(node.fields) - set(schema)) if schema is not None else []
            if missing:
                raise InputError(f"The formula reads {missing}, which the snapshot lacks.")
            out.append(node)
        else:
            raise InputError(
                f"A screen filter must be a FilterCondition, FilterGroup or compiled formula; "
                f"got {type(node).__name__}."
            )
    return out


def _cross_fields(nodes: Iterable[FilterNode]) -> set[str]:
    out: set[str] = set()
    for node in nodes:
        if isinstance(node, FilterGroup):
            out |= _cross_fields(node.items)
        elif isinstance(node, FilterCondition) and node.op in CROSS_OPS:
            out |= {node.field} | ({node.ref} if node.ref else set())
    return out


def _label(node: FilterNode) -> str:
    if isinstance(node, FilterCondition | FilterGroup):
        return str(node)
    text = getattr(node, "text", None)
    return f"formula: {text}" if text else "formula"


def _output_columns(
    frame: pl.DataFrame, screen: Screen, nodes: Sequence[FilterNode], columns: Sequence[str]
) -> list[str]:
    registry = FIELD_REGISTRY
    if columns:
        chosen = ["symbol", *(registry.resolve_or_none(c) or c for c in columns)]
    else:
        used = [registry.resolve_or_none(f) or f for f in sorted(node_fields(nodes))]
        chosen = [*_DEFAULT_COLUMNS, *used]
    have = set(frame.columns)
    missing = [c for c in chosen if c not in have and c not in _DEFAULT_COLUMNS]
    if missing:
        raise UnknownNameError.for_name("column", missing[0], frame.columns)
    return [c for c in dict.fromkeys(chosen) if c in have]


def _sorted_rows(
    cols: Columns, rows: npt.NDArray[np.intp], key: str, *, descending: bool
) -> npt.NDArray[np.intp]:
    """``rows`` ordered by ``key``: missing values last, ties in snapshot order."""
    if rows.size < 2:
        return rows
    if cols.is_numeric(key):
        values, finite = cols.numeric(key)
        v, missing = values[rows], ~finite[rows]
        order = np.lexsort((-v if descending else v, missing))  # stable; last key first
        return rows[order]
    series = cols.frame.get_column(key)[rows]
    if series.null_count() == 0 and series.is_sorted(descending=descending):
        return rows  # already in order (a snapshot is sorted by symbol)
    keyed = pl.DataFrame({"key": series, "row": rows})
    keyed = keyed.sort("key", descending=descending, nulls_last=True, maintain_order=True)
    return keyed.get_column("row").to_numpy()


def run_screen(
    snapshot: pl.DataFrame,
    screen: Screen,
    *,
    previous: pl.DataFrame | None = None,
    as_of: dt.date | None = None,
    source: str = "custom snapshot",
    is_synthetic: bool = False,
    columns: Sequence[str] | None = None,
    sort_by: str | None = None,
    descending: bool | None = None,
    limit: int | None = None,
    filters: FilterRegistry = FILTER_REGISTRY,
    timings: dict[str, float] | None = None,
) -> ScreenResult:
    """Run ``screen`` over a snapshot frame (pure: no I/O, no market needed).

    Parameters
    ----------
    snapshot
        One row per symbol with a ``symbol`` column and every field the screen reads
        (:func:`~axion_lab.fields.build_snapshot` makes one).
    previous
        The previous session's snapshot, needed by ``CROSSES_ABOVE/BELOW``.
    columns, sort_by, descending, limit
        Override the screen's presentation. The default sort is market cap (if
        present), descending, nulls last.

    Raises
    ------
    UnknownNameError
        An unknown field, sector, index or asset class (suggestions included).
    InputError
        A wrong operator for the field, a value of the wrong type or unit, an empty
        universe, or a cross without ``previous``.
    """
    started = time.perf_counter()
    timings = dict(timings or {})
    frame = apply_universe(snapshot, screen.universe)
    schema = _schema(frame)
    nodes = _validate(screen.filters, filters, schema)
    have = set(schema)
    absent = sorted(node_fields(nodes) - have)
    if absent:
        raise InputError(
            f"The snapshot has no column(s) {absent}; build it with "
            f"build_snapshot(market, fields=[...]) including them, or use ScreenerEngine."
        )
    crossing = _cross_fields(nodes)
    if crossing:
        if previous is None:
            raise InputError(
                "CROSSES_ABOVE/BELOW compare with the previous session: pass previous=<its "
                "snapshot> or run the screen through ScreenerEngine."
            )
        prev = previous.select("symbol", *(pl.col(c).alias(prev_column(c)) for c in crossing))
        frame = frame.join(prev, on="symbol", how="left", maintain_order="left")
        schema = _schema(frame)
    key = sort_by or screen.sort_by
    key = (FIELD_REGISTRY.resolve_or_none(key) or key) if key else None
    if key is None:
        key = _DEFAULT_SORT if _DEFAULT_SORT in have else "symbol"
    if key not in have:
        raise UnknownNameError.for_name("sort column", key, frame.columns)
    desc = screen.descending if descending is None else descending
    if key == "symbol" and descending is None and not screen.sort_by:
        desc = False
    output = _output_columns(frame, screen, nodes, columns or screen.columns)

    # Masks as numpy arrays: the common conditions directly (masks.fast_mask), the rest
    # (formulas, sector ranks, dates, crosses) in one polars select over the columns
    # they read, cleaned of NaN. The funnel, the sort and the matches then cost no
    # further query.
    cols = Columns(frame, schema)
    masks: list[Mask | None] = [fast_mask(n, cols) for n in nodes]
    slow = [i for i, m in enumerate(masks) if m is None]
    if slow:
        read = node_fields([nodes[i] for i in slow]) | {prev_column(c) for c in crossing}
        try:
            clean = sanitize(frame.select(sorted(read)))
            evaluated = clean.select(node_expr(nodes[i], schema).alias(f"m{i}") for i in slow)
        except pl.exceptions.PolarsError as exc:
            raise InputError(f"The screen could not be evaluated: {exc}") from exc
        for i in slow:
            column = evaluated.get_column(f"m{i}")
            masks[i] = (column.fill_null(False) if column.null_count() else column).to_numpy()
    passed = np.ones(frame.height, dtype=np.bool_)
    steps = []
    for node, mask in zip(nodes, masks, strict=True):
        assert mask is not None
        passed &= mask
        steps.append(FunnelStep(_label(node), int(passed.sum()), int(mask.sum())))
    funnel = tuple(steps)
    rows = _sorted_rows(cols, np.flatnonzero(passed), key, descending=desc)
    everything = rows.size == frame.height and bool((rows == np.arange(rows.size)).all())
    matches = frame[output] if everything else frame[output][rows]
    dirty = [c for c in output if cols.is_float(c) and not cols.numeric(c)[1][rows].all()]
    if dirty:
        matches = sanitize(matches, dirty)
    cap = limit if limit is not None else screen.limit
    shown = matches.head(cap) if cap is not None else matches
    timings["filter"] = time.perf_counter() - started
    timings["total"] = timings.get("snapshot", 0.0) + timings["filter"]
    return ScreenResult(
        screen=screen,
        frame=shown,
        matched=rows.size,
        universe_size=frame.height,
        funnel=funnel,
        as_of=as_of,
        source=source,
        is_synthetic=is_synthetic,
        timings=timings,
    )


class ScreenerEngine:
    """Runs screens on a market, point in time, caching one snapshot per date.

    Parameters
    ----------
    market
        The market bundle (its full history; each run cuts it at the as-of date).
    benchmark
        Symbol for ``beta_252`` (default: equal-weight equities).
    """

    def __init__(
        self,
        market: Market,
        *,
        benchmark: str | None = None,
        filters: FilterRegistry = FILTER_REGISTRY,
    ) -> None:
        self.market = market
        self.benchmark = benchmark
        self.filters = filters
        self._snapshots: dict[dt.date, pl.DataFrame] = {}

    def __repr__(self) -> str:
        return f"<ScreenerEngine over {self.market.label}; {len(self._snapshots)} cached dates>"

    def _day(self, as_of: DateLike | None) -> dt.date:
        if as_of is None:
            return self.market.end
        return self.market.check_date(as_of, what="as-of date")

    def snapshot(
        self, fields: Iterable[str] | None = None, *, as_of: DateLike | None = None
    ) -> pl.DataFrame:
        """The point-in-time snapshot for ``as_of`` with at least ``fields`` (cached)."""
        day = self._day(as_of)
        wanted = (
            list(FIELD_REGISTRY.ids)
            if fields is None
            else [FIELD_REGISTRY.resolve(f) for f in fields]
        )
        cached = self._snapshots.get(day)
        have = set(cached.columns) if cached is not None else set()
        missing = [w for w in dict.fromkeys(wanted) if w not in have]
        if missing or cached is None:
            new = build_snapshot(self.market, as_of=day, fields=missing, benchmark=self.benchmark)
            cached = new if cached is None else cached.join(new, on="symbol", how="left")
            self._snapshots[day] = cached
        return cached.select("symbol", *(w for w in dict.fromkeys(wanted) if w != "symbol"))

    def _previous_session(self, day: dt.date) -> dt.date:
        days = self.market.trading_days
        before = days.filter(days < day)
        if before.len() == 0:
            raise InputError(f"No session before {day.isoformat()} to detect a cross against.")
        value = before.max()
        assert isinstance(value, dt.date)
        return value

    def _needed(
        self,
        screen: Screen,
        nodes: Sequence[FilterNode],
        columns: Sequence[str],
        sort_by: str | None,
    ) -> list[str]:
        names = set(screen.universe.fields) | {"name", "sector"} | node_fields(nodes)
        names.update(columns or screen.columns)
        key = sort_by or screen.sort_by or _DEFAULT_SORT
        names.add(key)
        resolved = []
        for n in sorted(names):
            fid = FIELD_REGISTRY.resolve_or_none(n)
            if fid is None:
                raise UnknownNameError.for_name(
                    "field", n, FIELD_REGISTRY.ids, hint="See FIELD_REGISTRY.search('...')."
                )
            resolved.append(fid)
        return resolved

    def run(
        self,
        screen: Screen | str,
        *,
        as_of: DateLike | None = None,
        columns: Sequence[str] | None = None,
        sort_by: str | None = None,
        descending: bool | None = None,
        limit: int | None = None,
    ) -> ScreenResult:
        """Run a screen (or a preset name from ``PRESET_SCREENS``) as of a date."""
        if isinstance(screen, str):
            screen = get_preset(screen)
        day = self._day(as_of)
        started = time.perf_counter()
        # Validating against the registry first turns aliases and field names given as
        # values into ids, so the snapshot computes exactly what the filters read.
        nodes = _validate(screen.filters, self.filters, None)
        snap = self.snapshot(self._needed(screen, nodes, columns or (), sort_by), as_of=day)
        previous = None
        crossing = _cross_fields(nodes)
        if crossing:
            previous = self.snapshot(crossing, as_of=self._previous_session(day))
        timings = {"snapshot": time.perf_counter() - started}
        source = f"{self.market.description or self.market.provider}; as of {day.isoformat()}"
        return run_screen(
            snap,
            screen,
            previous=previous,
            as_of=day,
            source=source,
            is_synthetic=self.market.is_synthetic,
            columns=columns,
            sort_by=sort_by,
            descending=descending,
            limit=limit,
            filters=self.filters,
            timings=timings,
        )
