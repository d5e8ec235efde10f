"""User risk profiles, current holdings, and the matches made for them.

A :class:`UserProfile` says how much risk a user takes (0-100), which asset classes
they want and how much (weights), how long they hold, and their limits: the largest
position, the most in one sector, the most lost on one trade. Money is cents.

Examples
--------
>>> p = UserProfile("ada", risk_tolerance=25, asset_classes={"equity": 1.0, "etf": 0.5},
...                 portfolio_cents=10_000_000)
>>> p.max_risk_score, p.asset_weight("etf"), p.asset_weight("crypto")
(40, 0.5, 0.0)
>>> UserProfile("bob", risk_tolerance=120)
Traceback (most recent call last):
...
axion_lab.exceptions.InputError: risk_tolerance must be an integer from 0 to 100, got 120.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.signals.config import TimeHorizon, check_score
from axion_lab.signals.money import check_cents

__all__ = ["NAMED_PROFILES", "RISK_BAND", "Holding", "SignalMatch", "UserProfile", "profile_for"]

RISK_BAND = 15
"""Points above a user's tolerance a signal's risk may reach before it is excluded."""


def _fraction(value: float, name: str, *, allow_zero: bool = False) -> float:
    ok = math.isfinite(value) and (value >= 0.0 if allow_zero else value > 0.0) and value <= 1.0
    if not ok:
        raise InputError(f"{name} is a fraction in (0, 1] (0.05 = 5 %), got {value!r}.")
    return float(value)


@dataclass(frozen=True)
class UserProfile:
    """A user's risk tolerance, preferences and limits.

    Parameters
    ----------
    asset_classes
        Asset class -> preference weight (any positive scale; the largest counts as
        1). Classes not listed are excluded. Default: equities and ETFs equally.
    max_position_pct
        Largest single position, as a fraction of the portfolio.
    max_sector_pct
        Most of the portfolio in one sector (holdings plus proposed positions).
    max_loss_pct
        Most of the portfolio lost if one signal's stop is hit: sets the size.
    """

    user_id: str
    risk_tolerance: int = 50
    asset_classes: Mapping[str, float] = field(default_factory=lambda: {"equity": 1.0, "etf": 1.0})
    time_horizon: TimeHorizon = TimeHorizon.SWING
    portfolio_cents: int = 10_000_000
    max_position_pct: float = 0.05
    max_sector_pct: float = 0.25
    max_loss_pct: float = 0.01
    name: str = ""

    def __post_init__(self) -> None:
        if not self.user_id.strip():
            raise InputError("A profile needs a user_id.")
        check_score(self.risk_tolerance, "risk_tolerance")
        check_cents(self.portfolio_cents, "portfolio_cents")
        object.__setattr__(self, "time_horizon", TimeHorizon.parse(self.time_horizon))
        weights = {str(k).lower(): float(v) for k, v in self.asset_classes.items()}
        if not weights or any(not math.isfinite(v) or v < 0 for v in weights.values()):
            raise InputError("asset_classes needs at least one class with a weight >= 0.")
        if max(weights.values()) <= 0:
            raise InputError("At least one asset class needs a positive weight.")
        object.__setattr__(self, "asset_classes", weights)
        _fraction(self.max_position_pct, "max_position_pct")
        _fraction(self.max_sector_pct, "max_sector_pct")
        _fraction(self.max_loss_pct, "max_loss_pct")

    @property
    def max_risk_score(self) -> int:
        """The highest risk score this user is shown: tolerance plus :data:`RISK_BAND`."""
        return min(100, self.risk_tolerance + RISK_BAND)

    def asset_weight(self, asset_class: str) -> float:
        """Preference 0-1 for an asset class (0 = not wanted)."""
        top = max(self.asset_classes.values())
        return self.asset_classes.get(asset_class.lower(), 0.0) / top

    def replace(self, **changes: Any) -> UserProfile:
        """A copy with some attributes changed."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        doc = dataclasses.asdict(self)
        doc["time_horizon"] = self.time_horizon.value
        doc["asset_classes"] = dict(self.asset_classes)
        return doc


@dataclass(frozen=True)
class Holding:
    """A position the user already has: what counts against concentration limits."""

    symbol: str
    value_cents: int
    sector: str | None = None
    asset_class: str = "equity"

    def __post_init__(self) -> None:
        object.__setattr__(self, "symbol", self.symbol.strip().upper())
        check_cents(self.value_cents, f"value_cents of {self.symbol}")


@dataclass(frozen=True)
class SignalMatch:
    """One signal ranked for one user, with the reasons and the score breakdown.

    ``breakdown`` holds each component's 0-100 score (``risk``, ``asset``,
    ``horizon``, ``quality``, ``sizing``); ``score`` is their weighted sum.
    """

    user_id: str
    signal_id: str
    symbol: str
    rank: int
    score: int
    breakdown: Mapping[str, int]
    reasons: tuple[str, ...]
    shares: int
    position_cents: int

    def __post_init__(self) -> None:
        check_score(self.score, "match score")
        if self.rank < 1:
            raise InputError(f"rank starts at 1, got {self.rank}.")
        check_cents(self.position_cents, "position_cents")
        object.__setattr__(self, "breakdown", dict(self.breakdown))
        object.__setattr__(self, "reasons", tuple(self.reasons))

    def explain(self) -> str:
        """The match as readable text: score, breakdown and reasons."""
        parts = ", ".join(f"{k} {v}" for k, v in self.breakdown.items())
        lines = [f"#{self.rank} {self.symbol}: match {self.score}/100 ({parts})"]
        lines += [f"  - {r}" for r in self.reasons]
        return "\n".join(lines)


NAMED_PROFILES: Final = MappingProxyType({"conservative": 25, "moderate": 50, "aggressive": 80})
"""Named profiles -> risk tolerance (0-100) of the :class:`UserProfile` they stand for."""


def profile_for(name: str) -> UserProfile:
    """The :class:`UserProfile` for a name in :data:`NAMED_PROFILES` (any case).

    Examples
    --------
    >>> profile_for("Conservative").risk_tolerance
    25
    """
    key = name.strip().lower()
    if key not in NAMED_PROFILES:
        raise UnknownNameError.for_name("profile", name, list(NAMED_PROFILES))
    return UserProfile(key, risk_tolerance=NAMED_PROFILES[key], name=key.capitalize())
