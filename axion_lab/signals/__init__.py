"""Signals: scanner and screener hits turned into scored ideas matched to each user.

* :func:`generate_signals` scores hits (:class:`Hit`; :func:`hits_from_screen`,
  :func:`hits_from_scan`) into :class:`Signal` s: entry at the last close, target and
  stop at ATR multiples, prices in integer cents, and documented risk, profit-potential
  and confidence scores 0-100 with the :class:`SignalFactor` s behind them.
* :func:`calibrate` shows what each score bucket did historically, point in time.
* :func:`match_signals` ranks signals for a :class:`UserProfile`, sized within the
  user's limits, each with reasons and a score breakdown.
* :func:`evaluate_outcomes` marks signals hit target / hit stop / expired;
  :class:`SignalStore` persists all of it.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.screener import ScreenerEngine
>>> from axion_lab.signals import UserProfile, generate_signals, hits_from_screen, match_signals
>>> market = load_market()
>>> found = ScreenerEngine(market).run("low_volatility", as_of="2024-06-28")
>>> signals = generate_signals(market, hits_from_screen(found))
>>> ranked = match_signals(signals, UserProfile("ada", risk_tolerance=30))
>>> all(signals.get(m.symbol)[0].risk_score <= 45 for m in ranked)
True
"""

from __future__ import annotations

from axion_lab.signals.calibration import (
    SCORES,
    CalibrationResult,
    calibrate,
    pattern_stats,
    scan_hits_at,
    universe_hits,
)
from axion_lab.signals.config import (
    BUCKET_EDGES,
    Direction,
    RiskLevel,
    SignalStatus,
    TimeHorizon,
    bucket_label,
)
from axion_lab.signals.features import FEATURE_COLUMNS, signal_features
from axion_lab.signals.generate import (
    SignalSet,
    SkippedHit,
    expiry_date,
    generate_signals,
)
from axion_lab.signals.hits import STRENGTH_LABELS, Hit, SimpleHit, hits_from_scan, hits_from_screen
from axion_lab.signals.matching import MatchResult, RejectedSignal, match_signals
from axion_lab.signals.models import RiskAssessment, Signal, SignalFactor, SignalPerformance
from axion_lab.signals.money import cents_to_price, price_to_cents, return_bps
from axion_lab.signals.profiles import (
    NAMED_PROFILES,
    RISK_BAND,
    Holding,
    SignalMatch,
    UserProfile,
    profile_for,
)
from axion_lab.signals.scoring import PatternStats
from axion_lab.signals.store import SignalStore
from axion_lab.signals.tracking import OutcomeSet, evaluate_outcomes

__all__ = [
    "BUCKET_EDGES",
    "FEATURE_COLUMNS",
    "NAMED_PROFILES",
    "RISK_BAND",
    "SCORES",
    "STRENGTH_LABELS",
    "CalibrationResult",
    "Direction",
    "Hit",
    "Holding",
    "MatchResult",
    "OutcomeSet",
    "PatternStats",
    "RejectedSignal",
    "RiskAssessment",
    "RiskLevel",
    "Signal",
    "SignalFactor",
    "SignalMatch",
    "SignalPerformance",
    "SignalSet",
    "SignalStatus",
    "SignalStore",
    "SimpleHit",
    "SkippedHit",
    "TimeHorizon",
    "UserProfile",
    "bucket_label",
    "calibrate",
    "cents_to_price",
    "evaluate_outcomes",
    "expiry_date",
    "generate_signals",
    "hits_from_scan",
    "hits_from_screen",
    "match_signals",
    "pattern_stats",
    "price_to_cents",
    "profile_for",
    "return_bps",
    "scan_hits_at",
    "signal_features",
    "universe_hits",
]
