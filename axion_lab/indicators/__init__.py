"""Technical indicators over the long bars frame, computed per symbol.

TA-Lib is the kernel wherever it has the indicator (SMA, EMA, WMA, RSI, MACD,
Bollinger bands, ATR, ADX/DI, stochastic, Williams %R, CCI, OBV, MFI, ROC, and the
rolling highs and lows via MAX/MIN); polars computes the rest (returns, gaps, relative
volume, realised volatility, VWAP, beta). Each indicator is a validated spec
(``SMA(window=50)``) that declares its output columns once; :func:`indicator_table`
lists them all.

Outputs are Float64 and null (never NaN) where undefined.

Examples
--------
>>> import datetime as dt, numpy as np, polars as pl
>>> from axion_lab.indicators import RSI, compute_indicators, latest
>>> rng = np.random.default_rng(0)
>>> close = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, 60)))
>>> bars = pl.DataFrame({"symbol": "A", "ts": pl.datetime_range(
...     dt.datetime(2024, 1, 1), dt.datetime(2024, 2, 29), "1d", eager=True), "close": close})
>>> out = compute_indicators(bars, [RSI(14), "ret_5"])
>>> out["rsi_14"].null_count(), out["ret_5"].null_count()
(14, 5)
>>> latest(out).columns
['symbol', 'ts', 'close', 'rsi_14', 'ret_5']
"""

from __future__ import annotations

from axion_lab.indicators._spec import Indicator, Output, PolarsIndicator, TalibCall, TalibIndicator
from axion_lab.indicators.engine import Benchmark, compute_indicators
from axion_lab.indicators.helpers import (
    adx,
    anchored_vwap,
    atr,
    bbands,
    beta,
    cci,
    ema,
    gap,
    high_low,
    macd,
    mfi,
    obv,
    realized_vol,
    relative_volume,
    returns,
    roc,
    rsi,
    sma,
    stochastic,
    vwap,
    williams_r,
    wma,
)
from axion_lab.indicators.polars_indicators import (
    VWAP,
    AnchoredVWAP,
    Beta,
    Gap,
    RealizedVol,
    RelativeVolume,
    Return,
)
from axion_lab.indicators.registry import (
    DEFAULT_PANEL,
    INDICATORS,
    RETURN_WINDOWS,
    IndicatorLike,
    indicator_columns,
    indicator_table,
    resolve_indicators,
)
from axion_lab.indicators.snapshot import latest
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
    "ADX",
    "ATR",
    "CCI",
    "DEFAULT_PANEL",
    "EMA",
    "INDICATORS",
    "MACD",
    "MFI",
    "OBV",
    "RETURN_WINDOWS",
    "ROC",
    "RSI",
    "SMA",
    "VWAP",
    "WMA",
    "AnchoredVWAP",
    "BBands",
    "Benchmark",
    "Beta",
    "Gap",
    "HighLow",
    "Indicator",
    "IndicatorLike",
    "Output",
    "PolarsIndicator",
    "RealizedVol",
    "RelativeVolume",
    "Return",
    "Stochastic",
    "TalibCall",
    "TalibIndicator",
    "WilliamsR",
    "adx",
    "anchored_vwap",
    "atr",
    "bbands",
    "beta",
    "cci",
    "compute_indicators",
    "ema",
    "gap",
    "high_low",
    "indicator_columns",
    "indicator_table",
    "latest",
    "macd",
    "mfi",
    "obv",
    "realized_vol",
    "relative_volume",
    "resolve_indicators",
    "returns",
    "roc",
    "rsi",
    "sma",
    "stochastic",
    "vwap",
    "williams_r",
    "wma",
]
