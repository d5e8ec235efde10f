"""Enums and documented defaults of the signals engine.

Scores are integers 0-100 (``risk_score``, ``profit_potential_score``,
``confidence_score``); the level enums are derived from them, never stored apart.
Every threshold the scorers use lives here, with the reason for its value.

Examples
--------
>>> from axion_lab.signals.config import Direction, RiskLevel, TimeHorizon
>>> RiskLevel.from_score(65)
<RiskLevel.HIGH: 'high'>
>>> TimeHorizon.SWING.sessions, TimeHorizon.SWING.target_atr, TimeHorizon.SWING.stop_atr
(20, 3.0, 1.5)
>>> Direction.parse("Short").sign
-1
"""

from __future__ import annotations

import itertools
from enum import StrEnum
from typing import Final

from axion_lab.exceptions import InputError, UnknownNameError

__all__ = [
    "BUCKET_EDGES",
    "CONFIDENCE_WEIGHTS",
    "MATCH_WEIGHTS",
    "MIN_PATTERN_SAMPLES",
    "RISK_ANCHORS",
    "RISK_WEIGHTS",
    "Direction",
    "RiskLevel",
    "SignalStatus",
    "TimeHorizon",
    "bucket_label",
    "check_score",
]


class Direction(StrEnum):
    """Which way a signal bets: ``long`` profits when the price rises."""

    LONG = "long"
    SHORT = "short"

    @property
    def sign(self) -> int:
        """+1 for long, -1 for short: multiplies a price change into a P&L."""
        return 1 if self is Direction.LONG else -1

    @classmethod
    def parse(cls, value: Direction | str) -> Direction:
        """A direction from its name, any case (``"bullish"``/``"bearish"`` accepted)."""
        if isinstance(value, Direction):
            return value
        text = str(value).strip().lower()
        aliases = {"bullish": "long", "buy": "long", "bearish": "short", "sell": "short"}
        text = aliases.get(text, text)
        try:
            return cls(text)
        except ValueError:
            raise UnknownNameError.for_name(
                "direction", str(value), [d.value for d in cls]
            ) from None


class TimeHorizon(StrEnum):
    """How long a signal lives, and the ATR multiples that set its target and stop.

    The multiples give every horizon a 2:1 reward-to-risk ratio in ATR units, the
    usual swing-trading convention; longer horizons get wider levels because a price
    wanders roughly with the square root of time (5 → 20 → 60 sessions is about
    x2, x3.5 of the daily ATR's reach).
    """

    SHORT = "short"
    SWING = "swing"
    POSITION = "position"

    @property
    def sessions(self) -> int:
        """Trading sessions until the signal expires."""
        return {"short": 5, "swing": 20, "position": 60}[self.value]

    @property
    def target_atr(self) -> float:
        """Target distance from entry, in ATR(14) multiples."""
        return {"short": 1.5, "swing": 3.0, "position": 5.0}[self.value]

    @property
    def stop_atr(self) -> float:
        """Stop distance from entry, in ATR(14) multiples."""
        return {"short": 0.75, "swing": 1.5, "position": 2.5}[self.value]

    @classmethod
    def parse(cls, value: TimeHorizon | str) -> TimeHorizon:
        """A horizon from its name, any case."""
        if isinstance(value, TimeHorizon):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise UnknownNameError.for_name(
                "time horizon", str(value), [h.value for h in cls]
            ) from None


class RiskLevel(StrEnum):
    """A risk score's band: five equal bands of 20 points."""

    VERY_LOW = "very_low"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    VERY_HIGH = "very_high"

    @classmethod
    def from_score(cls, score: int) -> RiskLevel:
        """The band of a 0-100 score: [0, 20) very low ... [80, 100] very high."""
        check_score(score, "risk_score")
        bands = list(cls)
        return bands[min(score // 20, 4)]


class SignalStatus(StrEnum):
    """Where a signal stands: open until its target, stop or expiry is reached."""

    ACTIVE = "active"
    HIT_TARGET = "hit_target"
    HIT_STOP = "hit_stop"
    EXPIRED = "expired"

    @property
    def is_closed(self) -> bool:
        """Whether the outcome is final."""
        return self is not SignalStatus.ACTIVE


def check_score(value: object, name: str) -> int:
    """``value`` as an int score, or :class:`InputError` if it is not an integer in 0-100.

    Examples
    --------
    >>> check_score(42, "risk_score")
    42
    >>> check_score(101, "risk_score")
    Traceback (most recent call last):
    ...
    axion_lab.exceptions.InputError: risk_score must be an integer from 0 to 100, got 101.
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise InputError(f"{name} must be an integer from 0 to 100, got {value!r}.")
    return value


BUCKET_EDGES: Final[tuple[int, ...]] = (0, 20, 40, 60, 80, 101)
"""Calibration buckets: [0, 20), [20, 40), ... [80, 100]; the last edge is exclusive."""


def bucket_label(score: int) -> str:
    """The calibration bucket of a score, e.g. ``"40-60"`` (``"80-100"`` for the top).

    Examples
    --------
    >>> bucket_label(0), bucket_label(59), bucket_label(100)
    ('0-20', '40-60', '80-100')
    """
    for lo, hi in itertools.pairwise(BUCKET_EDGES):
        if lo <= score < hi:
            return f"{lo}-{min(hi, 100)}"
    raise InputError(f"score must be 0-100, got {score}.")


RISK_ANCHORS: Final[dict[str, tuple[float, float]]] = {
    "volatility": (0.10, 0.80),
    "beta": (0.0, 2.0),
    "illiquidity": (9.0, 5.0),
}
"""Where each risk component scores 0 and 100 (linear between, clipped outside).

* volatility: annualised 60-session realised vol. 10 % is a utility or bond fund,
  80 % a speculative small cap or a crypto coin.
* beta: absolute 252-session beta to the market; 2 is twice the market's swings.
* illiquidity: log10 of the 20-session average dollar volume, reversed: $1bn a day
  (9) scores 0, $100k a day (5) scores 100, because thin names gap and slip.
"""

RISK_WEIGHTS: Final[dict[str, float]] = {"volatility": 0.6, "beta": 0.25, "illiquidity": 0.15}
"""Volatility dominates: it is what sets the stop distance and the drawdown path."""

CONFIDENCE_WEIGHTS: Final[dict[str, float]] = {
    "hit_strength": 0.30,
    "trend_50": 0.20,
    "trend_200": 0.15,
    "momentum_21": 0.15,
    "rsi_room": 0.10,
    "source_agreement": 0.10,
}
"""Weights of the factors whose agreement with the direction makes up confidence."""

MIN_PATTERN_SAMPLES: Final = 30
"""Resolved signals a source needs before its history moves profit potential."""

MATCH_WEIGHTS: Final[dict[str, float]] = {
    "risk": 0.35,
    "asset": 0.20,
    "horizon": 0.15,
    "quality": 0.20,
    "sizing": 0.10,
}
"""How a match score is made up (see :mod:`axion_lab.signals.matching`)."""
