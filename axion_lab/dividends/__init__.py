"""Dividends: calendar, income, safety, growth, DRIP and tax (issue 7).

Engines take a :class:`~axion_lab.data.Market` and return frozen result objects
with ``to_frame()`` / ``to_pandas()`` and an HTML view. Money is integer cents,
rounded half to even once per payment (see :mod:`axion_lab.dividends.money`).
"""

from __future__ import annotations

from axion_lab.dividends.config import (
    AccountType,
    DividendFrequency,
    DividendStatus,
    SafetyRating,
)
from axion_lab.dividends.drip import DripResult, DRIPSimulator, MonteCarloResult
from axion_lab.dividends.growth import GrowthAnalyzer, GrowthReport
from axion_lab.dividends.income import IncomeProjector, PortfolioIncome
from axion_lab.dividends.models import DividendEvent, DividendHolding, parse_holdings
from axion_lab.dividends.safety import SafetyAnalyzer, SafetyReport, TrackRecord
from axion_lab.dividends.schedule import DividendCalendar, DividendSchedule
from axion_lab.dividends.tax import TaxAnalyzer, TaxReport

__all__ = [
    "AccountType",
    "DRIPSimulator",
    "DividendCalendar",
    "DividendEvent",
    "DividendFrequency",
    "DividendHolding",
    "DividendSchedule",
    "DividendStatus",
    "DripResult",
    "GrowthAnalyzer",
    "GrowthReport",
    "IncomeProjector",
    "MonteCarloResult",
    "PortfolioIncome",
    "SafetyAnalyzer",
    "SafetyRating",
    "SafetyReport",
    "TaxAnalyzer",
    "TaxReport",
    "TrackRecord",
    "parse_holdings",
]
