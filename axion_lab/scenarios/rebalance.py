"""Rebalancing strategies run over the market's history, compared side by side.

A run invests ``initial_cents`` at the target weights on the first session, then
each session checks whether its strategy says to rebalance; if so it trades back
to the targets through the cent ledger (:mod:`axion_lab.scenarios.ledger`): sells
first, tax on their net realised gains paid from cash (losses carried forward),
then buys, scaled down if costs would overdraw the cash.

Simplifications, stated so results can be read correctly:

* Prices are total-return closes (dividends reinvested in the same holding, not
  taxed, not paid as cash). Share counts are in those adjusted units.
* Trades happen at the session's close (mid price plus half the spread).
* Cost basis is tracked per lot, FIFO; a lot held more than ``long_term_days``
  is taxed at the long-term rate.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.scenarios import RebalanceSimulator, Strategy
>>> sim = RebalanceSimulator(load_market(), {"AXLG": 0.6, "AXAG": 0.4},
...                          start="2019-01-02", end="2023-12-29")
>>> cmp = sim.compare([Strategy.buy_and_hold(), Strategy.calendar("quarterly")])
>>> cmp.to_frame()["strategy"].to_list()
['buy and hold', 'quarterly']
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.exceptions import DateRangeError, InputError
from axion_lab.scenarios.config import TRADING_DAYS, BandKind, Frequency, TradeAction
from axion_lab.scenarios.display import ResultBase, html_table
from axion_lab.scenarios.ledger import execute_trades, tax_on_gains
from axion_lab.scenarios.models import Portfolio, ProposedTrade, TaxRates, TradingCosts
from axion_lab.scenarios.money import format_cents, trade_cents
from axion_lab.scenarios.risk import price_panel, resolve_as_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["RebalanceComparison", "RebalanceRun", "RebalanceSimulator", "Strategy"]

_WEIGHT_TOL = 1e-6


@dataclasses.dataclass(frozen=True)
class Strategy:
    """When to rebalance: never, on a calendar, or when a weight leaves its band."""

    name: str
    frequency: Frequency | None = None
    band: float | None = None
    band_kind: BandKind = BandKind.ABSOLUTE

    @classmethod
    def buy_and_hold(cls) -> Strategy:
        """Never rebalance (the baseline)."""
        return cls("buy and hold")

    @classmethod
    def calendar(cls, frequency: str | Frequency) -> Strategy:
        """Rebalance on the first session of each month, quarter or year."""
        freq = Frequency(frequency)
        return cls(str(freq), frequency=freq)

    @classmethod
    def tolerance_band(cls, band: float, kind: str | BandKind = "absolute") -> Strategy:
        """Rebalance when any weight drifts beyond ``band`` (see :class:`BandKind`)."""
        k = BandKind(kind)
        if not 0.0 < band < 1.0:
            raise InputError(f"A band is a fraction in (0, 1), e.g. 0.05; got {band}.")
        label = f"band ±{band:.0%} {'abs' if k is BandKind.ABSOLUTE else 'rel'}"
        return cls(label, band=band, band_kind=k)

    def due(
        self, today: dt.date, previous: dt.date, weights: np.ndarray, targets: np.ndarray
    ) -> bool:
        """Whether to rebalance on ``today`` (``previous`` is the prior session)."""
        if self.frequency is not None:
            if self.frequency is Frequency.MONTHLY:
                return (today.year, today.month) != (previous.year, previous.month)
            if self.frequency is Frequency.QUARTERLY:
                return (today.year, (today.month - 1) // 3) != (
                    previous.year,
                    (previous.month - 1) // 3,
                )
            return today.year != previous.year
        if self.band is not None:
            drift = np.abs(weights - targets)
            limit = self.band if self.band_kind is BandKind.ABSOLUTE else self.band * targets
            return bool(np.any(drift > limit + _WEIGHT_TOL))
        return False


DEFAULT_STRATEGIES: tuple[Strategy, ...] = (
    Strategy.buy_and_hold(),
    Strategy.calendar("monthly"),
    Strategy.calendar("quarterly"),
    Strategy.calendar("annual"),
    Strategy.tolerance_band(0.05, "absolute"),
    Strategy.tolerance_band(0.25, "relative"),
)


@dataclasses.dataclass(frozen=True, eq=False)
class RebalanceRun:
    """One strategy's run: daily values and the totals (money in cents)."""

    strategy: Strategy
    dates: tuple[dt.date, ...]
    values_cents: np.ndarray
    traded_cents: int
    costs_cents: int
    taxes_cents: int
    rebalances: int
    final: Portfolio

    def metrics(self) -> dict[str, float | int | str]:
        """Return, CAGR, volatility, max drawdown, turnover, costs, taxes."""
        v = self.values_cents.astype(float)
        years = max((self.dates[-1] - self.dates[0]).days / 365.25, 1e-9)
        rets = v[1:] / v[:-1] - 1.0
        dd = v / np.maximum.accumulate(v) - 1.0
        return {
            "strategy": self.strategy.name,
            "final_cents": int(self.values_cents[-1]),
            "total_return": float(v[-1] / v[0] - 1.0),
            "cagr": float((v[-1] / v[0]) ** (1 / years) - 1.0),
            "volatility": float(np.std(rets, ddof=1) * math.sqrt(TRADING_DAYS))
            if len(rets) > 1
            else math.nan,
            "max_drawdown": float(dd.min()),
            "turnover": float(self.traded_cents / v.mean() / years),
            "rebalances": self.rebalances,
            "costs_cents": self.costs_cents,
            "taxes_cents": self.taxes_cents,
        }


@dataclasses.dataclass(frozen=True, eq=False)
class RebalanceComparison(ResultBase):
    """Strategies compared. Tables: ``summary`` (one row per strategy), ``values``."""

    TABLES: ClassVar[tuple[str, ...]] = ("summary", "values")
    KIND: ClassVar[str] = "rebalance comparison"

    runs: tuple[RebalanceRun, ...]
    targets: Mapping[str, float]
    data_label: str
    is_synthetic: bool

    def _table(self, name: str) -> pl.DataFrame:
        if name == "summary":
            return pl.DataFrame([r.metrics() for r in self.runs])
        first = self.runs[0]
        return pl.DataFrame(
            {"date": list(first.dates), **{r.strategy.name: r.values_cents for r in self.runs}}
        )

    def headline(self) -> str:
        first = self.runs[0]
        targets = ", ".join(f"{s} {w:.0%}" for s, w in self.targets.items())
        return f"Rebalancing {targets}, {first.dates[0]}..{first.dates[-1]}"

    def _html_tables(self) -> list[str]:
        return [html_table(self._table("summary"), caption="strategies")]

    def __repr__(self) -> str:
        return f"<RebalanceComparison {self.headline()}: {len(self.runs)} strategies>"

    def plot(self) -> Figure:
        """Growth of each strategy's portfolio."""
        from axion_lab.scenarios.plots import lines_chart

        return lines_chart(
            self._table("values"), title=self.headline(), ylabel="value ($)", scale=0.01
        )


class RebalanceSimulator:
    """Run rebalancing strategies for ``targets`` over a window of history.

    Parameters
    ----------
    market
        The data bundle.
    targets
        ``{symbol: weight}``; weights sum to at most 1 (the rest stays in cash).
    start, end
        The window (default: the whole history where every target has data).
    initial_cents
        Money invested on the first session (default $100,000).
    costs, taxes
        Trading costs and taxes on realised gains.
    whole_shares
        Trade whole shares only (the remainder stays in cash).
    """

    def __init__(
        self,
        market: Market,
        targets: Mapping[str, float],
        *,
        start: DateLike | None = None,
        end: DateLike | None = None,
        initial_cents: int = 10_000_000,
        costs: TradingCosts | None = None,
        taxes: TaxRates | None = None,
        whole_shares: bool = False,
    ) -> None:
        if not targets:
            raise InputError("Give at least one target weight, e.g. {'AXLG': 0.6, 'AXAG': 0.4}.")
        syms = market.resolve_symbols(list(targets))
        weights = [float(w) for w in targets.values()]
        if any(w < 0 for w in weights) or sum(weights) > 1.0 + _WEIGHT_TOL:
            raise InputError(
                f"Target weights must be non-negative and sum to at most 1; they sum to "
                f"{sum(weights):.4f}."
            )
        if initial_cents <= 0:
            raise InputError("initial_cents must be positive.")
        self.market = market
        self.targets = dict(zip(syms, weights, strict=True))
        self.initial_cents = initial_cents
        self.costs = costs or TradingCosts()
        self.taxes = taxes or TaxRates()
        self.whole_shares = whole_shares
        lo = resolve_as_of(market, start) if start else market.start
        hi = resolve_as_of(market, end) if end else market.end
        panel = price_panel(market, syms, lo, hi)
        if start is None:
            panel = panel.filter(pl.all_horizontal(pl.col(syms).is_not_null()).cum_max())
        missing = [s for s in syms if panel.height == 0 or panel[s][0] is None]
        if missing or panel.height < 2:
            raise DateRangeError(
                f"{', '.join(missing) or 'The targets'} have no price on {lo}; start the "
                "window later (or leave start out to begin when all have data)."
            )
        self.dates: tuple[dt.date, ...] = tuple(panel["date"].to_list())
        self.prices = panel.select(syms).fill_null(strategy="forward").to_numpy()

    def run(self, strategy: Strategy) -> RebalanceRun:
        """Simulate one strategy."""
        syms = list(self.targets)
        target = np.array([self.targets[s] for s in syms])
        portfolio = Portfolio((), cash_cents=self.initial_cents)
        values = np.empty(len(self.dates), dtype=np.int64)
        traded = costs = taxes = 0
        rebalances = 0
        carry = 0  # realised losses carried forward (cents, <= 0)
        for t, day in enumerate(self.dates):
            px = self.prices[t]
            shares = np.array([portfolio.shares_of(s) for s in syms])
            held = np.array(
                [trade_cents(q, p) if q else 0 for q, p in zip(shares, px, strict=True)]
            )
            total = int(held.sum()) + portfolio.cash_cents
            weights = held / total if total else np.zeros(len(syms))
            if t == 0 or strategy.due(day, self.dates[t - 1], weights, target):
                portfolio, info = self._rebalance(
                    portfolio,
                    syms=syms,
                    px=px,
                    shares=shares,
                    target=target,
                    total=total,
                    day=day,
                    carry=carry,
                )
                carry = info["carry"]
                if t > 0:
                    traded += info["traded"]
                    rebalances += 1
                costs += info["costs"]
                taxes += info["tax"]
                shares = np.array([portfolio.shares_of(s) for s in syms])
                held = np.array(
                    [trade_cents(q, p) if q else 0 for q, p in zip(shares, px, strict=True)]
                )
                total = int(held.sum()) + portfolio.cash_cents
            values[t] = total
        return RebalanceRun(
            strategy, self.dates, values, traded, costs, taxes, rebalances, portfolio
        )

    def _rebalance(
        self,
        portfolio: Portfolio,
        *,
        syms: Sequence[str],
        px: np.ndarray,
        shares: np.ndarray,
        target: np.ndarray,
        total: int,
        day: dt.date,
        carry: int,
    ) -> tuple[Portfolio, dict[str, int]]:
        desired = target * total / 100.0 / px  # cents -> dollars -> shares
        if self.whole_shares:
            desired = np.floor(desired + 1e-9)
        delta = desired - shares
        sells = [
            ProposedTrade(s, TradeAction.SELL, float(-d))
            for s, d in zip(syms, delta, strict=True)
            if d < -1e-9
        ]
        sold = execute_trades(
            portfolio,
            sells,
            dict(zip(syms, px, strict=True)),
            costs=self.costs,
            taxes=self.taxes,
            on=day,
        )
        st = sum(f.short_term_cents for f in sold.fills) + carry
        lt = sum(f.long_term_cents for f in sold.fills)
        tax = tax_on_gains(st, lt, self.taxes)
        carry = min(0, st + lt)  # a net loss carries forward; a net gain was taxed
        after = sold.portfolio.replace(cash_cents=sold.portfolio.cash_cents - tax)
        buys_raw = [
            (s, float(d), float(p)) for s, d, p in zip(syms, delta, px, strict=True) if d > 1e-9
        ]
        bought_costs = 0
        traded = sum(f.gross_cents for f in sold.fills)
        if buys_raw:
            rate = (self.costs.spread_bps / 2 + self.costs.commission_bps) / 10_000
            need = sum(d * p * 100 for _, d, p in buys_raw) * (1 + rate)
            budget = after.cash_cents - self.costs.per_trade_cents * len(buys_raw) - 1
            scale = min(1.0, max(budget, 0) / need) if need > 0 else 0.0
            buys = []
            for s, d, _ in buys_raw:
                q = d * scale * (1 - 1e-9)
                if self.whole_shares:
                    q = math.floor(q)
                if q > 1e-9:
                    buys.append(ProposedTrade(s, TradeAction.BUY, q))
            bought = execute_trades(
                after,
                buys,
                dict(zip(syms, px, strict=True)),
                costs=self.costs,
                taxes=self.taxes,
                on=day,
            )
            after = bought.portfolio
            bought_costs = bought.costs_cents
            traded += sum(f.gross_cents for f in bought.fills)
        return after, {
            "traded": traded,
            "costs": sold.costs_cents + bought_costs,
            "tax": tax,
            "carry": carry,
        }

    def compare(self, strategies: Sequence[Strategy] | None = None) -> RebalanceComparison:
        """Run several strategies (default: buy and hold, monthly, quarterly, annual,
        a 5% absolute band and a 25% relative band) and compare them."""
        runs = tuple(self.run(s) for s in (strategies or DEFAULT_STRATEGIES))
        return RebalanceComparison(
            runs=runs,
            targets=self.targets,
            data_label=self.market.label,
            is_synthetic=self.market.is_synthetic,
        )


def describe_run(run: RebalanceRun) -> str:
    """One line per run, for logs."""
    m = run.metrics()
    return (
        f"{run.strategy.name}: {format_cents(int(m['final_cents']))}, "
        f"{float(m['total_return']):+.1%}, {run.rebalances} rebalances"
    )
