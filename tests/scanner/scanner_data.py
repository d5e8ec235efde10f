"""Hand-made bars for scanner tests (a module of its own: conftest is not importable
by name once several test folders have one)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl


def make_bars(
    close: Sequence[float],
    *,
    symbol: str = "T",
    open_: Sequence[float] | None = None,
    high: Sequence[float] | None = None,
    low: Sequence[float] | None = None,
    volume: Sequence[int] | None = None,
    start: dt.datetime = dt.datetime(2024, 1, 1),
) -> pl.DataFrame:
    """One symbol's daily bars; by default open = previous close, a 0.5 % wick."""
    c = np.asarray(close, dtype=float)
    o = np.asarray(open_, dtype=float) if open_ is not None else np.concatenate([[c[0]], c[:-1]])
    h = np.asarray(high, dtype=float) if high is not None else np.maximum(o, c) * 1.005
    lo = np.asarray(low, dtype=float) if low is not None else np.minimum(o, c) * 0.995
    v = np.asarray(volume, dtype=np.int64) if volume is not None else np.full(len(c), 1_000_000)
    return pl.DataFrame(
        {
            "symbol": symbol,
            "ts": [start + dt.timedelta(days=i) for i in range(len(c))],
            "open": o,
            "high": h,
            "low": lo,
            "close": c,
            "volume": v,
        }
    )
