"""The same contract on a real PostgreSQL: psycopg for sync, asyncpg for async.

Each test gets its own freshly created database (``pg_url``), dropped afterwards.
"""

from __future__ import annotations

import polars as pl
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from polars.testing import assert_frame_equal

from axion_lab import db
from axion_lab.db import bulk
from axion_lab.db.migrate import include_object_for, target_metadata
from axion_lab.exceptions import DatabaseError, MigrationError

pytestmark = pytest.mark.postgres


def _differences() -> list[object]:
    with db.get_sync_engine().connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object_for("postgresql")}
        )
        return list(compare_metadata(context, target_metadata()))


def test_upgrade_matches_models_on_postgres(pg_url: str) -> None:
    assert db.get_sync_engine().dialect.driver == "psycopg"
    assert db.upgrade() == db.head()
    assert db.upgrade() == db.head()
    assert _differences() == []
    indexes = {
        i["name"]: i["column_names"]
        for i in sa.inspect(db.get_sync_engine()).get_indexes("price_bars")
    }
    assert indexes["ix_price_bars_symbol_ts"] == ["symbol", "ts"]
    assert db.check_schema() == db.head()


def test_downgrade_then_upgrade_on_postgres(pg_url: str) -> None:
    db.upgrade()
    assert db.downgrade("base") is None
    assert set(sa.inspect(db.get_sync_engine()).get_table_names()) == {"alembic_version"}
    db.upgrade()
    assert _differences() == []


def test_round_trips_on_postgres(
    pg_url: str,
    bars: pl.DataFrame,
    instruments: pl.DataFrame,
    fundamentals: pl.DataFrame,
    macro: pl.DataFrame,
) -> None:
    db.upgrade()
    with db.session_scope() as session:
        db.write_bars(session, bars, chunk_size=4)
        db.write_instruments(session, instruments)
        db.write_fundamentals(session, fundamentals)
        db.write_macro(session, macro)
    revised = bars.with_columns(close=pl.col("close") * 2)
    with db.session_scope() as session:
        db.write_bars(session, pl.concat([bars, revised]))  # duplicate keys: last wins
    with db.session_scope() as session:
        assert_frame_equal(db.read_bars(session), revised)
        assert_frame_equal(db.read_instruments(session), instruments)
        assert_frame_equal(db.read_fundamentals(session), fundamentals)
        assert_frame_equal(db.read_macro(session), macro)


def test_interrupted_write_leaves_no_rows_on_postgres(
    pg_url: str, bars: pl.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    db.upgrade()
    real = bulk._execute_chunk
    calls: list[int] = []

    def flaky(session: object, statement: object, rows: list[dict[str, object]]) -> None:
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("connection dropped mid-write")
        real(session, statement, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk, "_execute_chunk", flaky)
    with pytest.raises(RuntimeError, match="mid-write"), db.session_scope() as session:
        db.write_bars(session, bars, chunk_size=3)
    with db.session_scope() as session:
        assert db.read_bars(session).is_empty()


def test_unmigrated_postgres_is_a_migration_error(pg_url: str) -> None:
    with (
        pytest.raises(MigrationError, match=r"out of date.*axion-lab db upgrade"),
        db.session_scope() as session,
    ):
        db.read_bars(session)
    with pytest.raises(MigrationError, match="no Axion Lab schema"):
        db.check_schema()


def test_missing_database_is_a_clear_error(pg_url: str) -> None:
    missing = sa.make_url(pg_url).set(database="axion_no_such_db").render_as_string(False)
    with pytest.raises(DatabaseError, match=r"does not exist.*createdb"):
        db.current(url=missing)


@pytest.mark.asyncio
@pytest.mark.usefixtures("async_engines")
async def test_async_round_trip_on_asyncpg(pg_url: str, bars: pl.DataFrame) -> None:
    db.upgrade()
    engine = db.get_async_engine()
    assert engine.dialect.driver == "asyncpg"
    assert engine.pool.size() == 20  # type: ignore[attr-defined]
    async with db.async_session_scope() as session:
        assert await session.run_sync(db.write_bars, bars) == 6
    async with db.async_session_scope() as session:
        back = await session.run_sync(db.read_bars, None, "2024-01-03")
    assert_frame_equal(back, bars.filter(pl.col("ts") >= pl.datetime(2024, 1, 3)))


@pytest.mark.asyncio
@pytest.mark.usefixtures("async_engines")
async def test_async_unmigrated_on_asyncpg(pg_url: str) -> None:
    with pytest.raises(MigrationError, match="axion-lab db upgrade"):
        async with db.async_session_scope() as session:
            await session.run_sync(db.read_bars, "AAA")
