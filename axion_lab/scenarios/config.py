"""Enums and defaults of the scenario engines.

Conventions used throughout ``axion_lab.scenarios``:

* **Ledger money is integer cents** (cash, trade values, costs, realised gains,
  taxes). Market prices and share counts are floats. A trade's ledger amounts
  (gross value, spread cost, commission) are each computed in exact decimal
  arithmetic from the prices and shares as printed (their shortest ``repr``) and
  rounded **once** to a cent, half to even (banker's rounding,
  :data:`decimal.ROUND_HALF_EVEN`). Everything after that is integer arithmetic.
* Returns, weights, shocks and rates of return are decimal fractions
  (``-0.2`` is -20%); rate and spread moves are basis points (``100`` is +1%).
* A year has :data:`TRADING_DAYS` sessions and 12 months.
"""

from __future__ import annotations

import enum
from typing import Final

__all__ = [
    "DEFAULT_LOOKBACK_DAYS",
    "DEFAULT_MARKET_PROXY",
    "FACTORS",
    "TRADING_DAYS",
    "BandKind",
    "Frequency",
    "GoalType",
    "ReturnModel",
    "ScenarioType",
    "TradeAction",
]

TRADING_DAYS: Final = 252
# Three years of sessions: long enough for a stable beta, short enough to be current.
DEFAULT_LOOKBACK_DAYS: Final = 756
# The broad index whose returns define "the market" for betas and market shocks.
DEFAULT_MARKET_PROXY: Final = "AX500"

# Style factors: cross-sectional z-scores of equities (0 for everything else).
FACTORS: Final = ("size", "value", "momentum", "quality", "dividend_yield", "low_volatility")


class TradeAction(enum.StrEnum):
    """Side of a proposed trade."""

    BUY = "buy"
    SELL = "sell"


class ScenarioType(enum.StrEnum):
    """Where a scenario comes from."""

    HISTORICAL = "historical"  # a documented crisis, as peak-to-trough moves
    HYPOTHETICAL = "hypothetical"  # a stylised what-if (recession, rate hike...)
    CUSTOM = "custom"  # built by the user


class GoalType(enum.StrEnum):
    """Kinds of financial goal the :class:`~axion_lab.scenarios.GoalPlanner` knows."""

    RETIREMENT = "retirement"  # save, then draw an income for a number of years
    HOUSE = "house"  # a down payment by a date
    EDUCATION = "education"  # tuition by a date
    CUSTOM = "custom"  # any target amount by a date


class Frequency(enum.StrEnum):
    """Calendar rebalancing frequency."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


class BandKind(enum.StrEnum):
    """How a tolerance band around a target weight is measured.

    ``absolute``: rebalance when ``|w - target| > band`` (5% band: 40% may drift to
    35%-45%). ``relative``: when ``|w - target| > band * target`` (25% band: 40% may
    drift to 30%-50%, 4% to 3%-5%).
    """

    ABSOLUTE = "absolute"
    RELATIVE = "relative"


class ReturnModel(enum.StrEnum):
    """Where the goal planner's monthly returns come from."""

    PARAMETRIC = "parametric"  # lognormal with a given mean and volatility
    BOOTSTRAP = "bootstrap"  # blocks of the market's own monthly history
