"""Per-symbol execution: one sort, run-length offsets, TA-Lib over contiguous slices.

The long frame is sorted once by ``(symbol, ts)``; each symbol is then a contiguous
run ``[start, end)`` of every column. TA-Lib is called on numpy views of those runs
(no copies, no per-row Python) and writes into one preallocated array per output.

TA-Lib's function wrappers release the GIL around the C call (``with nogil`` in
``talib/_func.pxi``), so a thread pool over chunks of symbols uses every core without
pickling the panel to worker processes; results land in disjoint slices of shared
arrays. Small inputs take the serial path, where a pool would cost more than it saves.
"""

from __future__ import annotations

import inspect
import itertools
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

import numpy as np
import polars as pl

from axion_lab.exceptions import InputError
from axion_lab.indicators._spec import TalibCall

__all__ = ["PARALLEL_MIN_ROWS", "available_cores", "prepare_bars", "run_talib"]

PARALLEL_MIN_ROWS: Final = 100_000
"""Below this many rows the TA-Lib pass runs serially (a pool costs ~1 ms to start)."""

_KEYS: Final = ("symbol", "ts")
_NUMERIC: Final = ("open", "high", "low", "close", "volume")


def available_cores() -> int:
    """Cores this process may run on (the affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def prepare_bars(bars: pl.DataFrame, needed: Sequence[str]) -> tuple[pl.DataFrame, np.ndarray]:
    """Validate, cast and sort ``bars``; return it with the start offset of each symbol.

    The returned offsets have one entry per symbol run plus the total row count, so
    symbol ``i`` occupies rows ``offsets[i]:offsets[i + 1]``.

    Raises
    ------
    InputError
        Missing columns, nulls or NaN in an input column, or duplicate ``(symbol, ts)``.
    """
    if not isinstance(bars, pl.DataFrame):
        raise InputError(
            f"Expected a polars DataFrame of bars, got {type(bars).__name__}; "
            "convert a pandas frame with pl.from_pandas(...)."
        )
    required = [*_KEYS, *needed]
    missing = [c for c in required if c not in bars.columns]
    if missing:
        raise InputError(
            f"The bars frame is missing column(s) {missing}; it has {bars.columns}. "
            "Indicators need the long bars frame (symbol, ts, open, high, low, close, volume)."
        )
    not_numeric = [c for c in needed if not bars.schema[c].is_numeric()]
    if not_numeric:
        raise InputError(
            f"Bar column(s) {not_numeric} must be numeric, got "
            f"{[str(bars.schema[c]) for c in not_numeric]}."
        )
    floats = [c for c in needed if bars.schema[c].is_float()]
    bad = bars.select(
        [pl.col(c).null_count().alias(f"{c}__null") for c in (*_KEYS, *needed)]
        + [pl.col(c).is_nan().sum().alias(f"{c}__NaN") for c in floats]
    ).row(0, named=True)
    dirty = {c: n for c, n in bad.items() if n}
    if dirty:
        detail = ", ".join(f"{c.replace('__', ' ')}: {n}" for c, n in dirty.items())
        raise InputError(
            f"The bars frame has missing values ({detail}). TA-Lib's recursive indicators "
            "would carry a gap forward silently; drop or fill those rows first "
            "(e.g. bars.drop_nulls() or bars.filter(pl.col('close').is_not_nan()))."
        )

    sym, ts = pl.col("symbol"), pl.col("ts")
    same = sym == sym.shift(1)
    out_of_order = (sym < sym.shift(1)) | (same & (ts < ts.shift(1)))
    if bars.select(out_of_order.any()).item():
        bars = bars.sort(list(_KEYS), maintain_order=True)
    dupes = bars.filter(same & (ts == ts.shift(1)))
    if dupes.height:
        first = dupes.row(0, named=True)
        raise InputError(
            f"The bars frame has {dupes.height} duplicate (symbol, ts) row(s), first "
            f"{first['symbol']!r} at {first['ts']}; keep one bar per symbol and timestamp "
            "(e.g. bars.unique(['symbol', 'ts'], keep='last'))."
        )
    lengths = bars.get_column("symbol").rle().struct.field("len").to_numpy()
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return bars, offsets


def _chunks(offsets: np.ndarray, n_chunks: int) -> list[tuple[int, int]]:
    """Split symbol runs into about ``n_chunks`` groups of similar row counts."""
    n_symbols = len(offsets) - 1
    targets = np.linspace(0, offsets[-1], n_chunks + 1)[1:-1]
    cuts = np.unique(np.searchsorted(offsets, targets))
    bounds = [0, *(int(c) for c in cuts if 0 < c < n_symbols), n_symbols]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def run_talib(
    bars: pl.DataFrame,
    offsets: np.ndarray,
    calls: Sequence[TalibCall],
    *,
    n_jobs: int | None = None,
) -> dict[str, np.ndarray]:
    """Run every TA-Lib call over every symbol run; return column -> float64 array.

    Warm-up rows hold NaN, as TA-Lib returns them; the engine turns them into nulls.
    """
    import talib

    n = bars.height
    if not calls or n == 0:
        return {c: np.full(n, np.nan) for call in calls for c in call.outputs}
    # TA-Lib takes float64 only (volume is Int64 in the canonical schema).
    inputs = {
        c: bars.get_column(c).cast(pl.Float64).to_numpy() for call in calls for c in call.inputs
    }
    out = {c: np.empty(n, dtype=np.float64) for call in calls for c in call.outputs}
    plan: list[tuple[Any, tuple[np.ndarray, ...], dict[str, Any], tuple[np.ndarray, ...]]] = [
        (
            # talib's public functions are wrapped to accept pandas/polars Series; the
            # wrapper's type checks cost more than SMA itself on a 2,500-bar slice, and
            # hold the GIL. We pass float64 numpy views, so call the Cython function.
            inspect.unwrap(getattr(talib, call.func)),
            tuple(inputs[c] for c in call.inputs),
            dict(call.kwargs),
            tuple(out[c] for c in call.outputs),
        )
        for call in calls
    ]

    def work(span: tuple[int, int]) -> None:
        for i in range(span[0], span[1]):
            s, e = int(offsets[i]), int(offsets[i + 1])
            for func, args, kwargs, targets in plan:
                result = func(*(a[s:e] for a in args), **kwargs)
                if len(targets) == 1:
                    targets[0][s:e] = result
                else:
                    for target, values in zip(targets, result, strict=True):
                        target[s:e] = values

    workers = available_cores() if n_jobs is None else n_jobs
    if workers <= 1 or n < PARALLEL_MIN_ROWS:
        work((0, len(offsets) - 1))
        return out
    # Several chunks per worker even out symbols of unequal length.
    spans = _chunks(offsets, workers * 4)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="axion-talib") as pool:
        for _ in pool.map(work, spans):
            pass
    return out
