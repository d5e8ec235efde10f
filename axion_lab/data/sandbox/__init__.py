"""The sandbox market: a deterministic synthetic market generated offline from a seed.

Every company, ticker and number is fictional. :func:`build_frames` returns the
canonical frames (``axion_lab.data.schema``) for a :class:`SandboxConfig`; the
``sandbox`` provider caches them as Parquet and wraps them in a
:class:`~axion_lab.data.Market`. Modules, one model each:

``config``        the market's shape, sector profiles, regimes, random streams
``calendar``      trading sessions and holidays
``names``         fictional company names and tickers
``universe``      the equity cross-section and its parameters
``macro``         rates, CPI, unemployment
``prices``        factor model, GARCH/Student-t returns (truncated tails), OHLCV
``fundamentals``  reporting schedule and quarterly statements
``dividends``     dividends, splits, ex-dividend price drops
``delisting``     companies that stay below the exchange minimums stop trading
``indexes``       AX500/AX400/AX600 membership and index levels
``assets``        ETFs, crypto, forex, bonds, futures
``ownership``     fund holdings, short interest, analyst ratings
``intraday``      intraday bars on demand, consistent with the daily bars
``build``         orchestration;  ``cache``  the Parquet cache (keyed on the
                  generator version and a hash of these source files)
"""

from __future__ import annotations

from axion_lab.data.sandbox.build import build_frames
from axion_lab.data.sandbox.config import GENERATOR_VERSION, REGIMES, SandboxConfig, stream
from axion_lab.data.sandbox.intraday import INTERVALS, SandboxIntraday

__all__ = [
    "GENERATOR_VERSION",
    "INTERVALS",
    "REGIMES",
    "SandboxConfig",
    "SandboxIntraday",
    "build_frames",
    "stream",
]
