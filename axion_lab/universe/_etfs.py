"""Well-known real US equity ETFs: broad market, the Select Sector SPDRs, dividends."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal

from axion_lab.exceptions import UnknownNameError

__all__ = ["EQUITY_ETFS", "ETF_CATEGORIES", "EtfCategory", "get_etf_tickers"]

EtfCategory = Literal["all", "broad", "sector", "dividend"]

_BROAD: Final = {
    "SPY": "SPDR S&P 500 ETF Trust",
    "QQQ": "Invesco QQQ Trust (Nasdaq-100)",
    "IWM": "iShares Russell 2000 ETF",
    "DIA": "SPDR Dow Jones Industrial Average ETF Trust",
    "VTI": "Vanguard Total Stock Market ETF",
}
_SECTOR: Final = {
    "XLK": "Technology Select Sector SPDR Fund",
    "XLF": "Financial Select Sector SPDR Fund",
    "XLV": "Health Care Select Sector SPDR Fund",
    "XLE": "Energy Select Sector SPDR Fund",
    "XLY": "Consumer Discretionary Select Sector SPDR Fund",
    "XLP": "Consumer Staples Select Sector SPDR Fund",
    "XLI": "Industrial Select Sector SPDR Fund",
    "XLB": "Materials Select Sector SPDR Fund",
    "XLU": "Utilities Select Sector SPDR Fund",
    "XLRE": "Real Estate Select Sector SPDR Fund",
    "XLC": "Communication Services Select Sector SPDR Fund",
}
_DIVIDEND: Final = {
    "VIG": "Vanguard Dividend Appreciation ETF",
    "SCHD": "Schwab U.S. Dividend Equity ETF",
}

#: Ticker -> fund name, 18 real equity ETFs (read-only).
EQUITY_ETFS: Final[Mapping[str, str]] = MappingProxyType({**_BROAD, **_SECTOR, **_DIVIDEND})

ETF_CATEGORIES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "all": tuple(EQUITY_ETFS),
        "broad": tuple(_BROAD),
        "sector": tuple(_SECTOR),
        "dividend": tuple(_DIVIDEND),
    }
)


def get_etf_tickers(category: EtfCategory = "all") -> list[str]:
    """Tickers of :data:`EQUITY_ETFS`, optionally one category; no network.

    Examples
    --------
    >>> get_etf_tickers("broad")
    ['SPY', 'QQQ', 'IWM', 'DIA', 'VTI']
    >>> len(get_etf_tickers())
    18
    """
    if category not in ETF_CATEGORIES:
        raise UnknownNameError.for_name("ETF category", category, ETF_CATEGORIES)
    return list(ETF_CATEGORIES[category])
