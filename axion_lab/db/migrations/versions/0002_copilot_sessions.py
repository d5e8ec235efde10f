"""copilot sessions

AI copilot sessions and their child rows: messages (Messages API content, in
order), tool calls (parameters, result, source and as-of date, so every number in
an answer can be traced and re-run) and trade ideas (validated; never executed).
Children are deleted with their session.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 06:32:12.154549
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _session_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["session_id"],
        ["copilot_sessions.id"],
        name=op.f(f"fk_{table}_session_id_copilot_sessions"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "copilot_sessions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("model", sa.String(length=64), server_default="", nullable=False),
        sa.Column("risk_tolerance", sa.String(length=16), nullable=False),
        sa.Column("style", sa.String(length=16), nullable=False),
        sa.Column("portfolio", _json(), nullable=True),
        sa.Column("usage", _json(), nullable=True),
        sa.Column("answers", _json(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_copilot_sessions")),
        comment="AI copilot sessions: profile, usage and answers.",
    )
    op.create_index(
        op.f("ix_copilot_sessions_updated_at"), "copilot_sessions", ["updated_at"], unique=False
    )
    op.create_table(
        "copilot_ideas",
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("symbol", sa.String(length=32), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("thesis", sa.Text(), nullable=False),
        sa.Column("entry", sa.Float(), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("stop", sa.Float(), nullable=False),
        sa.Column("horizon", sa.String(length=16), nullable=False),
        sa.Column("risk_score", sa.SmallInteger(), nullable=False),
        sa.Column("supporting", _json(), nullable=True),
        sa.Column("warnings", _json(), nullable=True),
        sa.CheckConstraint(
            "direction IN ('long', 'short')", name=op.f("ck_copilot_ideas_direction")
        ),
        sa.CheckConstraint(
            "risk_score >= 0 AND risk_score <= 100", name=op.f("ck_copilot_ideas_risk_score_range")
        ),
        _session_fk("copilot_ideas"),
        sa.PrimaryKeyConstraint("session_id", "seq", name=op.f("pk_copilot_ideas")),
        comment="Copilot trade ideas: structured, validated, never executed.",
    )
    op.create_index(op.f("ix_copilot_ideas_symbol"), "copilot_ideas", ["symbol"], unique=False)
    op.create_table(
        "copilot_messages",
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("content", _json(), nullable=False),
        sa.Column("extra", _json(), nullable=True),
        _session_fk("copilot_messages"),
        sa.PrimaryKeyConstraint("session_id", "seq", name=op.f("pk_copilot_messages")),
        comment="Copilot conversation messages (Messages API format).",
    )
    op.create_table(
        "copilot_tool_calls",
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("call_id", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("tool", sa.String(length=64), nullable=False),
        sa.Column("parameters", _json(), nullable=True),
        sa.Column("result", _json(), nullable=True),
        sa.Column("source", sa.String(length=200), server_default="", nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("is_error", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        _session_fk("copilot_tool_calls"),
        sa.PrimaryKeyConstraint("session_id", "call_id", name=op.f("pk_copilot_tool_calls")),
        comment="Copilot tool calls and their results, for tracing every number.",
    )
    op.create_index(
        op.f("ix_copilot_tool_calls_tool"), "copilot_tool_calls", ["tool"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_copilot_tool_calls_tool"), table_name="copilot_tool_calls")
    op.drop_table("copilot_tool_calls")
    op.drop_table("copilot_messages")
    op.drop_index(op.f("ix_copilot_ideas_symbol"), table_name="copilot_ideas")
    op.drop_table("copilot_ideas")
    op.drop_index(op.f("ix_copilot_sessions_updated_at"), table_name="copilot_sessions")
    op.drop_table("copilot_sessions")
