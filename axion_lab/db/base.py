"""The declarative base, its naming convention and the column types shared by models.

Every constraint and index gets a name from :data:`NAMING_CONVENTION`, so Alembic
migrations are deterministic across SQLite and PostgreSQL (unnamed constraints get
server-chosen names that differ per database and cannot be dropped portably).

Examples
--------
>>> from axion_lab.db.base import Base
>>> Base.metadata.naming_convention["pk"]
'pk_%(table_name)s'
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "JSONType",
    "SymbolType",
    "TimestampMixin",
    "created_on",
    "dialect_only",
    "utcnow",
]

NAMING_CONVENTION: Final[dict[str, str]] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSONB on PostgreSQL (indexable, compact); SQLite stores JSON as text.
JSONType: Final = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# Tickers are short, but crypto pairs and option-style ids run longer than 16.
SymbolType: Final = sa.String(32)

_T = TypeVar("_T", sa.Index, sa.Constraint)

# Key in `Index.info` / `Constraint.info` naming the only dialects that create it.
_DIALECTS_KEY: Final = "axion_dialects"


def utcnow() -> dt.datetime:
    """Return the current UTC time, timezone-aware (the default for audit columns)."""
    return dt.datetime.now(dt.UTC)


def dialect_only(item: _T, dialect_name: str) -> _T:
    """Create ``item`` (an ``Index`` or constraint) only on ``dialect_name``.

    The restriction is recorded twice: ``ddl_if`` makes ``create_all`` and the
    migrations honour it, and ``info`` lets the Alembic comparison (which ignores
    ``ddl_if``) skip the item on other dialects, so it reports no false differences.
    """
    item.info[_DIALECTS_KEY] = (dialect_name,)
    item.ddl_if(dialect=dialect_name)
    return item


def created_on(item: Any, dialect_name: str) -> bool:
    """Whether ``item`` exists on ``dialect_name`` (see :func:`dialect_only`)."""
    info = getattr(item, "info", None) or {}
    dialects = info.get(_DIALECTS_KEY)
    return dialects is None or dialect_name in dialects


class Base(DeclarativeBase):
    """Declarative base of every Axion Lab table."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dt.datetime: sa.DateTime(),
        dict[str, Any]: JSONType,
        list[str]: JSONType,
    }


class TimestampMixin:
    """An ``updated_at`` column, set by the database on insert and by upserts."""

    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.current_timestamp(),
        default=utcnow,
        onupdate=utcnow,
    )
