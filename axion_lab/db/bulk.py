"""Dialect-aware bulk upsert of a polars frame into a table, all or nothing.

``INSERT ... ON CONFLICT (primary key) DO UPDATE`` is spelt the same way by SQLite
(3.24+) and PostgreSQL, and SQLAlchemy renders it for both. Rows go in chunks inside
one SAVEPOINT: an error (or an interrupt) in any chunk rolls back every row of the
write and leaves the caller's transaction usable; nothing is committed here, the
caller's :func:`~axion_lab.db.session_scope` commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session

from axion_lab.db.base import utcnow
from axion_lab.db.errors import database_errors
from axion_lab.exceptions import DatabaseError, DataError

__all__ = ["DEFAULT_CHUNK_SIZE", "upsert_frame"]

# Rows per executemany call: large enough to amortise round trips, small enough to
# keep a chunk's Python dicts (the driver needs them) to a few megabytes.
DEFAULT_CHUNK_SIZE: Final = 5_000


def _insert(dialect_name: str, table: sa.Table) -> Any:
    if dialect_name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    raise DatabaseError(
        f"Bulk upserts support SQLite and PostgreSQL, not {dialect_name!r}. "
        "Point AXION_DATABASE_URL at one of those."
    )


def upsert_statement(dialect_name: str, table: sa.Table, columns: Sequence[str]) -> Any:
    """Build ``INSERT ... ON CONFLICT (pk) DO UPDATE`` for ``columns`` of ``table``.

    Columns not in ``columns`` keep their stored values on conflict.

    Examples
    --------
    >>> from axion_lab.db.models import PriceBar
    >>> from sqlalchemy.dialects import sqlite
    >>> cols = ["symbol", "interval", "ts", "close"]
    >>> sql = str(upsert_statement("sqlite", PriceBar.__table__, cols).compile(
    ...     dialect=sqlite.dialect()))
    >>> "ON CONFLICT (symbol, interval, ts) DO UPDATE SET close = excluded.close" in sql
    True
    """
    stmt = _insert(dialect_name, table)
    keys = [c.name for c in table.primary_key.columns]
    updates: dict[str, Any] = {c: stmt.excluded[c] for c in columns if c not in keys}
    if not updates:
        return stmt.on_conflict_do_nothing(index_elements=keys)
    return stmt.on_conflict_do_update(index_elements=keys, set_=updates)


def _rows(frame: pl.DataFrame, chunk_size: int) -> Iterator[list[dict[str, Any]]]:
    # NaN and NULL must mean the same thing: SQLite turns NaN into NULL on insert,
    # PostgreSQL keeps it; normalising here makes both databases read back alike.
    floats = [name for name, dtype in frame.schema.items() if dtype.is_float()]
    if floats:
        frame = frame.with_columns(pl.col(floats).fill_nan(None))
    for chunk in frame.iter_slices(chunk_size):
        yield chunk.to_dicts()


def _execute_chunk(session: Session, statement: Any, rows: list[dict[str, Any]]) -> None:
    session.execute(statement, rows)


def upsert_frame(
    session: Session,
    table: sa.Table,
    frame: pl.DataFrame,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    constants: dict[str, Any] | None = None,
) -> int:
    """Insert or update ``frame``'s rows in ``table`` by primary key; return the row count.

    Only columns of ``table`` are written (extra frame columns are ignored).
    ``constants`` adds columns with one value for every row. Duplicate keys within
    the frame keep the last row. The write runs in a SAVEPOINT: if any chunk fails,
    none of the frame's rows remain.

    Raises
    ------
    DataError
        If a key column is missing or has nulls.
    DatabaseError
        If the database refuses the write (locked, read-only, out-of-date schema...).
    """
    if chunk_size < 1:
        raise DataError(f"chunk_size must be at least 1, not {chunk_size}.")
    constants = dict(constants or {})
    if "updated_at" in table.c:
        constants.setdefault("updated_at", utcnow())
    if constants:
        frame = frame.with_columns(
            pl.lit(value).alias(name) for name, value in constants.items() if name not in frame
        )
    columns = [c.name for c in table.columns if c.name in frame.columns]
    keys = [c.name for c in table.primary_key.columns]
    _check_keys(table.name, frame, keys)
    frame = frame.select(columns).unique(subset=keys, keep="last", maintain_order=True)
    if frame.is_empty():
        return 0
    bind = session.get_bind()
    statement = upsert_statement(bind.dialect.name, table, columns)
    with database_errors(bind.engine.url), session.begin_nested():
        for rows in _rows(frame, chunk_size):
            _execute_chunk(session, statement, rows)
    return frame.height


def _check_keys(table_name: str, frame: pl.DataFrame, keys: Iterable[str]) -> None:
    missing = [k for k in keys if k not in frame.columns]
    if missing:
        raise DataError(
            f"Cannot write to {table_name!r}: the frame lacks key column(s) {missing}; "
            f"it has {frame.columns}."
        )
    null_keys = [k for k in keys if frame[k].null_count()]
    if null_keys:
        raise DataError(
            f"Cannot write to {table_name!r}: key column(s) {null_keys} contain nulls. "
            "Drop or fill those rows first."
        )
