"""Support and resistance levels from clustered zig-zag pivots.

Pivots (see :mod:`~axion_lab.scanner.pivots`) are sorted by price and grouped
greedily: a pivot joins the current cluster while it lies within ``tol`` (1.5 %) of
the cluster's mean price. A cluster with at least ``min_touches`` pivots is a level
at its mean price; it is ``support`` if below the last close, else ``resistance``.
A pivot counts only once confirmed, so the last swing of the example below (the
third 110, not yet reversed by 5 %) is not a touch.

Examples
--------
>>> import datetime as dt, numpy as np, polars as pl
>>> from axion_lab.scanner import support_resistance
>>> wave = [100, 110, 100, 110, 100, 110, 105.0]
>>> close = np.interp(np.arange(61), np.arange(0, 61, 10), wave)
>>> bars = pl.DataFrame({"symbol": "A", "ts": pl.datetime_range(dt.datetime(2024, 1, 1),
...     dt.datetime(2024, 3, 1), "1d", eager=True), "high": close, "low": close,
...     "close": close})
>>> support_resistance(bars, pct=0.05).select("level", "kind", "touches").rows()
[(100.0, 'support', 3), (110.0, 'resistance', 2)]
"""

from __future__ import annotations

import polars as pl

from axion_lab.exceptions import InputError
from axion_lab.scanner.pivots import zigzag

__all__ = ["support_resistance"]


def support_resistance(
    bars: pl.DataFrame, *, pct: float = 0.05, tol: float = 0.015, min_touches: int = 2
) -> pl.DataFrame:
    """Levels per symbol: symbol, level, kind, touches, first_ts, last_ts."""
    if not 0 < tol < 1:
        raise InputError(f"tol must lie in (0, 1), got {tol!r}.")
    if min_touches < 1:
        raise InputError(f"min_touches must be >= 1, got {min_touches}.")
    missing = [c for c in ("symbol", "ts", "high", "low", "close") if c not in bars.columns]
    if missing:
        raise InputError(f"The bars frame is missing column(s) {missing}.")
    rows = []
    for (symbol,), part in bars.sort("symbol", "ts").group_by("symbol", maintain_order=True):
        ts = part["ts"].to_list()
        last = part["close"][-1]
        pivots = sorted(
            (
                p
                for p in zigzag(part["high"].to_numpy(), part["low"].to_numpy(), pct)
                if p.price > 0
            ),
            key=lambda p: p.price,
        )
        clusters: list[list[int]] = []
        prices: list[list[float]] = []
        for p in pivots:
            if prices and abs(p.price / (sum(prices[-1]) / len(prices[-1])) - 1) <= tol:
                prices[-1].append(p.price)
                clusters[-1].append(p.index)
            else:
                prices.append([p.price])
                clusters.append([p.index])
        for idx, px in zip(clusters, prices, strict=True):
            if len(px) >= min_touches:
                level = sum(px) / len(px)
                rows.append(
                    {
                        "symbol": symbol,
                        "level": level,
                        "kind": "support" if level < last else "resistance",
                        "touches": len(px),
                        "first_ts": ts[min(idx)],
                        "last_ts": ts[max(idx)],
                    }
                )
    schema: dict[str, pl.DataType] = {
        "symbol": pl.String(),
        "level": pl.Float64(),
        "kind": pl.String(),
        "touches": pl.Int64(),
        "first_ts": bars.schema["ts"],
        "last_ts": bars.schema["ts"],
    }
    return pl.DataFrame(rows, schema=schema).sort("symbol", "level")
