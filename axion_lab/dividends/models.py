"""Inputs of the dividend engines: :class:`DividendHolding` and :class:`DividendEvent`.

Holdings can be given as objects, as a ``{symbol: shares}`` mapping or as text
(``"ACME:100, WIDG:25.5"``); :func:`parse_holdings` turns any of them into a tuple
of checked :class:`DividendHolding`. Shares are floats (fractional shares are
normal under a DRIP); money is integer cents (see :mod:`axion_lab.dividends.money`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping

from axion_lab.dividends.config import DividendFrequency, DividendStatus
from axion_lab.exceptions import InputError

__all__ = ["DividendEvent", "DividendHolding", "HoldingsLike", "parse_holdings"]


@dataclasses.dataclass(frozen=True)
class DividendHolding:
    """A position (or a tax lot) in one symbol.

    Parameters
    ----------
    symbol
        Ticker; case is normalised when resolved against a market.
    shares
        Number of shares, ``>= 0`` (float: fractional shares allowed).
    cost_basis_cents
        What the position cost in total, in cents; used for yield on cost.
    acquired, sold
        Dates the lot was bought and (optionally) sold; used by the tax
        holding-period test and to decide which ex-dates the lot is entitled to.
    growth
        Annual dividend growth to assume for this holding's estimated payments
        (0.05 is 5%); ``None`` uses the engine's default.

    Examples
    --------
    >>> DividendHolding("ACME", 100).shares
    100.0
    >>> DividendHolding("ACME", -1)
    Traceback (most recent call last):
    ...
    axion_lab.exceptions.InputError: Shares of ACME must be zero or positive, got -1.
    """

    symbol: str
    shares: float
    cost_basis_cents: int | None = None
    acquired: dt.date | None = None
    sold: dt.date | None = None
    growth: float | None = None

    def __post_init__(self) -> None:
        try:
            shares = float(self.shares)
        except (TypeError, ValueError) as exc:
            raise InputError(
                f"Shares of {self.symbol} must be a number, got {self.shares!r}."
            ) from exc
        if not math.isfinite(shares) or shares < 0:
            raise InputError(
                f"Shares of {self.symbol} must be zero or positive, got {self.shares}."
            )
        object.__setattr__(self, "shares", shares)
        object.__setattr__(self, "symbol", str(self.symbol).strip().upper())
        if self.cost_basis_cents is not None and (
            not isinstance(self.cost_basis_cents, int) or self.cost_basis_cents < 0
        ):
            raise InputError(
                f"cost_basis_cents of {self.symbol} must be a non-negative int of cents, "
                f"got {self.cost_basis_cents!r}; use axion_lab.dividends.money.to_cents(dollars)."
            )
        if self.acquired and self.sold and self.sold < self.acquired:
            raise InputError(
                f"The lot of {self.symbol} is sold ({self.sold}) before it is acquired "
                f"({self.acquired})."
            )
        if self.growth is not None and not (-1.0 < self.growth < 10.0):
            raise InputError(
                f"growth of {self.symbol} is an annual rate such as 0.05 for 5%, got {self.growth}."
            )


HoldingsLike = (
    DividendHolding | str | Mapping[str, float] | Iterable[DividendHolding | tuple[str, float]]
)


def parse_holdings(holdings: HoldingsLike) -> tuple[DividendHolding, ...]:
    """Turn holdings in any accepted form into a tuple of :class:`DividendHolding`.

    Text is ``SYMBOL:SHARES`` pairs separated by commas; a bare ``SYMBOL`` means
    100 shares (handy for a watchlist).

    Examples
    --------
    >>> [(h.symbol, h.shares) for h in parse_holdings("acme:10, widg")]
    [('ACME', 10.0), ('WIDG', 100.0)]
    >>> [(h.symbol, h.shares) for h in parse_holdings({"ACME": 5})]
    [('ACME', 5.0)]
    """
    if isinstance(holdings, DividendHolding):
        out: list[DividendHolding] = [holdings]
    elif isinstance(holdings, str):
        out = []
        for part in (p.strip() for p in holdings.replace(";", ",").split(",")):
            if not part:
                continue
            symbol, _, shares = part.partition(":")
            try:
                count = float(shares) if shares.strip() else 100.0
            except ValueError as exc:
                raise InputError(
                    f"Cannot read the shares in {part!r}; write holdings as 'SYMBOL:SHARES, ...'."
                ) from exc
            out.append(DividendHolding(symbol.strip(), count))
    elif isinstance(holdings, Mapping):
        out = [DividendHolding(str(k), float(v)) for k, v in holdings.items()]
    else:
        out = []
        for item in holdings:
            if isinstance(item, DividendHolding):
                out.append(item)
            elif isinstance(item, tuple) and len(item) == 2:
                out.append(DividendHolding(str(item[0]), float(item[1])))
            else:
                raise InputError(
                    f"Cannot read holding {item!r}; pass DividendHolding objects, "
                    "(symbol, shares) pairs, a {symbol: shares} dict or 'SYMBOL:SHARES' text."
                )
    if not out:
        raise InputError("No holdings given; pass at least one, e.g. 'ACME:100'.")
    return tuple(out)


@dataclasses.dataclass(frozen=True)
class DividendEvent:
    """One dividend on the calendar, per share as declared (not split-adjusted)."""

    symbol: str
    ex_date: dt.date
    record_date: dt.date
    pay_date: dt.date
    amount: float
    frequency: DividendFrequency | None
    kind: str  # "regular" or "special"
    status: DividendStatus
    declared: dt.date | None = None  # None for estimated events
