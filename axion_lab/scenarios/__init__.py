"""Scenario analysis: what-if trades, rebalancing, stress tests, comparison and goals.

Engines (each a small class holding options, over pure functions):

``WhatIfAnalyzer``      apply proposed trades, compare the portfolio before and after
``RebalanceSimulator``  calendar and tolerance-band rebalancing over history
``ScenarioAnalyzer``    shocks (``PREDEFINED_SCENARIOS`` or custom), historical
                        replay with proxies, reverse stress tests
``PortfolioComparer``   portfolios side by side
``GoalPlanner``         Monte Carlo of savings goals and retirement income

Ledger money (cash, trade values, costs, gains, taxes) is integer cents, each
amount rounded once, half to even (:mod:`axion_lab.scenarios.money`).

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.scenarios import ScenarioAnalyzer, example_portfolio
>>> market = load_market()
>>> portfolio = example_portfolio(market, "balanced")
>>> result = ScenarioAnalyzer(market).run(portfolio, "covid_2020")
>>> -1.0 < result.impact < 0.0
True
"""

from __future__ import annotations

from axion_lab.scenarios.analyzer import ScenarioAnalyzer
from axion_lab.scenarios.compare import PortfolioComparer, PortfolioComparison
from axion_lab.scenarios.config import (
    FACTORS,
    BandKind,
    Frequency,
    GoalType,
    ReturnModel,
    ScenarioType,
    TradeAction,
)
from axion_lab.scenarios.goals import Goal, GoalPlanner, GoalResult
from axion_lab.scenarios.ledger import TradeRefused
from axion_lab.scenarios.models import (
    Holding,
    Portfolio,
    ProposedTrade,
    Scenario,
    TaxLot,
    TaxRates,
    TradingCosts,
)
from axion_lab.scenarios.money import dollars_to_cents, format_cents
from axion_lab.scenarios.portfolio_io import (
    EXAMPLE_PORTFOLIOS,
    example_portfolio,
    portfolio_from_weights,
    read_portfolio,
    read_portfolio_text,
)
from axion_lab.scenarios.presets import PREDEFINED_SCENARIOS, get_scenario, market_crash, rate_hike
from axion_lab.scenarios.profile import PortfolioProfile
from axion_lab.scenarios.rebalance import (
    RebalanceComparison,
    RebalanceRun,
    RebalanceSimulator,
    Strategy,
)
from axion_lab.scenarios.results import (
    ReplayResult,
    ReverseStressResult,
    ScenarioComparison,
    ScenarioResult,
)
from axion_lab.scenarios.whatif import WhatIfAnalyzer, WhatIfResult

__all__ = [
    "EXAMPLE_PORTFOLIOS",
    "FACTORS",
    "PREDEFINED_SCENARIOS",
    "BandKind",
    "Frequency",
    "Goal",
    "GoalPlanner",
    "GoalResult",
    "GoalType",
    "Holding",
    "Portfolio",
    "PortfolioComparer",
    "PortfolioComparison",
    "PortfolioProfile",
    "ProposedTrade",
    "RebalanceComparison",
    "RebalanceRun",
    "RebalanceSimulator",
    "ReplayResult",
    "ReturnModel",
    "ReverseStressResult",
    "Scenario",
    "ScenarioAnalyzer",
    "ScenarioComparison",
    "ScenarioResult",
    "ScenarioType",
    "Strategy",
    "TaxLot",
    "TaxRates",
    "TradeAction",
    "TradeRefused",
    "TradingCosts",
    "WhatIfAnalyzer",
    "WhatIfResult",
    "dollars_to_cents",
    "example_portfolio",
    "format_cents",
    "get_scenario",
    "market_crash",
    "portfolio_from_weights",
    "rate_hike",
    "read_portfolio",
    "read_portfolio_text",
]
