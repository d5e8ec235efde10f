"""signals

Scored trade ideas (prices in integer cents, scores 0-100, levels checked against the
direction), the factors behind each score, the risk inputs, outcome tracking, user
risk profiles and the per-user ranked matches. Children are deleted with their
signal (and matches with their profile). Indexes: active signals by expiry, an
asset over time, a day's signals, a user's ranked matches and a signal's matches.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 06:49:51.724232
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "signals",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("symbol", sa.String(length=32), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("entry_cents", sa.BigInteger(), nullable=False),
        sa.Column("target_cents", sa.BigInteger(), nullable=False),
        sa.Column("stop_cents", sa.BigInteger(), nullable=False),
        sa.Column("risk_score", sa.SmallInteger(), nullable=False),
        sa.Column("profit_potential_score", sa.SmallInteger(), nullable=False),
        sa.Column("confidence_score", sa.SmallInteger(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("horizon", sa.String(length=16), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="active", nullable=False),
        sa.Column("asset_class", sa.String(length=16), nullable=False),
        sa.Column("sector", sa.String(length=64), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(direction = 'long' AND target_cents > entry_cents AND entry_cents > stop_cents)"
            " OR (direction = 'short' AND stop_cents > entry_cents"
            " AND entry_cents > target_cents)",
            name=op.f("ck_signals_levels"),
        ),
        sa.CheckConstraint("direction IN ('long', 'short')", name=op.f("ck_signals_direction")),
        sa.CheckConstraint(
            "status IN ('active', 'hit_target', 'hit_stop', 'expired')",
            name=op.f("ck_signals_status"),
        ),
        sa.CheckConstraint(
            "confidence_score >= 0 AND confidence_score <= 100",
            name=op.f("ck_signals_confidence_score_range"),
        ),
        sa.CheckConstraint(
            "entry_cents > 0 AND target_cents >= 0 AND stop_cents >= 0",
            name=op.f("ck_signals_cents_range"),
        ),
        sa.CheckConstraint(
            "profit_potential_score >= 0 AND profit_potential_score <= 100",
            name=op.f("ck_signals_profit_potential_score_range"),
        ),
        sa.CheckConstraint(
            "risk_score >= 0 AND risk_score <= 100", name=op.f("ck_signals_risk_score_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signals")),
        comment="Scored trade ideas from scanner and screener hits (prices in cents).",
    )
    op.create_index(op.f("ix_signals_as_of"), "signals", ["as_of"], unique=False)
    op.create_index(
        op.f("ix_signals_status_expires_on"), "signals", ["status", "expires_on"], unique=False
    )
    op.create_index(op.f("ix_signals_symbol_as_of"), "signals", ["symbol", "as_of"], unique=False)
    op.create_table(
        "user_profiles",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("risk_tolerance", sa.SmallInteger(), nullable=False),
        sa.Column("asset_classes", _json(), nullable=False),
        sa.Column("time_horizon", sa.String(length=16), nullable=False),
        sa.Column("portfolio_cents", sa.BigInteger(), nullable=False),
        sa.Column("max_position_pct", sa.Float(), nullable=False),
        sa.Column("max_sector_pct", sa.Float(), nullable=False),
        sa.Column("max_loss_pct", sa.Float(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "risk_tolerance >= 0 AND risk_tolerance <= 100",
            name=op.f("ck_user_profiles_risk_tolerance_range"),
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_profiles")),
        comment="User risk profiles: tolerance, asset preferences, horizon and limits.",
    )
    op.create_table(
        "risk_assessments",
        sa.Column("signal_id", sa.String(length=32), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("volatility", sa.Float(), nullable=True),
        sa.Column("beta", sa.Float(), nullable=True),
        sa.Column("avg_dollar_volume", sa.Float(), nullable=True),
        sa.Column("atr", sa.Float(), nullable=False),
        sa.Column("atr_pct", sa.Float(), nullable=False),
        sa.Column("components", _json(), nullable=True),
        sa.CheckConstraint(
            "score >= 0 AND score <= 100", name=op.f("ck_risk_assessments_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["signal_id"],
            ["signals.id"],
            name=op.f("fk_risk_assessments_signal_id_signals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("signal_id", name=op.f("pk_risk_assessments")),
        comment="Volatility, beta, liquidity and ATR behind each risk score.",
    )
    op.create_table(
        "signal_factors",
        sa.Column("signal_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("agreement", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("detail", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["signal_id"],
            ["signals.id"],
            name=op.f("fk_signal_factors_signal_id_signals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("signal_id", "kind", "name", name=op.f("pk_signal_factors")),
        comment="What contributed to each signal score, and how much.",
    )
    op.create_table(
        "signal_matches",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("signal_id", sa.String(length=32), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("breakdown", _json(), nullable=False),
        sa.Column("reasons", _json(), nullable=False),
        sa.Column("shares", sa.Integer(), nullable=False),
        sa.Column("position_cents", sa.BigInteger(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "score >= 0 AND score <= 100", name=op.f("ck_signal_matches_score_range")
        ),
        sa.ForeignKeyConstraint(
            ["signal_id"],
            ["signals.id"],
            name=op.f("fk_signal_matches_signal_id_signals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_profiles.user_id"],
            name=op.f("fk_signal_matches_user_id_user_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "signal_id", name=op.f("pk_signal_matches")),
        comment="Signals ranked per user: score breakdown, reasons and proposed size.",
    )
    op.create_index(
        op.f("ix_signal_matches_signal_id"), "signal_matches", ["signal_id"], unique=False
    )
    op.create_index(
        op.f("ix_signal_matches_user_id_rank"), "signal_matches", ["user_id", "rank"], unique=False
    )
    op.create_table(
        "signal_performance",
        sa.Column("signal_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("entry_cents", sa.BigInteger(), nullable=False),
        sa.Column("last_cents", sa.BigInteger(), nullable=False),
        sa.Column("exit_cents", sa.BigInteger(), nullable=True),
        sa.Column("exit_on", sa.Date(), nullable=True),
        sa.Column("return_cents", sa.BigInteger(), nullable=False),
        sa.Column("return_bps", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'hit_target', 'hit_stop', 'expired')",
            name=op.f("ck_signal_performance_status"),
        ),
        sa.ForeignKeyConstraint(
            ["signal_id"],
            ["signals.id"],
            name=op.f("fk_signal_performance_signal_id_signals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("signal_id", name=op.f("pk_signal_performance")),
        comment="Signal outcomes: target, stop, expiry or still active, in cents and bps.",
    )
    op.create_index(
        op.f("ix_signal_performance_status"), "signal_performance", ["status"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_signal_performance_status"), table_name="signal_performance")
    op.drop_table("signal_performance")
    op.drop_index(op.f("ix_signal_matches_user_id_rank"), table_name="signal_matches")
    op.drop_index(op.f("ix_signal_matches_signal_id"), table_name="signal_matches")
    op.drop_table("signal_matches")
    op.drop_table("signal_factors")
    op.drop_table("risk_assessments")
    op.drop_table("user_profiles")
    op.drop_index(op.f("ix_signals_symbol_as_of"), table_name="signals")
    op.drop_index(op.f("ix_signals_status_expires_on"), table_name="signals")
    op.drop_index(op.f("ix_signals_as_of"), table_name="signals")
    op.drop_table("signals")
