"""initial schema

Instruments, price bars, financials, factor scores, economic indicators and the data
quality log. ``price_bars`` keeps ``ts`` in its primary key so PostgreSQL deployments
can re-declare it ``PARTITION BY RANGE (ts)`` (see ``axion_lab.db.models.prices``);
its ``(symbol, ts)`` index exists on PostgreSQL only (SQLite's primary key serves).

Revision ID: 0001
Revises:
Create Date: 2026-11-21 06:02:15.893381
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_quality_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "checked_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.Column("frame", sa.String(length=32), nullable=False),
        sa.Column("check", sa.String(length=64), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("symbol", sa.String(length=32), nullable=True),
        sa.Column("provider", sa.String(length=32), nullable=True),
        sa.Column("message", sa.Text(), server_default="", nullable=False),
        sa.Column("affected_rows", sa.Integer(), nullable=True),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.CheckConstraint(
            "severity IN ('info', 'warning', 'error')", name=op.f("ck_data_quality_log_severity")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_quality_log")),
        comment="Findings of data quality checks.",
    )
    op.create_index(
        op.f("ix_data_quality_log_frame_checked_at"),
        "data_quality_log",
        ["frame", "checked_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_data_quality_log_symbol"), "data_quality_log", ["symbol"], unique=False
    )
    op.create_table(
        "economic_indicators",
        sa.Column("series", sa.String(length=64), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("published", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("series", "date", "published", name=op.f("pk_economic_indicators")),
        comment="Macro series observations, point in time (canonical frame 'macro').",
    )
    op.create_index(
        op.f("ix_economic_indicators_published"), "economic_indicators", ["published"], unique=False
    )
    op.create_table(
        "factor_scores",
        sa.Column("symbol", sa.String(length=32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("factor", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("zscore", sa.Float(), nullable=True),
        sa.Column("score", sa.SmallInteger(), nullable=True),
        sa.CheckConstraint(
            "score IS NULL OR (score >= 0 AND score <= 100)",
            name=op.f("ck_factor_scores_score_range"),
        ),
        sa.PrimaryKeyConstraint("symbol", "date", "factor", name=op.f("pk_factor_scores")),
        comment="Per-symbol factor exposures and 0-100 scores.",
    )
    op.create_index(
        op.f("ix_factor_scores_date_factor"), "factor_scores", ["date", "factor"], unique=False
    )
    op.create_table(
        "financials",
        sa.Column("symbol", sa.String(length=32), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("published", sa.Date(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=True),
        sa.Column("fiscal_quarter", sa.Integer(), nullable=True),
        sa.Column("revenue", sa.Float(), nullable=True),
        sa.Column("cost_of_revenue", sa.Float(), nullable=True),
        sa.Column("gross_profit", sa.Float(), nullable=True),
        sa.Column("operating_income", sa.Float(), nullable=True),
        sa.Column("ebitda", sa.Float(), nullable=True),
        sa.Column("interest_expense", sa.Float(), nullable=True),
        sa.Column("net_income", sa.Float(), nullable=True),
        sa.Column("eps", sa.Float(), nullable=True),
        sa.Column("total_assets", sa.Float(), nullable=True),
        sa.Column("total_liabilities", sa.Float(), nullable=True),
        sa.Column("current_assets", sa.Float(), nullable=True),
        sa.Column("current_liabilities", sa.Float(), nullable=True),
        sa.Column("cash", sa.Float(), nullable=True),
        sa.Column("inventory", sa.Float(), nullable=True),
        sa.Column("total_debt", sa.Float(), nullable=True),
        sa.Column("shareholders_equity", sa.Float(), nullable=True),
        sa.Column("operating_cash_flow", sa.Float(), nullable=True),
        sa.Column("capex", sa.Float(), nullable=True),
        sa.Column("free_cash_flow", sa.Float(), nullable=True),
        sa.Column("dividends_paid", sa.Float(), nullable=True),
        sa.Column("share_buybacks", sa.Float(), nullable=True),
        sa.Column("shares_outstanding", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("symbol", "period_end", "published", name=op.f("pk_financials")),
        comment="Quarterly statements, point in time (canonical frame 'fundamentals').",
    )
    op.create_index(op.f("ix_financials_published"), "financials", ["published"], unique=False)
    op.create_table(
        "instruments",
        sa.Column("symbol", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("asset_class", sa.String(length=16), nullable=True),
        sa.Column("sector", sa.String(length=64), nullable=True),
        sa.Column("industry", sa.String(length=128), nullable=True),
        sa.Column("exchange", sa.String(length=32), nullable=True),
        sa.Column("country", sa.String(length=64), nullable=True),
        sa.Column("currency", sa.String(length=8), nullable=True),
        sa.Column(
            "indexes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("ipo_date", sa.Date(), nullable=True),
        sa.Column("is_fictional", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("symbol", name=op.f("pk_instruments")),
        comment="Instrument profiles (canonical frame 'instruments').",
    )
    op.create_index(
        op.f("ix_instruments_asset_class"), "instruments", ["asset_class"], unique=False
    )
    op.create_index(
        op.f("ix_instruments_sector_industry"), "instruments", ["sector", "industry"], unique=False
    )
    op.create_table(
        "price_bars",
        sa.Column("symbol", sa.String(length=32), nullable=False),
        sa.Column("interval", sa.String(length=8), server_default="1d", nullable=False),
        sa.Column("ts", sa.DateTime(), nullable=False),
        sa.Column("open", sa.Float(), nullable=True),
        sa.Column("high", sa.Float(), nullable=True),
        sa.Column("low", sa.Float(), nullable=True),
        sa.Column("close", sa.Float(), nullable=True),
        sa.Column("volume", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("symbol", "interval", "ts", name=op.f("pk_price_bars")),
        comment="OHLCV bars as traded (canonical frame 'bars'); prices in quote currency.",
    )
    if op.get_context().dialect.name == "postgresql":
        op.create_index(
            op.f("ix_price_bars_symbol_ts"), "price_bars", ["symbol", "ts"], unique=False
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.drop_index(op.f("ix_price_bars_symbol_ts"), table_name="price_bars")
    op.drop_table("price_bars")
    op.drop_index(op.f("ix_instruments_sector_industry"), table_name="instruments")
    op.drop_index(op.f("ix_instruments_asset_class"), table_name="instruments")
    op.drop_table("instruments")
    op.drop_index(op.f("ix_financials_published"), table_name="financials")
    op.drop_table("financials")
    op.drop_index(op.f("ix_factor_scores_date_factor"), table_name="factor_scores")
    op.drop_table("factor_scores")
    op.drop_index(op.f("ix_economic_indicators_published"), table_name="economic_indicators")
    op.drop_table("economic_indicators")
    op.drop_index(op.f("ix_data_quality_log_symbol"), table_name="data_quality_log")
    op.drop_index(op.f("ix_data_quality_log_frame_checked_at"), table_name="data_quality_log")
    op.drop_table("data_quality_log")
