"""ScreenManager: versions, rename, delete, documents and the 0003 migration."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from testsupport import throwaway_database

from axion_lab import db
from axion_lab.db.migrate import include_object_for, target_metadata
from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.screener import (
    SCHEMA_VERSION,
    FilterCondition,
    Screen,
    ScreenManager,
    Universe,
    any_of,
    get_preset,
)

SCREEN_TABLES = {"screens", "screen_versions", "screen_runs", "screen_run_members", "screen_alerts"}


@pytest.fixture
def engine() -> Iterator[sa.Engine]:
    db.reset_engines()
    db.upgrade()  # the per-test SQLite file, through the real migrations
    yield db.get_sync_engine()
    db.reset_engines()


@pytest.fixture
def screens(engine: sa.Engine) -> ScreenManager:
    return ScreenManager(bind=engine)


def cheap(limit: int | None = None) -> Screen:
    return Screen(
        "cheap",
        filters=(
            FilterCondition("pe_ratio", "<", 15),
            any_of(FilterCondition("sector", "==", "Energy"), FilterCondition("roe", ">", 0.1)),
        ),
        universe=Universe.index("AX500"),
        limit=limit,
    )


def schema_differences(url: str | sa.URL | None = None) -> list[object]:
    with db.get_sync_engine(url).connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "include_object": include_object_for(conn.dialect.name)},
        )
        return list(compare_metadata(context, target_metadata()))


def test_migration_0003_creates_the_tables_as_modelled(engine: sa.Engine) -> None:
    assert db.current() == db.head()
    assert set(sa.inspect(engine).get_table_names()) >= SCREEN_TABLES
    assert schema_differences() == []
    assert db.downgrade("0002") == "0002"
    assert not SCREEN_TABLES & set(sa.inspect(db.get_sync_engine()).get_table_names())
    assert db.upgrade() == db.head()
    assert schema_differences() == []


@pytest.mark.postgres
def test_migration_0003_on_postgres(postgres_url: str) -> None:
    with throwaway_database(postgres_url, "axion_screens") as url:
        assert db.upgrade(url=url) == db.head()
        assert schema_differences(url) == []
        manager = ScreenManager(bind=db.get_sync_engine(url))
        manager.save(cheap())
        manager.save(cheap(limit=5))
        assert manager.load("cheap").limit == 5
        manager.delete("cheap")
        assert manager.list().height == 0


def test_every_save_of_a_name_is_a_new_version(screens: ScreenManager) -> None:
    first = screens.save(cheap())
    second = screens.save(cheap(limit=10), note="top ten")
    assert (first.version, second.version) == (1, 2)
    assert screens.load("cheap") == cheap(limit=10)
    assert screens.load("cheap", version=1) == cheap()
    history = screens.history("cheap")
    assert [h.version for h in history] == [1, 2]
    assert [h.note for h in history] == ["", "top ten"]
    listed = screens.list()
    assert listed["name"].to_list() == ["cheap"]
    assert listed["latest_version"].to_list() == [2]
    with pytest.raises(InputError, match=r"versions 1\.\.2"):
        screens.load("cheap", version=3)


def test_save_under_another_name_and_presets(screens: ScreenManager) -> None:
    saved = screens.save(get_preset("quality"), name="  my quality  ")
    assert saved.name == "my quality"
    assert screens.load("my quality").filters == get_preset("quality").filters
    assert list(screens) == ["my quality"]
    with pytest.raises(InputError, match="non-empty name"):
        screens.save(cheap(), name="   ")


def test_unknown_name_suggests_close_ones(screens: ScreenManager) -> None:
    screens.save(cheap())
    screens.save(get_preset("quality"))
    with pytest.raises(UnknownNameError, match="Did you mean 'cheap'") as info:
        screens.load("chaep")
    assert info.value.suggestions == ["cheap"]
    assert not screens.exists("chaep")
    assert screens.exists("cheap")


def test_rename_keeps_versions_and_refuses_duplicates(screens: ScreenManager) -> None:
    screens.save(cheap())
    screens.save(cheap(limit=3))
    screens.save(get_preset("quality"))
    screens.rename("cheap", "value")
    assert screens.load("value").name == "value"
    assert [h.version for h in screens.history("value")] == [1, 2]
    with pytest.raises(UnknownNameError):
        screens.load("cheap")
    with pytest.raises(InputError, match="exists"):
        screens.rename("value", get_preset("quality").name)
    assert screens.load("value", version=2).limit == 3


def test_delete_removes_every_version(screens: ScreenManager, engine: sa.Engine) -> None:
    screens.save(cheap())
    screens.save(cheap(limit=2))
    screens.delete("cheap")
    assert screens.list().height == 0
    with engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from screen_versions")).scalar() == 0
    with pytest.raises(UnknownNameError):
        screens.delete("cheap")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_and_import_round_trip(screens: ScreenManager, tmp_path: Path, fmt: str) -> None:
    screens.save(cheap(limit=7))
    path = tmp_path / f"cheap.{fmt}"
    text = screens.export("cheap", fmt=fmt, path=path)  # type: ignore[arg-type]
    doc = yaml.safe_load(text) if fmt == "yaml" else json.loads(text)
    assert doc["version"] == SCHEMA_VERSION
    assert doc["filters"][0] == {"field": "pe_ratio", "op": "lt", "value": 15}
    assert path.read_text() == text
    imported = screens.import_screen(path, name="copy")
    assert imported.version == 1
    assert screens.load("copy") == cheap(limit=7).replace(name="copy")
    again = screens.import_screen(text)  # text, format sniffed; same name -> version 2
    assert (again.name, again.version) == ("cheap", 2)


def test_documents_of_other_schema_versions_are_refused(screens: ScreenManager) -> None:
    doc = cheap().to_dict()
    newer = json.dumps({**doc, "version": SCHEMA_VERSION + 1})
    with pytest.raises(InputError, match="newer than this Axion Lab"):
        screens.import_screen(newer)
    older = json.dumps({**doc, "version": 0})
    with pytest.raises(InputError, match="no longer supported"):
        screens.import_screen(older)
    missing = json.dumps({k: v for k, v in doc.items() if k != "version"})
    with pytest.raises(InputError, match="no 'version'"):
        screens.import_screen(missing)
    with pytest.raises(UnknownNameError, match="sort_by"):
        screens.import_screen(json.dumps({**doc, "sort_bye": "roe"}))
    assert screens.list().height == 0


def test_formula_screens_need_the_parser_to_load(screens: ScreenManager) -> None:
    doc = {**cheap().to_dict(), "filters": [{"formula": "pe_ratio < 10"}]}
    with pytest.raises(InputError, match="parse_formula"):
        screens.import_screen(yaml.safe_dump(doc), fmt="yaml")
