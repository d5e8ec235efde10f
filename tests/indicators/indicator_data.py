"""Synthetic bars for the indicator tests: seeded random walks built here, no sandbox."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

BASE = dt.datetime(2020, 1, 1)


def make_bars(
    spec: dict[str, tuple[int, int]], seed: int = 11, *, flat: tuple[str, ...] = ()
) -> pl.DataFrame:
    """Bars for ``{symbol: (first day offset, number of bars)}``, daily, long format.

    Symbols in ``flat`` trade at a constant price (zero-variance windows) with some
    zero-volume days, to provoke 0/0 in %B, relative volume and VWAP.
    """
    rng = np.random.default_rng(seed)
    frames = []
    for symbol, (start, n) in spec.items():
        ts = [BASE + dt.timedelta(days=start + i) for i in range(n)]
        if symbol in flat:
            close = np.full(n, 10.0)
            open_, high, low = close.copy(), close.copy(), close.copy()
            volume = np.where(np.arange(n) % 3 == 0, 0, 1000).astype(np.int64)
        else:
            close = 40.0 * np.exp(np.cumsum(rng.normal(0.0005, 0.02, n)))
            prev = np.concatenate([[close[0]], close[:-1]])
            open_ = prev * np.exp(rng.normal(0, 0.006, n))
            high = np.maximum(open_, close) * (1 + np.abs(rng.normal(0, 0.01, n)))
            low = np.minimum(open_, close) * (1 - np.abs(rng.normal(0, 0.01, n)))
            volume = rng.integers(10_000, 1_000_000, n).astype(np.int64)
        frames.append(
            pl.DataFrame(
                {
                    "symbol": symbol,
                    "ts": pl.Series(ts, dtype=pl.Datetime("us")),
                    "open": open_,
                    "high": high,
                    "low": low,
                    "close": close,
                    "volume": volume,
                }
            )
        )
    return pl.concat(frames)


# Different start dates and lengths: a long history, a late lister, one shorter than
# most warm-ups, one with a single bar, and a flat one.
PANEL_SPEC = {
    "AAA": (0, 400),
    "BBB": (150, 250),
    "CCC": (30, 25),
    "DDD": (399, 1),
    "EEE": (10, 300),
}
