"""Backtest arithmetic and statistics: hand-worked cases and quantstats."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import quantstats as qs

from axion_lab.exceptions import InputError
from axion_lab.screener.backtest import rebalance_dates
from axion_lab.screener.backtest_sim import simulate
from axion_lab.screener.backtest_stats import (
    cagr,
    max_drawdown,
    sharpe,
    sortino,
    volatility,
)

NAN = np.nan


def test_simulate_hand_worked_costs_drift_and_rebalance() -> None:
    prices = np.array(
        [
            [10.0, 20.0],
            [12.0, 20.0],  # A +20 %
            [12.0, 10.0],  # B -50 %: rebalance here back to 50/50
            [24.0, 10.0],  # A doubles
        ]
    )
    half = np.array([0.5, 0.5])
    run = simulate(prices, [0, 2], [half, half], cost_rate=0.01)
    # Day 0: buy 50/50 from cash: traded 1.0 -> cost 1 % of 1.0.
    v0 = 1.0 - 0.01
    # Day 1: A +20 % on half the book.
    v1 = v0 * (0.5 * 1.2 + 0.5)
    # Day 2: B halves; weights are then A 0.6/0.85, B 0.25/0.85.
    v2 = v0 * (0.5 * 1.2 + 0.5 * 0.5)
    w_a, w_b = 0.6 / 0.85, 0.25 / 0.85
    traded = abs(0.5 - w_a) + abs(0.5 - w_b)
    v2_after = v2 * (1 - 0.01 * traded)
    v3 = v2_after * (0.5 * 2.0 + 0.5)
    assert run.equity == pytest.approx([v0, v1, v2_after, v3], rel=1e-12)
    assert run.turnover == pytest.approx([0.5, traded / 2])
    assert run.costs == pytest.approx([0.01, 0.01 * traded])


def test_simulate_sells_a_delisted_holding_at_its_last_price() -> None:
    prices = np.array(
        [
            [10.0, 10.0],
            [11.0, 8.0],  # B's last bar
            [12.0, NAN],
            [13.0, NAN],
        ]
    )
    run = simulate(prices, [0], [np.array([0.5, 0.5])], cost_rate=0.002)
    v0 = 1.0 - 0.002
    b_units, a_units = 0.5 * v0 / 10.0, 0.5 * v0 / 10.0
    cash = b_units * 8.0 * (1 - 0.002)  # sold at its last close, paying the cost rate
    assert run.delisted == ((1, 1),)
    assert run.delisting_costs == pytest.approx(b_units * 8.0 * 0.002)
    assert run.equity[1] == pytest.approx(a_units * 11.0 + cash)
    assert run.equity[3] == pytest.approx(a_units * 13.0 + cash)  # cash earns nothing


def _plain_loop(prices: np.ndarray, rows: list[int], targets: list[np.ndarray], cost: float):
    """The module's rules restated as one step per session, for comparison."""
    valid = np.isfinite(prices)
    last = prices.shape[0] - 1 - np.argmax(valid[::-1], axis=0)
    filled = pd.DataFrame(prices).ffill().to_numpy()
    units, cash = np.zeros(prices.shape[1]), 1.0
    equity = np.full(prices.shape[0], NAN)
    sold = []
    for t in range(rows[0], prices.shape[0]):
        px = np.nan_to_num(filled[t])
        if t in rows:
            target = targets[rows.index(t)]
            value = cash + units @ px
            traded = np.abs(target - units * px / value).sum()
            after = value * (1 - cost * traded)
            units = np.divide(target * after, px, out=np.zeros_like(px), where=target > 0)
            cash = after * (1 - target.sum())
        for j in range(prices.shape[1]):
            if last[j] == t < prices.shape[0] - 1 and units[j] != 0:
                cash += units[j] * px[j] * (1 - cost)
                units[j] = 0.0
                sold.append((t, j))
        equity[t] = cash + units @ px
    return equity, sold


@pytest.mark.parametrize("seed", range(6))
def test_simulate_equals_a_plain_session_by_session_loop(seed: int) -> None:
    # Random walks with gaps and columns that end early (delistings) or start late,
    # random partial targets on random rebalance rows.
    rng = np.random.default_rng(seed)
    n, m = 120, 9
    prices = 50 * np.exp(np.cumsum(rng.normal(0, 0.02, (n, m)), axis=0))
    prices[rng.random((n, m)) < 0.05] = NAN
    for j in rng.choice(m, 3, replace=False):
        prices[rng.integers(20, n - 1) :, j] = NAN  # ends early
    prices[:30, rng.integers(m)] = NAN  # starts late
    rows = sorted(rng.choice(np.arange(5, n - 1), 8, replace=False).tolist())
    targets = []
    for r in rows:
        live = np.flatnonzero(np.isfinite(prices[r]))
        pick = rng.choice(live, min(3, live.size), replace=False)
        target = np.zeros(m)
        target[pick] = rng.dirichlet(np.ones(pick.size)) * rng.uniform(0.6, 1.0)
        targets.append(target)
    run = simulate(prices, rows, targets, cost_rate=0.003)
    expected, sold = _plain_loop(prices, rows, targets, 0.003)
    assert np.isnan(run.equity[: rows[0]]).all()
    np.testing.assert_allclose(run.equity[rows[0] :], expected[rows[0] :], rtol=1e-12)
    assert list(run.delisted) == sold


def test_simulate_cash_when_nothing_matches_and_bad_targets() -> None:
    prices = np.array([[10.0], [20.0], [40.0]])
    run = simulate(prices, [0, 1], [np.zeros(1), np.ones(1)], cost_rate=0.0)
    assert run.equity.tolist() == [1.0, 1.0, 2.0]
    with pytest.raises(InputError, match="summing to <= 1"):
        simulate(prices, [0], [np.array([1.5])], cost_rate=0.0)
    with pytest.raises(InputError, match="no bar"):
        simulate(np.array([[NAN], [1.0]]), [0], [np.ones(1)], cost_rate=0.0)
    with pytest.raises(InputError, match="increasing"):
        simulate(prices, [1, 1], [np.ones(1), np.ones(1)], cost_rate=0.0)


def test_rebalance_dates_are_period_ends() -> None:
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(0, 200, 3)]
    monthly = rebalance_dates(days, "monthly")
    quarterly = rebalance_dates(days, "quarterly")
    assert [d.month for d in monthly] == list(range(1, 8))
    assert all(max(x for x in days if x.month == d.month) == d for d in monthly)
    assert quarterly == [max(x for x in days if (x.month - 1) // 3 == q) for q in range(3)]
    with pytest.raises(InputError, match="monthly"):
        rebalance_dates(days, "weekly")  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_statistics_match_quantstats(seed: int) -> None:
    rng = np.random.default_rng(seed)
    r = rng.normal(0.0004, 0.012, 700)
    r[0] = -0.03  # a first-day loss: the drawdown must count it from the start
    series = pd.Series(r, index=pd.bdate_range("2020-01-01", periods=r.size))
    assert cagr(r) == pytest.approx(qs.stats.cagr(series, periods=252), rel=1e-9)
    assert volatility(r) == pytest.approx(qs.stats.volatility(series, periods=252), rel=1e-9)
    assert sharpe(r) == pytest.approx(qs.stats.sharpe(series, rf=0.0, periods=252), rel=1e-9)
    assert sortino(r) == pytest.approx(qs.stats.sortino(series, rf=0.0, periods=252), rel=1e-9)
    assert max_drawdown(r) == pytest.approx(qs.stats.max_drawdown(series), rel=1e-9)


def test_statistics_edge_cases() -> None:
    assert np.isnan(sharpe(np.zeros(10)))
    assert np.isnan(sortino(np.full(5, 0.01)))  # no downside
    assert max_drawdown(np.array([])) == 0.0
    assert np.isnan(cagr(np.array([NAN])))
