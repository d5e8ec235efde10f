"""Scores: monotone in their inputs, factors add up, history moves profit potential."""

from __future__ import annotations

import itertools
import math

import pytest

from axion_lab.signals import Direction, PatternStats
from axion_lab.signals.scoring import confidence, profit_potential, risk_assessment

BASE = {
    "close": 100.0,
    "atr_14": 2.0,
    "realized_vol_60": 0.30,
    "beta_252": 1.0,
    "avg_dollar_volume_20": 5e7,
    "sma_50": 98.0,
    "sma_200": 95.0,
    "ret_21": 0.03,
    "rsi_14": 55.0,
}


def risk(**changes: float | None) -> int:
    return risk_assessment({**BASE, **changes})[0].score


def test_risk_score_by_hand() -> None:
    # vol 0.45 -> (0.45 - 0.10) / 0.70 = 0.5; beta 1 -> 0.5; $10m/day: log10 = 7 ->
    # (7 - 9) / (5 - 9) = 0.5. Score 100 x (0.6 + 0.25 + 0.15) x 0.5 = 50.
    ra, factors = risk_assessment(
        {**BASE, "realized_vol_60": 0.45, "beta_252": 1.0, "avg_dollar_volume_20": 1e7}
    )
    assert ra.score == 50
    assert math.isclose(sum(f.points for f in factors), 50.0)
    assert ra.atr_pct == pytest.approx(0.02)
    # vol 0.80, |beta| 2.4 (clipped to 2), $100k/day: every component at 100.
    assert risk(realized_vol_60=0.8, beta_252=-2.4, avg_dollar_volume_20=1e5) == 100
    assert risk(realized_vol_60=0.05, beta_252=0.0, avg_dollar_volume_20=5e9) == 0


def test_higher_volatility_means_higher_risk() -> None:
    vols = [0.05, 0.10, 0.15, 0.25, 0.40, 0.60, 0.80, 1.20]
    scores = [risk(realized_vol_60=v) for v in vols]
    assert scores == sorted(scores)
    # Strictly higher wherever volatility is between the anchors (10 % and 80 %).
    inside = [risk(realized_vol_60=v) for v in (0.10, 0.20, 0.30, 0.50, 0.70, 0.80)]
    assert all(a < b for a, b in itertools.pairwise(inside))


def test_higher_beta_and_thinner_trading_mean_higher_risk() -> None:
    betas = [risk(beta_252=b) for b in (0.0, 0.5, 1.0, 1.5, 2.0)]
    assert all(a < b for a, b in itertools.pairwise(betas))
    liquid = [risk(avg_dollar_volume_20=v) for v in (1e9, 1e8, 1e7, 1e6, 1e5)]
    assert all(a < b for a, b in itertools.pairwise(liquid))


def test_missing_risk_inputs_count_as_risky() -> None:
    assert risk(realized_vol_60=None) > risk()
    assert risk(realized_vol_60=None, beta_252=None, avg_dollar_volume_20=None) == 100


def test_confidence_rises_with_agreement_and_flips_with_direction() -> None:
    bullish = {**BASE, "close": 110.0, "sma_50": 100.0, "sma_200": 90.0, "ret_21": 0.12}
    bearish = {**BASE, "close": 90.0, "sma_50": 100.0, "sma_200": 110.0, "ret_21": -0.12}
    long_up, _ = confidence(bullish, direction=Direction.LONG, strength=1.0)
    long_down, _ = confidence(bearish, direction=Direction.LONG, strength=1.0)
    short_down, _ = confidence(bearish, direction=Direction.SHORT, strength=1.0)
    assert long_up > long_down
    assert short_down > long_down
    weak, _ = confidence(bullish, direction=Direction.LONG, strength=0.2)
    agreed, factors = confidence(
        bullish, direction=Direction.LONG, strength=1.0, agreeing_sources=2
    )
    assert weak < long_up < agreed
    assert math.isclose(sum(f.points for f in factors), agreed, abs_tol=0.5)


def test_profit_potential_uses_history_only_with_enough_samples() -> None:
    plain, f1 = profit_potential(entry=100.0, target=110.0, reward_risk=2.0, stats=None)
    # Target 10 % away: 0.10 / 0.25 = 0.4 of the reward component -> 40.
    assert plain == 40
    assert [f.name for f in f1] == ["reward_size"]
    few = PatternStats("x", n=5, hit_rate=0.9, avg_return_bps=300)
    assert profit_potential(entry=100.0, target=110.0, reward_risk=2.0, stats=few)[0] == 40
    good = PatternStats("x", n=100, hit_rate=0.6, avg_return_bps=150)
    bad = PatternStats("x", n=100, hit_rate=0.2, avg_return_bps=-120)
    # Good: expectancy 0.6 x 2 - 0.4 = +0.8R -> 0.9; score 0.6 x 40 + 0.4 x 90 = 60.
    # Bad: 0.2 x 2 - 0.8 = -0.4R -> 0.3; score 0.6 x 40 + 0.4 x 30 = 36.
    assert profit_potential(entry=100.0, target=110.0, reward_risk=2.0, stats=good)[0] == 60
    assert profit_potential(entry=100.0, target=110.0, reward_risk=2.0, stats=bad)[0] == 36
