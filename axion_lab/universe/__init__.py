"""Investable universes: index members (online or sandbox), real equity ETFs, your tickers.

Nothing here touches the network until a ``fetch_*`` or :func:`build_universe` call
asks for online data; tests inject an ``httpx.MockTransport``.

>>> from axion_lab.universe import EQUITY_ETFS, normalize_symbol
>>> EQUITY_ETFS["XLK"]
'Technology Select Sector SPDR Fund'
>>> normalize_symbol("brk.b")
'BRK-B'
"""

from __future__ import annotations

from axion_lab.universe._build import (
    SANDBOX_INDEXES,
    Universe,
    build_universe,
    fetch_sp400_tickers,
    fetch_sp500_tickers,
)
from axion_lab.universe._etfs import EQUITY_ETFS, get_etf_tickers
from axion_lab.universe._symbols import SHARE_CLASS_SEPARATOR, normalize_symbol
from axion_lab.universe._wikipedia import CONSTITUENT_PAGES, parse_constituents

__all__ = [
    "CONSTITUENT_PAGES",
    "EQUITY_ETFS",
    "SANDBOX_INDEXES",
    "SHARE_CLASS_SEPARATOR",
    "Universe",
    "build_universe",
    "fetch_sp400_tickers",
    "fetch_sp500_tickers",
    "get_etf_tickers",
    "normalize_symbol",
    "parse_constituents",
]
