"""Faults end in a clear DatabaseError / MigrationError and leave no half-written rows."""

from __future__ import annotations

import datetime as dt
import os
import socket
import sqlite3
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa

from axion_lab import db
from axion_lab.config import override_settings
from axion_lab.db import bulk
from axion_lab.exceptions import DatabaseError

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _bar_count(url: str | sa.URL | None = None) -> int:
    with db.session_scope(bind=db.get_sync_engine(url)) as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(db.PriceBar)) or 0)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_locked_database_waits_then_fails_clearly(migrated: Path, bars: pl.DataFrame) -> None:
    with db.session_scope() as session:
        db.write_bars(session, bars.head(2))
    other = sqlite3.connect(migrated, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO price_bars (symbol, interval, ts) VALUES ('ZZZ', '1d', '2024-01-02')"
    )
    try:
        with (
            override_settings(db_busy_timeout=0.2),
            pytest.raises(DatabaseError, match=r"locked by another connection.*retry") as info,
            db.session_scope() as session,
        ):
            db.write_bars(session, bars)
        assert isinstance(info.value.__cause__, sa.exc.OperationalError)
        # WAL: readers are not blocked by the writer, and see only committed rows.
        assert _bar_count() == 2
    finally:
        other.execute("ROLLBACK")
        other.close()
    with db.session_scope() as session:
        db.write_bars(session, bars)
    assert _bar_count() == 6


def test_read_only_database_is_a_clear_error(migrated: Path, bars: pl.DataFrame) -> None:
    read_only = f"sqlite:///file:{migrated}?mode=ro&uri=true"
    engine = db.get_sync_engine(read_only)
    with (
        pytest.raises(DatabaseError, match=r"read-only.*writable"),
        db.session_scope(bind=engine) as session,
    ):
        db.write_bars(session, bars)
    # Reading still works.
    with db.session_scope(bind=engine) as session:
        assert db.read_bars(session).is_empty()


@pytest.mark.skipif(IS_ROOT, reason="root ignores file permissions")
def test_read_only_file_permissions_are_a_clear_error(migrated: Path, bars: pl.DataFrame) -> None:
    db.reset_engines()
    for path in migrated.parent.iterdir():
        path.chmod(0o444)
    migrated.parent.chmod(0o555)
    try:
        with pytest.raises(DatabaseError, match=r"read-only|Cannot open"), db.session_scope() as s:
            db.write_bars(s, bars)
    finally:
        migrated.parent.chmod(0o755)
        for path in migrated.parent.iterdir():
            path.chmod(0o644)


def test_unwritable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be")
    with (
        override_settings(data_dir=blocker / "data"),
        pytest.raises(DatabaseError, match=r"Cannot create the directory.*AXION_DATA_DIR"),
    ):
        db.upgrade()


def test_interrupted_bulk_write_leaves_no_rows(
    migrated: Path, bars: pl.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.session_scope() as session:
        db.write_bars(session, bars.head(1))
    calls: list[int] = []
    real = bulk._execute_chunk

    def flaky(session: object, statement: object, rows: list[dict[str, object]]) -> None:
        calls.append(len(rows))
        if len(calls) == 3:
            raise KeyboardInterrupt
        real(session, statement, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk, "_execute_chunk", flaky)
    session = db.SyncSessionLocal()
    try:
        with pytest.raises(KeyboardInterrupt):
            db.write_bars(session, bars.tail(5), chunk_size=2)
        # Two chunks went in before the interrupt; the savepoint took them back, and
        # the caller's transaction is still usable and commits nothing from the write.
        assert calls == [2, 2, 1]
        session.commit()
    finally:
        session.close()
    assert _bar_count() == 1


def test_database_error_mid_write_rolls_back_the_whole_write(migrated: Path) -> None:
    scores = pl.DataFrame(
        {
            "symbol": [f"S{i:02d}" for i in range(10)],
            "date": [dt.date(2024, 6, 28)] * 10,
            "factor": ["momentum"] * 10,
            "score": [50] * 9 + [150],
        }
    )
    table = db.FactorScore.__table__
    with pytest.raises(DatabaseError, match="violates a constraint"), db.session_scope() as s:
        db.upsert_frame(s, table, scores, chunk_size=3)  # type: ignore[arg-type]
    with db.session_scope() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(db.FactorScore)) == 0


def test_unreachable_postgres_is_a_clear_error() -> None:
    url = f"postgresql://axion@127.0.0.1:{_free_port()}/nowhere"
    with pytest.raises(
        DatabaseError, match=r"Cannot reach the database.*AXION_DATABASE_URL"
    ) as info:
        db.upgrade(url=url)
    assert "Traceback" not in str(info.value)
    with pytest.raises(DatabaseError, match="Cannot reach"):
        db.current(url=url)


@pytest.mark.asyncio
@pytest.mark.usefixtures("async_engines")
async def test_unreachable_postgres_async_is_a_clear_error() -> None:
    url = f"postgresql://axion:secret@127.0.0.1:{_free_port()}/nowhere"
    engine = db.get_async_engine(url)
    assert engine.dialect.driver == "asyncpg"
    with pytest.raises(DatabaseError, match="Cannot reach") as info:
        async with db.async_session_scope(bind=engine) as session:
            await session.execute(sa.text("SELECT 1"))
    assert "secret" not in str(info.value)


def test_not_a_database_file(sqlite_file: Path) -> None:
    sqlite_file.parent.mkdir(parents=True)
    sqlite_file.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError, match="not a valid database"):
        db.upgrade()


def test_bad_urls_and_missing_drivers() -> None:
    with pytest.raises(DatabaseError, match="Invalid database URL"):
        db.get_sync_engine("not a url")
    with pytest.raises(DatabaseError, match="No database driver"):
        db.get_sync_engine("mysql+nosuchdriver://u@h/d")
