"""screens

Saved screens and their versions (each a versioned screen document), and screen
alerting: runs of a saved screen as of a date, the symbols each run matched, and the
entered/exited alert events with their acknowledgement. Children are deleted with
their screen.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 06:48:38.232294
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _now(name: str) -> sa.Column[object]:
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        server_default=sa.text("CURRENT_TIMESTAMP"),
        nullable=False,
    )


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    parent = target.split(".", maxsplit=1)[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{parent}"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "screens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        _now("created_at"),
        _now("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screens")),
        sa.UniqueConstraint("name", name=op.f("uq_screens_name")),
        comment="Saved screener screens (one row per name).",
    )
    op.create_table(
        "screen_versions",
        sa.Column("screen_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", _json(), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), server_default="", nullable=False),
        _now("created_at"),
        _fk("screen_versions", "screen_id", "screens.id"),
        sa.PrimaryKeyConstraint("screen_id", "version", name=op.f("pk_screen_versions")),
        comment="Every saved version of a screen, as a versioned document.",
    )
    op.create_table(
        "screen_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("screen_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("matched", sa.Integer(), nullable=False),
        sa.Column("universe_size", sa.Integer(), nullable=False),
        _now("created_at"),
        _fk("screen_runs", "screen_id", "screens.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screen_runs")),
        comment="Alerting runs of saved screens: when, which version, how many matched.",
    )
    op.create_index(
        op.f("ix_screen_runs_screen_id_as_of"), "screen_runs", ["screen_id", "as_of"], unique=False
    )
    op.create_table(
        "screen_run_members",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=32), nullable=False),
        _fk("screen_run_members", "run_id", "screen_runs.id"),
        sa.PrimaryKeyConstraint("run_id", "symbol", name=op.f("pk_screen_run_members")),
        comment="Symbols matching each alerting run.",
    )
    op.create_table(
        "screen_alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("screen_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        _now("created_at"),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('entered', 'exited')", name=op.f("ck_screen_alerts_kind")),
        _fk("screen_alerts", "run_id", "screen_runs.id"),
        _fk("screen_alerts", "screen_id", "screens.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screen_alerts")),
        comment="Screen alerts: symbols entering or leaving a saved screen.",
    )
    op.create_index(
        op.f("ix_screen_alerts_acknowledged_at"), "screen_alerts", ["acknowledged_at"], unique=False
    )
    op.create_index(
        op.f("ix_screen_alerts_screen_id_symbol"),
        "screen_alerts",
        ["screen_id", "symbol"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_screen_alerts_screen_id_symbol"), table_name="screen_alerts")
    op.drop_index(op.f("ix_screen_alerts_acknowledged_at"), table_name="screen_alerts")
    op.drop_table("screen_alerts")
    op.drop_table("screen_run_members")
    op.drop_index(op.f("ix_screen_runs_screen_id_as_of"), table_name="screen_runs")
    op.drop_table("screen_runs")
    op.drop_table("screen_versions")
    op.drop_table("screens")
