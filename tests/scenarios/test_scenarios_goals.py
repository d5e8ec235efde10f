"""Goal planning: closed forms at zero volatility, monotone solvers, seeded draws."""

from __future__ import annotations

import numpy as np
import pytest

from axion_lab.data import Market
from axion_lab.exceptions import InputError
from axion_lab.scenarios import Goal, GoalPlanner, GoalType


def _annuity_fv(monthly: float, rate_year: float, infl_year: float, years: int) -> float:
    """Future value of contributions growing with inflation, paid at month ends."""
    g = (1 + rate_year) ** (1 / 12)
    i = (1 + infl_year) ** (1 / 12)
    n = years * 12
    return sum(monthly * i**k * g ** (n - k) for k in range(1, n + 1))


def test_zero_volatility_matches_closed_form() -> None:
    planner = GoalPlanner(annual_return=0.05, annual_volatility=0.0, inflation=0.02, paths=3)
    goal = Goal.custom(target=50_000, years=10, initial=10_000, monthly_contribution=300)
    plan = planner.plan(goal)
    nominal = 10_000 * 1.05**10 + _annuity_fv(300, 0.05, 0.02, 10)
    real = nominal / 1.02**10
    final = plan.percentiles.row(-1, named=True)
    assert final["p5"] == pytest.approx(real)
    assert final["p95"] == pytest.approx(real)
    assert plan.probability == (1.0 if real >= 50_000 else 0.0)


def test_required_contribution_at_zero_volatility_is_the_annuity_solution() -> None:
    planner = GoalPlanner(annual_return=0.04, annual_volatility=0.0, inflation=0.0, paths=2)
    goal = Goal.house(target=60_000, years=5)
    need = planner.required_contribution(goal, 0.5)
    exact = 60_000 / _annuity_fv(1.0, 0.04, 0.0, 5)
    assert need == pytest.approx(exact, abs=0.011)  # to the cent, rounded up
    assert planner.probability(goal.with_contribution(need)) == 1.0
    assert planner.probability(goal.with_contribution(need - 0.02)) == 0.0


def test_safe_withdrawal_rate_closed_form() -> None:
    flat = GoalPlanner(annual_return=0.0, annual_volatility=0.0, inflation=0.0, paths=1)
    # No growth, no inflation: 1/30 of the balance a year lasts exactly 30 years.
    assert flat.safe_withdrawal_rate(30, 0.9) == pytest.approx(1 / 30, rel=1e-6)


def test_probability_is_monotone_and_solver_hits_the_target() -> None:
    planner = GoalPlanner(paths=2_000, seed=3)
    goal = Goal.education(target=80_000, years=12, initial=5_000)
    probs = [planner.probability(goal.with_contribution(c)) for c in (0, 100, 200, 300, 400)]
    assert probs == sorted(probs)
    need = planner.required_contribution(goal, 0.75)
    assert planner.probability(goal.with_contribution(need)) >= 0.75
    assert planner.probability(goal.with_contribution(max(need - 1.0, 0))) < 0.75


def test_seeded_and_reproducible() -> None:
    a = GoalPlanner(paths=500, seed=11).draws(24)
    b = GoalPlanner(paths=500, seed=11).draws(24)
    c = GoalPlanner(paths=500, seed=12).draws(24)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    # Lognormal calibration: median annual growth is the compound return.
    yearly = GoalPlanner(paths=20_000, seed=1, annual_return=0.07).draws(12).prod(axis=1)
    assert np.median(yearly) == pytest.approx(1.07, abs=0.01)


def test_retirement_plan_prints_assumptions_and_solves() -> None:
    planner = GoalPlanner(paths=1_000, seed=5)
    goal = Goal.retirement(
        income=40_000, years=25, retirement_years=30, initial=100_000, monthly_contribution=1_000
    )
    plan = planner.plan(goal, target_probability=0.8)
    assert plan.goal.kind is GoalType.RETIREMENT
    assert plan.required_contribution is not None
    assert plan.safe_withdrawal_rate is not None
    assert 0.0 < plan.safe_withdrawal_rate < 0.1
    assert plan.percentiles.height == (25 + 30) * 12 + 1
    html = plan._repr_html_()
    for text in ("assumptions", "lognormal", "2.5% a year", "seed 5", "chance of success"):
        assert text in html
    assert plan.plot().axes[0].get_title(loc="left").startswith("Retirement")


def test_bootstrap_resamples_history(small_market: Market) -> None:
    planner = GoalPlanner(small_market, model="bootstrap", paths=300, seed=2, block_months=6)
    draws = planner.draws(30)
    assert draws.shape == (300, 30)
    # Every draw is one of the market's own monthly returns.
    from axion_lab.scenarios.goals import _monthly_returns

    hist = 1.0 + _monthly_returns(small_market, "AX500")
    assert np.isin(np.round(draws, 12), np.round(hist, 12)).all()
    assert "block bootstrap" in planner.assumptions(Goal.house(target=1, years=1))["returns"]


def test_goal_validation() -> None:
    with pytest.raises(InputError, match="retirement_years"):
        Goal(GoalType.RETIREMENT, 10_000, 10)
    with pytest.raises(InputError, match="target must be positive"):
        Goal.house(target=0, years=3)
    with pytest.raises(InputError, match="pass market="):
        GoalPlanner(model="bootstrap")
