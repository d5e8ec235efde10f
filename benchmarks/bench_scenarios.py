"""Scenario engines on the sandbox market, each beside a plain reference.

1. A 500-holding portfolio through every predefined scenario. The engine builds
   one risk model (betas, factors, durations) and propagates each scenario with
   polars; the reference is a plain Python loop over holdings with the same
   formulas. The run checks both agree before printing times.
2. The goal planner with 10,000 paths x 40 years of monthly steps, vectorised
   over paths; the reference is a plain Python loop over paths and months on the
   same draws (run on 1,000 paths and scaled by 10).

    .venv/bin/python benchmarks/bench_scenarios.py
"""

from __future__ import annotations

import math
import time

import numpy as np

from axion_lab import load_market
from axion_lab.scenarios import (
    FACTORS,
    PREDEFINED_SCENARIOS,
    Goal,
    GoalPlanner,
    Portfolio,
    ScenarioAnalyzer,
)


def timed(fn, repeat: int = 3):  # type: ignore[no-untyped-def]
    best, value = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


def reference_impacts(rows: list[dict], scenarios: list) -> list[int]:  # type: ignore[type-arg]
    """The propagation formulas of axion_lab.scenarios.impact, one holding at a time."""
    out = []
    for sc in scenarios:
        m, dy = sc.market, sc.rates_bp / 10_000
        total = 0
        for r in rows:
            if r["duration"] is not None:
                d = r["duration"]
                c = r["convexity"] if r["convexity"] is not None else d * d
                spread = {"ig": sc.credit_bp, "hy": sc.high_yield_bp}.get(r["credit"], 0.0)
                y = dy + r["credit_share"] * spread / 10_000
                move = (
                    -d * y + 0.5 * c * y * y + sum(r[f] * sc.factors.get(f, 0.0) for f in FACTORS)
                )
            else:
                move = r["beta"] * m + sum(r[f] * sc.factors.get(f, 0.0) for f in FACTORS)
                if r["sector"] in sc.sectors:
                    move += sc.sectors[r["sector"]] - m
            move = max(move, -1.0)
            total += round(r["value_cents"] * move)
        out.append(total)
    return out


def bench_stress(market) -> None:  # type: ignore[no-untyped-def]
    symbols = (
        market.universe(asset_class="equity")[:480]
        + [s for s in market.symbols if s.startswith(("AX", "UST", "SX"))][:20]
    )
    portfolio = Portfolio.from_positions({s: 100 for s in symbols}, name="500 holdings")
    scenarios = list(PREDEFINED_SCENARIOS.values())
    t0 = time.perf_counter()
    analyzer = ScenarioAnalyzer(market)
    frame, _ = analyzer.positions(portfolio)  # the risk model, built once
    t_model = time.perf_counter() - t0
    t_ours, ours = timed(lambda: analyzer.run_many(portfolio, scenarios))
    rows = frame.to_dicts()
    t_ref, ref = timed(lambda: reference_impacts(rows, scenarios))
    got = [r.pnl_cents for r in ours.results]
    assert all(abs(a - b) <= len(rows) for a, b in zip(got, ref, strict=True)), (got, ref)
    print(f"stress: {len(symbols)} holdings x {len(scenarios)} scenarios")
    print(f"  risk model (betas, factors, durations), once : {t_model * 1000:8.1f} ms")
    print(f"  engine, all scenarios (polars)               : {t_ours * 1000:8.1f} ms")
    print(
        f"  reference (Python loop over holdings)        : {t_ref * 1000:8.1f} ms"
        f"   ratio {t_ref / t_ours:5.1f}x"
    )


def reference_goal(draws: np.ndarray, goal: Goal, inflation: float) -> float:
    infl = (1 + inflation) ** (1 / 12)
    hits = 0
    for p in range(draws.shape[0]):
        w, level = goal.initial, 1.0
        for k in range(draws.shape[1]):
            level *= infl
            w = w * draws[p, k] + goal.monthly_contribution * level
        hits += w >= goal.target * level
    return hits / draws.shape[0]


def bench_goals() -> None:
    goal = Goal.custom(target=2_000_000, years=40, initial=50_000, monthly_contribution=1_000)
    planner = GoalPlanner(paths=10_000, seed=1)
    t_draw, draws = timed(lambda: planner.draws(480), repeat=1)
    t_ours, plan = timed(lambda: planner.plan(goal), repeat=1)
    t_solve, need = timed(lambda: planner.required_contribution(goal, 0.9), repeat=1)
    sub = draws[:1_000]
    t_ref, p_ref = timed(lambda: reference_goal(sub, goal, planner.inflation), repeat=1)
    small = GoalPlanner(paths=1_000, seed=1)
    assert math.isclose(small.probability(goal), p_ref)
    print("goals: 10,000 paths x 40 years monthly (480 steps)")
    print(f"  draws                                        : {t_draw * 1000:8.1f} ms")
    print(
        f"  plan (success, percentile paths)             : {t_ours * 1000:8.1f} ms"
        f"   P(success) {plan.probability:.1%}"
    )
    print(
        f"  contribution for 90% (bisection, same draws) : {t_solve * 1000:8.1f} ms"
        f"   ${need:,.2f}/month"
    )
    print(
        f"  reference (Python loop), scaled x10          : {t_ref * 10_000:8.1f} ms"
        f"   ratio {t_ref * 10 / t_ours:5.1f}x vs plan"
    )


def main() -> None:
    market = load_market()
    bench_stress(market)
    bench_goals()


if __name__ == "__main__":
    main()
