"""Engines: created lazily from the settings in force, cached per URL.

The same ``AXION_DATABASE_URL`` serves sync code (notebooks, the CLI, Alembic) and
async code (the data service), so the URL is mapped to a driver for each:

================================  ==========================  =============================
URL as configured                 sync engine                 async engine
================================  ==========================  =============================
``postgresql://...``              ``postgresql+psycopg``      ``postgresql+asyncpg``
``postgresql+psycopg://...``      ``postgresql+psycopg``      ``postgresql+psycopg`` (async)
``postgresql+asyncpg://...``      ``postgresql+psycopg``      ``postgresql+asyncpg``
``sqlite:///path``                ``sqlite`` (pysqlite)       ``sqlite+aiosqlite``
================================  ==========================  =============================

An explicit driver is kept when it can serve the mode (psycopg 3 serves both).

SQLite connections get WAL journaling (readers never block the writer), foreign keys
on, and a busy timeout (``AXION_DB_BUSY_TIMEOUT``). SQLAlchemy also takes over
``BEGIN`` from the ``sqlite3`` module, whose legacy transaction handling would
otherwise make SAVEPOINTs (which the bulk writers rely on) and DDL non-transactional.

Engines are cached per URL and options; async engines also per event loop, because
asyncpg connections belong to the loop that opened them (a notebook kernel has one
loop; a test suite opens many). :func:`reset_engines` / :func:`areset_engines` dispose
of them all.

Examples
--------
>>> sync_url("postgresql://lab@db/axion").drivername
'postgresql+psycopg'
>>> async_url("postgresql://lab@db/axion").drivername
'postgresql+asyncpg'
>>> async_url("sqlite:///axion.db").drivername
'sqlite+aiosqlite'
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import sqlalchemy as sa

from axion_lab.config import get_settings
from axion_lab.db.errors import translate_error
from axion_lab.exceptions import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = [
    "areset_engines",
    "async_url",
    "get_async_engine",
    "get_sync_engine",
    "reset_engines",
    "sqlite_path",
    "sync_url",
]

_SYNC_PG: Final = "postgresql+psycopg"
_ASYNC_PG: Final = "postgresql+asyncpg"
# PostgreSQL drivers that cannot run under asyncio.
_SYNC_ONLY_PG: Final = {"psycopg2", "pg8000", "psycopg2cffi"}


def _parse(url: str | sa.URL) -> sa.URL:
    try:
        return sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise translate_error(exc, None) from exc


def sync_url(url: str | sa.URL) -> sa.URL:
    """Return ``url`` with a synchronous driver (see the module table)."""
    parsed = _parse(url)
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    explicit = "+" in parsed.drivername
    if backend == "postgresql" and (not explicit or driver == "asyncpg"):
        return parsed.set(drivername=_SYNC_PG)
    if backend == "sqlite" and driver == "aiosqlite":
        return parsed.set(drivername="sqlite")
    return parsed


def async_url(url: str | sa.URL) -> sa.URL:
    """Return ``url`` with an asyncio driver (see the module table)."""
    parsed = _parse(url)
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    explicit = "+" in parsed.drivername
    if backend == "postgresql" and (not explicit or driver in _SYNC_ONLY_PG):
        return parsed.set(drivername=_ASYNC_PG)
    if backend == "sqlite" and (not explicit or driver == "pysqlite"):
        return parsed.set(drivername="sqlite+aiosqlite")
    return parsed


def sqlite_path(url: str | sa.URL) -> Path | None:
    """The file behind a SQLite URL; ``None`` for in-memory SQLite and other databases.

    Examples
    --------
    >>> sqlite_path("sqlite:////tmp/axion.db")
    PosixPath('/tmp/axion.db')
    >>> sqlite_path("sqlite://") is None
    True
    """
    parsed = _parse(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or parsed.query.get("mode") == "memory":
        return None
    if database.startswith("file:"):
        database = database[len("file:") :]
    return Path(database)


def _ensure_sqlite_dir(url: sa.URL) -> None:
    path = sqlite_path(url)
    if path is None or _read_only(url):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(
            f"Cannot create the directory {path.parent} for the SQLite database ({exc}). "
            "Set AXION_DATA_DIR (or AXION_DATABASE_URL) to a writable location."
        ) from exc


def _read_only(url: sa.URL) -> bool:
    # A `mode=ro` SQLite URI must not create anything.
    return url.query.get("mode") == "ro"


def _sqlite_listeners(engine: sa.Engine, busy_timeout: float, file_backed: bool) -> None:
    busy_ms = round(busy_timeout * 1000)

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN (see `on_begin`) instead of the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if file_backed:
                cursor.execute("PRAGMA journal_mode")
                if str(cursor.fetchone()[0]).lower() != "wal":
                    cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    def on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN")

    sa.event.listen(engine, "connect", on_connect)
    sa.event.listen(engine, "begin", on_begin)


class _EngineCache:
    """Engines keyed by options; async ones also by event loop (weakly)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sync: dict[tuple[Any, ...], sa.Engine] = {}
        self.by_loop: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[tuple[Any, ...], AsyncEngine]
        ] = weakref.WeakKeyDictionary()
        self.no_loop: dict[tuple[Any, ...], AsyncEngine] = {}

    def async_bucket(self) -> dict[tuple[Any, ...], AsyncEngine]:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return self.no_loop
        return self.by_loop.setdefault(loop, {})


_cache = _EngineCache()


def _options_key(url: sa.URL) -> tuple[Any, ...]:
    settings = get_settings()
    return (
        url.render_as_string(hide_password=False),
        settings.db_echo,
        settings.db_pool_size,
        settings.db_busy_timeout,
    )


def get_sync_engine(url: str | sa.URL | None = None) -> sa.Engine:
    """Return the cached synchronous engine for ``url`` (default: the settings' URL).

    Creating an engine does not connect; a missing SQLite directory is created.

    Raises
    ------
    DatabaseError
        If the URL is invalid, its driver is not installed, or the SQLite directory
        cannot be created.

    Examples
    --------
    >>> engine = get_sync_engine("sqlite://")
    >>> engine is get_sync_engine("sqlite://"), engine.dialect.name
    (True, 'sqlite')
    """
    settings = get_settings()
    target = sync_url(url if url is not None else settings.resolved_database_url)
    key = _options_key(target)
    with _cache.lock:
        engine = _cache.sync.get(key)
        if engine is None:
            engine = _create_sync(target)
            _cache.sync[key] = engine
    return engine


def _create_sync(url: sa.URL) -> sa.Engine:
    settings = get_settings()
    _ensure_sqlite_dir(url)
    options: dict[str, Any] = {"echo": settings.db_echo}
    if url.get_backend_name() != "sqlite":
        # A pooled connection can die with the server (restart, idle timeout).
        options["pool_pre_ping"] = True
    try:
        engine = sa.create_engine(url, **options)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise translate_error(exc, url) from exc
    if url.get_backend_name() == "sqlite":
        _sqlite_listeners(engine, settings.db_busy_timeout, sqlite_path(url) is not None)
    return engine


def get_async_engine(url: str | sa.URL | None = None) -> AsyncEngine:
    """Return the cached async engine for ``url`` in the running event loop.

    The pool holds ``AXION_DB_POOL_SIZE`` connections (plus as many overflow) where
    the driver pools (PostgreSQL, file SQLite); in-memory SQLite uses one connection.

    Examples
    --------
    >>> import asyncio
    >>> async def main():
    ...     engine = get_async_engine("sqlite://")
    ...     await engine.dispose()
    ...     return engine.dialect.driver
    >>> asyncio.run(main())
    'aiosqlite'
    """
    settings = get_settings()
    target = async_url(url if url is not None else settings.resolved_database_url)
    key = _options_key(target)
    with _cache.lock:
        bucket = _cache.async_bucket()
        engine = bucket.get(key)
        if engine is None:
            engine = _create_async(target)
            bucket[key] = engine
    return engine


def _create_async(url: sa.URL) -> AsyncEngine:
    from sqlalchemy.ext.asyncio import create_async_engine

    settings = get_settings()
    _ensure_sqlite_dir(url)
    options: dict[str, Any] = {"echo": settings.db_echo}
    is_sqlite = url.get_backend_name() == "sqlite"
    if not is_sqlite:
        options["pool_pre_ping"] = True
    if not (is_sqlite and sqlite_path(url) is None):
        options["pool_size"] = settings.db_pool_size
        options["max_overflow"] = settings.db_pool_size
    try:
        engine = create_async_engine(url, **options)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise translate_error(exc, url) from exc
    if is_sqlite:
        _sqlite_listeners(
            engine.sync_engine, settings.db_busy_timeout, sqlite_path(url) is not None
        )
    return engine


def _forget_async() -> list[tuple[asyncio.AbstractEventLoop | None, AsyncEngine]]:
    engines: list[tuple[asyncio.AbstractEventLoop | None, AsyncEngine]] = []
    for loop, bucket in list(_cache.by_loop.items()):
        engines.extend((loop, engine) for engine in bucket.values())
    engines.extend((None, engine) for engine in _cache.no_loop.values())
    _cache.by_loop.clear()
    _cache.no_loop.clear()
    return engines


def reset_engines() -> None:
    """Dispose of every cached engine so the next call builds fresh ones (for tests).

    Async engines are closed properly when their loop is idle; from inside a running
    loop use :func:`areset_engines` instead, which awaits their disposal.
    """
    with _cache.lock:
        sync_engines = list(_cache.sync.values())
        _cache.sync.clear()
        async_engines = _forget_async()
    for engine in sync_engines:
        engine.dispose()
    for loop, aengine in async_engines:
        if loop is not None and not loop.is_closed() and not loop.is_running():
            loop.run_until_complete(aengine.dispose())
        else:
            # Connections opened on another (or a closed) loop cannot be closed here;
            # drop the pool and let the driver finalise them.
            aengine.sync_engine.dispose(close=False)


async def areset_engines() -> None:
    """Dispose of every cached engine, awaiting the async ones of the running loop."""
    running = asyncio.get_running_loop()
    with _cache.lock:
        sync_engines = list(_cache.sync.values())
        _cache.sync.clear()
        async_engines = _forget_async()
    for engine in sync_engines:
        engine.dispose()
    for loop, aengine in async_engines:
        if loop is running or loop is None:
            await aengine.dispose()
        else:
            aengine.sync_engine.dispose(close=False)
