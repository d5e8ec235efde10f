"""Indicators computed by TA-Lib: the specs name the calls, TA-Lib does the arithmetic.

Also the rolling highs and lows (``MAX``/``MIN``), which TA-Lib computes an order of
magnitude faster than a generic rolling window. Each spec's defaults are the charting
conventions researchers expect (RSI 14, MACD 12/26/9, Bollinger 20/2, stochastic
14/3/3, CCI 20), which are not always TA-Lib's own defaults. Warm-up bars are null,
exactly where TA-Lib returns NaN. Parameters that differ from the defaults appear in the
column name, so two variants never collide.

Examples
--------
>>> from axion_lab.indicators import SMA, MACD, BBands
>>> SMA(50).columns
('sma_50',)
>>> MACD().columns
('macd', 'macd_signal', 'macd_hist')
>>> MACD(fast=5, slow=35, signal=5).columns
('macd_5_35_5', 'macd_signal_5_35_5', 'macd_hist_5_35_5')
>>> BBands(20, num_std=2.5).columns[0]
'bb_upper_20_2p5'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import polars as pl

from axion_lab.exceptions import InputError
from axion_lab.indicators._spec import (
    Output,
    TalibCall,
    TalibIndicator,
    Unit,
    float_param,
    int_param,
    number_tag,
)

__all__ = [
    "ADX",
    "ATR",
    "CCI",
    "EMA",
    "MACD",
    "MFI",
    "OBV",
    "ROC",
    "RSI",
    "SMA",
    "WMA",
    "BBands",
    "HighLow",
    "Stochastic",
    "WilliamsR",
]

_HLC = ("high", "low", "close")


@dataclass(frozen=True)
class _OneWindow(TalibIndicator):
    """A TA-Lib function of one series and one ``timeperiod``, one output column."""

    window: int = int_param(14)
    unit: ClassVar[Unit] = "price"

    def calls(self) -> tuple[TalibCall, ...]:
        (out,) = self.columns
        fn = self.function.removeprefix("talib.")
        return (TalibCall(fn, self.inputs, {"timeperiod": self.window}, (out,)),)

    def outputs(self) -> tuple[Output, ...]:
        return (
            Output(f"{self.name}_{self.window}", f"{self.label}, {self.window} bars", self.unit),
        )


@dataclass(frozen=True)
class SMA(_OneWindow):
    """Simple moving average of the close."""

    name: ClassVar[str] = "sma"
    label: ClassVar[str] = "Simple moving average"
    description: ClassVar[str] = "Arithmetic mean of the last `window` closes."
    function: ClassVar[str] = "talib.SMA"
    window: int = int_param(20)


@dataclass(frozen=True)
class EMA(_OneWindow):
    """Exponential moving average of the close (alpha = 2 / (window + 1), SMA-seeded)."""

    name: ClassVar[str] = "ema"
    label: ClassVar[str] = "Exponential moving average"
    description: ClassVar[str] = (
        "Exponential moving average of the close, alpha = 2/(window+1), seeded with the SMA."
    )
    function: ClassVar[str] = "talib.EMA"
    window: int = int_param(20)


@dataclass(frozen=True)
class WMA(_OneWindow):
    """Linearly weighted moving average of the close."""

    name: ClassVar[str] = "wma"
    label: ClassVar[str] = "Weighted moving average"
    description: ClassVar[str] = "Linearly weighted mean of the last `window` closes."
    function: ClassVar[str] = "talib.WMA"
    window: int = int_param(20)


@dataclass(frozen=True)
class RSI(_OneWindow):
    """Wilder's relative strength index, 0-100."""

    name: ClassVar[str] = "rsi"
    label: ClassVar[str] = "Relative strength index"
    description: ClassVar[str] = "Wilder's RSI of the close (Wilder smoothing), 0-100."
    function: ClassVar[str] = "talib.RSI"
    unit: ClassVar[Unit] = "percent"
    window: int = int_param(14, minimum=2)


@dataclass(frozen=True)
class ATR(_OneWindow):
    """Average true range (Wilder smoothing), in price units."""

    name: ClassVar[str] = "atr"
    label: ClassVar[str] = "Average true range"
    description: ClassVar[str] = "Wilder-smoothed average of the true range, in price units."
    function: ClassVar[str] = "talib.ATR"
    inputs: ClassVar[tuple[str, ...]] = _HLC
    window: int = int_param(14)


@dataclass(frozen=True)
class WilliamsR(_OneWindow):
    """Williams %R, -100 (at the low of the window) to 0 (at the high)."""

    name: ClassVar[str] = "willr"
    label: ClassVar[str] = "Williams %R"
    description: ClassVar[str] = "Close within the window's high-low range, -100 (low) to 0 (high)."
    function: ClassVar[str] = "talib.WILLR"
    inputs: ClassVar[tuple[str, ...]] = _HLC
    unit: ClassVar[Unit] = "percent"
    window: int = int_param(14, minimum=2)


@dataclass(frozen=True)
class CCI(_OneWindow):
    """Commodity channel index of the typical price."""

    name: ClassVar[str] = "cci"
    label: ClassVar[str] = "Commodity channel index"
    description: ClassVar[str] = (
        "Typical price minus its mean, over 0.015 times its mean absolute deviation."
    )
    function: ClassVar[str] = "talib.CCI"
    inputs: ClassVar[tuple[str, ...]] = _HLC
    unit: ClassVar[Unit] = "index"
    window: int = int_param(20, minimum=2)


@dataclass(frozen=True)
class MFI(_OneWindow):
    """Money flow index (a volume-weighted RSI), 0-100."""

    name: ClassVar[str] = "mfi"
    label: ClassVar[str] = "Money flow index"
    description: ClassVar[str] = "Volume-weighted RSI of the typical price, 0-100."
    function: ClassVar[str] = "talib.MFI"
    inputs: ClassVar[tuple[str, ...]] = (*_HLC, "volume")
    unit: ClassVar[Unit] = "percent"
    window: int = int_param(14, minimum=2)


@dataclass(frozen=True)
class ROC(_OneWindow):
    """Rate of change of the close over ``window`` bars, in percent."""

    name: ClassVar[str] = "roc"
    label: ClassVar[str] = "Rate of change"
    description: ClassVar[str] = "(close / close `window` bars ago - 1) * 100."
    function: ClassVar[str] = "talib.ROC"
    unit: ClassVar[Unit] = "percent"
    window: int = int_param(10)


@dataclass(frozen=True)
class OBV(TalibIndicator):
    """On-balance volume: running sum of volume signed by the close's direction.

    Its level depends on where the series starts (it starts at the first bar's
    volume); compare changes, not levels, across symbols.
    """

    name: ClassVar[str] = "obv"
    label: ClassVar[str] = "On-balance volume"
    description: ClassVar[str] = (
        "Running sum of volume, added on up closes and subtracted on down closes."
    )
    function: ClassVar[str] = "talib.OBV"
    inputs: ClassVar[tuple[str, ...]] = ("close", "volume")

    def calls(self) -> tuple[TalibCall, ...]:
        return (TalibCall("OBV", self.inputs, {}, ("obv",)),)

    def outputs(self) -> tuple[Output, ...]:
        return (Output("obv", self.label, "shares"),)


@dataclass(frozen=True)
class MACD(TalibIndicator):
    """MACD line (fast EMA - slow EMA), its signal EMA and the histogram."""

    name: ClassVar[str] = "macd"
    label: ClassVar[str] = "MACD"
    description: ClassVar[str] = (
        "Fast EMA minus slow EMA of the close; signal is an EMA of that line; "
        "histogram is line minus signal."
    )
    function: ClassVar[str] = "talib.MACD"
    fast: int = int_param(12, minimum=2)
    slow: int = int_param(26, minimum=2)
    signal: int = int_param(9)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.fast >= self.slow:
            # TA-Lib silently swaps them; say so instead.
            raise InputError(f"MACD: fast ({self.fast}) must be shorter than slow ({self.slow}).")

    def _tag(self) -> str:
        if (self.fast, self.slow, self.signal) == (12, 26, 9):
            return ""
        return f"_{self.fast}_{self.slow}_{self.signal}"

    def outputs(self) -> tuple[Output, ...]:
        t = self._tag()
        what = f"EMA {self.fast}/{self.slow}, signal {self.signal}"
        return (
            Output(f"macd{t}", f"MACD line ({what})", "price"),
            Output(f"macd_signal{t}", f"MACD signal line ({what})", "price"),
            Output(f"macd_hist{t}", f"MACD histogram, line minus signal ({what})", "price"),
        )

    def calls(self) -> tuple[TalibCall, ...]:
        kwargs = {"fastperiod": self.fast, "slowperiod": self.slow, "signalperiod": self.signal}
        return (TalibCall("MACD", ("close",), kwargs, self.columns),)


@dataclass(frozen=True)
class BBands(TalibIndicator):
    """Bollinger bands (SMA +/- ``num_std`` population standard deviations), %B, width."""

    name: ClassVar[str] = "bbands"
    label: ClassVar[str] = "Bollinger bands"
    description: ClassVar[str] = (
        "SMA of the close +/- num_std standard deviations; %B is the close's place "
        "between the bands (0 lower, 1 upper); width is (upper - lower) / middle."
    )
    function: ClassVar[str] = "talib.BBANDS"
    window: int = int_param(20, minimum=2)
    num_std: float = float_param(2.0)

    def _tag(self) -> str:
        return f"_{self.window}" + ("" if self.num_std == 2 else f"_{number_tag(self.num_std)}")

    def outputs(self) -> tuple[Output, ...]:
        t = self._tag()
        what = f"{self.window} bars, {number_tag(self.num_std)} sd"
        return (
            Output(f"bb_upper{t}", f"Upper Bollinger band ({what})", "price"),
            Output(f"bb_middle{t}", f"Middle Bollinger band, the SMA ({what})", "price"),
            Output(f"bb_lower{t}", f"Lower Bollinger band ({what})", "price"),
            Output(f"bb_pct_b{t}", f"Bollinger %B, 0 at lower and 1 at upper ({what})", "ratio"),
            Output(f"bb_width{t}", f"Bollinger bandwidth, (upper-lower)/middle ({what})", "ratio"),
        )

    def calls(self) -> tuple[TalibCall, ...]:
        kwargs = {
            "timeperiod": self.window,
            "nbdevup": float(self.num_std),
            "nbdevdn": float(self.num_std),
            "matype": 0,
        }
        return (TalibCall("BBANDS", ("close",), kwargs, self.columns[:3]),)

    def derived(self) -> dict[str, pl.Expr]:
        upper, middle, lower = (pl.col(c) for c in self.columns[:3])
        # Flat windows give upper == lower: 0/0, nulled at the edge with every non-finite.
        return {
            self.columns[3]: (pl.col("close") - lower) / (upper - lower),
            self.columns[4]: (upper - lower) / middle,
        }


@dataclass(frozen=True)
class ADX(TalibIndicator):
    """Wilder's average directional index with the +DI and -DI lines, 0-100."""

    name: ClassVar[str] = "adx"
    label: ClassVar[str] = "Average directional index"
    description: ClassVar[str] = (
        "Wilder's ADX (trend strength) and the directional indicators +DI and -DI, 0-100."
    )
    function: ClassVar[str] = "talib.ADX, talib.PLUS_DI, talib.MINUS_DI"
    inputs: ClassVar[tuple[str, ...]] = _HLC
    window: int = int_param(14, minimum=2)

    def outputs(self) -> tuple[Output, ...]:
        w = self.window
        return (
            Output(f"adx_{w}", f"Average directional index, {w} bars", "percent"),
            Output(f"plus_di_{w}", f"Plus directional indicator (+DI), {w} bars", "percent"),
            Output(f"minus_di_{w}", f"Minus directional indicator (-DI), {w} bars", "percent"),
        )

    def calls(self) -> tuple[TalibCall, ...]:
        kw = {"timeperiod": self.window}
        adx, plus, minus = self.columns
        return (
            TalibCall("ADX", _HLC, kw, (adx,)),
            TalibCall("PLUS_DI", _HLC, kw, (plus,)),
            TalibCall("MINUS_DI", _HLC, kw, (minus,)),
        )


@dataclass(frozen=True)
class Stochastic(TalibIndicator):
    """Slow stochastic oscillator: %K smoothed by ``k_smooth``, %D its ``d_window`` SMA."""

    name: ClassVar[str] = "stoch"
    label: ClassVar[str] = "Stochastic oscillator"
    description: ClassVar[str] = (
        "Slow stochastic: the close's place in the window's high-low range (raw %K), "
        "smoothed by an SMA (%K), and the SMA of %K (%D), 0-100."
    )
    function: ClassVar[str] = "talib.STOCH"
    inputs: ClassVar[tuple[str, ...]] = _HLC
    window: int = int_param(14)
    k_smooth: int = int_param(3)
    d_window: int = int_param(3)

    def _tag(self) -> str:
        tail = (
            "" if (self.k_smooth, self.d_window) == (3, 3) else f"_{self.k_smooth}_{self.d_window}"
        )
        return f"_{self.window}{tail}"

    def outputs(self) -> tuple[Output, ...]:
        t = self._tag()
        what = f"{self.window} bars, smoothing {self.k_smooth}/{self.d_window}"
        return (
            Output(f"stoch_k{t}", f"Stochastic %K ({what})", "percent"),
            Output(f"stoch_d{t}", f"Stochastic %D ({what})", "percent"),
        )

    def calls(self) -> tuple[TalibCall, ...]:
        kwargs = {
            "fastk_period": self.window,
            "slowk_period": self.k_smooth,
            "slowk_matype": 0,
            "slowd_period": self.d_window,
            "slowd_matype": 0,
        }
        return (TalibCall("STOCH", _HLC, kwargs, self.columns),)


@dataclass(frozen=True)
class HighLow(TalibIndicator):
    """Rolling high and low (``252`` bars is the 52-week range) and the distance to them.

    The highest high and lowest low over the window **including** the current bar
    (TA-Lib ``MAX``/``MIN``, far faster than a generic rolling max);
    ``pct_from_high_*`` is ``close / high - 1`` (<= 0), ``pct_from_low_*`` is
    ``close / low - 1`` (>= 0).
    """

    name: ClassVar[str] = "high_low"
    label: ClassVar[str] = "Rolling high and low"
    description: ClassVar[str] = (
        "Highest high and lowest low over `window` bars including today, and the close's "
        "distance from them (close / level - 1)."
    )
    function: ClassVar[str] = "talib.MAX, talib.MIN"
    inputs: ClassVar[tuple[str, ...]] = _HLC
    window: int = int_param(252, minimum=2)

    def outputs(self) -> tuple[Output, ...]:
        w = self.window
        span = "52-week" if w == 252 else f"{w}-bar"
        return (
            Output(f"high_{w}", f"{span} high", "price"),
            Output(f"low_{w}", f"{span} low", "price"),
            Output(f"pct_from_high_{w}", f"Close vs the {span} high, close / high - 1", "fraction"),
            Output(f"pct_from_low_{w}", f"Close vs the {span} low, close / low - 1", "fraction"),
        )

    def calls(self) -> tuple[TalibCall, ...]:
        h, lo = self.columns[:2]
        kw = {"timeperiod": self.window}
        return (TalibCall("MAX", ("high",), kw, (h,)), TalibCall("MIN", ("low",), kw, (lo,)))

    def derived(self) -> dict[str, pl.Expr]:
        h, lo, dh, dl = self.columns
        close = pl.col("close")
        return {dh: close / pl.col(h) - 1.0, dl: close / pl.col(lo) - 1.0}
