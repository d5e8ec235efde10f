"""Indicators TA-Lib lacks, as polars expressions over the sorted long bars frame.

Windows count bars (sessions for daily bars), not calendar days: ``Return(21)`` is the
return over 21 bars, about one month of daily bars. Warm-up rows are null: a value
needs ``window`` bars of its own symbol (``window + 1`` for anything built on
one-bar returns).

Conventions
-----------
* Returns and gaps are simple (``0.05`` is 5 %), unit ``fraction``.
* Realised volatility is the sample standard deviation (ddof=1) of one-bar **log**
  returns, annualised by ``sqrt(periods_per_year)`` (252 for daily bars).
* Relative volume is today's volume over the mean volume of the **previous**
  ``window`` bars, so a spike is not diluted by itself.
* VWAP on daily bars: there is no intraday tape, so VWAP is built from each bar's
  typical price ``(high + low + close) / 3`` weighted by its volume. :class:`VWAP` is
  rolling over ``window`` bars (a stable, comparable level for screens);
  :class:`AnchoredVWAP` accumulates from the first bar of the calendar month, quarter
  or year (the "MTD/QTD/YTD VWAP" traders anchor to), or from the symbol's first bar
  if it starts mid-period.
* Beta is ``cov(r, r_m) / var(r_m)`` of one-bar simple returns over the window. The
  market return ``r_m`` is a benchmark's (see ``compute_indicators(benchmark=...)``)
  or, by default, the equal-weight mean return of every symbol in the frame that bar.
  A benchmark's returns are taken on the bars' calendar, so a bar it lacks nulls the
  market return that bar and the next. Any missing pair in the window nulls the value.

Examples
--------
>>> from axion_lab.indicators import Return, VWAP
>>> Return(21).columns
('ret_21',)
>>> VWAP(20).columns
('vwap_20',)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import polars as pl

from axion_lab.exceptions import UnknownNameError
from axion_lab.indicators._spec import Output, PolarsIndicator, int_param

__all__ = [
    "VWAP",
    "AnchoredVWAP",
    "Beta",
    "Gap",
    "RealizedVol",
    "RelativeVolume",
    "Return",
]

_C = pl.col("close")


def _after(k: pl.Expr, warmup: int, value: pl.Expr) -> pl.Expr:
    """``value`` from the ``warmup``-th bar of each symbol on, null before."""
    return pl.when(k >= warmup).then(value)


def _simple_return() -> pl.Expr:
    return _C / _C.shift(1) - 1.0


@dataclass(frozen=True)
class Return(PolarsIndicator):
    """Simple return of the close over ``window`` bars."""

    name: ClassVar[str] = "ret"
    label: ClassVar[str] = "Return"
    description: ClassVar[str] = "close / close `window` bars ago - 1 (simple return)."
    function: ClassVar[str] = "polars"
    window: int = int_param(1)

    def outputs(self) -> tuple[Output, ...]:
        w = self.window
        return (Output(f"ret_{w}", f"Simple return over {w} bars", "fraction"),)

    def expressions(self, k: pl.Expr, market: pl.Expr | None) -> dict[str, pl.Expr]:
        w = self.window
        return {self.columns[0]: _after(k, w, _C / _C.shift(w) - 1.0)}


@dataclass(frozen=True)
class Gap(PolarsIndicator):
    """Opening gap: open over the previous bar's close, minus one."""

    name: ClassVar[str] = "gap"
    label: ClassVar[str] = "Gap"
    description: ClassVar[str] = "open / previous close - 1."
    function: ClassVar[str] = "polars"
    inputs: ClassVar[tuple[str, ...]] = ("open", "close")

    def outputs(self) -> tuple[Output, ...]:
        return (Output("gap", "Opening gap, open / previous close - 1", "fraction"),)

    def expressions(self, k: pl.Expr, market: pl.Expr | None) -> dict[str, pl.Expr]:
        return {"gap": _after(k, 1, pl.col("open") / _C.shift(1) - 1.0)}


@dataclass(frozen=True)
class RelativeVolume(PolarsIndicator):
    """Volume over the mean volume of the previous ``window`` bars."""

    name: ClassVar[str] = "rel_volume"
    label: ClassVar[str] = "Relative volume"
    description: ClassVar[str] = "volume / mean volume of the previous `window` bars."
    function: ClassVar[str] = "polars"
    inputs: ClassVar[tuple[str, ...]] = ("volume",)
    window: int = int_param(20)

    def outputs(self) -> tuple[Output, ...]:
        w = self.window
        return (Output(f"rel_volume_{w}", f"Volume / mean of previous {w} bars", "ratio"),)

    def expressions(self, k: pl.Expr, market: pl.Expr | None) -> dict[str, pl.Expr]:
        w = self.window
        vol = pl.col("volume").cast(pl.Float64)
        return {self.columns[0]: _after(k, w, vol / vol.shift(1).rolling_mean(w))}


@dataclass(frozen=True)
class RealizedVol(PolarsIndicator):
    """Annualised realised volatility of one-bar log returns."""

    name: ClassVar[str] = "realized_vol"
    label: ClassVar[str] = "Realised volatility"
    description: ClassVar[str] = (
        "Sample std of one-bar log returns over `window` bars, times sqrt(periods_per_year)."
    )
    function: ClassVar[str] = "polars"
    window: int = int_param(20, minimum=2)
    periods_per_year: int = int_param(252)

    def outputs(self) -> tuple[Output, ...]:
        w = self.window
        text = f"Annualised realised volatility of log returns, {w} bars"
        return (Output(f"realized_vol_{w}", text, "fraction"),)

    def helpers(self, k: pl.Expr, market: pl.Expr | None) -> dict[str, pl.Expr]:
        return {"__axion_log_ret": (_C / _C.shift(1)).log()}  # shared by every window

    def expressions(self, k: pl.Expr, market: pl.Expr | None) -> dict[str, pl.Expr]:
        w = self.window
        log_ret = pl.col("__axion_log_ret")
        vol = log_ret.rolling_std(w, ddof=1) * math.sqrt(self.periods_per_year)
        return {self.columns[0]: _after(k, w, vol)}


def _typical_price() -> pl.Expr:
    return (pl.col("high") + pl.col("low") + _C) / 3.0


@dataclass(frozen=True)
class VWAP(PolarsIndicator):
    """Rolling volume-weighted average of the typical price over ``window`` bars."""

    name: ClassVar[str] = "vwap"
    label: ClassVar[str] = "Rolling VWAP"
    description: ClassVar[str] = (
        "sum(typical price * volume) / sum(volume) over `window` bars; typical price "
        "(high + low + close) / 3 stands in for the intraday tape daily bars lack."
    )
    function: ClassVar[str] = "polars"
    inputs: ClassVar[tuple[str, ...]] = ("high", "low", "close", "volume")
    window: int = int_param(20)

    def outputs(self) -> tuple[Output, ...]:
        w = self.window
        return (Output(f"vwap_{w}", f"Rolling VWAP of the typical price, {w} bars", "price"),)

    def expressions(self, k: pl.Expr, market: pl.Expr | None) -> dict[str, pl.Expr]:
        w = self.window
        vol = pl.col("volume").cast(pl.Float64)
        value = (_typical_price() * vol).rolling_sum(w) / vol.rolling_sum(w)
        return {self.columns[0]: _after(k, w - 1, value)}


_TS = pl.col("ts")
_ANCHORS = {
    "month": (_TS.dt.year() * 12 + _TS.dt.month(), "mtd"),
    "quarter": (_TS.dt.year() * 4 + _TS.dt.quarter(), "qtd"),
    "year": (_TS.dt.year(), "ytd"),
}


@dataclass(frozen=True)
class AnchoredVWAP(PolarsIndicator):
    """VWAP of the typical price accumulated since the start of the month/quarter/year."""

    name: ClassVar[str] = "anchored_vwap"
    label: ClassVar[str] = "Anchored VWAP"
    description: ClassVar[str] = (
        "Cumulative typical price * volume over cumulative volume since the first bar "
        "of the calendar `anchor` period (month, quarter, year)."
    )
    function: ClassVar[str] = "polars"
    inputs: ClassVar[tuple[str, ...]] = ("high", "low", "close", "volume")
    anchor: str = "year"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.anchor not in _ANCHORS:
            raise UnknownNameError.for_name("VWAP anchor", self.anchor, list(_ANCHORS))

    def outputs(self) -> tuple[Output, ...]:
        tag = _ANCHORS[self.anchor][1]
        text = f"VWAP of the typical price since the start of the {self.anchor} ({tag.upper()})"
        return (Output(f"vwap_{tag}", text, "price"),)

    @property
    def _run(self) -> str:
        return f"__axion_run_{self.anchor}"

    def helpers(self, k: pl.Expr, market: pl.Expr | None) -> dict[str, pl.Expr]:
        period = _ANCHORS[self.anchor][0]
        # Each (symbol, period) is a contiguous run of the sorted frame: number the runs.
        # A materialised, sorted run id makes the grouped cum_sum below ~4x faster than
        # grouping on (symbol, period).
        return {self._run: ((k == 0) | (period != period.shift(1))).cum_sum().set_sorted()}

    def expressions(self, k: pl.Expr, market: pl.Expr | None) -> dict[str, pl.Expr]:
        vol = pl.col("volume").cast(pl.Float64)
        run = self._run
        value = (_typical_price() * vol).cum_sum().over(run) / vol.cum_sum().over(run)
        return {self.columns[0]: value}


@dataclass(frozen=True)
class Beta(PolarsIndicator):
    """Rolling beta of one-bar simple returns to the market's."""

    name: ClassVar[str] = "beta"
    label: ClassVar[str] = "Beta"
    description: ClassVar[str] = (
        "cov(return, market return) / var(market return) over `window` bars; the market "
        "is the benchmark passed in, else the equal-weight mean return of the frame."
    )
    function: ClassVar[str] = "polars"
    needs_market: ClassVar[bool] = True
    window: int = int_param(252, minimum=2)

    def outputs(self) -> tuple[Output, ...]:
        w = self.window
        return (Output(f"beta_{w}", f"Beta to the market, {w} bars of returns", "ratio"),)

    def helpers(self, k: pl.Expr, market: pl.Expr | None) -> dict[str, pl.Expr]:
        if market is None:  # the engine always supplies it for needs_market specs
            raise TypeError("Beta needs the market return expression.")
        ret = _simple_return()
        # Null both legs where either is missing, so cov and var see the same bars.
        return {
            "__axion_beta_x": pl.when(market.is_not_null()).then(ret),
            "__axion_beta_y": pl.when(ret.is_not_null()).then(market),
        }

    def expressions(self, k: pl.Expr, market: pl.Expr | None) -> dict[str, pl.Expr]:
        w = self.window
        x, y = pl.col("__axion_beta_x"), pl.col("__axion_beta_y")
        cov = pl.rolling_cov(x, y, window_size=w, min_samples=w)
        value = cov / y.rolling_var(w, min_samples=w)
        return {self.columns[0]: _after(k, w, value)}
