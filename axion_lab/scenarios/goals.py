"""Goal planning by Monte Carlo: will savings reach a target, or last through retirement?

Each path is a sequence of monthly gross returns, drawn once per planner from a
seeded generator, either

* ``parametric``: lognormal, ``log(1 + r)`` normal with mean ``log(1 + annual_return)/12``
  (``annual_return`` is the expected *compound* annual return) and standard deviation
  ``annual_volatility / sqrt(12)``; or
* ``bootstrap``: blocks of ``block_months`` consecutive monthly total returns of the
  market's own history (of ``proxy``, the broad index by default), with random
  starting months, which keeps autocorrelation and fat tails within a block.

Money goes in at the end of each month (contributions grow with inflation) and,
for retirement, comes out at the end of each month (withdrawals grow with
inflation). Inflation is a constant ``inflation`` per year. Targets, withdrawals
and the reported percentiles are in today's dollars. These are projections, so
they are floats, not ledger cents.

Because the draws are fixed, success probability is a monotone step function of
the contribution (more money in never hurts a path) and of the withdrawal rate,
so bisection over them is exact up to the tolerance.

Examples
--------
>>> from axion_lab.scenarios import Goal, GoalPlanner
>>> planner = GoalPlanner(paths=2_000, seed=1)
>>> plan = planner.plan(Goal.house(target=100_000, years=10, monthly_contribution=600))
>>> 0.0 <= plan.probability <= 1.0
True
>>> need = planner.required_contribution(Goal.house(target=100_000, years=10), 0.8)
>>> round(planner.plan(Goal.house(target=100_000, years=10, monthly_contribution=need))
...       .probability, 2) >= 0.8
True
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import polars as pl

from axion_lab.data.market import Market
from axion_lab.exceptions import DataError, InputError
from axion_lab.scenarios.config import DEFAULT_MARKET_PROXY, GoalType, ReturnModel
from axion_lab.scenarios.display import ResultBase, html_table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Goal", "GoalPlanner", "GoalResult"]

PERCENTILES = (5, 10, 25, 50, 75, 90, 95)
_BISECTION_STEPS = 40


@dataclasses.dataclass(frozen=True)
class Goal:
    """A goal in today's dollars.

    ``target``: the amount needed at the end of ``years`` (house, education,
    custom), or for retirement the yearly income wanted for ``retirement_years``
    after ``years`` of saving.
    """

    kind: GoalType
    target: float
    years: int
    initial: float = 0.0
    monthly_contribution: float = 0.0
    retirement_years: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", GoalType(self.kind))
        if self.target <= 0:
            raise InputError(f"A goal's target must be positive, got {self.target}.")
        if self.years < 0 or self.retirement_years < 0:
            raise InputError("Years must not be negative.")
        if self.kind is GoalType.RETIREMENT and self.retirement_years <= 0:
            raise InputError("A retirement goal needs retirement_years > 0.")
        if self.kind is not GoalType.RETIREMENT and self.years <= 0:
            raise InputError(f"A {self.kind} goal needs years > 0 until the target date.")
        if self.initial < 0 or self.monthly_contribution < 0:
            raise InputError("Savings and contributions must not be negative.")
        if not self.name:
            object.__setattr__(self, "name", str(self.kind).capitalize())

    @classmethod
    def retirement(
        cls,
        *,
        income: float,
        years: int,
        retirement_years: int = 30,
        initial: float = 0.0,
        monthly_contribution: float = 0.0,
    ) -> Goal:
        """Save for ``years``, then draw ``income`` a year for ``retirement_years``."""
        return cls(
            GoalType.RETIREMENT, income, years, initial, monthly_contribution, retirement_years
        )

    @classmethod
    def house(
        cls, *, target: float, years: int, initial: float = 0.0, monthly_contribution: float = 0.0
    ) -> Goal:
        """A down payment of ``target`` in ``years``."""
        return cls(GoalType.HOUSE, target, years, initial, monthly_contribution)

    @classmethod
    def education(
        cls, *, target: float, years: int, initial: float = 0.0, monthly_contribution: float = 0.0
    ) -> Goal:
        """Tuition of ``target`` in ``years``."""
        return cls(GoalType.EDUCATION, target, years, initial, monthly_contribution)

    @classmethod
    def custom(
        cls,
        *,
        target: float,
        years: int,
        initial: float = 0.0,
        monthly_contribution: float = 0.0,
        name: str = "Custom",
    ) -> Goal:
        """Any ``target`` in ``years``."""
        return cls(GoalType.CUSTOM, target, years, initial, monthly_contribution, 0, name)

    def with_contribution(self, monthly: float) -> Goal:
        """The same goal with another monthly contribution."""
        return dataclasses.replace(self, monthly_contribution=monthly)


@dataclasses.dataclass(frozen=True, eq=False)
class GoalResult(ResultBase):
    """A goal simulated. Tables: ``summary``, ``percentiles`` (by month), ``assumptions``."""

    TABLES: ClassVar[tuple[str, ...]] = ("summary", "percentiles", "assumptions")
    KIND: ClassVar[str] = "goal"

    goal: Goal
    probability: float
    percentiles: pl.DataFrame
    assumptions: dict[str, str]
    required_contribution: float | None
    safe_withdrawal_rate: float | None
    data_label: str
    is_synthetic: bool

    def _table(self, name: str) -> pl.DataFrame:
        if name == "percentiles":
            return self.percentiles
        if name == "assumptions":
            return pl.DataFrame(
                {"assumption": list(self.assumptions), "value": list(self.assumptions.values())}
            )
        final = self.percentiles.row(-1, named=True)
        rows = [("probability of success", f"{self.probability:.1%}")]
        rows += [(f"final value p{p} (today's $)", f"${final[f'p{p}']:,.0f}") for p in (10, 50, 90)]
        if self.required_contribution is not None:
            rows.append(("monthly contribution needed", f"${self.required_contribution:,.2f}"))
        if self.safe_withdrawal_rate is not None:
            rows.append(("safe withdrawal rate", f"{self.safe_withdrawal_rate:.2%}"))
        return pl.DataFrame(rows, schema=["metric", "value"], orient="row")

    def headline(self) -> str:
        return f"{self.goal.name}: {self.probability:.1%} chance of success"

    def _html_tables(self) -> list[str]:
        return [
            html_table(self._table("summary"), caption="result"),
            html_table(self._table("assumptions"), caption="assumptions"),
        ]

    def __repr__(self) -> str:
        return f"<GoalResult {self.headline()}>"

    def plot(self) -> Figure:
        """Fan chart of the percentile paths, in today's dollars."""
        from axion_lab.scenarios.plots import fan_chart

        target = None if self.goal.kind is GoalType.RETIREMENT else self.goal.target
        return fan_chart(self.percentiles, title=self.headline(), target=target)


class GoalPlanner:
    """Monte Carlo goal planning over a fixed, seeded set of return paths.

    Parameters
    ----------
    market
        Needed for ``model="bootstrap"`` (its history) and to label results.
    model
        ``"parametric"`` or ``"bootstrap"`` (see the module docstring).
    annual_return, annual_volatility
        Parametric model: expected compound annual return and volatility.
    inflation
        Yearly inflation applied to contributions, withdrawals and targets.
    paths, seed
        Number of simulated paths and the random seed (same seed, same answer).
    block_months, proxy
        Bootstrap: block length and the symbol whose monthly returns are resampled.
    """

    def __init__(
        self,
        market: Market | None = None,
        *,
        model: str | ReturnModel = ReturnModel.PARAMETRIC,
        annual_return: float = 0.06,
        annual_volatility: float = 0.15,
        inflation: float = 0.025,
        paths: int = 10_000,
        seed: int = 0,
        block_months: int = 12,
        proxy: str = DEFAULT_MARKET_PROXY,
    ) -> None:
        self.model = ReturnModel(model)
        if paths < 1:
            raise InputError("paths must be at least 1.")
        if annual_volatility < 0 or annual_return <= -1:
            raise InputError("Volatility must be non-negative and the return above -100%.")
        self.market = market
        self.annual_return = annual_return
        self.annual_volatility = annual_volatility
        self.inflation = inflation
        self.paths = paths
        self.seed = seed
        self.block_months = block_months
        self.proxy = proxy
        self._history: np.ndarray | None = None
        if self.model is ReturnModel.BOOTSTRAP:
            if market is None:
                raise InputError("The bootstrap model resamples a market's history: pass market=.")
            self._history = _monthly_returns(market, proxy)
            if len(self._history) < block_months:
                raise DataError(
                    f"{proxy} has {len(self._history)} months of history, fewer than a "
                    f"{block_months}-month block."
                )

    # --- draws ----------------------------------------------------------------------
    def draws(self, months: int) -> np.ndarray:
        """Monthly gross returns, ``(paths, months)``; the same for the same seed."""
        rng = np.random.default_rng(self.seed)
        if self.model is ReturnModel.PARAMETRIC:
            mu = math.log1p(self.annual_return) / 12
            sigma = self.annual_volatility / math.sqrt(12)
            return np.exp(rng.normal(mu, sigma, (self.paths, months)))
        assert self._history is not None
        hist, block = self._history, self.block_months
        n_blocks = -(-months // block)
        starts = rng.integers(0, len(hist), (self.paths, n_blocks))
        idx = (starts[:, :, None] + np.arange(block)[None, None, :]) % len(hist)
        out: np.ndarray = 1.0 + hist[idx.reshape(self.paths, -1)[:, :months]]
        return out

    def assumptions(self, goal: Goal) -> dict[str, str]:
        """What the simulation assumed, in words."""
        out = {"goal": f"{goal.name} ({goal.kind})"}
        if goal.kind is GoalType.RETIREMENT:
            out["income wanted"] = f"${goal.target:,.0f} a year for {goal.retirement_years} years"
            out["years to retirement"] = str(goal.years)
        else:
            out["target"] = f"${goal.target:,.0f} in {goal.years} years (today's dollars)"
        out["starting savings"] = f"${goal.initial:,.0f}"
        out["monthly contribution"] = f"${goal.monthly_contribution:,.2f} (grows with inflation)"
        if self.model is ReturnModel.PARAMETRIC:
            out["returns"] = (
                f"lognormal, {self.annual_return:.1%} compound a year, "
                f"{self.annual_volatility:.1%} volatility"
            )
        else:
            label = self.market.label if self.market else ""
            assert self._history is not None
            out["returns"] = (
                f"block bootstrap of {self.proxy} monthly total returns "
                f"({len(self._history)} months, {self.block_months}-month blocks; {label})"
            )
        out["inflation"] = f"{self.inflation:.1%} a year"
        out["paths"] = f"{self.paths:,} (seed {self.seed})"
        return out

    # --- simulation -------------------------------------------------------------------
    def _simulate(
        self, goal: Goal, draws: np.ndarray, contribution: float, record: bool = False
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Success flags per path, and (if ``record``) real wealth by month."""
        acc = goal.years * 12
        dec = goal.retirement_years * 12 if goal.kind is GoalType.RETIREMENT else 0
        infl = (1 + self.inflation) ** (1 / 12)
        wealth = np.full(draws.shape[0], float(goal.initial))
        alive = np.ones(draws.shape[0], dtype=bool)
        real = np.empty((draws.shape[0], acc + dec + 1)) if record else None
        if real is not None:
            real[:, 0] = wealth
        level = 1.0
        for k in range(acc + dec):
            level *= infl
            wealth *= draws[:, k]
            if k < acc:
                wealth += contribution * level
            else:
                wealth -= goal.target / 12 * level
                alive &= wealth >= 0
                np.maximum(wealth, 0.0, out=wealth)
            if real is not None:
                real[:, k + 1] = wealth / level
        if goal.kind is not GoalType.RETIREMENT:
            alive = wealth >= goal.target * level
        return alive, real

    def _months(self, goal: Goal) -> int:
        return goal.years * 12 + (
            goal.retirement_years * 12 if goal.kind is GoalType.RETIREMENT else 0
        )

    def probability(self, goal: Goal, contribution: float | None = None) -> float:
        """Share of paths on which ``goal`` succeeds."""
        draws = self.draws(max(self._months(goal), 1))
        ok, _ = self._simulate(
            goal, draws, goal.monthly_contribution if contribution is None else contribution
        )
        return float(ok.mean())

    def plan(self, goal: Goal, *, target_probability: float | None = None) -> GoalResult:
        """Simulate ``goal``; with ``target_probability`` also solve the contribution
        needed (and, for retirement, the safe withdrawal rate at that probability)."""
        months = max(self._months(goal), 1)
        draws = self.draws(months)
        ok, real = self._simulate(goal, draws, goal.monthly_contribution, record=True)
        assert real is not None
        qs = np.percentile(real, PERCENTILES, axis=0)
        frame = pl.DataFrame(
            {
                "month": np.arange(real.shape[1]),
                **{f"p{p}": qs[i] for i, p in enumerate(PERCENTILES)},
            }
        ).with_columns((pl.col("month") / 12).alias("year"))
        needed = swr = None
        if target_probability is not None:
            needed = self._solve_contribution(goal, draws, target_probability)
            if goal.kind is GoalType.RETIREMENT:
                swr = self._solve_withdrawal(goal, target_probability)
        return GoalResult(
            goal=goal,
            probability=float(ok.mean()),
            percentiles=frame,
            assumptions=self.assumptions(goal)
            | ({"target probability": f"{target_probability:.0%}"} if target_probability else {}),
            required_contribution=needed,
            safe_withdrawal_rate=swr,
            data_label=self.market.label if self.market else "parametric returns",
            is_synthetic=bool(self.market and self.market.is_synthetic),
        )

    def required_contribution(self, goal: Goal, probability: float) -> float:
        """The smallest monthly contribution (to the cent) that reaches ``probability``."""
        return self._solve_contribution(goal, self.draws(max(self._months(goal), 1)), probability)

    def _solve_contribution(self, goal: Goal, draws: np.ndarray, probability: float) -> float:
        if not 0.0 < probability < 1.0:
            raise InputError(f"A target probability is in (0, 1), got {probability}.")
        if goal.years == 0:
            raise InputError("With no years of saving, no contribution can change the outcome.")

        def p(c: float) -> float:
            return float(self._simulate(goal, draws, c)[0].mean())

        if p(0.0) >= probability:
            return 0.0
        hi = max(goal.target / max(goal.years * 12, 1), 1.0)
        for _ in range(60):
            if p(hi) >= probability:
                break
            hi *= 2
        else:  # pragma: no cover - only with absurd inputs
            raise InputError("No contribution reaches that probability under these returns.")
        lo = 0.0
        while hi - lo > 0.005:  # to the cent
            mid = (lo + hi) / 2
            if p(mid) >= probability:
                hi = mid
            else:
                lo = mid
        return math.ceil(hi * 100) / 100

    def safe_withdrawal_rate(self, years: int = 30, probability: float = 0.9) -> float:
        """Largest first-year withdrawal, as a share of the starting balance, that
        lasts ``years`` (rising with inflation) on ``probability`` of the paths."""
        goal = Goal.retirement(income=1.0, years=0, retirement_years=years, initial=1.0)
        return self._solve_withdrawal(goal, probability)

    def _solve_withdrawal(self, goal: Goal, probability: float) -> float:
        draws = self.draws(goal.retirement_years * 12)

        def p(rate: float) -> float:
            g = dataclasses.replace(goal, years=0, initial=1.0, target=rate)
            return float(self._simulate(g, draws, 0.0)[0].mean())

        lo, hi = 0.0, 1.0
        for _ in range(_BISECTION_STEPS):
            mid = (lo + hi) / 2
            if p(mid) >= probability:
                lo = mid
            else:
                hi = mid
        return lo


def _monthly_returns(market: Market, proxy: str) -> np.ndarray:
    sym = market.resolve_symbols(proxy)[0]
    bars = market.adjusted_bars("total", symbols=[sym]).sort("ts")
    monthly = (
        bars.group_by_dynamic("ts", every="1mo")
        .agg(pl.col("close").last())
        .with_columns(pl.col("close").pct_change().alias("r"))
        .drop_nulls("r")
    )
    return np.asarray(monthly["r"].to_numpy(), dtype=float)
