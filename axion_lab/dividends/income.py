"""Projected dividend income: by month, by holding, with yield and yield on cost.

Each payment with a pay date after today and within ``years`` years is counted if
the holding is entitled to it (held before the ex-date). Shares at the ex-date are
today's shares times the ratios of splits effective after today and on or before
the ex-date. Declared payments use the declared amount; estimated ones (see
:mod:`axion_lab.dividends.schedule`) grow by the holding's annual ``growth``, applied
once a year on the anniversary of the last declared ex-date:
``amount × (1 + g) ** (whole years since the last declared ex-date)``.

Money is integer cents: each payment's income is
``round_half_even(shares × amount × 100)``, rounded once; sums are exact.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.dividends import IncomeProjector
>>> market = load_market()
>>> payer = market.dividends.sort("ex_date")["symbol"][-1]  # a current payer
>>> income = IncomeProjector(market).project(f"{payer}:100", growth=0.05)
>>> income.annual_income_cents > 0
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.dividends.display import result_html
from axion_lab.dividends.history import add_months
from axion_lab.dividends.inputs import last_close, reference_day, resolve_holdings
from axion_lab.dividends.models import DividendHolding, HoldingsLike
from axion_lab.dividends.money import format_cents, payment_cents, value_cents
from axion_lab.dividends.schedule import DividendCalendar
from axion_lab.exceptions import InputError, UnknownNameError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["IncomeProjector", "PortfolioIncome"]

_TABLES = ("payments", "by_month", "by_holding")
GrowthLike = float | Mapping[str, float]


@dataclasses.dataclass(frozen=True, eq=False)
class PortfolioIncome:
    """Projected income of a portfolio.

    Tables: ``payments`` (one row per lot and payment; ``lot`` is the holding's
    position in ``holdings``, ``income_cents``),
    ``by_month`` (pay month x symbol, ``income_cents``), ``by_holding`` (shares,
    price, ``market_value_cents``, ``annual_income_cents`` over the first 12 months,
    ``income_cents`` over the whole horizon, ``yield``, ``yield_on_cost``).
    """

    today: dt.date
    years: int
    holdings: tuple[DividendHolding, ...]
    payments: pl.DataFrame
    by_month: pl.DataFrame
    by_holding: pl.DataFrame
    is_synthetic: bool = False

    @property
    def total_income_cents(self) -> int:
        """Income over the whole horizon, in cents."""
        return int(self.payments["income_cents"].sum())

    @property
    def annual_income_cents(self) -> int:
        """Income over the next 12 months, in cents."""
        return int(self.by_holding["annual_income_cents"].sum())

    @property
    def portfolio_yield(self) -> float:
        """Next-12-month income over today's market value."""
        value = int(self.by_holding["market_value_cents"].sum())
        return self.annual_income_cents / value if value else float("nan")

    def to_frame(self, table: str = "by_holding") -> pl.DataFrame:
        """``by_holding`` (default), ``by_month`` or ``payments``."""
        if table not in _TABLES:
            raise UnknownNameError.for_name("income table", table, _TABLES)
        frame: pl.DataFrame = getattr(self, table)
        return frame

    def to_pandas(self, table: str = "by_holding") -> pd.DataFrame:
        """The same table as a pandas frame."""
        return self.to_frame(table).to_pandas()

    def monthly(self) -> pl.DataFrame:
        """Total income per pay month (every month of the horizon, zeros included)."""
        months = [add_months(self.today.replace(day=1), k + 1) for k in range(12 * self.years)]
        totals = self.by_month.group_by("month").agg(pl.col("income_cents").sum())
        return (
            pl.DataFrame({"month": months}, schema={"month": pl.Date})
            .join(totals, on="month", how="left")
            .with_columns(pl.col("income_cents").fill_null(0))
        )

    def plot(self) -> Figure:
        """Stacked bars of income per month by holding."""
        from axion_lab.dividends.plots import income_chart

        return income_chart(self)

    def __repr__(self) -> str:
        return (
            f"<PortfolioIncome {len(self.holdings)} holdings from {self.today}: next 12 months "
            f"{format_cents(self.annual_income_cents)}, {self.years}y "
            f"{format_cents(self.total_income_cents)}>"
        )

    def _repr_html_(self) -> str:
        lines = [
            f"Next 12 months: {format_cents(self.annual_income_cents)} "
            f"(yield {self.portfolio_yield:.2%}); over {self.years} years: "
            f"{format_cents(self.total_income_cents)}. Projected from {self.today}."
        ]
        return result_html(
            "Dividend income",
            lines,
            [("By holding", self.by_holding), ("By month", self.monthly())],
            synthetic=self.is_synthetic,
        )


class IncomeProjector:
    """Projects a portfolio's dividend income from a market's dividend calendar."""

    def __init__(self, market: Market) -> None:
        self.market = market

    def project(
        self,
        holdings: HoldingsLike,
        *,
        years: int = 1,
        growth: GrowthLike = 0.0,
        as_of: DateLike | None = None,
    ) -> PortfolioIncome:
        """Project income for ``years`` years after today (or ``as_of``).

        ``growth`` is the annual growth of estimated dividends: one rate, or a
        ``{symbol: rate}`` mapping (others 0); a holding's own ``growth`` wins.
        """
        if not isinstance(years, int) or not 1 <= years <= 50:
            raise InputError(f"years must be a whole number from 1 to 50, got {years!r}.")
        market = self.market.as_of(as_of) if as_of is not None else self.market
        lots = resolve_holdings(market, holdings)
        today = reference_day(market)
        horizon = add_months(today, 12 * years)
        year_one = add_months(today, 12)
        symbols = sorted({h.symbol for h in lots})
        schedule = DividendCalendar(market).build(
            symbols, start=today - dt.timedelta(days=366), end=horizon
        )
        events = schedule.events.filter(
            pl.col("pay_date").is_between(today, horizon, closed="right")
        )
        last_declared = dict(schedule.frequencies.select("symbol", "last_ex_date").iter_rows())
        splits = market.splits.filter(pl.col("ex_date") > today)
        rows = []
        for i, lot in enumerate(lots):
            rate = _growth_for(lot, growth)
            lot_splits = [
                (r[0], r[1])
                for r in splits.filter(pl.col("symbol") == lot.symbol)
                .select("ex_date", "ratio")
                .iter_rows()
            ]
            for ev in events.filter(pl.col("symbol") == lot.symbol).iter_rows(named=True):
                if lot.acquired is not None and lot.acquired >= ev["ex_date"]:
                    continue
                if lot.sold is not None and lot.sold < ev["ex_date"]:
                    continue
                shares = lot.shares
                for day, ratio in lot_splits:
                    if day <= ev["ex_date"]:
                        shares *= ratio
                amount = ev["amount"]
                if ev["status"] == "estimated" and rate:
                    whole_years = _whole_years(last_declared[lot.symbol], ev["ex_date"])
                    amount *= (1.0 + rate) ** whole_years
                rows.append(
                    {
                        "lot": i,
                        "symbol": lot.symbol,
                        "ex_date": ev["ex_date"],
                        "pay_date": ev["pay_date"],
                        "status": ev["status"],
                        "kind": ev["kind"],
                        "shares": shares,
                        "amount": amount,
                        "income_cents": payment_cents(shares, amount),
                    }
                )
        payments = pl.DataFrame(
            rows,
            schema={
                "lot": pl.Int64,
                "symbol": pl.String,
                "ex_date": pl.Date,
                "pay_date": pl.Date,
                "status": pl.String,
                "kind": pl.String,
                "shares": pl.Float64,
                "amount": pl.Float64,
                "income_cents": pl.Int64,
            },
        ).sort("pay_date", "symbol")
        by_month = (
            payments.with_columns(pl.col("pay_date").dt.truncate("1mo").alias("month"))
            .group_by("month", "symbol")
            .agg(pl.col("income_cents").sum())
            .sort("month", "symbol")
        )
        by_holding = _by_holding(market, lots, payments, year_one)
        return PortfolioIncome(
            today, years, lots, payments, by_month, by_holding, market.is_synthetic
        )


def _growth_for(lot: DividendHolding, growth: GrowthLike) -> float:
    if lot.growth is not None:
        return lot.growth
    if isinstance(growth, Mapping):
        return float(growth.get(lot.symbol, 0.0))
    if isinstance(growth, int | float) and -1.0 < growth < 10.0:
        return float(growth)
    raise InputError(f"growth is an annual rate such as 0.05 (5%) or a mapping, got {growth!r}.")


def _whole_years(since: dt.date, day: dt.date) -> int:
    years = day.year - since.year - ((day.month, day.day) < (since.month, since.day))
    return max(years, 0)


def _by_holding(
    market: Market, lots: tuple[DividendHolding, ...], payments: pl.DataFrame, year_one: dt.date
) -> pl.DataFrame:
    rows = []
    for i, lot in enumerate(lots):
        mine = payments.filter(pl.col("lot") == i)
        price = last_close(market, lot.symbol)
        annual = int(mine.filter(pl.col("pay_date") <= year_one)["income_cents"].sum())
        total = int(mine["income_cents"].sum())
        value = value_cents(lot.shares, price)
        rows.append(
            {
                "lot": i,
                "symbol": lot.symbol,
                "shares": lot.shares,
                "price": price,
                "market_value_cents": value,
                "annual_income_cents": annual,
                "income_cents": total,
                "yield": annual / value if value else None,
                "yield_on_cost": annual / lot.cost_basis_cents if lot.cost_basis_cents else None,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "lot": pl.Int64,
            "symbol": pl.String,
            "shares": pl.Float64,
            "price": pl.Float64,
            "market_value_cents": pl.Int64,
            "annual_income_cents": pl.Int64,
            "income_cents": pl.Int64,
            "yield": pl.Float64,
            "yield_on_cost": pl.Float64,
        },
    )
