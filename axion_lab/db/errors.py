"""Turn driver exceptions into :class:`DatabaseError` / :class:`MigrationError` that say
what to do.

SQLAlchemy wraps each driver's errors (sqlite3, psycopg, asyncpg) in its own classes
but keeps the driver's wording; this module reads both (SQLSTATE codes where the
driver has them, the message text for SQLite, which has none) and picks the advice.
The original exception is always chained with ``from``.

Examples
--------
>>> import sqlite3
>>> import sqlalchemy as sa
>>> raw = sqlite3.OperationalError("database is locked")
>>> err = translate_error(sa.exc.OperationalError("INSERT ...", {}, raw), "sqlite:///x.db")
>>> type(err).__name__, str(err).startswith("The SQLite database is locked")
('DatabaseError', True)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Final

import sqlalchemy as sa

from axion_lab.exceptions import DatabaseError, MigrationError

__all__ = [
    "UPGRADE_HINT",
    "database_errors",
    "database_errors_async",
    "safe_url",
    "translate_error",
]

UPGRADE_HINT: Final = "Run `axion-lab db upgrade` (or `axion_lab.db.upgrade()`) to migrate it."

# PostgreSQL SQLSTATE codes (psycopg: `.sqlstate`; asyncpg via SQLAlchemy: `.pgcode`).
_UNDEFINED_OBJECT: Final = {"42P01", "42703", "3F000", "42704"}
_UNREACHABLE: Final = {"08000", "08001", "08003", "08004", "08006", "57P03"}
_NO_DATABASE: Final = "3D000"
_AUTH_PREFIX: Final = "28"
_READ_ONLY: Final = "25006"

_AUTH_WORDS: Final = (
    "password authentication failed",
    "no pg_hba.conf entry",
    "role",  # 'role "x" does not exist'
)
_CONNECT_WORDS: Final = (
    "connection refused",
    "could not connect",
    "connection failed",
    "could not translate host name",
    "name or service not known",
    "timeout expired",
    "connection timed out",
    "server closed the connection",
    "connect call failed",
)


def safe_url(url: str | sa.URL | None) -> str:
    """Render ``url`` for messages, with any password masked.

    Examples
    --------
    >>> safe_url("postgresql://bob:secret@db:5432/lab")
    'postgresql://bob:***@db:5432/lab'
    """
    if url is None:
        return "the configured database"
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<invalid URL>"


def _driver_error(exc: BaseException) -> BaseException:
    orig = getattr(exc, "orig", None)
    return orig if isinstance(orig, BaseException) else exc


def _sqlstate(exc: BaseException) -> str | None:
    for candidate in (exc, _driver_error(exc)):
        for attr in ("sqlstate", "pgcode"):
            code = getattr(candidate, attr, None)
            if isinstance(code, str) and code:
                return code
    return None


def _first_line(exc: BaseException) -> str:
    text = str(_driver_error(exc)).strip() or type(exc).__name__
    return text.splitlines()[0]


def translate_error(exc: BaseException, url: str | sa.URL | None = None) -> DatabaseError:
    """Return the :class:`DatabaseError` (or :class:`MigrationError`) explaining ``exc``.

    ``url`` names the database in the message (password masked). Unrecognised errors
    still become a :class:`DatabaseError` carrying the driver's first line.
    """
    if isinstance(exc, DatabaseError):
        return exc
    where = safe_url(url)
    detail = _first_line(exc)
    lowered = str(_driver_error(exc)).lower()
    code = _sqlstate(exc)

    if isinstance(exc, sa.exc.NoSuchModuleError):
        return DatabaseError(
            f"No database driver for {where}: {detail}. For PostgreSQL install the extra "
            "`pip install 'axion-lab[postgres]'`; SQLite needs nothing."
        )
    if isinstance(exc, sa.exc.ArgumentError):
        return DatabaseError(
            f"Invalid database URL ({detail}). Set AXION_DATABASE_URL to a SQLAlchemy URL "
            "such as postgresql://user@host/dbname or sqlite:///path/to/axion.db."
        )
    if code in _UNDEFINED_OBJECT or any(
        word in lowered for word in ("no such table", "no such column", "has no column named")
    ):
        return MigrationError(
            f"The database schema at {where} is out of date ({detail}). {UPGRADE_HINT}"
        )
    if "database is locked" in lowered or "database table is locked" in lowered:
        return DatabaseError(
            f"The SQLite database is locked by another connection ({where}). Another process "
            "is writing to it; wait for it to finish (or close the other notebook or program) "
            "and retry, or raise AXION_DB_BUSY_TIMEOUT to wait longer."
        )
    if "readonly database" in lowered or "read-only" in lowered or code == _READ_ONLY:
        return DatabaseError(
            f"The database {where} is read-only ({detail}). Make the file and its directory "
            "writable, or point AXION_DATABASE_URL (or AXION_DATA_DIR) at a writable location."
        )
    if "unable to open database file" in lowered:
        return DatabaseError(
            f"Cannot open the SQLite database {where}: the file or its directory is missing "
            "or not accessible. Set AXION_DATA_DIR to a writable directory."
        )
    if "file is not a database" in lowered or "malformed" in lowered:
        return DatabaseError(
            f"The SQLite file {where} is not a valid database ({detail}). Move it aside and "
            "run `axion-lab db upgrade` to create a fresh one."
        )
    if code == _NO_DATABASE or ("database" in lowered and "does not exist" in lowered):
        return DatabaseError(
            f"The database named in {where} does not exist ({detail}). Create it "
            "(`createdb NAME`) or fix AXION_DATABASE_URL."
        )
    if (code is not None and code.startswith(_AUTH_PREFIX)) or any(
        word in lowered for word in _AUTH_WORDS
    ):
        return DatabaseError(
            f"The database server refused the credentials for {where} ({detail}). "
            "Check the user and password in AXION_DATABASE_URL."
        )
    if (
        code in _UNREACHABLE
        or isinstance(exc, OSError)
        or any(word in lowered for word in _CONNECT_WORDS)
    ):
        return DatabaseError(
            f"Cannot reach the database at {where} ({detail}). Check that the server is "
            "running and that AXION_DATABASE_URL is right."
        )
    if isinstance(exc, sa.exc.IntegrityError):
        return DatabaseError(f"A write to {where} violates a constraint: {detail}")
    return DatabaseError(f"Database error on {where}: {detail}")


# OSError: asyncpg raises ConnectionRefusedError / socket.gaierror on connect unwrapped.
_CAUGHT: Final = (sa.exc.SQLAlchemyError, OSError)


@contextmanager
def database_errors(url: str | sa.URL | None = None) -> Iterator[None]:
    """Re-raise SQLAlchemy and driver errors inside the block as :class:`DatabaseError`.

    Examples
    --------
    >>> import sqlalchemy as sa
    >>> engine = sa.create_engine("sqlite://")
    >>> with database_errors(engine.url), engine.connect() as conn:
    ...     conn.execute(sa.text("SELECT * FROM missing"))
    Traceback (most recent call last):
    ...
    axion_lab.exceptions.MigrationError: The database schema at sqlite:// is out of date ...
    """
    try:
        yield
    except _CAUGHT as exc:
        raise translate_error(exc, url) from exc


@asynccontextmanager
async def database_errors_async(url: str | sa.URL | None = None) -> AsyncIterator[None]:
    """Async twin of :func:`database_errors`."""
    try:
        yield
    except _CAUGHT as exc:
        raise translate_error(exc, url) from exc
