"""Canonical frame schemas: every provider returns these columns, with these dtypes.

Column names are snake_case and defined here once. A provider may add columns; it
may not drop or rename these. :func:`conform` checks a frame against its schema
and casts where the cast is lossless.

Conventions
-----------
* Dates are ``pl.Date``; bar timestamps are ``pl.Datetime("us")`` (naive, exchange
  local time; daily bars stamp midnight of the session date).
* Market prices are ``Float64`` in the instrument's currency; volumes ``Int64``.
* ``bars`` are **as traded** (not split-adjusted). Use
  :meth:`axion_lab.data.Market.adjusted_bars` for split- or total-return-adjusted
  series; adjustment uses only the splits and dividends visible in the bundle, so it
  is point-in-time correct after :meth:`~axion_lab.data.Market.as_of`.
* Every frame whose facts become known after the fact carries a ``published``
  (or ``filed``) date; :meth:`~axion_lab.data.Market.as_of` filters on it.
* Ratios are stored as fractions (0.0025, not 0.25 for a quarter of a percent);
  macro series are the exception and say so.

Optional columns
----------------
:data:`OPTIONAL_COLUMNS` lists documented columns a provider *may* add, with their
dtypes. ``instruments.delisted`` (``pl.Date``) is the first session on which an
instrument no longer trades (its last bar is the session before); null while it is
listed. A delisted company stays in ``instruments`` (history without survivorship
bias) but has no bars, index membership, dividends, filings, holdings, short
interest or ratings from that date on. :meth:`~axion_lab.data.Market.as_of` nulls a
delisting that lies after the as-of date.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from axion_lab.exceptions import DataError

__all__ = [
    "ASSET_CLASSES",
    "DIVIDEND_FREQUENCIES",
    "FRAME_NAMES",
    "GICS_SECTORS",
    "OPTIONAL_COLUMNS",
    "PUBLICATION_COLUMNS",
    "SCHEMAS",
    "conform",
]

GICS_SECTORS: Final = (
    "Communication Services",
    "Consumer Discretionary",
    "Consumer Staples",
    "Energy",
    "Financials",
    "Health Care",
    "Industrials",
    "Information Technology",
    "Materials",
    "Real Estate",
    "Utilities",
)

ASSET_CLASSES: Final = ("equity", "etf", "crypto", "forex", "bond", "future", "index")

DIVIDEND_FREQUENCIES: Final = ("monthly", "quarterly", "semi_annual", "annual", "special")

_D = pl.Date()
_TS = pl.Datetime("us")
_F = pl.Float64()
_I = pl.Int64()
_S = pl.String()

SCHEMAS: Final[dict[str, dict[str, pl.DataType]]] = {
    # One row per instrument. `indexes` is the *current* membership; history is in
    # `index_membership`. `is_fictional` is True for every sandbox instrument.
    "instruments": {
        "symbol": _S,
        "name": _S,
        "asset_class": _S,
        "sector": _S,
        "industry": _S,
        "exchange": _S,
        "country": _S,
        "currency": _S,
        "indexes": pl.List(_S),
        "ipo_date": _D,
        "is_fictional": pl.Boolean(),
    },
    # Point-in-time index membership: member from `start` (inclusive) to `end`
    # (exclusive; null while still a member).
    "index_membership": {"index": _S, "symbol": _S, "start": _D, "end": _D},
    "bars": {
        "symbol": _S,
        "ts": _TS,
        "open": _F,
        "high": _F,
        "low": _F,
        "close": _F,
        "volume": _I,
    },
    # Quarterly statements. Flow items (revenue...) are for the quarter; stock items
    # (assets...) at period end; `shares_outstanding` diluted weighted average.
    "fundamentals": {
        "symbol": _S,
        "period_end": _D,
        "published": _D,
        "fiscal_year": _I,
        "fiscal_quarter": _I,
        "revenue": _F,
        "cost_of_revenue": _F,
        "gross_profit": _F,
        "operating_income": _F,
        "ebitda": _F,
        "interest_expense": _F,
        "net_income": _F,
        "eps": _F,
        "total_assets": _F,
        "total_liabilities": _F,
        "current_assets": _F,
        "current_liabilities": _F,
        "cash": _F,
        "inventory": _F,
        "total_debt": _F,
        "shareholders_equity": _F,
        "operating_cash_flow": _F,
        "capex": _F,
        "free_cash_flow": _F,
        "dividends_paid": _F,
        "share_buybacks": _F,
        "shares_outstanding": _F,
    },
    # Cash dividends per share as declared (not split-adjusted). `kind` is
    # "regular" or "special"; `frequency` one of DIVIDEND_FREQUENCIES.
    "dividends": {
        "symbol": _S,
        "declared": _D,
        "ex_date": _D,
        "record_date": _D,
        "pay_date": _D,
        "amount": _F,
        "frequency": _S,
        "kind": _S,
    },
    # `ratio` is new shares per old share (2.0 for a 2-for-1; 0.1 for a 1-for-10
    # reverse split). Announced on `announced`, effective on `ex_date`.
    "splits": {"symbol": _S, "announced": _D, "ex_date": _D, "ratio": _F},
    # 13F-style: positions at quarter end, filed up to 45 days later.
    "holdings": {
        "fund": _S,
        "symbol": _S,
        "quarter": _D,
        "filed": _D,
        "shares": _F,
        "value": _F,
        "weight": _F,
    },
    "funds": {"fund": _S, "name": _S, "style": _S, "is_fictional": pl.Boolean()},
    # Settlement-date short interest, published some days later. `borrow_fee` is the
    # annualised stock-borrow fee as a fraction (0.0025 = 0.25% a year).
    "short_interest": {
        "symbol": _S,
        "date": _D,
        "published": _D,
        "short_shares": _F,
        "float_shares": _F,
        "days_to_cover": _F,
        "borrow_fee": _F,
    },
    # Consensus: `rating` 1.0 (strong buy) .. 5.0 (strong sell); `target_price` mean.
    "ratings": {
        "symbol": _S,
        "date": _D,
        "rating": _F,
        "target_price": _F,
        "analyst_count": _I,
    },
    # Long format: `series` in policy_rate, treasury_10y, cpi, unemployment (percent
    # except cpi, an index level); `published` the release date.
    "macro": {"series": _S, "date": _D, "published": _D, "value": _F},
}

FRAME_NAMES: Final = tuple(SCHEMAS)

# Documented columns a provider may add (see "Optional columns" above); not required
# by `conform`, which keeps them like any extra column.
OPTIONAL_COLUMNS: Final[dict[str, dict[str, pl.DataType]]] = {
    "instruments": {"delisted": _D},
}

# Which column `as_of` compares with the as-of date, per frame.
PUBLICATION_COLUMNS: Final[dict[str, str]] = {
    "index_membership": "start",
    "bars": "ts",
    "fundamentals": "published",
    "dividends": "declared",
    "splits": "announced",
    "holdings": "filed",
    "short_interest": "published",
    "ratings": "date",
    "macro": "published",
}


def conform(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Check ``frame`` against schema ``name``; cast losslessly; keep extra columns.

    Raises
    ------
    DataError
        If a required column is missing or cannot be cast.

    Examples
    --------
    >>> import polars as pl
    >>> f = pl.DataFrame({"fund": ["F1"], "name": ["Fund One"], "style": ["value"],
    ...                   "is_fictional": [True]})
    >>> conform("funds", f).columns
    ['fund', 'name', 'style', 'is_fictional']
    """
    schema = SCHEMAS[name]
    missing = [c for c in schema if c not in frame.columns]
    if missing:
        raise DataError(
            f"The {name!r} frame is missing column(s) {missing}; "
            f"it has {frame.columns}. A provider must return every canonical column."
        )
    casts = []
    for col, dtype in schema.items():
        if frame.schema[col] != dtype:
            casts.append(pl.col(col).cast(dtype, strict=True))
    if casts:
        try:
            frame = frame.with_columns(casts)
        except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError) as exc:
            raise DataError(f"The {name!r} frame has columns of the wrong type: {exc}") from exc
    extra = [c for c in frame.columns if c not in schema]
    return frame.select([*schema, *extra])
