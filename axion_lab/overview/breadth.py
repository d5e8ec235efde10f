"""Market breadth: how many stocks take part in a move, session by session.

All measures use split-adjusted bars, so a split is not a decline:

* ``advancers`` / ``decliners`` / ``unchanged``: closes above, below or equal to
  the previous close (a stock's first session counts in none of them);
  ``ad_line`` is the running sum of ``advancers - decliners`` over the window;
* ``pct_above_ma<N>``: percent of stocks whose close is above their N-session
  simple moving average, among the stocks that have N sessions of history;
* ``new_highs`` / ``new_lows``: stocks whose high (low) goes beyond every high
  (low) of the previous ``window - 1`` sessions, among stocks with that history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from axion_lab.overview.config import HIGH_LOW_WINDOW, MA_WINDOWS

__all__ = ["breadth"]


def breadth(
    adjusted: pl.DataFrame,
    start: dt.date,
    end: dt.date,
    *,
    ma_windows: Sequence[int] = MA_WINDOWS,
    high_low_window: int = HIGH_LOW_WINDOW,
) -> pl.DataFrame:
    """Daily breadth of the stocks in ``adjusted`` for sessions ``start``..``end``.

    History before ``start`` feeds the moving averages and highs/lows; only the
    sessions in the window are returned, one row each, sorted by ``date``.

    Examples
    --------
    >>> import datetime as dt, polars as pl
    >>> ts = [dt.datetime(2024, 1, d) for d in (2, 3, 4)]
    >>> bars = pl.DataFrame({
    ...     "symbol": ["A"] * 3 + ["B"] * 3, "ts": ts * 2,
    ...     "high": [1.0, 2.0, 3.0, 5.0, 4.0, 4.0], "low": [1.0, 2.0, 3.0, 5.0, 4.0, 4.0],
    ...     "close": [1.0, 2.0, 3.0, 5.0, 4.0, 4.0]})
    >>> out = breadth(bars, dt.date(2024, 1, 3), dt.date(2024, 1, 4),
    ...               ma_windows=(2,), high_low_window=2)
    >>> out.select("date", "advancers", "decliners", "unchanged", "pct_above_ma2").rows()
    [(datetime.date(2024, 1, 3), 1, 1, 0, 50.0), (datetime.date(2024, 1, 4), 1, 0, 1, 50.0)]
    """
    frame = adjusted.sort("symbol", "ts").with_columns(pl.col("ts").dt.date().alias("date"))
    frame = frame.filter(pl.col("date") <= end)
    prev = pl.col("close").shift(1).over("symbol")
    lookback = high_low_window - 1
    prior_high = pl.col("high").rolling_max(lookback, min_samples=lookback).shift(1)
    prior_low = pl.col("low").rolling_min(lookback, min_samples=lookback).shift(1)
    flags = [
        (pl.col("close") > prev).alias("_adv"),
        (pl.col("close") < prev).alias("_dec"),
        (pl.col("close") == prev).alias("_unch"),
        (pl.col("high") > prior_high.over("symbol")).alias("_hi"),
        (pl.col("low") < prior_low.over("symbol")).alias("_lo"),
    ]
    for w in ma_windows:
        ma = pl.col("close").rolling_mean(w, min_samples=w).over("symbol")
        flags.append((pl.col("close") > ma).alias(f"_above{w}"))
    frame = frame.with_columns(flags).filter(pl.col("date") >= start)
    aggs = [
        pl.col("_adv").sum().cast(pl.Int64).alias("advancers"),
        pl.col("_dec").sum().cast(pl.Int64).alias("decliners"),
        pl.col("_unch").sum().cast(pl.Int64).alias("unchanged"),
    ]
    for w in ma_windows:
        # mean() skips nulls: the share among stocks that have the full average.
        share = pl.col(f"_above{w}").cast(pl.Float64).mean() * 100.0
        aggs.append(share.alias(f"pct_above_ma{w}"))
    aggs += [
        pl.col("_hi").sum().cast(pl.Int64).alias("new_highs"),
        pl.col("_lo").sum().cast(pl.Int64).alias("new_lows"),
        pl.len().cast(pl.Int64).alias("stocks"),
    ]
    out = frame.group_by("date").agg(aggs).sort("date")
    return out.with_columns(
        (pl.col("advancers") - pl.col("decliners")).cum_sum().alias("ad_line")
    ).select(
        "date",
        "stocks",
        "advancers",
        "decliners",
        "unchanged",
        "ad_line",
        *(f"pct_above_ma{w}" for w in ma_windows),
        "new_highs",
        "new_lows",
    )
