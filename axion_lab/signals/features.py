"""Point-in-time inputs of the scorers: one row per symbol, from bars up to a date.

:func:`signal_features` reads ``market.as_of(day)`` only, so nothing after ``day``
can reach a score. Indicators come from :func:`axion_lab.indicators.compute_indicators`
(TA-Lib ATR, SMA and RSI; polars returns, realised volatility and beta).

Columns: ``symbol, ts`` (the last session), ``asset_class, sector, close, atr_14,
sma_50, sma_200, rsi_14, ret_21, realized_vol_60, beta_252, avg_dollar_volume_20``.

Examples
--------
>>> from axion_lab import load_market
>>> f = signal_features(load_market(), "2024-06-28", symbols=["AX500"])
>>> f["symbol"].to_list(), f["close"][0] > 0
(['AX500'], True)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Final

import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.exceptions import DateRangeError
from axion_lab.indicators import compute_indicators

__all__ = ["FEATURE_COLUMNS", "signal_features"]

_INDICATORS: Final = (
    "atr_14",
    "sma_50",
    "sma_200",
    "rsi_14",
    "ret_21",
    "realized_vol_60",
    "beta_252",
)
_LOOKBACK_DAYS: Final = 400
"""Calendar days of bars: enough for 253 sessions (beta_252 needs 252 returns)."""
_STALE_DAYS: Final = 7

FEATURE_COLUMNS: Final = (
    "symbol",
    "ts",
    "asset_class",
    "sector",
    "close",
    *_INDICATORS,
    "avg_dollar_volume_20",
)


def _equal_weight_level(bars: pl.DataFrame, symbols: pl.Series) -> pl.DataFrame:
    """An equal-weight index level (``ts``, ``close``) of ``symbols``' daily returns."""
    ret = (
        bars.filter(pl.col("symbol").is_in(symbols.implode()))
        .sort("symbol", "ts")
        .with_columns((pl.col("close") / pl.col("close").shift(1).over("symbol") - 1).alias("r"))
        .group_by("ts")
        .agg(pl.col("r").drop_nulls().drop_nans().mean())
        .sort("ts")
    )
    return ret.select("ts", (1 + pl.col("r").fill_null(0.0)).cum_prod().alias("close"))


def signal_features(
    market: Market,
    as_of: DateLike | None = None,
    *,
    symbols: Iterable[str] | None = None,
    benchmark: str | None = None,
) -> pl.DataFrame:
    """Scorer inputs for ``symbols`` (default: every instrument) as of a date.

    Parameters
    ----------
    market
        The full market; it is cut with ``market.as_of(as_of)`` here.
    as_of
        The signal date (default: the market's last session).
    benchmark
        A symbol for beta; ``None`` uses the equal-weight return of every equity.

    Returns
    -------
    polars.DataFrame
        One row per symbol that traded on or before ``as_of`` within the lookback,
        with its last session's values (nulls where history is too short).
    """
    past = market.as_of(as_of) if as_of is not None else market
    day = past.end
    start = dt.datetime.combine(day - dt.timedelta(days=_LOOKBACK_DAYS), dt.time())
    # Split-adjusted (splits effective by `day` only): a split inside the window would
    # otherwise read as a -50 % day and inflate volatility and ATR. The last close is
    # unchanged by back-adjustment, so the entry is the price that traded.
    window = past.bars.filter(pl.col("ts") >= start)
    equities = past.instruments.filter(pl.col("asset_class") == "equity")["symbol"]
    wanted = None if symbols is None else past.resolve_symbols(list(symbols))
    keep = set(equities.to_list()) if benchmark is None else set()
    if wanted is not None:
        keep.update(wanted)
        if benchmark is not None:
            keep.update(past.resolve_symbols(benchmark))
        window = window.filter(pl.col("symbol").is_in(sorted(keep)))
    bars = dataclasses.replace(past, bars=window).adjusted_bars("split")
    chosen = bars if wanted is None else bars.filter(pl.col("symbol").is_in(wanted))
    if chosen.height == 0:
        raise DateRangeError(f"No bars in the {_LOOKBACK_DAYS} days up to {day.isoformat()}.")
    if benchmark is None:
        # A market without equities (a crypto or FX set) is its own benchmark.
        members = equities if equities.len() else chosen["symbol"].unique()
        bench: pl.DataFrame | str = _equal_weight_level(bars, members)
    else:
        bench = past.resolve_symbols(benchmark)[0]
        if bench not in set(chosen["symbol"].unique().to_list()):
            bench = bars.filter(pl.col("symbol") == bench).select("ts", "close")
    panel = compute_indicators(chosen, list(_INDICATORS), benchmark=bench)
    panel = panel.with_columns(
        (pl.col("close") * pl.col("volume").cast(pl.Float64))
        .rolling_mean(20)
        .over("symbol")
        .alias("avg_dollar_volume_20")
    )
    # A symbol that stopped trading keeps a stale last close: not a price to enter at.
    fresh = dt.datetime.combine(day - dt.timedelta(days=_STALE_DAYS), dt.time())
    last = panel.group_by("symbol", maintain_order=True).last().filter(pl.col("ts") >= fresh)
    info = past.instruments.select("symbol", "asset_class", "sector")
    out = last.join(info, on="symbol", how="left")
    return out.select(FEATURE_COLUMNS).sort("symbol")
