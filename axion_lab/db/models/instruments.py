"""Reference data: one row per tradable instrument (the canonical ``instruments`` frame)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from axion_lab.db.base import Base, JSONType, SymbolType, TimestampMixin

__all__ = ["Instrument"]


class Instrument(TimestampMixin, Base):
    """An instrument's profile; columns as in ``SCHEMAS["instruments"]``.

    ``indexes`` is the *current* index membership as a JSON list of names.
    ``extra_metadata`` (column ``metadata``, a name SQLAlchemy reserves on models)
    holds provider-specific fields that have no canonical column.

    Examples
    --------
    >>> Instrument(symbol="ACME", name="Acme Corp", indexes=["SBX500"]).symbol
    'ACME'
    """

    __tablename__ = "instruments"
    __table_args__ = (
        sa.Index(None, "sector", "industry"),
        sa.Index(None, "asset_class"),
        {"comment": "Instrument profiles (canonical frame 'instruments')."},
    )

    symbol: Mapped[str] = mapped_column(SymbolType, primary_key=True)
    name: Mapped[str | None] = mapped_column(sa.String(200))
    asset_class: Mapped[str | None] = mapped_column(sa.String(16))
    sector: Mapped[str | None] = mapped_column(sa.String(64))
    industry: Mapped[str | None] = mapped_column(sa.String(128))
    exchange: Mapped[str | None] = mapped_column(sa.String(32))
    country: Mapped[str | None] = mapped_column(sa.String(64))
    # Crypto quote currencies ("USDT") are longer than ISO 4217's three letters.
    currency: Mapped[str | None] = mapped_column(sa.String(8))
    indexes: Mapped[list[str] | None] = mapped_column(JSONType)
    ipo_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    is_fictional: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    extra_metadata: Mapped[dict[str, Any] | None] = mapped_column("metadata", JSONType)

    def __repr__(self) -> str:
        return f"Instrument(symbol={self.symbol!r}, name={self.name!r})"
