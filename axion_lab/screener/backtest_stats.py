"""Performance statistics of a daily return series: pure numpy, no pandas.

Conventions (the same as quantstats 0.0.86 with ``rf=0`` and ``periods=252``, which
the tests check to 1e-9):

* ``periods_per_year`` is 252 trading sessions.
* CAGR compounds the returns and annualises by the **count of returns**, not
  calendar days: ``prod(1 + r) ** (252 / n) - 1``.
* Volatility and Sharpe use the sample standard deviation (``ddof=1``); the risk-free
  rate is 0, so Sharpe is ``mean / std * sqrt(252)``.
* Sortino divides the mean by the downside deviation
  ``sqrt(sum(r[r < 0] ** 2) / n)`` (every return counts in ``n``), times ``sqrt(252)``.
* Max drawdown is measured on the equity curve including its starting value, as
  quantstats does with its "phantom baseline"; it is a negative fraction.

Examples
--------
>>> import numpy as np
>>> from axion_lab.screener.backtest_stats import max_drawdown, sharpe
>>> max_drawdown(np.array([0.10, -0.5, 0.2]))
-0.5
>>> round(sharpe(np.array([0.01, -0.005, 0.012, 0.0])), 4)
8.3309
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "PERIODS_PER_YEAR",
    "cagr",
    "drawdown",
    "max_drawdown",
    "sharpe",
    "sortino",
    "volatility",
]

PERIODS_PER_YEAR: Final = 252

FloatArray = NDArray[np.float64]


def _clean(returns: FloatArray) -> FloatArray:
    r = np.asarray(returns, dtype=np.float64)
    return r[np.isfinite(r)]


def cagr(returns: FloatArray, periods: int = PERIODS_PER_YEAR) -> float:
    """Compound annual growth rate; ``nan`` for no returns or a total loss past -100 %."""
    r = _clean(returns)
    if r.size == 0:
        return math.nan
    wealth = float(np.prod(1.0 + r))
    if wealth < 0:
        return math.nan
    return float(wealth ** (periods / r.size) - 1.0)


def volatility(returns: FloatArray, periods: int = PERIODS_PER_YEAR) -> float:
    """Annualised sample standard deviation."""
    r = _clean(returns)
    if r.size < 2:
        return math.nan
    return float(np.std(r, ddof=1) * math.sqrt(periods))


def sharpe(returns: FloatArray, periods: int = PERIODS_PER_YEAR) -> float:
    """Annualised Sharpe ratio with a zero risk-free rate; ``nan`` if flat."""
    r = _clean(returns)
    if r.size < 2:
        return math.nan
    sd = float(np.std(r, ddof=1))
    return math.nan if sd == 0 else float(np.mean(r) / sd * math.sqrt(periods))


def sortino(returns: FloatArray, periods: int = PERIODS_PER_YEAR) -> float:
    """Annualised Sortino ratio (downside deviation over every period, zero target)."""
    r = _clean(returns)
    if r.size == 0:
        return math.nan
    down = math.sqrt(float(np.sum(np.minimum(r, 0.0) ** 2)) / r.size)
    return math.nan if down == 0 else float(np.mean(r) / down * math.sqrt(periods))


def drawdown(equity: FloatArray) -> FloatArray:
    """Drawdown path of an equity curve: ``equity / running peak - 1`` (<= 0)."""
    e = np.asarray(equity, dtype=np.float64)
    return e / np.maximum.accumulate(e) - 1.0


def max_drawdown(returns: FloatArray) -> float:
    """The deepest drawdown of the curve ``cumprod(1 + r)`` started at 1."""
    r = _clean(returns)
    if r.size == 0:
        return 0.0
    equity = np.concatenate([[1.0], np.cumprod(1.0 + r)])
    return float(drawdown(equity).min())
