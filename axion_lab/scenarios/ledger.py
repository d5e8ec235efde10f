"""Executing trades against a portfolio, in integer cents.

Per trade, three ledger amounts are each rounded **once**, half to even, from exact
decimals (see :mod:`axion_lab.scenarios.money`):

* ``gross_cents``: shares x mid price (a fractional dollar-amount trade is exactly
  its amount);
* ``spread_cents``: half the quoted spread on the gross value;
* ``commission_cents``: the fixed fee plus ``commission_bps`` of the gross value.

A buy costs ``gross + spread + commission`` and that is the new lot's cost basis;
a sell brings in ``gross - spread - commission``. Sells settle before buys, so their
proceeds fund the buys. Sold shares leave their lots first-in first-out; the
proceeds are split over the lots pro rata to shares (each piece rounded once, the
last piece taking the remainder, so the pieces add up to the proceeds exactly).

Tax on a batch of trades: short- and long-term gains are netted separately, a net
loss in one offsets a net gain in the other, and the tax is rounded once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal

from axion_lab.exceptions import InputError
from axion_lab.scenarios.config import TradeAction
from axion_lab.scenarios.models import (
    Holding,
    Portfolio,
    ProposedTrade,
    TaxLot,
    TaxRates,
    TradingCosts,
)
from axion_lab.scenarios.money import (
    bps_of_cents,
    dec,
    format_cents,
    fraction_of_cents,
    round_cents,
    trade_cents,
)

__all__ = ["Execution", "Fill", "TradeRefused", "execute_trades", "tax_on_gains"]

_TOL = 1e-9


class TradeRefused(InputError):
    """A proposed trade that cannot happen (not enough shares or cash)."""


@dataclasses.dataclass(frozen=True)
class Fill:
    """One executed trade; money in cents. ``realised_cents`` is None if basis unknown."""

    symbol: str
    action: TradeAction
    shares: float
    price: float
    gross_cents: int
    spread_cents: int
    commission_cents: int
    cash_cents: int  # signed change of cash
    cost_removed_cents: int | None = None
    realised_cents: int | None = None
    short_term_cents: int = 0
    long_term_cents: int = 0

    @property
    def costs_cents(self) -> int:
        """Spread plus commission."""
        return self.spread_cents + self.commission_cents


@dataclasses.dataclass(frozen=True)
class Execution:
    """The portfolio after the trades, the fills, and the batch's tax."""

    portfolio: Portfolio
    fills: tuple[Fill, ...]
    tax_cents: int
    unknown_basis: tuple[str, ...]

    @property
    def costs_cents(self) -> int:
        """Total spread and commission."""
        return sum(f.costs_cents for f in self.fills)

    @property
    def realised_cents(self) -> int:
        """Total realised gain of sells with a known basis."""
        return sum(f.realised_cents or 0 for f in self.fills)


def tax_on_gains(short_term_cents: int, long_term_cents: int, taxes: TaxRates) -> int:
    """Tax on net short- and long-term gains (cross-netting losses), rounded once.

    >>> tax_on_gains(10_000, -4_000, TaxRates(short_term=0.3, long_term=0.15))
    1800
    """
    st, lt = short_term_cents, long_term_cents
    if st < 0 < lt:
        lt, st = lt + st, 0
    elif lt < 0 < st:
        st, lt = st + lt, 0
    amount = dec(max(st, 0)) * dec(taxes.short_term) + dec(max(lt, 0)) * dec(taxes.long_term)
    return round_cents(amount)


def _shares_for(trade: ProposedTrade, price: float, whole: bool) -> float:
    if trade.shares is not None:
        if whole and trade.shares != math.floor(trade.shares):
            raise TradeRefused(
                f"{trade.action} {trade.shares:g} {trade.symbol}: whole shares only; "
                "round the share count or allow fractional shares."
            )
        return float(trade.shares)
    assert trade.amount_cents is not None
    exact = float(Decimal(trade.amount_cents) / (dec(price) * 100))
    return float(math.floor(exact + _TOL)) if whole else exact


def _gross(trade: ProposedTrade, shares: float, price: float, whole: bool) -> int:
    if trade.amount_cents is not None and not whole:
        return trade.amount_cents
    return trade_cents(shares, price)


def execute_trades(
    portfolio: Portfolio,
    trades: Iterable[ProposedTrade],
    prices: Mapping[str, float],
    *,
    costs: TradingCosts | None = None,
    taxes: TaxRates | None = None,
    on: dt.date | None = None,
    allow_margin: bool = False,
    whole_shares: bool = False,
) -> Execution:
    """Apply ``trades`` at ``prices`` (mid, per symbol); refuse the impossible ones.

    Raises
    ------
    TradeRefused
        Selling more than held, buying with cash the portfolio lacks (unless
        ``allow_margin``), a fractional share count when ``whole_shares``, or a
        dollar amount too small for one whole share.
    """
    costs = costs or TradingCosts()
    taxes = taxes or TaxRates()
    ordered = sorted(trades, key=lambda t: t.action != TradeAction.SELL)
    holdings = {h.symbol: h for h in portfolio.holdings}
    cash = portfolio.cash_cents
    fills: list[Fill] = []
    unknown: list[str] = []
    for trade in ordered:
        price = prices.get(trade.symbol)
        if price is None or not math.isfinite(price) or price <= 0:
            raise TradeRefused(f"No usable price for {trade.symbol}; cannot trade it.")
        shares = _shares_for(trade, price, whole_shares)
        if shares <= 0:
            raise TradeRefused(
                f"{trade.action} {trade.symbol} for {format_cents(trade.amount_cents or 0)}: "
                f"less than one share at {price:,.2f}; raise the amount or allow fractional "
                "shares."
            )
        gross = _gross(trade, shares, price, whole_shares)
        spread = bps_of_cents(gross, dec(costs.spread_bps) / 2)
        commission = costs.per_trade_cents + bps_of_cents(gross, costs.commission_bps)
        if trade.action == TradeAction.BUY:
            need = gross + spread + commission
            if need > cash and not allow_margin:
                raise TradeRefused(
                    f"Cannot buy {shares:g} {trade.symbol} for {format_cents(need)} including "
                    f"costs: the portfolio has {format_cents(cash)} cash. Sell something first, "
                    "make the trade smaller, or allow margin (allow_margin=True)."
                )
            cash -= need
            held = holdings.get(trade.symbol)
            lot = TaxLot(shares, need, on)
            if held is None:
                holdings[trade.symbol] = Holding(trade.symbol, shares, (lot,))
            else:
                lots = (*held.lots, lot) if held.lots else ()
                holdings[trade.symbol] = Holding(trade.symbol, held.shares + shares, lots)
            fills.append(
                Fill(trade.symbol, trade.action, shares, price, gross, spread, commission, -need)
            )
            continue
        held = holdings.get(trade.symbol)
        have = held.shares if held else 0.0
        if shares > have * (1 + _TOL) + _TOL:
            raise TradeRefused(
                f"Cannot sell {shares:g} {trade.symbol}: the portfolio holds {have:g}. "
                "Sell at most what is held (short selling is not supported)."
            )
        assert held is not None
        shares = min(shares, have)
        proceeds = gross - spread - commission
        cash += proceeds
        fill, remaining = _sell_lots(held, shares, proceeds, taxes, on)
        if fill is None:
            unknown.append(trade.symbol)
        left = held.shares - shares
        if left <= _TOL * max(1.0, held.shares):
            del holdings[trade.symbol]
        else:
            holdings[trade.symbol] = Holding(trade.symbol, left, remaining)
        removed, realised, st, lt = fill if fill else (None, None, 0, 0)
        fills.append(
            Fill(
                trade.symbol,
                trade.action,
                shares,
                price,
                gross,
                spread,
                commission,
                proceeds,
                removed,
                realised,
                st,
                lt,
            )
        )
    tax = tax_on_gains(
        sum(f.short_term_cents for f in fills), sum(f.long_term_cents for f in fills), taxes
    )
    # Holdings keep their original order; new ones follow in trade order.
    order = [s for s in portfolio.symbols if s in holdings]
    order += [s for s in holdings if s not in order]
    after = portfolio.replace(holdings=tuple(holdings[s] for s in order), cash_cents=cash)
    return Execution(after, tuple(fills), tax, tuple(unknown))


def _sell_lots(
    held: Holding, shares: float, proceeds: int, taxes: TaxRates, on: dt.date | None
) -> tuple[tuple[int, int, int, int] | None, tuple[TaxLot, ...]]:
    """FIFO: (cost removed, realised, short-term, long-term) and the lots left."""
    if not held.lots:
        return None, ()
    need = shares
    pieces: list[tuple[TaxLot, float]] = []
    remaining: list[TaxLot] = []
    for lot in held.lots:
        if need <= _TOL:
            remaining.append(lot)
            continue
        take = min(lot.shares, need)
        need -= take
        pieces.append((lot, take))
        left = lot.shares - take
        if left > _TOL * max(1.0, lot.shares):
            remaining.append(
                TaxLot(
                    left,
                    lot.cost_cents - fraction_of_cents(lot.cost_cents, take, lot.shares),
                    lot.acquired,
                )
            )
    removed = st = lt = 0
    allotted = 0
    for i, (lot, take) in enumerate(pieces):
        cost = fraction_of_cents(lot.cost_cents, take, lot.shares)
        piece = (
            proceeds - allotted
            if i == len(pieces) - 1
            else fraction_of_cents(proceeds, take, shares)
        )
        allotted += piece
        removed += cost
        gain = piece - cost
        if _is_long(lot, on, taxes):
            lt += gain
        else:
            st += gain
    return (removed, proceeds - removed, st, lt), tuple(remaining)


def _is_long(lot: TaxLot, on: dt.date | None, taxes: TaxRates) -> bool:
    return (
        lot.acquired is not None
        and on is not None
        and ((on - lot.acquired).days > taxes.long_term_days)
    )
