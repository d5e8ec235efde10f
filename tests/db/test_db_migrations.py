"""Migrations: idempotent, reversible, identical to the models, dry-run safe (SQLite)."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from axion_lab import db
from axion_lab.db.migrate import include_object_for, target_metadata
from axion_lab.exceptions import MigrationError

# Every table the shipped migrations create, by the revision that adds it.
TABLES_0001 = {
    "data_quality_log",
    "economic_indicators",
    "factor_scores",
    "financials",
    "instruments",
    "price_bars",
}
TABLES = TABLES_0001 | {
    "copilot_ideas",
    "copilot_messages",
    "copilot_sessions",
    "copilot_tool_calls",
    "screen_alerts",
    "screen_run_members",
    "screen_runs",
    "screen_versions",
    "screens",
    "risk_assessments",
    "signal_factors",
    "signal_matches",
    "signal_performance",
    "signals",
    "user_profiles",
}
HEAD = "0004"


def schema_differences(url: str | sa.URL | None = None) -> list[object]:
    """What alembic autogenerate would still write after the migrations ran."""
    engine = db.get_sync_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_object": include_object_for(conn.dialect.name),
            },
        )
        return list(compare_metadata(context, target_metadata()))


def table_names(url: str | sa.URL | None = None) -> set[str]:
    return set(sa.inspect(db.get_sync_engine(url)).get_table_names())


def test_upgrade_matches_models_exactly(sqlite_file: Path) -> None:
    assert db.upgrade() == db.head() == HEAD
    assert sqlite_file.is_file()
    assert table_names() == {*TABLES, "alembic_version"}
    assert schema_differences() == []


def test_models_cover_the_migrated_tables() -> None:
    assert set(target_metadata().tables) == TABLES


def test_upgrade_twice_is_a_no_op(migrated: Path) -> None:
    with db.session_scope() as session:
        session.add(db.Instrument(symbol="AAA", name="kept"))
    assert db.upgrade() == HEAD
    with db.session_scope() as session:
        kept = session.get(db.Instrument, "AAA")
        assert kept is not None
        assert kept.name == "kept"


def test_downgrade_then_upgrade(migrated: Path) -> None:
    assert db.downgrade("base") is None
    assert table_names() == {"alembic_version"}
    assert db.current() is None
    assert db.upgrade("0001") == "0001"
    assert table_names() == {*TABLES_0001, "alembic_version"}
    assert db.upgrade() == HEAD
    assert schema_differences() == []


def test_offline_sql_does_not_touch_the_database(sqlite_file: Path) -> None:
    sql = db.upgrade_sql()
    assert not sqlite_file.exists()
    assert not sqlite_file.parent.exists()
    for table in TABLES:
        assert f"CREATE TABLE {table}" in sql
    assert "INSERT INTO alembic_version (version_num) VALUES ('0001')" in sql
    assert f"UPDATE alembic_version SET version_num='{HEAD}'" in sql
    # The (symbol, ts) index is PostgreSQL-only: SQLite's primary key serves.
    assert "ix_price_bars_symbol_ts" not in sql
    pg_sql = db.upgrade_sql(url="postgresql://nobody@127.0.0.1:1/none")
    assert "CREATE INDEX ix_price_bars_symbol_ts ON price_bars (symbol, ts)" in pg_sql
    assert "JSONB" in pg_sql
    down = db.downgrade_sql("base")
    assert "DROP TABLE price_bars" in down
    assert not sqlite_file.exists()


def test_current_does_not_create_the_database(sqlite_file: Path) -> None:
    assert db.current() is None
    assert not sqlite_file.parent.exists()


def test_check_schema_says_what_to_do(sqlite_file: Path) -> None:
    with pytest.raises(MigrationError, match="axion-lab db upgrade"):
        db.check_schema()
    db.upgrade()
    assert db.check_schema() == HEAD
    with db.get_sync_engine().begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(MigrationError, match=r"newer version.*Upgrade axion-lab"):
        db.check_schema()


def test_reading_an_unmigrated_database_is_a_migration_error(sqlite_file: Path) -> None:
    with (
        pytest.raises(MigrationError, match=r"out of date.*axion-lab db upgrade"),
        db.session_scope() as session,
    ):
        db.read_bars(session, "AAA")


def test_unknown_revision_suggests_the_close_one(sqlite_file: Path) -> None:
    with pytest.raises(MigrationError, match="Did you mean '0001'"):
        db.upgrade("001")
    with pytest.raises(MigrationError, match="Known revisions: 0004, 0003, 0002, 0001"):
        db.downgrade("zzz")


def test_history_lists_the_shipped_revisions_as_one_chain() -> None:
    revisions = db.history()
    assert [r.revision for r in revisions] == ["0004", "0003", "0002", "0001"]
    # A linear chain: each revision revises the one before, and only the newest is head.
    assert [r.down_revision for r in revisions] == ["0003", "0002", "0001", None]
    assert [r.is_head for r in revisions] == [True, False, False, False]
    assert str(revisions[-1]) == "<base> -> 0001, initial schema"


def test_migration_scripts_ship_inside_the_package() -> None:
    root = importlib.resources.files("axion_lab.db.migrations")
    assert root.joinpath("env.py").is_file()
    assert root.joinpath("script.py.mako").is_file()
    assert root.joinpath("versions", "0001_initial_schema.py").is_file()
