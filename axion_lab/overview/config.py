"""Defaults of the market overview: periods, moving averages, high/low window.

Periods are counted in trading sessions, the convention of every market data
terminal: a week is 5 sessions, a month 21, a quarter 63 and a year 252. ``YTD``
is measured from the last close of the previous calendar year.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "DEFAULT_LOOKBACK_DAYS",
    "HIGH_LOW_WINDOW",
    "MA_WINDOWS",
    "PERIODS",
    "PERIOD_LABELS",
    "TABLES",
    "TOP_MOVERS",
]

# (label, sessions back); None means "since the last close of the previous year".
PERIODS: Final[tuple[tuple[str, int | None], ...]] = (
    ("1W", 5),
    ("1M", 21),
    ("3M", 63),
    ("YTD", None),
    ("1Y", 252),
)
PERIOD_LABELS: Final = tuple(label for label, _ in PERIODS)

DEFAULT_LOOKBACK_DAYS: Final = 252
# Breadth: share of stocks above these simple moving averages of the close.
MA_WINDOWS: Final = (50, 200)
# A new 52-week high is a high above every high of the previous 251 sessions.
HIGH_LOW_WINDOW: Final = 252
TOP_MOVERS: Final = 10

# Tables a MarketOverview holds, in display order; the first is the default of to_frame().
TABLES: Final = ("performance", "universe", "breadth", "gainers", "losers", "cumulative")
