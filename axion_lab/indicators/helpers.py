"""One-indicator shortcuts: ``rsi(bars, 14)`` is ``compute_indicators(bars, [RSI(14)])``.

Each returns the bars sorted by ``(symbol, ts)`` with that indicator's columns added.
For several indicators at once call :func:`~axion_lab.indicators.compute_indicators`
with a list: the frame is then validated and sorted only once.

Examples
--------
>>> import datetime as dt, polars as pl
>>> from axion_lab.indicators import sma
>>> bars = pl.DataFrame({"symbol": ["A"] * 3,
...                      "ts": [dt.datetime(2024, 1, d) for d in (1, 2, 3)],
...                      "close": [1.0, 2.0, 4.0]})
>>> sma(bars, 2)["sma_2"].to_list()
[None, 1.5, 3.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from axion_lab.indicators.engine import Benchmark, compute_indicators
from axion_lab.indicators.polars_indicators import (
    VWAP,
    AnchoredVWAP,
    Beta,
    Gap,
    RealizedVol,
    RelativeVolume,
    Return,
)
from axion_lab.indicators.registry import RETURN_WINDOWS
from axion_lab.indicators.talib_indicators import (
    ADX,
    ATR,
    CCI,
    EMA,
    MACD,
    MFI,
    OBV,
    ROC,
    RSI,
    SMA,
    WMA,
    BBands,
    HighLow,
    Stochastic,
    WilliamsR,
)

__all__ = [
    "adx",
    "anchored_vwap",
    "atr",
    "bbands",
    "beta",
    "cci",
    "ema",
    "gap",
    "high_low",
    "macd",
    "mfi",
    "obv",
    "realized_vol",
    "relative_volume",
    "returns",
    "roc",
    "rsi",
    "sma",
    "stochastic",
    "vwap",
    "williams_r",
    "wma",
]


def sma(bars: pl.DataFrame, window: int = 20) -> pl.DataFrame:
    """Add ``sma_<window>`` (TA-Lib SMA of the close)."""
    return compute_indicators(bars, [SMA(window)])


def ema(bars: pl.DataFrame, window: int = 20) -> pl.DataFrame:
    """Add ``ema_<window>`` (TA-Lib EMA of the close)."""
    return compute_indicators(bars, [EMA(window)])


def wma(bars: pl.DataFrame, window: int = 20) -> pl.DataFrame:
    """Add ``wma_<window>`` (TA-Lib WMA of the close)."""
    return compute_indicators(bars, [WMA(window)])


def rsi(bars: pl.DataFrame, window: int = 14) -> pl.DataFrame:
    """Add ``rsi_<window>`` (TA-Lib RSI, Wilder smoothing)."""
    return compute_indicators(bars, [RSI(window)])


def macd(bars: pl.DataFrame, fast: int = 12, slow: int = 26, signal: int = 9) -> pl.DataFrame:
    """Add ``macd``, ``macd_signal``, ``macd_hist`` (suffixed when not 12/26/9)."""
    return compute_indicators(bars, [MACD(fast, slow, signal)])


def bbands(bars: pl.DataFrame, window: int = 20, num_std: float = 2.0) -> pl.DataFrame:
    """Add ``bb_upper/middle/lower/pct_b/width_<window>``."""
    return compute_indicators(bars, [BBands(window, num_std)])


def atr(bars: pl.DataFrame, window: int = 14) -> pl.DataFrame:
    """Add ``atr_<window>``."""
    return compute_indicators(bars, [ATR(window)])


def adx(bars: pl.DataFrame, window: int = 14) -> pl.DataFrame:
    """Add ``adx_<window>``, ``plus_di_<window>``, ``minus_di_<window>``."""
    return compute_indicators(bars, [ADX(window)])


def stochastic(
    bars: pl.DataFrame, window: int = 14, k_smooth: int = 3, d_window: int = 3
) -> pl.DataFrame:
    """Add ``stoch_k_<window>`` and ``stoch_d_<window>`` (slow stochastic)."""
    return compute_indicators(bars, [Stochastic(window, k_smooth, d_window)])


def williams_r(bars: pl.DataFrame, window: int = 14) -> pl.DataFrame:
    """Add ``willr_<window>``."""
    return compute_indicators(bars, [WilliamsR(window)])


def cci(bars: pl.DataFrame, window: int = 20) -> pl.DataFrame:
    """Add ``cci_<window>``."""
    return compute_indicators(bars, [CCI(window)])


def obv(bars: pl.DataFrame) -> pl.DataFrame:
    """Add ``obv``."""
    return compute_indicators(bars, [OBV()])


def mfi(bars: pl.DataFrame, window: int = 14) -> pl.DataFrame:
    """Add ``mfi_<window>``."""
    return compute_indicators(bars, [MFI(window)])


def roc(bars: pl.DataFrame, window: int = 10) -> pl.DataFrame:
    """Add ``roc_<window>`` (percent)."""
    return compute_indicators(bars, [ROC(window)])


def returns(bars: pl.DataFrame, windows: Sequence[int] = RETURN_WINDOWS) -> pl.DataFrame:
    """Add ``ret_<w>`` for each window (simple returns, fraction)."""
    return compute_indicators(bars, [Return(w) for w in windows])


def gap(bars: pl.DataFrame) -> pl.DataFrame:
    """Add ``gap`` (open / previous close - 1)."""
    return compute_indicators(bars, [Gap()])


def high_low(bars: pl.DataFrame, window: int = 252) -> pl.DataFrame:
    """Add ``high_<w>``, ``low_<w>``, ``pct_from_high_<w>``, ``pct_from_low_<w>``."""
    return compute_indicators(bars, [HighLow(window)])


def relative_volume(bars: pl.DataFrame, window: int = 20) -> pl.DataFrame:
    """Add ``rel_volume_<window>``."""
    return compute_indicators(bars, [RelativeVolume(window)])


def realized_vol(bars: pl.DataFrame, window: int = 20) -> pl.DataFrame:
    """Add ``realized_vol_<window>`` (annualised, fraction)."""
    return compute_indicators(bars, [RealizedVol(window)])


def vwap(bars: pl.DataFrame, window: int = 20) -> pl.DataFrame:
    """Add ``vwap_<window>`` (rolling VWAP of the typical price)."""
    return compute_indicators(bars, [VWAP(window)])


def anchored_vwap(bars: pl.DataFrame, anchor: str = "year") -> pl.DataFrame:
    """Add ``vwap_ytd`` / ``vwap_qtd`` / ``vwap_mtd``."""
    return compute_indicators(bars, [AnchoredVWAP(anchor)])


def beta(bars: pl.DataFrame, window: int = 252, *, benchmark: Benchmark = None) -> pl.DataFrame:
    """Add ``beta_<window>`` against ``benchmark`` (default: equal-weight market)."""
    return compute_indicators(bars, [Beta(window)], benchmark=benchmark)
