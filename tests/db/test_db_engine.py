"""Engines and sessions follow the settings in force; SQLite is configured for safety."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from axion_lab import db
from axion_lab.config import get_settings, override_settings


@pytest.mark.parametrize(
    ("given", "sync", "async_"),
    [
        ("postgresql://u@h/d", "postgresql+psycopg", "postgresql+asyncpg"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg", "postgresql+psycopg"),
        ("postgresql+asyncpg://u@h/d", "postgresql+psycopg", "postgresql+asyncpg"),
        ("postgresql+psycopg2://u@h/d", "postgresql+psycopg2", "postgresql+asyncpg"),
        ("sqlite:///x.db", "sqlite", "sqlite+aiosqlite"),
        ("sqlite+pysqlite:///x.db", "sqlite+pysqlite", "sqlite+aiosqlite"),
        ("sqlite+aiosqlite:///x.db", "sqlite", "sqlite+aiosqlite"),
    ],
)
def test_url_drivers(given: str, sync: str, async_: str) -> None:
    assert db.sync_url(given).drivername == sync
    assert db.async_url(given).drivername == async_
    assert db.sync_url(given).database == sa.make_url(given).database


def test_default_is_sqlite_under_the_data_dir(sqlite_file: Path) -> None:
    engine = db.get_sync_engine()
    assert engine.url.database == str(sqlite_file)
    assert engine is db.get_sync_engine()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    assert sqlite_file.is_file()


def test_busy_timeout_follows_the_setting(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    with (
        override_settings(database_url=url, db_busy_timeout=0.25),
        db.get_sync_engine().connect() as conn,
    ):
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 250


def test_sessions_follow_override_settings(tmp_path: Path, migrated: Path) -> None:
    other = tmp_path / "other.db"
    with override_settings(database_url=f"sqlite:///{other}"):
        db.upgrade()
        with db.session_scope() as session:
            session.add(db.Instrument(symbol="ONLY_IN_OTHER"))
        assert db.SyncSessionLocal().get_bind().url.database == str(other)
    with db.session_scope() as session:
        assert session.get(db.Instrument, "ONLY_IN_OTHER") is None
    assert db.SyncSessionLocal().get_bind().url.database == str(migrated)


def test_reset_engines_builds_new_ones() -> None:
    before = db.get_sync_engine()
    db.reset_engines()
    assert db.get_sync_engine() is not before


def test_session_scope_rolls_back_on_error(migrated: Path) -> None:
    def add_then_fail() -> None:
        with db.session_scope() as session:
            session.add(db.Instrument(symbol="AAA"))
            session.flush()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        add_then_fail()
    with db.session_scope() as session:
        assert session.get(db.Instrument, "AAA") is None


@pytest.mark.asyncio
@pytest.mark.usefixtures("async_engines")
async def test_async_engine_pool_and_cache() -> None:
    with override_settings(db_pool_size=7):
        engine = db.get_async_engine()
        assert engine is db.get_async_engine()
        assert engine.dialect.driver == "aiosqlite"
        assert engine.pool.size() == 7  # type: ignore[attr-defined]
        assert engine.url.database == str(get_settings().data_dir / "axion.db")
    assert db.get_async_engine() is not engine


@pytest.mark.asyncio
@pytest.mark.usefixtures("async_engines")
async def test_async_sqlite_pragmas() -> None:
    async with db.get_async_engine().connect() as conn:
        assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
        assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
