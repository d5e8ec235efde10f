"""Constructed markets with known price paths (helpers of the signals tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from axion_lab.data.market import Market
from axion_lab.data.schema import SCHEMAS

START = dt.date(2022, 1, 3)


def sessions(n: int, start: dt.date = START) -> list[dt.date]:
    """``n`` weekdays from ``start``."""
    days = np.busday_offset(np.datetime64(start, "D"), np.arange(n), roll="forward")
    return [dt.date.fromisoformat(str(d)) for d in days]


def make_market(
    closes: Mapping[str, Sequence[float]],
    *,
    sectors: Mapping[str, str] | None = None,
    spread: float = 0.01,
    volume: int = 1_000_000,
    splits: pl.DataFrame | None = None,
) -> Market:
    """Bars from close paths: open = previous close, high/low = close +/- ``spread``."""
    frames = []
    for symbol, path in closes.items():
        close = np.asarray(path, dtype=float)
        opens = np.concatenate([[close[0]], close[:-1]])
        frames.append(
            pl.DataFrame(
                {
                    "symbol": symbol,
                    "ts": [dt.datetime.combine(d, dt.time()) for d in sessions(len(close))],
                    "open": opens,
                    "high": np.maximum(opens, close) * (1 + spread),
                    "low": np.minimum(opens, close) * (1 - spread),
                    "close": close,
                    "volume": volume,
                }
            )
        )
    symbols = list(closes)
    n = len(symbols)
    instruments = pl.DataFrame(
        {
            "symbol": symbols,
            "name": [f"{s} (fictional)" for s in symbols],
            "asset_class": ["equity"] * n,
            "sector": [(sectors or {}).get(s, "Industrials") for s in symbols],
            "industry": [None] * n,
            "exchange": ["SBX"] * n,
            "country": ["United States"] * n,
            "currency": ["USD"] * n,
            "indexes": [[] for _ in symbols],
            "ipo_date": [None] * n,
            "is_fictional": [True] * n,
        },
        schema=SCHEMAS["instruments"],
    )
    frames_in = {"bars": pl.concat(frames), "instruments": instruments}
    if splits is not None:
        frames_in["splits"] = splits
    return Market.from_frames(frames_in, is_synthetic=True)


def random_walk(n: int, *, vol: float, seed: int, start: float = 100.0) -> np.ndarray:
    """A geometric random walk with daily log-return std ``vol``."""
    rng = np.random.default_rng(seed)
    return start * np.exp(np.cumsum(rng.normal(0.0, vol, n)))
