"""Session factories bound lazily to the engines of the settings in force.

``SyncSessionLocal()`` and ``AsyncSessionLocal()`` look the engine up when called,
not when imported, so code inside ``override_settings(database_url=...)`` (a test, a
notebook pointing at another database) gets a session on that database. Sessions
keep objects usable after commit (``expire_on_commit=False``): a notebook can read a
committed object's attributes without another round trip, and async code must not
trigger lazy loads.

Examples
--------
>>> from axion_lab.config import override_settings
>>> from axion_lab.db import Base, session_scope, get_sync_engine
>>> import sqlalchemy as sa
>>> from axion_lab.db import Instrument
>>> with override_settings(database_url="sqlite://"):
...     Base.metadata.create_all(get_sync_engine())
...     with session_scope() as session:
...         session.scalar(sa.select(sa.func.count()).select_from(Instrument))
0
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from axion_lab.db.engine import get_async_engine, get_sync_engine
from axion_lab.db.errors import database_errors, database_errors_async

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

__all__ = [
    "AsyncSessionLocal",
    "SyncSessionLocal",
    "async_session_scope",
    "session_scope",
]


class _SyncSessionFactory:
    """Call to get a :class:`~sqlalchemy.orm.Session` on the current settings' engine."""

    def __init__(self) -> None:
        self._maker: sessionmaker[Session] = sessionmaker(expire_on_commit=False)

    def __call__(self, *, bind: sa.Engine | sa.Connection | None = None, **options: Any) -> Session:
        return self._maker(bind=bind if bind is not None else get_sync_engine(), **options)

    def __repr__(self) -> str:
        return "SyncSessionLocal(<engine of the settings in force>)"


class _AsyncSessionFactory:
    """Call to get an ``AsyncSession`` on the current settings' async engine."""

    def __init__(self) -> None:
        self._maker: async_sessionmaker[AsyncSession] | None = None

    def __call__(self, *, bind: AsyncEngine | None = None, **options: Any) -> AsyncSession:
        if self._maker is None:
            # Imported here: sqlalchemy.ext.asyncio pulls in greenlet machinery.
            from sqlalchemy.ext.asyncio import async_sessionmaker

            self._maker = async_sessionmaker(expire_on_commit=False)
        return self._maker(bind=bind if bind is not None else get_async_engine(), **options)

    def __repr__(self) -> str:
        return "AsyncSessionLocal(<async engine of the settings in force>)"


SyncSessionLocal = _SyncSessionFactory()
AsyncSessionLocal = _AsyncSessionFactory()


@contextmanager
def session_scope(*, bind: sa.Engine | sa.Connection | None = None) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back if it raises.

    Database errors inside the block (and at commit) are re-raised as
    :class:`~axion_lab.exceptions.DatabaseError` with advice; other exceptions pass
    through unchanged after the rollback.
    """
    session = SyncSessionLocal(bind=bind)
    url = session.get_bind().engine.url
    with database_errors(url):
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


@asynccontextmanager
async def async_session_scope(*, bind: AsyncEngine | None = None) -> AsyncIterator[AsyncSession]:
    """Async twin of :func:`session_scope`.

    Examples
    --------
    >>> import asyncio
    >>> import sqlalchemy as sa
    >>> from axion_lab.db import areset_engines, get_async_engine
    >>> async def main():
    ...     async with async_session_scope(bind=get_async_engine("sqlite://")) as session:
    ...         value = await session.scalar(sa.text("SELECT 1"))
    ...     await areset_engines()
    ...     return value
    >>> asyncio.run(main())
    1
    """
    engine = bind if bind is not None else get_async_engine()
    session = AsyncSessionLocal(bind=engine)
    async with database_errors_async(engine.url):
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
        finally:
            await session.close()
