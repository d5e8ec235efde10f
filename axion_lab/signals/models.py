"""Signals as data: frozen, validated at construction, prices in integer cents.

A :class:`Signal` is one scored idea: a symbol, a direction, entry/target/stop in
cents, three 0-100 scores and the :class:`SignalFactor` rows that explain them. The
price levels must sit on the right side of each other for the direction (long:
``target > entry > stop``; short: ``stop > entry > target``), so an inverted idea
cannot be stored.

Examples
--------
>>> import datetime as dt
>>> from axion_lab.signals.models import Signal
>>> s = Signal(symbol="ACME", direction="long", entry_cents=10_000, target_cents=10_600,
...            stop_cents=9_700, risk_score=35, profit_potential_score=50,
...            confidence_score=70, source="momentum", horizon="swing",
...            as_of=dt.date(2024, 6, 28), expires_on=dt.date(2024, 7, 26))
>>> s.risk_level.value, s.reward_risk
('low', 2.0)
>>> Signal(symbol="ACME", direction="long", entry_cents=10_000, target_cents=9_000,
...        stop_cents=9_700, risk_score=35, profit_potential_score=50, confidence_score=70,
...        source="x", horizon="swing", as_of=dt.date(2024, 6, 28),
...        expires_on=dt.date(2024, 7, 26))
Traceback (most recent call last):
...
axion_lab.exceptions.InputError: A long signal on ACME needs target > entry > stop (in cents); \
got target 9000, entry 10000, stop 9700.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import polars as pl

from axion_lab.exceptions import InputError
from axion_lab.signals.config import (
    Direction,
    RiskLevel,
    SignalStatus,
    TimeHorizon,
    check_score,
)
from axion_lab.signals.money import check_cents, return_bps

__all__ = [
    "FACTOR_SCHEMA",
    "SIGNAL_SCHEMA",
    "FactorKind",
    "RiskAssessment",
    "Signal",
    "SignalFactor",
    "SignalPerformance",
    "signal_id",
]

FactorKind = Literal["risk", "profit", "confidence"]
_KINDS: tuple[str, ...] = ("risk", "profit", "confidence")

SIGNAL_SCHEMA: Final = pl.Schema(
    {
        "id": pl.String,
        "symbol": pl.String,
        "direction": pl.String,
        "entry_cents": pl.Int64,
        "target_cents": pl.Int64,
        "stop_cents": pl.Int64,
        "risk_score": pl.Int64,
        "risk_level": pl.String,
        "profit_potential_score": pl.Int64,
        "confidence_score": pl.Int64,
        "source": pl.String,
        "horizon": pl.String,
        "as_of": pl.Date,
        "expires_on": pl.Date,
        "asset_class": pl.String,
        "sector": pl.String,
    }
)
"""Columns of a frame of signals (:meth:`Signal.to_row`)."""

FACTOR_SCHEMA: Final = pl.Schema(
    {
        "id": pl.String,
        "symbol": pl.String,
        "name": pl.String,
        "kind": pl.String,
        "value": pl.Float64,
        "agreement": pl.Float64,
        "weight": pl.Float64,
        "points": pl.Float64,
        "detail": pl.String,
    }
)
"""Columns of a frame of factors: the signal's id and symbol, then :class:`SignalFactor`."""


def signal_id(
    symbol: str, direction: Direction, source: str, as_of: dt.date, horizon: TimeHorizon
) -> str:
    """A stable 32-hex id: the same idea generated twice is the same row.

    Examples
    --------
    >>> len(signal_id("ACME", Direction.LONG, "value", dt.date(2024, 1, 2), TimeHorizon.SWING))
    32
    """
    key = f"{symbol}|{direction.value}|{source}|{as_of.isoformat()}|{horizon.value}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class SignalFactor:
    """One input to a score and how many points of it it accounts for.

    ``agreement`` is 0-1 (1 = fully pushes the score up); ``points`` is the factor's
    share of the final score, so a score's factors add up to it (before rounding).
    """

    name: str
    kind: FactorKind
    value: float | None
    agreement: float
    weight: float
    points: float
    detail: str = ""

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise InputError(f"A factor's kind is one of {list(_KINDS)}, got {self.kind!r}.")
        if not 0.0 <= self.agreement <= 1.0 or not math.isfinite(self.agreement):
            raise InputError(f"Factor {self.name!r}: agreement must be in [0, 1].")
        if self.value is not None and not math.isfinite(self.value):
            object.__setattr__(self, "value", None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class RiskAssessment:
    """The inputs behind a risk score: volatility, beta, liquidity and the ATR.

    ``components`` holds each component's 0-100 sub-score (see
    :data:`~axion_lab.signals.config.RISK_ANCHORS`).
    """

    score: int
    volatility: float | None
    beta: float | None
    avg_dollar_volume: float | None
    atr: float
    atr_pct: float
    components: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_score(self.score, "risk_score")
        object.__setattr__(self, "components", dict(self.components))

    @property
    def level(self) -> RiskLevel:
        """The score's band."""
        return RiskLevel.from_score(self.score)


@dataclass(frozen=True, kw_only=True)
class Signal:
    """One scored trade idea; see the module docstring for the price rules."""

    symbol: str
    direction: Direction
    entry_cents: int
    target_cents: int
    stop_cents: int
    risk_score: int
    profit_potential_score: int
    confidence_score: int
    source: str
    horizon: TimeHorizon
    as_of: dt.date
    expires_on: dt.date
    asset_class: str = "equity"
    sector: str | None = None
    factors: tuple[SignalFactor, ...] = ()
    risk: RiskAssessment | None = None
    id: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if not isinstance(self.symbol, str) or not self.symbol.strip():
            raise InputError("A signal needs a symbol.")
        set_(self, "symbol", self.symbol.strip().upper())
        set_(self, "direction", Direction.parse(self.direction))
        set_(self, "horizon", TimeHorizon.parse(self.horizon))
        for name in ("entry_cents", "target_cents", "stop_cents"):
            check_cents(getattr(self, name), name)
        if self.entry_cents == 0:
            raise InputError(f"entry_cents must be positive for {self.symbol}, got 0.")
        for name in ("risk_score", "profit_potential_score", "confidence_score"):
            check_score(getattr(self, name), name)
        entry, target, stop = self.entry_cents, self.target_cents, self.stop_cents
        if self.direction is Direction.LONG and not target > entry > stop:
            raise InputError(
                f"A long signal on {self.symbol} needs target > entry > stop (in cents); "
                f"got target {target}, entry {entry}, stop {stop}."
            )
        if self.direction is Direction.SHORT and not stop > entry > target:
            raise InputError(
                f"A short signal on {self.symbol} needs stop > entry > target (in cents); "
                f"got target {target}, entry {entry}, stop {stop}."
            )
        if self.expires_on <= self.as_of:
            raise InputError(
                f"Signal on {self.symbol} expires {self.expires_on} on or before its date "
                f"{self.as_of}; expiry must be later."
            )
        if not self.source.strip():
            raise InputError("A signal needs a source (the scanner or screen that found it).")
        set_(self, "factors", tuple(self.factors))
        if not self.id:
            set_(
                self,
                "id",
                signal_id(self.symbol, self.direction, self.source, self.as_of, self.horizon),
            )

    @property
    def risk_level(self) -> RiskLevel:
        """The risk score's band."""
        return RiskLevel.from_score(self.risk_score)

    @property
    def reward_cents(self) -> int:
        """Cents per share gained if the target is hit."""
        return abs(self.target_cents - self.entry_cents)

    @property
    def risk_cents(self) -> int:
        """Cents per share lost if the stop is hit."""
        return abs(self.entry_cents - self.stop_cents)

    @property
    def reward_risk(self) -> float:
        """Reward over risk per share (2.0 means the target is twice as far as the stop)."""
        return round(self.reward_cents / self.risk_cents, 2)

    def factors_of(self, kind: FactorKind) -> tuple[SignalFactor, ...]:
        """The factors behind one score."""
        return tuple(f for f in self.factors if f.kind == kind)

    def to_row(self) -> dict[str, Any]:
        """A flat dict (one row of :meth:`SignalSet.to_frame`)."""
        return {
            "id": self.id,
            "symbol": self.symbol,
            "direction": self.direction.value,
            "entry_cents": self.entry_cents,
            "target_cents": self.target_cents,
            "stop_cents": self.stop_cents,
            "risk_score": self.risk_score,
            "risk_level": self.risk_level.value,
            "profit_potential_score": self.profit_potential_score,
            "confidence_score": self.confidence_score,
            "source": self.source,
            "horizon": self.horizon.value,
            "as_of": self.as_of,
            "expires_on": self.expires_on,
            "asset_class": self.asset_class,
            "sector": self.sector,
        }


@dataclass(frozen=True, kw_only=True)
class SignalPerformance:
    """A signal's outcome as of ``evaluated_on``.

    Closed outcomes (target, stop, expiry) carry the exit price and date; the
    returns are per share, signed so a winning short is positive. An ``ACTIVE``
    signal's returns are marked to the last close (``exit_cents`` stays ``None``).
    """

    signal_id: str
    status: SignalStatus
    evaluated_on: dt.date
    entry_cents: int
    last_cents: int
    exit_cents: int | None = None
    exit_on: dt.date | None = None
    return_cents: int = 0
    return_bps: int = 0
    sessions: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", SignalStatus(self.status))
        check_cents(self.entry_cents, "entry_cents")
        check_cents(self.last_cents, "last_cents")
        if self.exit_cents is not None:
            check_cents(self.exit_cents, "exit_cents")
        if self.status.is_closed and (self.exit_cents is None or self.exit_on is None):
            raise InputError(f"A {self.status.value} outcome needs exit_cents and exit_on.")

    @classmethod
    def closed(
        cls,
        signal: Signal,
        status: SignalStatus,
        *,
        exit_cents: int,
        exit_on: dt.date,
        evaluated_on: dt.date,
        sessions: int,
    ) -> SignalPerformance:
        """The final outcome of ``signal`` exiting at ``exit_cents`` on ``exit_on``."""
        sign = signal.direction.sign
        return cls(
            signal_id=signal.id,
            status=status,
            evaluated_on=evaluated_on,
            entry_cents=signal.entry_cents,
            last_cents=exit_cents,
            exit_cents=exit_cents,
            exit_on=exit_on,
            return_cents=sign * (exit_cents - signal.entry_cents),
            return_bps=return_bps(signal.entry_cents, exit_cents, sign),
            sessions=sessions,
        )

    def to_row(self) -> dict[str, Any]:
        """A flat dict."""
        row = dataclasses.asdict(self)
        row["status"] = self.status.value
        return row
