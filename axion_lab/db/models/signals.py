"""Signals: scored ideas, what made their scores, their outcomes, and user matches.

Prices are integer cents (BIGINT), scores SMALLINT 0-100, both checked by the
database as well as by :class:`axion_lab.signals.Signal`. Indexes serve the common
queries: active signals by expiry (``status, expires_on``), one asset over time
(``symbol, as_of``), a day's signals (``as_of``), a user's ranked matches (the
``user_id, signal_id`` key plus ``user_id, rank``) and a signal's matches.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from axion_lab.db.base import Base, JSONType, SymbolType, utcnow

__all__ = [
    "SIGNAL_DIRECTIONS",
    "SIGNAL_STATUSES",
    "RiskAssessmentRow",
    "SignalFactorRow",
    "SignalMatchRow",
    "SignalPerformanceRow",
    "SignalRow",
    "UserProfileRow",
]

SIGNAL_DIRECTIONS: Final = ("long", "short")
SIGNAL_STATUSES: Final = ("active", "hit_target", "hit_stop", "expired")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _score(column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} >= 0 AND {column} <= 100", name=f"{column}_range")


def _signal_fk() -> sa.ForeignKey:
    # A ForeignKey object belongs to one column: each child table needs its own.
    return sa.ForeignKey("signals.id", ondelete="CASCADE")


class SignalRow(Base):
    """One signal (see :class:`axion_lab.signals.Signal`)."""

    __tablename__ = "signals"
    __table_args__ = (
        sa.CheckConstraint(_in("direction", SIGNAL_DIRECTIONS), name="direction"),
        sa.CheckConstraint(_in("status", SIGNAL_STATUSES), name="status"),
        sa.CheckConstraint(
            "entry_cents > 0 AND target_cents >= 0 AND stop_cents >= 0", name="cents_range"
        ),
        sa.CheckConstraint(
            "(direction = 'long' AND target_cents > entry_cents AND entry_cents > stop_cents)"
            " OR (direction = 'short' AND stop_cents > entry_cents"
            " AND entry_cents > target_cents)",
            name="levels",
        ),
        _score("risk_score"),
        _score("profit_potential_score"),
        _score("confidence_score"),
        sa.Index(None, "status", "expires_on"),
        sa.Index(None, "symbol", "as_of"),
        sa.Index(None, "as_of"),
        {"comment": "Scored trade ideas from scanner and screener hits (prices in cents)."},
    )

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    symbol: Mapped[str] = mapped_column(SymbolType)
    direction: Mapped[str] = mapped_column(sa.String(8))
    entry_cents: Mapped[int] = mapped_column(sa.BigInteger)
    target_cents: Mapped[int] = mapped_column(sa.BigInteger)
    stop_cents: Mapped[int] = mapped_column(sa.BigInteger)
    risk_score: Mapped[int] = mapped_column(sa.SmallInteger)
    profit_potential_score: Mapped[int] = mapped_column(sa.SmallInteger)
    confidence_score: Mapped[int] = mapped_column(sa.SmallInteger)
    source: Mapped[str] = mapped_column(sa.String(100))
    horizon: Mapped[str] = mapped_column(sa.String(16))
    as_of: Mapped[dt.date] = mapped_column(sa.Date)
    expires_on: Mapped[dt.date] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(16), default="active", server_default="active")
    asset_class: Mapped[str] = mapped_column(sa.String(16))
    sector: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, server_default=sa.func.current_timestamp()
    )


class SignalFactorRow(Base):
    """One factor of one of a signal's scores, and the points it contributed."""

    __tablename__ = "signal_factors"
    __table_args__ = ({"comment": "What contributed to each signal score, and how much."},)

    signal_id: Mapped[str] = mapped_column(sa.String(32), _signal_fk(), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(sa.SmallInteger)
    value: Mapped[float | None] = mapped_column(sa.Float)
    agreement: Mapped[float] = mapped_column(sa.Float)
    weight: Mapped[float] = mapped_column(sa.Float)
    points: Mapped[float] = mapped_column(sa.Float)
    detail: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")


class RiskAssessmentRow(Base):
    """The inputs behind a signal's risk score."""

    __tablename__ = "risk_assessments"
    __table_args__ = (
        _score("score"),
        {"comment": "Volatility, beta, liquidity and ATR behind each risk score."},
    )

    signal_id: Mapped[str] = mapped_column(sa.String(32), _signal_fk(), primary_key=True)
    score: Mapped[int] = mapped_column(sa.SmallInteger)
    volatility: Mapped[float | None] = mapped_column(sa.Float)
    beta: Mapped[float | None] = mapped_column(sa.Float)
    avg_dollar_volume: Mapped[float | None] = mapped_column(sa.Float)
    atr: Mapped[float] = mapped_column(sa.Float)
    atr_pct: Mapped[float] = mapped_column(sa.Float)
    components: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class SignalPerformanceRow(Base):
    """A signal's latest outcome (updated as prices move)."""

    __tablename__ = "signal_performance"
    __table_args__ = (
        sa.CheckConstraint(_in("status", SIGNAL_STATUSES), name="status"),
        sa.Index(None, "status"),
        {"comment": "Signal outcomes: target, stop, expiry or still active, in cents and bps."},
    )

    signal_id: Mapped[str] = mapped_column(sa.String(32), _signal_fk(), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(16))
    evaluated_on: Mapped[dt.date] = mapped_column(sa.Date)
    entry_cents: Mapped[int] = mapped_column(sa.BigInteger)
    last_cents: Mapped[int] = mapped_column(sa.BigInteger)
    exit_cents: Mapped[int | None] = mapped_column(sa.BigInteger)
    exit_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    return_cents: Mapped[int] = mapped_column(sa.BigInteger)
    return_bps: Mapped[int] = mapped_column(sa.Integer)
    sessions: Mapped[int] = mapped_column(sa.Integer)


class UserProfileRow(Base):
    """A user's risk profile (see :class:`axion_lab.signals.UserProfile`)."""

    __tablename__ = "user_profiles"
    __table_args__ = (
        _score("risk_tolerance"),
        {"comment": "User risk profiles: tolerance, asset preferences, horizon and limits."},
    )

    user_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    risk_tolerance: Mapped[int] = mapped_column(sa.SmallInteger)
    asset_classes: Mapped[dict[str, Any]] = mapped_column(JSONType)
    time_horizon: Mapped[str] = mapped_column(sa.String(16))
    portfolio_cents: Mapped[int] = mapped_column(sa.BigInteger)
    max_position_pct: Mapped[float] = mapped_column(sa.Float)
    max_sector_pct: Mapped[float] = mapped_column(sa.Float)
    max_loss_pct: Mapped[float] = mapped_column(sa.Float)
    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, server_default=sa.func.current_timestamp()
    )


class SignalMatchRow(Base):
    """One signal ranked for one user, with its explanation."""

    __tablename__ = "signal_matches"
    __table_args__ = (
        _score("score"),
        sa.Index(None, "user_id", "rank"),
        sa.Index(None, "signal_id"),
        {"comment": "Signals ranked per user: score breakdown, reasons and proposed size."},
    )

    user_id: Mapped[str] = mapped_column(
        sa.String(64), sa.ForeignKey("user_profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    signal_id: Mapped[str] = mapped_column(sa.String(32), _signal_fk(), primary_key=True)
    rank: Mapped[int] = mapped_column(sa.Integer)
    score: Mapped[int] = mapped_column(sa.SmallInteger)
    breakdown: Mapped[dict[str, Any]] = mapped_column(JSONType)
    reasons: Mapped[list[str]] = mapped_column(JSONType)
    shares: Mapped[int] = mapped_column(sa.Integer)
    position_cents: Mapped[int] = mapped_column(sa.BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, server_default=sa.func.current_timestamp()
    )
