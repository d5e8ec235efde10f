"""save_quality_report stores one DataQualityLog row per finding (SQLite in memory)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from axion_lab.data.quality import QualityReport, check_dividends, save_quality_report
from axion_lab.db import Base, DataQualityLog
from axion_lab.exceptions import InputError


@pytest.fixture
def session():
    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()


def test_findings_become_rows(session):
    report = check_dividends(
        pl.DataFrame(
            {
                "symbol": ["AAA", "BBB"],
                "ex_date": [dt.date(2024, 3, 1), dt.date(2024, 3, 1)],
                "pay_date": [dt.date(2024, 2, 1), dt.date(2024, 3, 9)],
                "amount": [0.5, -1.0],
            }
        )
    )
    when = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    stored = save_quality_report(
        session, report, provider="files", source="/data/divs.csv", checked_at=when
    )
    assert stored == 2
    rows = session.scalars(sa.select(DataQualityLog).order_by(DataQualityLog.symbol)).all()
    assert [(r.symbol, r.check, r.severity, r.affected_rows) for r in rows] == [
        ("AAA", "pay_before_ex", "error", 1),
        ("BBB", "non_positive_amount", "error", 1),
    ]
    assert rows[0].provider == "files"
    assert rows[0].frame == "dividends"
    assert rows[0].extra_metadata == {
        "start": "2024-03-01",
        "end": "2024-03-01",
        "source": "/data/divs.csv",
    }
    assert rows[0].message == "1 dividend(s) paid before the ex-date."


def test_empty_report_stores_nothing(session):
    assert save_quality_report(session, QualityReport.empty()) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(DataQualityLog)) == 0


def test_long_provider_name_is_refused(session):
    with pytest.raises(InputError, match="longer than 32"):
        save_quality_report(session, QualityReport.empty(), provider="x" * 40)
