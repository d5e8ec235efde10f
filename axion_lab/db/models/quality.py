"""The data quality log: what each check found, when, and on which frame."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from axion_lab.db.base import Base, JSONType, SymbolType, utcnow

__all__ = ["SEVERITIES", "DataQualityLog"]

SEVERITIES: Final = ("info", "warning", "error")


class DataQualityLog(Base):
    """One finding of a data quality check.

    ``frame`` names the canonical frame checked (``bars``, ``fundamentals``...),
    ``check`` the rule, ``symbol`` the instrument when the finding is about one.
    ``extra_metadata`` (column ``metadata``) carries the check's details as JSON.

    Examples
    --------
    >>> DataQualityLog(frame="bars", check="ohlc_consistent", severity="error",
    ...                symbol="ACME", message="high < low on 2024-01-02").severity
    'error'
    """

    __tablename__ = "data_quality_log"
    __table_args__ = (
        sa.Index(None, "frame", "checked_at"),
        sa.Index(None, "symbol"),
        sa.CheckConstraint(
            "severity IN (" + ", ".join(f"'{s}'" for s in SEVERITIES) + ")", name="severity"
        ),
        {"comment": "Findings of data quality checks."},
    )

    # BIGINT on PostgreSQL; SQLite only autoincrements an INTEGER primary key.
    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    checked_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, server_default=sa.func.current_timestamp()
    )
    frame: Mapped[str] = mapped_column(sa.String(32))
    check: Mapped[str] = mapped_column(sa.String(64))
    severity: Mapped[str] = mapped_column(sa.String(16))
    symbol: Mapped[str | None] = mapped_column(SymbolType)
    provider: Mapped[str | None] = mapped_column(sa.String(32))
    message: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    affected_rows: Mapped[int | None] = mapped_column(sa.Integer)
    extra_metadata: Mapped[dict[str, Any] | None] = mapped_column("metadata", JSONType)

    def __repr__(self) -> str:
        return (
            f"DataQualityLog({self.frame!r}, {self.check!r}, {self.severity!r}, "
            f"symbol={self.symbol!r})"
        )
