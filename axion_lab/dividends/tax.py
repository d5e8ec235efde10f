"""Dividend taxes per lot: qualified or ordinary, account types, foreign withholding.

**Holding-period test** (US rule for common stock): a dividend is *qualified* when
the lot was held for **more than 60 days** during the **121-day window that begins
60 days before the ex-date** (``ex - 60`` to ``ex + 60``, both included). Days are
counted as the IRS counts them: the day of purchase is not a day held, the day of
sale is. A lot is entitled to a dividend if bought before the ex-date and not sold
before it. Specials are taxed by the same test.

**Money**, per payment, in integer cents, each rounded half to even once:

* ``gross = round_half_even(shares × amount × 100)``
* ``foreign = round_half_even(gross × foreign_rate)`` (issuer outside the home
  country; withheld in every account type)
* ``domestic = round_half_even(gross × rate)`` in taxable accounts (qualified or
  ordinary rate), less a foreign tax credit of up to ``foreign``; zero in
  tax-deferred and tax-free accounts
* ``net = gross - foreign - domestic``

Examples
--------
Bought 2024-01-02, ex-date 2024-03-01 (window 2024-01-01 .. 2024-04-30): sold on
2024-03-03 the lot was held Jan 3-31, Feb 1-29 and Mar 1-3, 29 + 29 + 3 = 61 days.

>>> import datetime as dt
>>> from axion_lab.dividends.tax import days_held_in_window, is_qualified
>>> days_held_in_window(dt.date(2024, 1, 2), dt.date(2024, 3, 3), ex_date=dt.date(2024, 3, 1))
61
>>> is_qualified(dt.date(2024, 1, 2), dt.date(2024, 3, 2), ex_date=dt.date(2024, 3, 1))
False
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import polars as pl

from axion_lab.data.market import DateLike, Market, to_date
from axion_lab.dividends.config import (
    DEFAULT_FOREIGN_WITHHOLDING,
    DEFAULT_ORDINARY_RATE,
    DEFAULT_QUALIFIED_RATE,
    HOME_COUNTRY,
    AccountType,
)
from axion_lab.dividends.display import result_html
from axion_lab.dividends.inputs import (
    account_type,
    last_close,
    resolve_holdings,
    sector_and_country,
)
from axion_lab.dividends.models import HoldingsLike
from axion_lab.dividends.money import format_cents, payment_cents, tax_cents, value_cents
from axion_lab.exceptions import DateRangeError, InputError, UnknownNameError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TaxAnalyzer", "TaxReport", "days_held_in_window", "is_qualified"]

WINDOW_BEFORE = 60
WINDOW_DAYS = 121
MIN_DAYS_HELD = 61  # "more than 60 days"
_TABLES = ("payments", "by_lot")


def days_held_in_window(acquired: dt.date, sold: dt.date | None, *, ex_date: dt.date) -> int:
    """Days the lot counts as held in the 121-day window around ``ex_date``."""
    first = ex_date - dt.timedelta(days=WINDOW_BEFORE)
    last = first + dt.timedelta(days=WINDOW_DAYS - 1)
    held_from = max(first, acquired + dt.timedelta(days=1))  # purchase day not counted
    held_to = min(last, sold) if sold is not None else last  # sale day counted
    return max(0, (held_to - held_from).days + 1)


def is_qualified(acquired: dt.date, sold: dt.date | None, *, ex_date: dt.date) -> bool:
    """Whether a dividend on this lot passes the holding-period test."""
    return days_held_in_window(acquired, sold, ex_date=ex_date) >= MIN_DAYS_HELD


@dataclasses.dataclass(frozen=True, eq=False)
class TaxReport:
    """Taxes on each lot's dividends (``payments``) and per lot (``by_lot``)."""

    start: dt.date
    end: dt.date
    account: AccountType
    qualified_rate: float
    ordinary_rate: float
    payments: pl.DataFrame
    by_lot: pl.DataFrame
    is_synthetic: bool = False

    @property
    def net_cents(self) -> int:
        """After-tax income of every lot."""
        return int(self.payments["net_cents"].sum())

    @property
    def gross_cents(self) -> int:
        """Income before any tax."""
        return int(self.payments["gross_cents"].sum())

    def to_frame(self, table: str = "by_lot") -> pl.DataFrame:
        """``by_lot`` (default) or ``payments``."""
        if table not in _TABLES:
            raise UnknownNameError.for_name("tax table", table, _TABLES)
        frame: pl.DataFrame = getattr(self, table)
        return frame

    def to_pandas(self, table: str = "by_lot") -> pd.DataFrame:
        """The same table as a pandas frame."""
        return self.to_frame(table).to_pandas()

    def __repr__(self) -> str:
        return (
            f"<TaxReport {self.account.value} {self.start}..{self.end}: gross "
            f"{format_cents(self.gross_cents)}, net {format_cents(self.net_cents)}>"
        )

    def _repr_html_(self) -> str:
        lines = [
            f"{self.account.value} account, ex-dates {self.start} to {self.end}: gross "
            f"{format_cents(self.gross_cents)}, after tax {format_cents(self.net_cents)}. "
            f"Qualified rate {self.qualified_rate:.1%}, ordinary {self.ordinary_rate:.1%}; "
            "qualified = held more than 60 of the 121 days around the ex-date."
        ]
        return result_html(
            "Dividend taxes", lines, [("By lot", self.by_lot)], synthetic=self.is_synthetic
        )


class TaxAnalyzer:
    """After-tax dividend income of tax lots in a market."""

    def __init__(self, market: Market) -> None:
        self.market = market

    def analyze(
        self,
        lots: HoldingsLike,
        *,
        start: DateLike,
        end: DateLike | None = None,
        account: AccountType | str = AccountType.TAXABLE,
        qualified_rate: float = DEFAULT_QUALIFIED_RATE,
        ordinary_rate: float = DEFAULT_ORDINARY_RATE,
        foreign_withholding: Mapping[str, float] | None = None,
        foreign_tax_credit: bool = True,
    ) -> TaxReport:
        """Taxes on dividends with ex-dates from ``start`` to ``end`` (inclusive).

        A lot's ``shares`` are as of its ``acquired`` date; a lot without one is
        treated as bought long before ``start`` (every dividend qualifies) with
        ``shares`` counted as of ``start``. Rates are fractions (0.15 for 15%).
        """
        for name, rate in (("qualified_rate", qualified_rate), ("ordinary_rate", ordinary_rate)):
            if not 0.0 <= rate < 1.0:
                raise InputError(f"{name} is a fraction such as 0.15, got {rate}.")
        acct = account_type(account)
        market = self.market
        parsed = resolve_holdings(market, lots)
        lo = to_date(start, what="start date")
        hi = to_date(end, what="end date") if end is not None else market.end
        if not market.start <= lo <= hi <= market.end:
            raise DateRangeError(
                f"The window {lo}..{hi} must lie within this market's data, "
                f"{market.start}..{market.end}."
            )
        table = DEFAULT_FOREIGN_WITHHOLDING if foreign_withholding is None else foreign_withholding
        countries = sector_and_country(market, [p.symbol for p in parsed])
        divs = market.dividends.filter(
            pl.col("ex_date").is_between(lo, hi) & (pl.col("amount") > 0)
        )
        rows = []
        far_past = market.start - dt.timedelta(days=3650)
        for i, lot in enumerate(parsed):
            acquired = lot.acquired or far_past
            country = countries.get(lot.symbol, (None, None))[1]
            foreign_rate = (
                0.0 if country in (None, HOME_COUNTRY) else float(table.get(country, 0.0))
            )
            mine = divs.filter(pl.col("symbol") == lot.symbol).sort("ex_date")
            lot_splits = list(
                market.splits.filter(pl.col("symbol") == lot.symbol)
                .select("ex_date", "ratio")
                .iter_rows()
            )
            for ev in mine.iter_rows(named=True):
                ex = ev["ex_date"]
                if not (acquired < ex and (lot.sold is None or lot.sold >= ex)):
                    continue
                held = days_held_in_window(acquired, lot.sold, ex_date=ex)
                qualified = held >= MIN_DAYS_HELD
                # Lot shares are as bought (as of `start` without a purchase date);
                # splits after that multiply them.
                shares = lot.shares
                for split_day, ratio in lot_splits:
                    if (lot.acquired or lo) < split_day <= ex:
                        shares *= ratio
                gross = payment_cents(shares, ev["amount"])
                foreign = tax_cents(gross, foreign_rate)
                domestic = 0
                if acct is AccountType.TAXABLE:
                    domestic = tax_cents(gross, qualified_rate if qualified else ordinary_rate)
                    if foreign_tax_credit:
                        domestic -= min(foreign, domestic)
                rows.append(
                    {
                        "lot": i,
                        "symbol": lot.symbol,
                        "ex_date": ex,
                        "pay_date": ev["pay_date"],
                        "kind": ev["kind"],
                        "shares": shares,
                        "days_held": held,
                        "qualified": qualified,
                        "gross_cents": gross,
                        "foreign_tax_cents": foreign,
                        "domestic_tax_cents": domestic,
                        "net_cents": gross - foreign - domestic,
                    }
                )
        payments = pl.DataFrame(
            rows,
            schema={
                "lot": pl.Int64,
                "symbol": pl.String,
                "ex_date": pl.Date,
                "pay_date": pl.Date,
                "kind": pl.String,
                "shares": pl.Float64,
                "days_held": pl.Int64,
                "qualified": pl.Boolean,
                "gross_cents": pl.Int64,
                "foreign_tax_cents": pl.Int64,
                "domestic_tax_cents": pl.Int64,
                "net_cents": pl.Int64,
            },
        )
        years = max((hi - lo).days, 1) / 365.25
        lot_rows = []
        for i, lot in enumerate(parsed):
            mine = payments.filter(pl.col("lot") == i)
            value = value_cents(lot.shares, last_close(market, lot.symbol))
            net = int(mine["net_cents"].sum())
            gross = int(mine["gross_cents"].sum())
            lot_rows.append(
                {
                    "lot": i,
                    "symbol": lot.symbol,
                    "shares": lot.shares,
                    "acquired": lot.acquired,
                    "sold": lot.sold,
                    "payments": mine.height,
                    "qualified_share": float(mine["qualified"].mean()) if mine.height else None,  # type: ignore[arg-type]
                    "gross_cents": gross,
                    "tax_cents": int(
                        (mine["foreign_tax_cents"] + mine["domestic_tax_cents"]).sum()
                    ),
                    "net_cents": net,
                    "market_value_cents": value,
                    "yield": gross / years / value if value else None,
                    "after_tax_yield": net / years / value if value else None,
                }
            )
        by_lot = pl.DataFrame(lot_rows, infer_schema_length=None)
        return TaxReport(
            lo, hi, acct, qualified_rate, ordinary_rate, payments, by_lot, market.is_synthetic
        )
