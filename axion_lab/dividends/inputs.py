"""Checking what callers pass: symbols, holdings, dates, account types, prices.

Every engine goes through these helpers so that bad input fails the same way: an
unknown symbol or account type suggests the closest names, a date outside the data
names the range, negative shares and fractions of a cent are refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.dividends.config import AccountType
from axion_lab.dividends.models import DividendHolding, HoldingsLike, parse_holdings
from axion_lab.exceptions import DateRangeError, UnknownNameError

__all__ = [
    "account_type",
    "check_day",
    "closes",
    "last_close",
    "reference_day",
    "resolve_holdings",
    "sector_and_country",
]


def reference_day(market: Market) -> dt.date:
    """ "Today" for a bundle: its as-of date, else its last session."""
    return market.as_of_date or market.end


def resolve_holdings(market: Market, holdings: HoldingsLike) -> tuple[DividendHolding, ...]:
    """Parse ``holdings`` and check each symbol against ``market`` (suggesting close names)."""
    parsed = parse_holdings(holdings)
    symbols = market.resolve_symbols([h.symbol for h in parsed])
    return tuple(dataclasses.replace(h, symbol=s) for h, s in zip(parsed, symbols, strict=True))


def account_type(value: AccountType | str) -> AccountType:
    """An :class:`AccountType` from itself or its name (any case, ``-`` or ``_``).

    Examples
    --------
    >>> account_type("Tax-Free")
    <AccountType.TAX_FREE: 'tax_free'>
    >>> account_type("roth")
    Traceback (most recent call last):
    ...
    axion_lab.exceptions.UnknownNameError: Unknown account type 'roth'. Valid choices: \
'taxable', 'tax_deferred', 'tax_free'. Use tax_free for a Roth account, tax_deferred for a \
traditional IRA or 401(k).
    """
    if isinstance(value, AccountType):
        return value
    key = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return AccountType(key)
    except ValueError:
        raise UnknownNameError.for_name(
            "account type",
            str(value),
            [a.value for a in AccountType],
            hint="Use tax_free for a Roth account, tax_deferred for a traditional IRA or 401(k).",
        ) from None


def check_day(market: Market, value: DateLike, *, what: str) -> dt.date:
    """Parse a date and check it lies within the market's data."""
    return market.check_date(value, what=what)


def closes(market: Market, symbols: list[str]) -> pl.DataFrame:
    """As-traded daily closes: columns symbol, day, close, sorted."""
    return (
        market.bars.filter(pl.col("symbol").is_in(symbols))
        .select("symbol", pl.col("ts").dt.date().alias("day"), "close")
        .sort("symbol", "day")
    )


def last_close(market: Market, symbol: str) -> float:
    """The last as-traded close of ``symbol`` in the bundle."""
    frame = market.bars.filter(pl.col("symbol") == symbol).sort("ts")
    if frame.height == 0:
        raise DateRangeError(f"{symbol} has no bars in this market, so it has no price.")
    return float(frame["close"][-1])


def sector_and_country(
    market: Market, symbols: list[str]
) -> dict[str, tuple[str | None, str | None]]:
    """Sector and country of each symbol (None where unknown)."""
    rows = market.instruments.filter(pl.col("symbol").is_in(symbols)).select(
        "symbol", "sector", "country"
    )
    return {r[0]: (r[1], r[2]) for r in rows.iter_rows()}
