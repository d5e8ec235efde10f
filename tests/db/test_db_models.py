"""Models match the canonical frames, name every constraint, and map ``metadata``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa

from axion_lab import db
from axion_lab.data.schema import SCHEMAS
from axion_lab.db.base import Base
from axion_lab.exceptions import DatabaseError

# Which SQLAlchemy type each canonical polars dtype is stored as.
_STORAGE = {
    pl.Float64: (sa.Float,),
    pl.Int64: (sa.Integer,),  # BigInteger and SmallInteger are Integer subclasses
    pl.String: (sa.String,),
    pl.Date: (sa.Date,),
    pl.Datetime: (sa.DateTime,),
    pl.Boolean: (sa.Boolean,),
    pl.List: (sa.JSON,),
}


@pytest.mark.parametrize(
    ("frame", "model"),
    [
        ("bars", db.PriceBar),
        ("instruments", db.Instrument),
        ("fundamentals", db.Financial),
        ("macro", db.EconomicIndicator),
    ],
)
def test_tables_hold_every_canonical_column_with_a_matching_type(frame: str, model: type) -> None:
    table: sa.Table = model.__table__  # type: ignore[attr-defined]
    for column, dtype in SCHEMAS[frame].items():
        assert column in table.c, f"{table.name} lacks {column}"
        stored = table.c[column].type
        assert isinstance(stored, _STORAGE[dtype.base_type()]), (column, stored)


def test_bars_primary_key_allows_time_partitioning() -> None:
    pk = [c.name for c in db.PriceBar.__table__.primary_key.columns]
    assert pk == ["symbol", "interval", "ts"]


def test_every_constraint_and_index_is_named_by_convention(migrated: Path) -> None:
    inspector = sa.inspect(db.get_sync_engine())
    for table in Base.metadata.tables:
        assert inspector.get_pk_constraint(table)["name"] == f"pk_{table}"
        for index in inspector.get_indexes(table):
            assert str(index["name"]).startswith(f"ix_{table}_"), index
        for check in inspector.get_check_constraints(table):
            assert str(check["name"]).startswith(f"ck_{table}_"), check
    checks = inspector.get_check_constraints("factor_scores")
    assert [c["name"] for c in checks] == ["ck_factor_scores_score_range"]


def test_metadata_column_maps_to_extra_metadata(migrated: Path) -> None:
    assert "metadata" in db.Instrument.__table__.c
    assert "metadata" in db.DataQualityLog.__table__.c
    with db.session_scope() as session:
        session.add(
            db.Instrument(
                symbol="AAA",
                name="Aaa (fictional)",
                indexes=["SBX500"],
                ipo_date=dt.date(2001, 2, 3),
                extra_metadata={"tv_id": "SBX:AAA", "lot": 100},
            )
        )
    with db.get_sync_engine().connect() as conn:
        raw = conn.exec_driver_sql("SELECT metadata, is_fictional FROM instruments").one()
    assert raw == ('{"tv_id": "SBX:AAA", "lot": 100}', 0)
    with db.session_scope() as session:
        loaded = session.get(db.Instrument, "AAA")
        assert loaded is not None
        assert loaded.extra_metadata == {"tv_id": "SBX:AAA", "lot": 100}
        assert loaded.indexes == ["SBX500"]


def test_score_outside_0_100_is_refused(migrated: Path) -> None:
    with pytest.raises(DatabaseError, match="violates a constraint"), db.session_scope() as s:
        s.add(db.FactorScore(symbol="AAA", date=dt.date(2024, 1, 2), factor="value", score=101))
    with pytest.raises(DatabaseError, match="violates a constraint"), db.session_scope() as s:
        s.add(db.DataQualityLog(frame="bars", check="x", severity="fatal"))


def test_reprs_name_the_row() -> None:
    bar = db.PriceBar(symbol="AAA", interval="1d", ts=dt.datetime(2024, 1, 2), close=1.5)
    assert repr(bar) == "PriceBar('AAA', '1d', 2024-01-02 00:00:00, close=1.5)"
