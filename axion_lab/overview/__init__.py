"""Market overview: universe, sector performance, breadth and top movers in one call.

>>> from axion_lab import load_market
>>> from axion_lab.overview import market_overview
>>> ov = market_overview(load_market(), sector="Information Technology")
>>> ov.to_frame("performance").filter(period="1M").height > 1
True
"""

from __future__ import annotations

from axion_lab.overview.config import PERIOD_LABELS, PERIODS
from axion_lab.overview.engine import market_overview
from axion_lab.overview.models import MarketOverview

__all__ = ["PERIODS", "PERIOD_LABELS", "MarketOverview", "market_overview"]
