"""DRIP simulations: over actual history, forward, and Monte Carlo; DRIP beside cash.

:class:`DRIPSimulator` wires a market to the pure simulations in
:mod:`~axion_lab.dividends.drip_history` (history, day by day) and
:mod:`~axion_lab.dividends.drip_paths` (forward, monthly, vectorised across
paths). Every run returns both strategies on the same prices: ``drip`` reinvests
dividends, ``cash`` takes them. Money is integer cents (see
:mod:`axion_lab.dividends.money`); shares are floats.

A portfolio's monthly contribution is split across holdings by their market value
on the start date (largest remainder, so the parts add up to the cent).

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.dividends import DRIPSimulator
>>> market = load_market()
>>> payer = market.dividends.sort("ex_date")["symbol"][-1]  # a current payer
>>> sim = DRIPSimulator(market)
>>> run = sim.history(f"{payer}:100", start="2016-01-04", monthly_contribution=100)
>>> drip, cash = run.final("drip"), run.final("cash")
>>> drip["contributions_cents"] == cash["contributions_cents"]
True
>>> drip["income_cents"] >= cash["income_cents"]  # reinvested shares earn dividends too
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.dividends.config import (
    DEFAULT_FOREIGN_WITHHOLDING,
    DEFAULT_QUALIFIED_RATE,
    HOME_COUNTRY,
    AccountType,
)
from axion_lab.dividends.display import result_html
from axion_lab.dividends.drip_history import HistoryInputs, simulate_holding
from axion_lab.dividends.drip_paths import PathInputs, simulate_paths
from axion_lab.dividends.growth import GrowthAnalyzer
from axion_lab.dividends.history import detect_frequency, regular, split_adjusted
from axion_lab.dividends.inputs import (
    account_type,
    closes,
    reference_day,
    resolve_holdings,
    sector_and_country,
)
from axion_lab.dividends.models import DividendHolding, HoldingsLike
from axion_lab.dividends.money import format_cents, to_cents, value_cents
from axion_lab.exceptions import InputError, UnknownNameError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["PERCENTILES", "DRIPSimulator", "DripResult", "MonteCarloResult"]

PERCENTILES = (5, 25, 50, 75, 95)
STRATEGIES = ("drip", "cash")
_TIMELINE_SCHEMA = {
    "strategy": pl.String,
    "date": pl.Date,
    "symbol": pl.String,
    "shares": pl.Float64,
    "price": pl.Float64,
    "value_cents": pl.Int64,
    "cash_cents": pl.Int64,
    "income_cents": pl.Int64,
    "tax_cents": pl.Int64,
    "contributions_cents": pl.Int64,
}


@dataclasses.dataclass(frozen=True, eq=False)
class DripResult:
    """DRIP and cash strategies side by side, month by month.

    ``timeline``: one row per strategy, month end and symbol (shares, price,
    ``value_cents`` including uninvested cash, ``cash_cents``, and the month's
    ``income_cents`` (gross), ``tax_cents`` and ``contributions_cents``).
    ``ledger``: the DRIP strategy's events (ex-dates, payments, splits, buys).
    """

    mode: str  # "history" or "forward"
    start: dt.date
    end: dt.date
    account: AccountType
    fractional: bool
    holdings: tuple[DividendHolding, ...]
    timeline: pl.DataFrame
    ledger: pl.DataFrame
    is_synthetic: bool = False

    def totals(self) -> pl.DataFrame:
        """Portfolio totals per strategy and month (symbols summed)."""
        return (
            self.timeline.group_by("strategy", "date")
            .agg(pl.col("^.*_cents$").sum())
            .sort("strategy", "date")
        )

    def final(self, strategy: str = "drip") -> dict[str, int]:
        """Last month's value and cash, and the sums of income, tax and contributions."""
        if strategy not in STRATEGIES:
            raise UnknownNameError.for_name("strategy", strategy, STRATEGIES)
        rows = self.totals().filter(pl.col("strategy") == strategy)
        last = rows.row(-1, named=True)
        return {
            "value_cents": int(last["value_cents"]),
            "cash_cents": int(last["cash_cents"]),
            "income_cents": int(rows["income_cents"].sum()),
            "tax_cents": int(rows["tax_cents"].sum()),
            "contributions_cents": int(rows["contributions_cents"].sum()),
        }

    def comparison(self) -> pl.DataFrame:
        """One row per strategy: final value, income, taxes, contributions (cents)."""
        return pl.DataFrame(
            [{"strategy": s, **self.final(s)} for s in STRATEGIES],
            schema={"strategy": pl.String, **{k: pl.Int64 for k in self.final("drip")}},
        )

    def to_frame(self, table: str = "timeline") -> pl.DataFrame:
        """``timeline`` (default), ``totals``, ``comparison`` or ``ledger``."""
        tables = {"timeline": self.timeline, "ledger": self.ledger}
        if table == "totals":
            return self.totals()
        if table == "comparison":
            return self.comparison()
        if table not in tables:
            raise UnknownNameError.for_name(
                "DRIP table", table, ["timeline", "totals", "comparison", "ledger"]
            )
        return tables[table]

    def to_pandas(self, table: str = "timeline") -> pd.DataFrame:
        """The same table as a pandas frame."""
        return self.to_frame(table).to_pandas()

    def plot(self) -> Figure:
        """Value, shares and income over time, DRIP beside cash."""
        from axion_lab.dividends.plots import drip_chart

        return drip_chart(self)

    def __repr__(self) -> str:
        d, c = self.final("drip"), self.final("cash")
        return (
            f"<DripResult {self.mode} {self.start}..{self.end}: DRIP "
            f"{format_cents(d['value_cents'])} vs cash {format_cents(c['value_cents'])}>"
        )

    def _repr_html_(self) -> str:
        d, c = self.final("drip"), self.final("cash")
        gain = d["value_cents"] - c["value_cents"]
        lines = [
            f"{self.mode.capitalize()} run {self.start} to {self.end}, {self.account.value} "
            f"account, {'fractional' if self.fractional else 'whole'} shares.",
            f"Reinvesting ends at {format_cents(d['value_cents'])}; taking cash at "
            f"{format_cents(c['value_cents'])} ({format_cents(gain)} difference). "
            f"Dividends received: {format_cents(d['income_cents'])} (DRIP), taxes withheld "
            f"{format_cents(d['tax_cents'])}, contributions "
            f"{format_cents(d['contributions_cents'])}.",
        ]
        return result_html(
            "DRIP vs cash", lines, [("Comparison", self.comparison())], synthetic=self.is_synthetic
        )


@dataclasses.dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """Percentile bands of a forward DRIP over many price paths.

    ``bands``: one row per year, strategy and metric (``value_cents`` at year end,
    ``income_cents`` over the year) with columns ``p5 p25 p50 p75 p95`` (cents).
    """

    start: dt.date
    years: int
    paths: int
    seed: int | None
    assumptions: dict[str, Any]
    bands: pl.DataFrame
    is_synthetic: bool = False

    def to_frame(self, table: str = "bands") -> pl.DataFrame:
        """``bands`` (the only table)."""
        if table != "bands":
            raise UnknownNameError.for_name("Monte Carlo table", table, ["bands"])
        return self.bands

    def to_pandas(self, table: str = "bands") -> pd.DataFrame:
        """The bands as a pandas frame."""
        return self.to_frame(table).to_pandas()

    def final(self) -> pl.DataFrame:
        """The last year's bands."""
        return self.bands.filter(pl.col("year") == self.years)

    def plot(self) -> Figure:
        """Median and 5-95 / 25-75 bands of value, DRIP beside cash."""
        from axion_lab.dividends.plots import monte_carlo_chart

        return monte_carlo_chart(self)

    def __repr__(self) -> str:
        return f"<MonteCarloResult {self.paths:,} paths x {self.years} years from {self.start}>"

    def _repr_html_(self) -> str:
        fin = self.final().filter(pl.col("metric") == "value_cents")
        med = dict(fin.select("strategy", "p50").iter_rows())
        lines = [
            f"{self.paths:,} price paths over {self.years} years from {self.start}; "
            f"median final value: DRIP {format_cents(int(med['drip']))}, cash "
            f"{format_cents(int(med['cash']))}.",
            "Assumptions: "
            + ", ".join(f"{k} {v}" for k, v in self.assumptions.items() if k != "holdings"),
        ]
        return result_html(
            "DRIP Monte Carlo", lines, [("Final year", self.final())], synthetic=self.is_synthetic
        )


class DRIPSimulator:
    """Simulates dividend reinvestment for holdings in a market."""

    def __init__(self, market: Market) -> None:
        self.market = market

    # --- shared inputs --------------------------------------------------------------
    def _rates(
        self,
        symbols: list[str],
        account: AccountType,
        tax_rate: float,
        foreign_withholding: Mapping[str, float] | None,
    ) -> dict[str, tuple[float, float]]:
        if not 0.0 <= tax_rate < 1.0:
            raise InputError(f"tax_rate is a fraction such as 0.15, got {tax_rate}.")
        table = DEFAULT_FOREIGN_WITHHOLDING if foreign_withholding is None else foreign_withholding
        out = {}
        for symbol, (_, country) in sector_and_country(self.market, symbols).items():
            foreign = 0.0 if country in (None, HOME_COUNTRY) else float(table.get(country, 0.0))
            domestic = tax_rate if account is AccountType.TAXABLE else 0.0
            out[symbol] = (domestic, foreign)
        return out

    @staticmethod
    def _split_contribution(total: int, values: list[int]) -> list[int]:
        whole = sum(values)
        if total == 0 or whole <= 0:
            return [0] * len(values)
        raw = [total * v / whole for v in values]
        parts = [math.floor(x) for x in raw]
        for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[
            : total - sum(parts)
        ]:
            parts[i] += 1
        return parts

    # --- history --------------------------------------------------------------------
    def history(
        self,
        holdings: HoldingsLike,
        *,
        start: DateLike,
        end: DateLike | None = None,
        fractional: bool = True,
        monthly_contribution: float | int | str = 0,
        account: AccountType | str = AccountType.TAXABLE,
        tax_rate: float = DEFAULT_QUALIFIED_RATE,
        foreign_withholding: Mapping[str, float] | None = None,
    ) -> DripResult:
        """Replay actual history from ``start`` to ``end`` (default: the last session).

        ``monthly_contribution`` is in dollars and must be whole cents. Taxes are
        withheld at ``tax_rate`` in taxable accounts and at the issuer country's
        rate in ``foreign_withholding`` in every account.
        """
        market = self.market
        lots = resolve_holdings(market, holdings)
        lo = market.check_date(start, what="start date")
        hi = market.check_date(end, what="end date") if end is not None else market.end
        if lo >= hi:
            raise InputError(f"The start date {lo} must be before the end date {hi}.")
        acct = account_type(account)
        contribution = to_cents(monthly_contribution, what="monthly contribution")
        if contribution < 0:
            raise InputError(
                f"The monthly contribution must be zero or more, got {monthly_contribution}."
            )
        symbols = sorted({h.symbol for h in lots})
        if not fractional:
            for h in lots:
                if h.shares != int(h.shares):
                    raise InputError(
                        f"Whole-share mode needs whole starting shares; {h.symbol} has {h.shares}."
                    )
        rates = self._rates(symbols, acct, tax_rate, foreign_withholding)
        bars = closes(market, symbols).filter(pl.col("day").is_between(lo, hi))
        starts = []
        for h in lots:
            first = bars.filter(pl.col("symbol") == h.symbol)
            if first.height == 0:
                raise InputError(f"{h.symbol} has no prices between {lo} and {hi}.")
            starts.append(value_cents(h.shares, float(first["close"][0])))
        parts = self._split_contribution(contribution, starts)
        months: list[dict[str, Any]] = []
        ledger: list[dict[str, Any]] = []
        divs = regular_and_special(market.dividends, symbols)
        for h, part in zip(lots, parts, strict=True):
            sessions = list(
                bars.filter(pl.col("symbol") == h.symbol).select("day", "close").iter_rows()
            )
            mine = divs.filter(pl.col("symbol") == h.symbol)
            splits = market.splits.filter(pl.col("symbol") == h.symbol)
            for reinvest, name in ((True, "drip"), (False, "cash")):
                rows, events = simulate_holding(
                    HistoryInputs(
                        symbol=h.symbol,
                        shares=h.shares,
                        sessions=sessions,
                        dividends=list(mine.select("ex_date", "pay_date", "amount").iter_rows()),
                        splits=list(splits.select("ex_date", "ratio").iter_rows()),
                        contribution_cents=part,
                        reinvest=reinvest,
                        fractional=fractional,
                        tax_rate=rates[h.symbol][0],
                        foreign_rate=rates[h.symbol][1],
                    )
                )
                months.extend({"strategy": name, **r} for r in rows)
                if reinvest:
                    ledger.extend(events)
        timeline = pl.DataFrame(months, schema=_TIMELINE_SCHEMA)
        ledger_frame = pl.DataFrame(
            ledger,
            schema={
                "date": pl.Date,
                "symbol": pl.String,
                "event": pl.String,
                "shares": pl.Float64,
                "cents": pl.Int64,
                "tax_cents": pl.Int64,
                "price": pl.Float64,
            },
        ).sort("date", "symbol")
        return DripResult(
            "history", lo, hi, acct, fractional, lots, timeline, ledger_frame, market.is_synthetic
        )

    # --- forward --------------------------------------------------------------------
    def _path_inputs(
        self,
        lots: tuple[DividendHolding, ...],
        *,
        months: int,
        price_growth: float,
        volatility: float | None,
        dividend_growth: float | None,
        contribution: int,
        account: AccountType,
        tax_rate: float,
        foreign_withholding: Mapping[str, float] | None,
        fractional: bool,
    ) -> list[PathInputs]:
        market = self.market
        today = reference_day(market)
        symbols = sorted({h.symbol for h in lots})
        rates = self._rates(symbols, account, tax_rate, foreign_withholding)
        growth = GrowthAnalyzer(market).analyze(symbols).growth if dividend_growth is None else None
        prices = {s: float(closes(market, [s])["close"][-1]) for s in symbols}
        parts = self._split_contribution(
            contribution, [value_cents(h.shares, prices[h.symbol]) for h in lots]
        )
        out = []
        for h, part in zip(lots, parts, strict=True):
            reg = split_adjusted(
                regular(market.dividends.filter(pl.col("symbol") == h.symbol)),
                market.splits.filter(pl.col("symbol") == h.symbol),
                until=today,
            )
            pay = [False] * months
            dps = 0.0
            if reg.height:
                freq = detect_frequency(reg["ex_date"].to_list(), declared=reg["frequency"][-1])
                last = reg.row(-1, named=True)
                dps = float(last["adj_amount"])
                since = (
                    (today.year - last["ex_date"].year) * 12 + today.month - last["ex_date"].month
                )
                pay = [(since + t + 1) % freq.months == 0 for t in range(months)]
            g = dividend_growth
            if g is None:
                assert growth is not None
                row = growth.filter(pl.col("symbol") == h.symbol)
                hist = row["cagr_5y"][0] if row.height else None
                # Past growth is a guide, not a promise: cap it at 10% a year.
                g = min(max(float(hist), -0.05), 0.10) if hist is not None else 0.0
            sigma = _volatility(market, h.symbol) if volatility is None else volatility
            out.append(
                PathInputs(
                    price=prices[h.symbol],
                    shares=h.shares,
                    dps=dps,
                    pay_months=tuple(pay),
                    mu=price_growth,
                    sigma=sigma,
                    dividend_growth=g,
                    contribution_cents=part,
                    tax_rate=rates[h.symbol][0],
                    foreign_rate=rates[h.symbol][1],
                    fractional=fractional,
                )
            )
        return out

    def forward(
        self,
        holdings: HoldingsLike,
        *,
        years: int = 30,
        price_growth: float = 0.06,
        dividend_growth: float | None = None,
        fractional: bool = True,
        monthly_contribution: float | int | str = 0,
        account: AccountType | str = AccountType.TAXABLE,
        tax_rate: float = DEFAULT_QUALIFIED_RATE,
        foreign_withholding: Mapping[str, float] | None = None,
    ) -> DripResult:
        """Deterministic forward run: price grows ``price_growth`` a year, no noise.

        ``dividend_growth`` None uses each holding's 5-year dividend CAGR, capped
        to -5%..10% (0 without history).
        """
        lots, months, acct, contribution = self._check_forward(
            holdings, years, monthly_contribution, account, fractional
        )
        inputs = self._path_inputs(
            lots,
            months=months,
            price_growth=price_growth,
            volatility=0.0,
            dividend_growth=dividend_growth,
            contribution=contribution,
            account=acct,
            tax_rate=tax_rate,
            foreign_withholding=foreign_withholding,
            fractional=fractional,
        )
        today = reference_day(self.market)
        dates = [_month_end(today, t + 1) for t in range(months)]
        rows: list[dict[str, Any]] = []
        for h, inp in zip(lots, inputs, strict=True):
            o = simulate_paths(inp, np.zeros((1, months)))
            for name in STRATEGIES:
                for t, day in enumerate(dates):
                    rows.append(
                        {
                            "strategy": name,
                            "date": day,
                            "symbol": h.symbol,
                            "shares": float(getattr(o, f"{name}_shares")[0, t]),
                            "price": float(o.price[0, t]),
                            "value_cents": int(getattr(o, f"{name}_value_cents")[0, t]),
                            "cash_cents": 0,
                            "income_cents": int(getattr(o, f"{name}_income_cents")[0, t]),
                            "tax_cents": int(o.drip_tax_cents[0, t]) if name == "drip" else 0,
                            "contributions_cents": inp.contribution_cents,
                        }
                    )
        timeline = pl.DataFrame(rows, schema=_TIMELINE_SCHEMA)
        ledger = pl.DataFrame(schema={"date": pl.Date, "symbol": pl.String, "event": pl.String})
        return DripResult(
            "forward",
            today,
            dates[-1],
            acct,
            fractional,
            lots,
            timeline,
            ledger,
            self.market.is_synthetic,
        )

    def _check_forward(
        self,
        holdings: HoldingsLike,
        years: int,
        monthly_contribution: float | int | str,
        account: AccountType | str,
        fractional: bool,
    ) -> tuple[tuple[DividendHolding, ...], int, AccountType, int]:
        if not isinstance(years, int) or not 1 <= years <= 60:
            raise InputError(f"years must be a whole number from 1 to 60, got {years!r}.")
        lots = resolve_holdings(self.market, holdings)
        contribution = to_cents(monthly_contribution, what="monthly contribution")
        if contribution < 0:
            raise InputError(
                f"The monthly contribution must be zero or more, got {monthly_contribution}."
            )
        if not fractional and any(h.shares != int(h.shares) for h in lots):
            raise InputError("Whole-share mode needs whole starting shares.")
        return lots, 12 * years, account_type(account), contribution

    def monte_carlo(
        self,
        holdings: HoldingsLike,
        *,
        years: int = 30,
        paths: int = 10_000,
        price_growth: float = 0.06,
        volatility: float | None = None,
        correlation: float = 0.5,
        dividend_growth: float | None = None,
        fractional: bool = True,
        monthly_contribution: float | int | str = 0,
        account: AccountType | str = AccountType.TAXABLE,
        tax_rate: float = DEFAULT_QUALIFIED_RATE,
        foreign_withholding: Mapping[str, float] | None = None,
        seed: int | None = 0,
    ) -> MonteCarloResult:
        """Forward DRIP over ``paths`` random monthly price paths; percentile bands by year.

        Each holding's monthly log-return is lognormal with arithmetic annual mean
        ``price_growth`` and annual ``volatility`` (None: its last five years'
        realised volatility); holdings share one market shock with ``correlation``.
        """
        if not isinstance(paths, int) or not 1 <= paths <= 200_000:
            raise InputError(f"paths must be a whole number from 1 to 200,000, got {paths!r}.")
        if not 0.0 <= correlation <= 1.0:
            raise InputError(f"correlation must lie in 0..1, got {correlation}.")
        lots, months, acct, contribution = self._check_forward(
            holdings, years, monthly_contribution, account, fractional
        )
        inputs = self._path_inputs(
            lots,
            months=months,
            price_growth=price_growth,
            volatility=volatility,
            dividend_growth=dividend_growth,
            contribution=contribution,
            account=acct,
            tax_rate=tax_rate,
            foreign_withholding=foreign_withholding,
            fractional=fractional,
        )
        rng = np.random.default_rng(seed)
        common = rng.standard_normal((paths, months))
        totals = {
            k: np.zeros((paths, years))
            for k in (
                "drip_value_cents",
                "cash_value_cents",
                "drip_income_cents",
                "cash_income_cents",
            )
        }
        for inp in inputs:
            z = math.sqrt(correlation) * common + math.sqrt(1 - correlation) * rng.standard_normal(
                (paths, months)
            )
            out = simulate_paths(inp, z, record_every=12)
            for k, acc in totals.items():
                np.add(acc, getattr(out, k), out=acc)
        rows = []
        for key, arr in totals.items():
            strategy, metric = key.split("_", 1)
            bands = np.percentile(arr, PERCENTILES, axis=0)
            for y in range(years):
                rows.append(
                    {
                        "year": y + 1,
                        "strategy": strategy,
                        "metric": metric,
                        **{f"p{p}": int(np.rint(bands[i, y])) for i, p in enumerate(PERCENTILES)},
                    }
                )
        bands_frame = pl.DataFrame(rows).sort("metric", "strategy", "year")
        assumptions = {
            "price_growth": price_growth,
            "volatility": {h.symbol: round(i.sigma, 4) for h, i in zip(lots, inputs, strict=True)},
            "dividend_growth": {
                h.symbol: round(i.dividend_growth, 4) for h, i in zip(lots, inputs, strict=True)
            },
            "correlation": correlation,
            "monthly_contribution_cents": contribution,
            "account": acct.value,
            "fractional": fractional,
        }
        return MonteCarloResult(
            reference_day(self.market),
            years,
            paths,
            seed,
            assumptions,
            bands_frame,
            self.market.is_synthetic,
        )


def regular_and_special(dividends: pl.DataFrame, symbols: list[str]) -> pl.DataFrame:
    """Every cash dividend of ``symbols`` (specials are reinvested too)."""
    return dividends.filter(pl.col("symbol").is_in(symbols) & (pl.col("amount") > 0))


def _volatility(market: Market, symbol: str, years: int = 5) -> float:
    """Annualised volatility of monthly split-adjusted log returns (0.2 if too short)."""
    bars = market.adjusted_bars("split", symbols=[symbol]).select(
        pl.col("ts").dt.date().alias("day"), "close"
    )
    monthly = (
        bars.filter(pl.col("day") > market.end - dt.timedelta(days=365 * years))
        .group_by_dynamic(pl.col("day"), every="1mo")
        .agg(pl.col("close").last())
        .sort("day")["close"]
        .to_numpy()
    )
    if len(monthly) < 13:
        return 0.2
    returns = np.diff(np.log(monthly))
    return float(np.std(returns, ddof=1) * math.sqrt(12.0))


def _month_end(today: dt.date, months: int) -> dt.date:
    index = today.year * 12 + today.month - 1 + months + 1
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)
