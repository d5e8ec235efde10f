"""Trade ideas: structured, validated, checked against the user's profile.

An idea is advice to a human. Nothing here (or anywhere in the copilot) places an
order: there is no broker, and the paper-trading engine is not called.

Examples
--------
>>> from axion_lab.copilot.ideas import TradeIdea, assess_suitability
>>> idea = TradeIdea(symbol="acme", direction="long", thesis="Cheap vs peers [T1].",
...                  entry=100.0, target=120.0, stop=92.0, horizon="medium_term",
...                  risk_score=55, supporting=("T1",))
>>> idea.symbol, idea.reward_to_risk
('ACME', 2.5)
>>> assess_suitability(idea, "conservative", "value")
('Risk score 55 is above 40, the most a conservative profile takes.',)
>>> TradeIdea(symbol="ACME", direction="long", thesis="x", entry=100, target=90, stop=95,
...           horizon="short_term", risk_score=30)
Traceback (most recent call last):
...
axion_lab.exceptions.InputError: A long idea needs target > entry > stop; got entry 100, ...
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, TypeVar

from axion_lab.copilot.config import (
    InvestmentStyle,
    RiskTolerance,
    investment_style,
    risk_tolerance,
)
from axion_lab.exceptions import InputError, UnknownNameError

__all__ = ["Direction", "Horizon", "TradeIdea", "assess_suitability"]

_E = TypeVar("_E", bound=StrEnum)


class Direction(StrEnum):
    """Long profits from a rise, short from a fall."""

    LONG = "long"
    SHORT = "short"


class Horizon(StrEnum):
    """How long the idea is expected to take to play out."""

    SHORT_TERM = "short_term"  # days to a few weeks
    MEDIUM_TERM = "medium_term"  # one to six months
    LONG_TERM = "long_term"  # six months and more

    @property
    def label(self) -> str:
        """Human wording of the horizon."""
        return {
            "short_term": "days to weeks",
            "medium_term": "1-6 months",
            "long_term": "6 months or more",
        }[self.value]


def _member(kind: type[_E], value: object, what: str) -> _E:
    if isinstance(value, kind):
        return value
    try:
        return kind(str(value).strip().lower())
    except ValueError:
        raise UnknownNameError.for_name(what, str(value), [m.value for m in kind]) from None


def _price(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"The idea's {name} must be a number, got {value!r}.")
    out = float(value)
    if not math.isfinite(out) or out <= 0:
        raise InputError(f"The idea's {name} must be a positive price, got {value!r}.")
    return out


@dataclasses.dataclass(frozen=True)
class TradeIdea:
    """One trade idea, validated on construction.

    Attributes
    ----------
    symbol, direction, thesis
        What, which way, and why (citing tool results, e.g. ``[T2]``).
    entry, target, stop
        Prices. A long needs ``target > entry > stop``; a short ``target < entry < stop``.
    horizon
        :class:`Horizon`.
    risk_score
        0 (lowest) to 100 (highest), an integer like every score in Axion Lab.
    supporting
        Ids of the tool results the idea rests on (``"T1"``...).
    warnings
        Suitability warnings for the session's profile (see :func:`assess_suitability`).
    """

    symbol: str
    direction: Direction
    thesis: str
    entry: float
    target: float
    stop: float
    horizon: Horizon
    risk_score: int
    supporting: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        symbol = str(self.symbol).strip().upper()
        if not symbol:
            raise InputError("A trade idea needs a symbol.")
        object.__setattr__(self, "symbol", symbol)
        object.__setattr__(self, "direction", _member(Direction, self.direction, "direction"))
        object.__setattr__(self, "horizon", _member(Horizon, self.horizon, "horizon"))
        if not str(self.thesis).strip():
            raise InputError("A trade idea needs a thesis: say why, citing tool results.")
        entry, target, stop = (
            _price("entry", self.entry),
            _price("target", self.target),
            _price("stop", self.stop),
        )
        for name, value in (("entry", entry), ("target", target), ("stop", stop)):
            object.__setattr__(self, name, value)
        score = self.risk_score
        if isinstance(score, bool) or not isinstance(score, int | float) or score != int(score):
            raise InputError(f"risk_score must be a whole number 0-100, got {score!r}.")
        if not 0 <= score <= 100:
            raise InputError(f"risk_score must be between 0 and 100, got {score}.")
        object.__setattr__(self, "risk_score", int(score))
        if self.direction is Direction.LONG and not target > entry > stop:
            raise InputError(
                f"A long idea needs target > entry > stop; got entry {entry:g}, target "
                f"{target:g}, stop {stop:g}. For a bet on a fall use direction 'short'."
            )
        if self.direction is Direction.SHORT and not target < entry < stop:
            raise InputError(
                f"A short idea needs target < entry < stop; got entry {entry:g}, target "
                f"{target:g}, stop {stop:g}. For a bet on a rise use direction 'long'."
            )
        object.__setattr__(self, "supporting", tuple(str(s) for s in self.supporting))
        object.__setattr__(self, "warnings", tuple(str(w) for w in self.warnings))

    @property
    def reward_to_risk(self) -> float:
        """Distance to target over distance to stop (2.0: twice the gain of the loss)."""
        return round(abs(self.target - self.entry) / abs(self.entry - self.stop), 2)

    @property
    def upside(self) -> float:
        """Gain to target as a fraction of entry (positive for both directions)."""
        return abs(self.target - self.entry) / self.entry

    @property
    def downside(self) -> float:
        """Loss to stop as a fraction of entry."""
        return abs(self.entry - self.stop) / self.entry

    def with_warnings(self, warnings: Iterable[str]) -> TradeIdea:
        """A copy carrying ``warnings``."""
        return dataclasses.replace(self, warnings=tuple(warnings))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (enums as their values)."""
        out = dataclasses.asdict(self)
        out["direction"] = self.direction.value
        out["horizon"] = self.horizon.value
        out["supporting"] = list(self.supporting)
        out["warnings"] = list(self.warnings)
        return out

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> TradeIdea:
        """Rebuild an idea written by :meth:`to_dict` (validated again)."""
        return cls(
            **{
                **doc,
                "supporting": tuple(doc.get("supporting", ())),
                "warnings": tuple(doc.get("warnings", ())),
            }
        )

    def _repr_html_(self) -> str:
        from axion_lab.copilot.render import idea_card

        return idea_card(self)


_STYLE_HORIZONS = {
    InvestmentStyle.VALUE: {Horizon.MEDIUM_TERM, Horizon.LONG_TERM},
    InvestmentStyle.QUALITY: {Horizon.MEDIUM_TERM, Horizon.LONG_TERM},
    InvestmentStyle.INCOME: {Horizon.LONG_TERM, Horizon.MEDIUM_TERM},
    InvestmentStyle.GROWTH: {Horizon.MEDIUM_TERM, Horizon.LONG_TERM},
    InvestmentStyle.MOMENTUM: {Horizon.SHORT_TERM, Horizon.MEDIUM_TERM},
    InvestmentStyle.BALANCED: set(Horizon),
}


def assess_suitability(
    idea: TradeIdea,
    tolerance: RiskTolerance | str,
    style: InvestmentStyle | str,
) -> tuple[str, ...]:
    """Warnings where ``idea`` does not fit the profile (empty when it fits).

    The rules are deliberately simple and stated in the warnings themselves: a risk
    score above the tolerance's cap, a short for a non-aggressive profile, a stop
    wider than the tolerance accepts (10 % conservative, 20 % moderate), reward
    below risk, a horizon the style does not usually hold, and an idea that cites
    no tool result.
    """
    tol = risk_tolerance(tolerance)
    sty = investment_style(style)
    out: list[str] = []
    if idea.risk_score > tol.max_risk_score:
        out.append(
            f"Risk score {idea.risk_score} is above {tol.max_risk_score}, the most a "
            f"{tol.value} profile takes."
        )
    if idea.direction is Direction.SHORT and not tol.allows_short:
        out.append(
            f"Short selling can lose more than the stake; a {tol.value} profile does not short."
        )
    max_loss = {RiskTolerance.CONSERVATIVE: 0.10, RiskTolerance.MODERATE: 0.20}.get(tol)
    if max_loss is not None and idea.downside > max_loss + 1e-12:
        out.append(
            f"The stop is {idea.downside:.1%} from entry, wider than the {max_loss:.0%} a "
            f"{tol.value} profile accepts."
        )
    if idea.reward_to_risk < 1:
        out.append(
            f"Reward to risk is {idea.reward_to_risk:g}: the stop is nearer than the target."
        )
    if idea.horizon not in _STYLE_HORIZONS[sty]:
        out.append(f"A {idea.horizon.label} horizon is unusual for a {sty.value} style.")
    if not idea.supporting:
        out.append("The idea cites no tool result: its numbers cannot be traced.")
    return tuple(out)
