"""DRIP over actual history: one holding, day by day, as traded.

Conventions (each a real broker's behaviour, or the simplest honest stand-in):

* **Entitlement**: a dividend is owed on the shares held at the close *before* its
  ex-date; its gross income is ``round_half_even(shares × amount × 100)`` cents,
  with ``amount`` per share **as declared** (never split-adjusted).
* **Splits**: shares multiply by the ratio on the split's ex-date (after that day's
  dividend entitlements). In whole-share mode the fraction a split leaves is paid
  as cash in lieu at that day's close.
* **Payment**: on the pay date (or the next session if it is not one), taxes are
  withheld first: ``round_half_even(gross × rate)`` for each of the domestic rate
  (taxable accounts only) and the foreign withholding rate (every account).
* **Reinvestment**: the net cash buys shares at the pay date's close. Fractional
  mode invests every cent; whole-share mode buys as many whole shares as the cash
  (plus any cash left over from earlier) pays for, and keeps the rest as cash.
  Taking cash instead ("cash" strategy) sets the net dividends aside.
* **Contributions**: on the first session of every month after the start month,
  invested the same way in both strategies.
* A payment due after the last session is not counted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from axion_lab.dividends.money import payment_cents, tax_cents, value_cents, whole_shares

__all__ = ["HistoryInputs", "simulate_holding"]


@dataclasses.dataclass(frozen=True)
class HistoryInputs:
    """Everything one holding's history simulation reads, as plain Python values."""

    symbol: str
    shares: float
    sessions: list[tuple[dt.date, float]]  # (day, as-traded close), sorted
    dividends: list[tuple[dt.date, dt.date, float]]  # (ex_date, pay_date, amount)
    splits: list[tuple[dt.date, float]]  # (ex_date, ratio)
    contribution_cents: int = 0
    reinvest: bool = True
    fractional: bool = True
    tax_rate: float = 0.0
    foreign_rate: float = 0.0


def _buy(shares: float, pool: int, close: float, fractional: bool) -> tuple[float, int, int]:
    """Invest ``pool`` cents at ``close``; return new shares, cash left, cents spent."""
    if pool <= 0:
        return shares, pool, 0
    if fractional:
        return shares + pool / (close * 100.0), 0, pool
    n, cost = whole_shares(pool, close)
    return shares + n, pool - cost, cost


def simulate_holding(inp: HistoryInputs) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run one holding; return (month-end rows, ledger rows) for its strategy.

    ``reinvest`` picks the strategy: True is the DRIP, False takes the cash.
    """
    shares = inp.shares
    pool = 0  # cents waiting to be invested (contributions, DRIP cash, leftovers)
    aside = 0  # dividends taken as cash
    pending: list[tuple[dt.date, int]] = []  # (pay_date, gross cents)
    divs = sorted(inp.dividends)
    splits = sorted(inp.splits)
    di = si = 0
    month_rows: list[dict[str, Any]] = []
    ledger: list[dict[str, Any]] = []
    income = taxes = contributed = 0  # this month's, reset at each month end
    prev: dt.date | None = None
    start_month = (inp.sessions[0][0].year, inp.sessions[0][0].month) if inp.sessions else None
    for i, (day, close) in enumerate(inp.sessions):
        fresh = False  # new cash to invest today
        if prev is not None:
            while di < len(divs) and divs[di][0] <= day:
                ex, pay, amount = divs[di]
                di += 1
                if ex > prev:
                    gross = payment_cents(shares, amount)
                    pending.append((pay, gross))
                    ledger.append(_entry(day, inp.symbol, "ex_date", shares, gross))
            while si < len(splits) and splits[si][0] <= day:
                ex, ratio = splits[si]
                si += 1
                if ex > prev:
                    shares *= ratio
                    ledger.append(_entry(day, inp.symbol, "split", shares, 0))
                    if not inp.fractional and abs(shares - round(shares)) > 1e-9:
                        whole = float(int(shares))
                        lieu = value_cents(shares - whole, close)
                        shares = whole
                        pool += lieu
                        fresh = True
                        ledger.append(_entry(day, inp.symbol, "cash_in_lieu", shares, lieu))
        else:
            # Events on or before the first session happened before the holding started.
            while di < len(divs) and divs[di][0] <= day:
                di += 1
            while si < len(splits) and splits[si][0] <= day:
                si += 1
        due = [p for p in pending if p[0] <= day]
        pending = [p for p in pending if p[0] > day]
        for _, gross in due:
            tax = tax_cents(gross, inp.tax_rate) + tax_cents(gross, inp.foreign_rate)
            income += gross
            taxes += tax
            net = gross - tax
            ledger.append(_entry(day, inp.symbol, "paid", shares, gross, tax=tax))
            if inp.reinvest:
                pool += net
                fresh = True
            else:
                aside += net
        if (
            inp.contribution_cents
            and prev is not None
            and (day.year, day.month) != (prev.year, prev.month)
            and (day.year, day.month) != start_month
        ):
            pool += inp.contribution_cents
            contributed += inp.contribution_cents
            fresh = True
            ledger.append(_entry(day, inp.symbol, "contribution", shares, inp.contribution_cents))
        if fresh and pool > 0:
            before = shares
            shares, pool, spent = _buy(shares, pool, close, inp.fractional)
            if spent:
                ledger.append(_entry(day, inp.symbol, "buy", shares - before, spent, price=close))
        last = i + 1 == len(inp.sessions)
        if last or inp.sessions[i + 1][0].month != day.month:
            month_rows.append(
                {
                    "date": day,
                    "symbol": inp.symbol,
                    "shares": shares,
                    "price": close,
                    "value_cents": value_cents(shares, close) + pool + aside,
                    "cash_cents": pool + aside,
                    "income_cents": income,
                    "tax_cents": taxes,
                    "contributions_cents": contributed,
                }
            )
            income = taxes = contributed = 0
        prev = day
    return month_rows, ledger


def _entry(
    day: dt.date,
    symbol: str,
    event: str,
    shares: float,
    cents: int,
    *,
    tax: int = 0,
    price: float | None = None,
) -> dict[str, Any]:
    return {
        "date": day,
        "symbol": symbol,
        "event": event,
        "shares": shares,
        "cents": cents,
        "tax_cents": tax,
        "price": price,
    }
