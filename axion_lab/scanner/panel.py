"""The scan panel: bars plus the indicator columns scanners read, plus trend context.

Every detector reads the same frame: the bars sorted by ``(symbol, ts)`` with the
indicator columns it asked for (computed once by
:func:`~axion_lab.indicators.compute_indicators`), ``__k`` (the bar's 0-based position
within its symbol, so a look-back never reaches the previous symbol) and ``trend``.

Trend rule
----------
The trend before bar ``t`` is the simple return from the close ``window`` bars before
``t - 1`` to the close of ``t - 1``: ``close[t-1] / close[t-1-window] - 1``. Above
``+threshold`` it is ``"up"``, below ``-threshold`` ``"down"``, else ``"flat"``; null
for the first ``window + 1`` bars of a symbol. The hit bar itself is left out so a
candle cannot set its own context.

Examples
--------
>>> import datetime as dt, polars as pl
>>> from axion_lab.scanner import trend_context
>>> bars = pl.DataFrame({"symbol": "A", "ts": pl.datetime_range(dt.datetime(2024, 1, 1),
...     dt.datetime(2024, 1, 6), "1d", eager=True), "close": [10.0, 11, 12, 13, 12, 11]})
>>> bars.with_columns(trend_context(window=2, threshold=0.05))["trend"].to_list()
[None, None, None, 'up', 'up', 'flat']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl

from axion_lab.indicators import compute_indicators
from axion_lab.indicators._spec import Indicator
from axion_lab.indicators.registry import resolve_indicators
from axion_lab.scanner.config import DEFAULT_TREND_THRESHOLD, DEFAULT_TREND_WINDOW

__all__ = ["BAR_COLUMNS", "K", "build_panel", "lag", "needed_indicators", "trend_context"]

K = "__k"
BAR_COLUMNS = ("symbol", "ts", "open", "high", "low", "close", "volume")


def lag(column: str | pl.Expr, n: int = 1) -> pl.Expr:
    """``column`` ``n`` bars earlier within the same symbol (null on the first ``n`` bars)."""
    expr = pl.col(column) if isinstance(column, str) else column
    if n == 0:
        return expr
    return pl.when(pl.col(K) >= n).then(expr.shift(n))


def trend_context(
    *, window: int = DEFAULT_TREND_WINDOW, threshold: float = DEFAULT_TREND_THRESHOLD
) -> pl.Expr:
    """The ``trend`` column (see the module docstring) as an expression over sorted bars.

    Works on a frame sorted by ``(symbol, ts)``; uses ``__k`` if present, else
    numbers the bars per symbol itself.
    """
    k = pl.int_range(pl.len()).over("symbol")
    prior = pl.col("close").shift(1) / pl.col("close").shift(1 + window) - 1.0
    return (
        pl.when(k < window + 1)
        .then(None)
        .when(prior > threshold)
        .then(pl.lit("up"))
        .when(prior < -threshold)
        .then(pl.lit("down"))
        .otherwise(pl.lit("flat"))
        .alias("trend")
    )


def needed_indicators(columns: Iterable[str], available: Sequence[str]) -> tuple[Indicator, ...]:
    """Indicator specs producing ``columns`` that ``available`` does not already hold."""
    wanted = [c for c in dict.fromkeys(columns) if c not in available and c not in BAR_COLUMNS]
    return resolve_indicators(wanted) if wanted else ()


def build_panel(
    bars: pl.DataFrame,
    indicators: Iterable[Indicator],
    *,
    trend_window: int = DEFAULT_TREND_WINDOW,
    trend_threshold: float = DEFAULT_TREND_THRESHOLD,
    n_jobs: int | None = None,
) -> pl.DataFrame:
    """Sort and validate ``bars``, add the indicators, ``__k`` and ``trend``."""
    specs = list(dict.fromkeys(indicators))
    panel = compute_indicators(bars, specs, n_jobs=n_jobs)
    lengths = panel.get_column("symbol").rle().struct.field("len").to_numpy()
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    k = np.arange(panel.height, dtype=np.int64) - np.repeat(offsets, lengths)
    panel = panel.with_columns(pl.Series(K, k))
    return panel.with_columns(trend_context(window=trend_window, threshold=trend_threshold))
