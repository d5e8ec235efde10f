"""The Redis byte store, with graceful degradation to process memory.

Sync calls use a sync ``redis.Redis`` client and async calls a ``redis.asyncio``
client (one per event loop, since an asyncio connection pool is bound to the loop
that made it), so a sync call inside a running loop (a Jupyter cell) never needs
``asyncio.run``.

When Redis cannot be reached (refused, timed out, dropped mid-call) the store
serves from an in-process :class:`~axion_lab.cache._memory.MemoryStore` and warns
**once** per outage with a :class:`~axion_lab.cache.CacheWarning`. While down it
tries Redis again at most every ``retry_interval`` seconds (on the injected clock),
not on every call; the first call that reaches Redis again ends the outage and
empties the fallback, so values from the outage are never served later. Errors
Redis *answers* with (out of memory, wrong type...) are not outages: they raise
:class:`~axion_lab.exceptions.CacheError`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
import warnings
import weakref
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from axion_lab.cache._memory import Clock, MemoryStore
from axion_lab.cache._models import CacheWarning
from axion_lab.exceptions import CacheError

if TYPE_CHECKING:
    import redis
    import redis.asyncio

__all__ = ["RedisStore", "escape_glob"]

_log = logging.getLogger(__name__)
T = TypeVar("T")

SyncClientFactory = Callable[[], "redis.Redis"]
AsyncClientFactory = Callable[[], "redis.asyncio.Redis"]

_DELETE_BATCH = 500


def escape_glob(text: str) -> str:
    """Escape Redis glob metacharacters so ``text`` matches literally in SCAN MATCH.

    Examples
    --------
    >>> escape_glob("axion:odd*key[1]")
    'axion:odd\\\\*key\\\\[1\\\\]'
    """
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


def _client_options(connect_timeout: float, socket_timeout: float) -> dict[str, Any]:
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # One immediate retry reconnects a pooled connection that a Redis restart
    # dropped; more (redis-py's default backs off 3 times) would stall a notebook
    # for seconds when Redis is really gone.
    return {
        "socket_connect_timeout": connect_timeout,
        "socket_timeout": socket_timeout,
        "retry": Retry(NoBackoff(), 1),
    }


def _async_client_options(connect_timeout: float, socket_timeout: float) -> dict[str, Any]:
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    return {
        "socket_connect_timeout": connect_timeout,
        "socket_timeout": socket_timeout,
        "retry": Retry(NoBackoff(), 1),
    }


class RedisStore:
    """Byte store on Redis that degrades to an in-process store while Redis is down.

    Parameters
    ----------
    url
        ``redis://host:port/db`` (shown in warnings with any password masked).
    client_factory, async_client_factory
        Build the sync / asyncio clients; default ``redis.Redis.from_url(url, ...)``
        with the timeouts below. Tests inject their own.
    fallback
        The store used while Redis is unreachable (default: a fresh
        :class:`MemoryStore`).
    retry_interval
        Seconds between reconnection attempts during an outage.
    connect_timeout, socket_timeout
        Seconds; short so that a dead server does not hang a notebook cell.
    clock
        Monotonic seconds, for the retry schedule.
    """

    def __init__(
        self,
        url: str,
        *,
        client_factory: SyncClientFactory | None = None,
        async_client_factory: AsyncClientFactory | None = None,
        fallback: MemoryStore | None = None,
        retry_interval: float = 5.0,
        connect_timeout: float = 0.5,
        socket_timeout: float = 5.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.url = url
        self.retry_interval = retry_interval
        self.fallback = fallback if fallback is not None else MemoryStore(clock=clock)
        self._clock = clock
        self._sync_factory = client_factory or self._default_sync_factory(
            connect_timeout, socket_timeout
        )
        self._async_factory = async_client_factory or self._default_async_factory(
            connect_timeout, socket_timeout
        )
        self._client: redis.Redis | None = None
        self._aclients: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, redis.asyncio.Redis
        ] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()
        self._retry_at: float | None = None  # set while Redis is down

    def _default_sync_factory(self, connect: float, sock: float) -> SyncClientFactory:
        def build() -> redis.Redis:
            import redis

            return redis.Redis.from_url(self.url, **_client_options(connect, sock))

        return build

    def _default_async_factory(self, connect: float, sock: float) -> AsyncClientFactory:
        def build() -> redis.asyncio.Redis:
            import redis.asyncio

            return redis.asyncio.Redis.from_url(self.url, **_async_client_options(connect, sock))

        return build

    # --- health --------------------------------------------------------------------------

    @property
    def is_down(self) -> bool:
        """True while the store serves from the in-process fallback."""
        return self._retry_at is not None

    @property
    def backend(self) -> str:
        return "memory (Redis unreachable)" if self.is_down else "redis"

    def _should_try_redis(self) -> bool:
        retry_at = self._retry_at
        return retry_at is None or self._clock() >= retry_at

    def _mark_down(self, exc: Exception) -> None:
        with self._lock:
            first = self._retry_at is None
            self._retry_at = self._clock() + self.retry_interval
        if first:
            warnings.warn(
                f"Redis at {_masked(self.url)} is unreachable ({exc}); caching in process "
                f"memory until it is back (retrying every {self.retry_interval:g} s).",
                CacheWarning,
                stacklevel=6,
            )

    def _mark_up(self) -> None:
        if self._retry_at is None:
            return
        with self._lock:
            self._retry_at = None
        # Entries written during the outage would go stale unseen: forget them.
        self.fallback.close()
        _log.info("Redis at %s is reachable again; back on Redis.", _masked(self.url))

    @staticmethod
    def _outage_errors() -> tuple[type[Exception], ...]:
        import redis

        return (redis.ConnectionError, redis.TimeoutError, ConnectionError, TimeoutError)

    # --- plumbing ------------------------------------------------------------------------

    def _sync_client(self) -> redis.Redis:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._sync_factory()
        return self._client

    def _async_client(self) -> redis.asyncio.Redis:
        loop = asyncio.get_running_loop()
        client = self._aclients.get(loop)
        if client is None:
            client = self._async_factory()
            self._aclients[loop] = client
        return client

    def _run(
        self, name: str, op: Callable[[redis.Redis], T], fallback: Callable[[MemoryStore], T]
    ) -> T:
        import redis

        if self._should_try_redis():
            try:
                result = op(self._sync_client())
            except self._outage_errors() as exc:
                self._mark_down(exc)
            except redis.RedisError as exc:
                raise CacheError(f"Redis refused {name}: {exc}") from exc
            else:
                self._mark_up()
                return result
        return fallback(self.fallback)

    async def _arun(
        self,
        name: str,
        op: Callable[[redis.asyncio.Redis], Awaitable[T]],
        fallback: Callable[[MemoryStore], T],
    ) -> T:
        import redis

        if self._should_try_redis():
            try:
                result = await op(self._async_client())
            except self._outage_errors() as exc:
                self._mark_down(exc)
            except redis.RedisError as exc:
                raise CacheError(f"Redis refused {name}: {exc}") from exc
            else:
                self._mark_up()
                return result
        return fallback(self.fallback)

    # --- sync ----------------------------------------------------------------------------

    def get(self, key: str) -> bytes | None:
        return self._run("GET", lambda r: _as_bytes(r.get(key)), lambda m: m.get(key))

    def set(self, key: str, value: bytes, ttl: float | None) -> None:
        px = _px(ttl)
        self._run("SET", lambda r: r.set(key, value, px=px), lambda m: m.set(key, value, ttl))

    def delete(self, *keys: str) -> int:
        if not keys:
            return 0
        # UNLINK frees big frames in a background thread of the server.
        return self._run("UNLINK", lambda r: int(r.unlink(*keys)), lambda m: m.delete(*keys))

    def exists(self, key: str) -> bool:
        return self._run("EXISTS", lambda r: bool(r.exists(key)), lambda m: m.exists(key))

    def ttl(self, key: str) -> float | None:
        return self._run("PTTL", lambda r: _from_pttl(r.pttl(key)), lambda m: m.ttl(key))

    def clear(self, prefix: str) -> int:
        def on_redis(r: redis.Redis) -> int:
            n, batch = 0, []
            for key in r.scan_iter(match=escape_glob(prefix) + "*", count=1000):
                batch.append(key)
                if len(batch) >= _DELETE_BATCH:
                    n += int(r.unlink(*batch))
                    batch = []
            return n + (int(r.unlink(*batch)) if batch else 0)

        return self._run("SCAN/UNLINK", on_redis, lambda m: m.clear(prefix))

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()
        # Async pools belong to their loops; without one we can only let them go.
        self._aclients.clear()
        self.fallback.close()

    # --- async ---------------------------------------------------------------------------

    async def aget(self, key: str) -> bytes | None:
        async def op(r: redis.asyncio.Redis) -> bytes | None:
            return _as_bytes(await r.get(key))

        return await self._arun("GET", op, lambda m: m.get(key))

    async def aset(self, key: str, value: bytes, ttl: float | None) -> None:
        px = _px(ttl)

        async def op(r: redis.asyncio.Redis) -> None:
            await r.set(key, value, px=px)

        await self._arun("SET", op, lambda m: m.set(key, value, ttl))

    async def adelete(self, *keys: str) -> int:
        if not keys:
            return 0

        async def op(r: redis.asyncio.Redis) -> int:
            return int(await r.unlink(*keys))

        return await self._arun("UNLINK", op, lambda m: m.delete(*keys))

    async def aexists(self, key: str) -> bool:
        async def op(r: redis.asyncio.Redis) -> bool:
            return bool(await r.exists(key))

        return await self._arun("EXISTS", op, lambda m: m.exists(key))

    async def attl(self, key: str) -> float | None:
        async def op(r: redis.asyncio.Redis) -> float | None:
            return _from_pttl(await r.pttl(key))

        return await self._arun("PTTL", op, lambda m: m.ttl(key))

    async def aclear(self, prefix: str) -> int:
        async def op(r: redis.asyncio.Redis) -> int:
            n, batch = 0, []
            async for key in r.scan_iter(match=escape_glob(prefix) + "*", count=1000):
                batch.append(key)
                if len(batch) >= _DELETE_BATCH:
                    n += int(await r.unlink(*batch))
                    batch = []
            return n + (int(await r.unlink(*batch)) if batch else 0)

        return await self._arun("SCAN/UNLINK", op, lambda m: m.clear(prefix))

    async def aclose(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            aclient = None
        else:
            aclient = self._aclients.pop(loop, None)
        if aclient is not None:
            await aclient.aclose()
        self.close()


def _as_bytes(value: Any) -> bytes | None:
    return None if value is None else bytes(value)


def _px(ttl: float | None) -> int | None:
    # Milliseconds, at least 1: PX 0 is an error in Redis and ttl=0 never gets here.
    return None if ttl is None else max(1, round(ttl * 1000))


def _from_pttl(ms: int) -> float | None:
    # PTTL: -2 no such key, -1 no expiry.
    if ms == -2:
        return None
    if ms == -1:
        return math.inf
    return ms / 1000


def _masked(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
