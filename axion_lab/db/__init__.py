"""Persistence: SQLAlchemy 2 typed ORM, sessions, bulk frame I/O and Alembic migrations.

SQLite under the user data directory by default; PostgreSQL when
``AXION_DATABASE_URL`` says so. Importing this package connects to nothing: engines
are built on first use from the settings in force.

Examples
--------
>>> import sqlalchemy as sa
>>> from axion_lab.db import Base, Instrument, session_scope
>>> engine = sa.create_engine("sqlite://")
>>> Base.metadata.create_all(engine)
>>> with session_scope(bind=engine) as session:
...     session.add(Instrument(symbol="ACME", name="Acme Corp (fictional)"))
>>> with session_scope(bind=engine) as session:
...     session.get(Instrument, "ACME").name
'Acme Corp (fictional)'
"""

from __future__ import annotations

from axion_lab.db.base import NAMING_CONVENTION, Base
from axion_lab.db.bulk import upsert_frame
from axion_lab.db.engine import (
    areset_engines,
    async_url,
    get_async_engine,
    get_sync_engine,
    reset_engines,
    sync_url,
)
from axion_lab.db.frames import (
    read_bars,
    read_fundamentals,
    read_instruments,
    read_macro,
    write_bars,
    write_fundamentals,
    write_instruments,
    write_macro,
)
from axion_lab.db.migrate import (
    RevisionInfo,
    check_schema,
    current,
    downgrade,
    downgrade_sql,
    head,
    history,
    upgrade,
    upgrade_sql,
)
from axion_lab.db.models import (
    DataQualityLog,
    EconomicIndicator,
    FactorScore,
    Financial,
    Instrument,
    PriceBar,
)
from axion_lab.db.session import (
    AsyncSessionLocal,
    SyncSessionLocal,
    async_session_scope,
    session_scope,
)

__all__ = [
    "NAMING_CONVENTION",
    "AsyncSessionLocal",
    "Base",
    "DataQualityLog",
    "EconomicIndicator",
    "FactorScore",
    "Financial",
    "Instrument",
    "PriceBar",
    "RevisionInfo",
    "SyncSessionLocal",
    "areset_engines",
    "async_session_scope",
    "async_url",
    "check_schema",
    "current",
    "downgrade",
    "downgrade_sql",
    "get_async_engine",
    "get_sync_engine",
    "head",
    "history",
    "read_bars",
    "read_fundamentals",
    "read_instruments",
    "read_macro",
    "reset_engines",
    "session_scope",
    "sync_url",
    "upgrade",
    "upgrade_sql",
    "upsert_frame",
    "write_bars",
    "write_fundamentals",
    "write_instruments",
    "write_macro",
]
