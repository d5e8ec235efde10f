"""Fixtures of the signals tests: constructed markets and a hand-built signal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from signal_data import make_market, random_walk

from axion_lab.config import get_settings
from axion_lab.data.market import Market
from axion_lab.signals import Signal


@pytest.fixture
def walk_market() -> Market:
    """Three symbols, 320 sessions: calm, middling and wild random walks."""
    return make_market(
        {
            "CALM": random_walk(320, vol=0.005, seed=1),
            "MIDL": random_walk(320, vol=0.015, seed=2),
            "WILD": random_walk(320, vol=0.04, seed=3),
        },
        sectors={"CALM": "Utilities", "MIDL": "Industrials", "WILD": "Technology"},
    )


@pytest.fixture
def make_signal() -> Callable[..., Signal]:
    """A valid long signal with any field overridden."""

    def build(**changes: object) -> Signal:
        fields: dict[str, object] = {
            "symbol": "ACME",
            "direction": "long",
            "entry_cents": 10_000,
            "target_cents": 10_600,
            "stop_cents": 9_700,
            "risk_score": 40,
            "profit_potential_score": 50,
            "confidence_score": 60,
            "source": "test",
            "horizon": "swing",
            "as_of": dt.date(2024, 6, 28),
            "expires_on": dt.date(2024, 7, 26),
            "sector": "Industrials",
        }
        fields.update(changes)
        return Signal(**fields)  # type: ignore[arg-type]

    return build


@pytest.fixture
def sqlite_db() -> Iterator[str]:
    """The test's SQLite database (under the per-test data dir), migrated to head."""
    from axion_lab import db

    db.reset_engines()
    url = db.sync_url(get_settings().resolved_database_url)
    db.upgrade(url=url)
    yield url
    db.reset_engines()


@pytest.fixture
def pg_db(postgres_url: str) -> Iterator[str]:
    """A fresh, uniquely named PostgreSQL database migrated to head; dropped afterwards."""
    from testsupport import throwaway_database

    from axion_lab import db

    with throwaway_database(postgres_url, "axion_signals") as url:
        rendered = url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        db.upgrade(url=rendered)
        yield rendered


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A migrated database: SQLite, and PostgreSQL where it runs."""
    name = "sqlite_db" if request.param == "sqlite" else "pg_db"
    return str(request.getfixturevalue(name))
