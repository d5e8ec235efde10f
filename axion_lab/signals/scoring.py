"""The three scores, as documented formulas over one symbol's point-in-time inputs.

Every score is a weighted sum of components in [0, 1] (linear between two anchors,
clipped outside: :func:`ramp`), times 100, rounded half to even. Each component is
returned as a :class:`~axion_lab.signals.models.SignalFactor` with the points it
contributes, so the factors of a score add up to it.

**Risk** (:func:`risk_assessment`): 60 % volatility (annualised 60-session vol,
10 % → 0, 80 % → 100), 25 % |beta| (0 → 0, 2 → 100), 15 % illiquidity (average
dollar volume $1bn → 0, $100k → 100, on a log scale). A missing input scores as
fully risky: what we cannot measure we do not treat as safe.

**Profit potential** (:func:`profit_potential`): the reward's size, target distance
as a fraction of entry (0 → 0, 25 % → 100); and, once the source has at least
:data:`~axion_lab.signals.config.MIN_PATTERN_SAMPLES` resolved signals, its history:
expectancy in units of risk, ``hit_rate x reward/risk - (1 - hit_rate)`` (-1R → 0,
+1R → 100). Size and history weigh 60/40; without history size alone counts.

**Confidence** (:func:`confidence`): how many independent factors agree with the
direction: the hit's own strength (30 %), price vs SMA50 (20 %), SMA50 vs SMA200
(15 %), 21-session momentum (15 %), RSI room to run (10 %) and other sources hitting
the same symbol the same way (10 %). A missing input counts as neutral (0.5).

Examples
--------
>>> ramp(30, 20, 40), ramp(50, 20, 40), ramp(30, 40, 20)   # halfway, clipped, reversed
(0.5, 1.0, 0.5)
>>> ra, factors = risk_assessment({"realized_vol_60": 0.45, "beta_252": 1.0,
...     "avg_dollar_volume_20": 1e7, "atr_14": 2.0, "close": 100.0})
>>> ra.score   # 100 x (0.6 x 0.5 + 0.25 x 0.5 + 0.15 x 0.5)
50
>>> round(sum(f.points for f in factors), 6)
50.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from axion_lab.signals.config import (
    CONFIDENCE_WEIGHTS,
    MIN_PATTERN_SAMPLES,
    RISK_ANCHORS,
    RISK_WEIGHTS,
    Direction,
)
from axion_lab.signals.models import FactorKind, RiskAssessment, SignalFactor

__all__ = [
    "PatternStats",
    "confidence",
    "profit_potential",
    "ramp",
    "risk_assessment",
]

_REWARD_FULL = 0.25
"""A target 25 % away from entry scores the full reward component."""
_PROFIT_WEIGHTS = {"reward_size": 0.6, "history": 0.4}


@dataclass(frozen=True)
class PatternStats:
    """A source's resolved history: how often its signals hit target, and the mean return."""

    source: str
    n: int
    hit_rate: float
    avg_return_bps: float


def ramp(value: float | None, zero_at: float, full_at: float) -> float:
    """0 at ``zero_at``, 1 at ``full_at``, linear between and clipped (anchors may be reversed)."""
    if value is None or not math.isfinite(value):
        raise ValueError("ramp() needs a finite value")
    t = (value - zero_at) / (full_at - zero_at)
    return min(1.0, max(0.0, t))


def _num(row: Mapping[str, Any], key: str) -> float | None:
    value = row.get(key)
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _combine(
    kind: FactorKind,
    parts: list[tuple[str, float | None, float, float, str]],
) -> tuple[int, tuple[SignalFactor, ...]]:
    """Weighted score 0-100 and its factors from (name, value, agreement, weight, detail)."""
    total = sum(w for _, _, _, w, _ in parts)
    factors = tuple(
        SignalFactor(name, kind, value, agree, w, 100.0 * w * agree / total, detail)
        for name, value, agree, w, detail in parts
    )
    score = round(sum(f.points for f in factors))
    return min(100, max(0, score)), factors


def risk_assessment(row: Mapping[str, Any]) -> tuple[RiskAssessment, tuple[SignalFactor, ...]]:
    """Risk score and its factors from a features row (see the module docstring)."""
    vol = _num(row, "realized_vol_60")
    beta = _num(row, "beta_252")
    adv = _num(row, "avg_dollar_volume_20")
    log_adv = math.log10(adv) if adv is not None and adv > 0 else None
    parts: list[tuple[str, float | None, float, float, str]] = []
    for name, value, shown in (
        ("volatility", vol, f"{vol:.0%} annualised" if vol is not None else "no data"),
        (
            "beta",
            abs(beta) if beta is not None else None,
            f"{beta:.2f}" if beta is not None else "no data",
        ),
        ("illiquidity", log_adv, f"${adv:,.0f}/day" if adv is not None else "no data"),
    ):
        lo, hi = RISK_ANCHORS[name]
        agree = 1.0 if value is None else ramp(value, lo, hi)
        parts.append((name, value, agree, RISK_WEIGHTS[name], shown))
    score, factors = _combine("risk", parts)
    atr = _num(row, "atr_14") or 0.0
    close = _num(row, "close") or 0.0
    assessment = RiskAssessment(
        score=score,
        volatility=vol,
        beta=beta,
        avg_dollar_volume=adv,
        atr=atr,
        atr_pct=atr / close if close > 0 else 0.0,
        components={f.name: round(100 * f.agreement, 2) for f in factors},
    )
    return assessment, factors


def profit_potential(
    *, entry: float, target: float, reward_risk: float, stats: PatternStats | None
) -> tuple[int, tuple[SignalFactor, ...]]:
    """Profit potential from the target's distance and the source's resolved history."""
    distance = abs(target - entry) / entry
    parts: list[tuple[str, float | None, float, float, str]] = [
        (
            "reward_size",
            distance,
            ramp(distance, 0.0, _REWARD_FULL),
            _PROFIT_WEIGHTS["reward_size"],
            f"target {distance:.1%} from entry",
        )
    ]
    if stats is not None and stats.n >= MIN_PATTERN_SAMPLES:
        expectancy = stats.hit_rate * reward_risk - (1.0 - stats.hit_rate)
        parts.append(
            (
                "history",
                expectancy,
                ramp(expectancy, -1.0, 1.0),
                _PROFIT_WEIGHTS["history"],
                f"{stats.source}: {stats.hit_rate:.0%} hit target over {stats.n} signals, "
                f"expectancy {expectancy:+.2f}R, mean {stats.avg_return_bps:+.0f} bps",
            )
        )
    return _combine("profit", parts)


def confidence(
    row: Mapping[str, Any],
    *,
    direction: Direction,
    strength: float,
    agreeing_sources: int = 0,
    opposing_sources: int = 0,
) -> tuple[int, tuple[SignalFactor, ...]]:
    """Confidence: the weighted share of factors that agree with ``direction``."""
    s = direction.sign
    close, sma50, sma200 = _num(row, "close"), _num(row, "sma_50"), _num(row, "sma_200")
    ret21, rsi = _num(row, "ret_21"), _num(row, "rsi_14")

    def graded(x: float | None, lo: float, hi: float) -> float:
        return 0.5 if x is None else ramp(x, lo, hi)

    trend50 = s * (close / sma50 - 1) if close and sma50 else None
    trend200 = s * (sma50 / sma200 - 1) if sma50 and sma200 else None
    momentum = s * ret21 if ret21 is not None else None
    # Room to run: an RSI at 50 leaves all of it, at 80 (20 for a short) none.
    room = None if rsi is None else (ramp(rsi, 80, 50) if s > 0 else ramp(rsi, 20, 50))
    net_sources = agreeing_sources - opposing_sources
    w = CONFIDENCE_WEIGHTS
    parts: list[tuple[str, float | None, float, float, str]] = [
        ("hit_strength", strength, strength, w["hit_strength"], f"strength {strength:.2f}"),
        ("trend_50", trend50, graded(trend50, -0.05, 0.05), w["trend_50"], "price vs SMA50"),
        ("trend_200", trend200, graded(trend200, -0.05, 0.05), w["trend_200"], "SMA50 vs SMA200"),
        (
            "momentum_21",
            momentum,
            graded(momentum, -0.10, 0.10),
            w["momentum_21"],
            "21-session return",
        ),
        ("rsi_room", rsi, 0.5 if room is None else room, w["rsi_room"], "RSI(14) room to run"),
        (
            "source_agreement",
            float(net_sources),
            ramp(float(net_sources), 0.0, 2.0),
            w["source_agreement"],
            f"{agreeing_sources} other source(s) agree, {opposing_sources} oppose",
        ),
    ]
    return _combine("confidence", parts)
