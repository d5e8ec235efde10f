"""The cache API: typed get/set of frames, JSON and quotes over a byte store.

Every operation comes in two forms: ``get_dataframe`` (async, for ``await`` in
services and notebooks) and ``get_dataframe_sync`` (plain, safe inside a running
event loop such as a Jupyter cell; it never calls ``asyncio.run``).

Keys
----
Keys live under the namespace (setting ``cache_namespace``, default ``"axion"``).
A key that already starts with ``"<namespace>:"`` is used as is; any other key
gets that prefix. So ``"prices:AAPL"`` and ``"axion:prices:AAPL"`` name the same
entry, and every key the cache writes starts with ``"axion:"``.

Time to live
------------
Each ``set_*`` takes ``ttl`` in seconds (fractions allowed). Without it the
default of ``kind`` applies (settings ``ttl_quote``, ``ttl_intraday``,
``ttl_daily``, ``ttl_fundamentals``, ``ttl_profile``). A TTL of 0 stores nothing
and drops the old value.

Misses
------
``get_*`` returns ``None`` on a miss. A corrupt, truncated or foreign value (a
pickle someone wrote under our key, say) is also a miss: it is deleted and a
:class:`~axion_lab.cache.CacheWarning` says so. It is never unpickled.
"""

from __future__ import annotations

import asyncio
import time
import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import polars as pl
from pydantic import ValidationError

from axion_lab.cache import _codec
from axion_lab.cache._codec import CorruptValueError, FrameType, WrongTypeError
from axion_lab.cache._memory import Clock, MemoryStore, Store
from axion_lab.cache._models import CacheKind, CacheWarning, Quote, TTLPolicy
from axion_lab.cache._redis import AsyncClientFactory, RedisStore, SyncClientFactory
from axion_lab.exceptions import ConfigError, InputError

if TYPE_CHECKING:
    import pandas as pd

    from axion_lab.config import Settings

__all__ = ["Cache", "MemoryCache", "RedisCache"]

T = TypeVar("T")

# Encoding or decoding more than this many bytes/cells moves off the event loop.
_OFFLOAD_BYTES = 1 << 20
_OFFLOAD_CELLS = 250_000


def _default_policy() -> TTLPolicy:
    from axion_lab.config import get_settings

    return TTLPolicy.from_settings(get_settings())


class Cache:
    """Typed cache over a byte :class:`~axion_lab.cache._memory.Store`.

    Use :class:`MemoryCache` or :class:`RedisCache`, or the module-level
    :data:`axion_lab.cache.cache`, which picks one from the settings.

    Examples
    --------
    >>> import polars as pl
    >>> from axion_lab.cache import MemoryCache
    >>> c = MemoryCache(namespace="axion")
    >>> df = pl.DataFrame({"symbol": ["AAA"], "close": [10.5]})
    >>> c.set_dataframe_sync("prices:AAA", df, ttl=60)
    >>> c.get_dataframe_sync("axion:prices:AAA").equals(df)
    True
    >>> c.set_json_sync("universe", ["AAA", "BBB"], kind="profile")
    >>> c.get_json_sync("universe"), c.exists_sync("nothing")
    (['AAA', 'BBB'], False)
    """

    def __init__(
        self, store: Store, *, namespace: str = "axion", ttls: TTLPolicy | None = None
    ) -> None:
        if not namespace or ":" in namespace:
            raise InputError(f"Cache namespace {namespace!r} must be non-empty and contain no ':'.")
        self.store = store
        self.namespace = namespace
        self.ttls = ttls if ttls is not None else _default_policy()
        self._prefix = namespace + ":"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} namespace={self.namespace!r} backend={self.backend!r}>"

    @property
    def backend(self) -> str:
        """Which backend serves calls now: ``"redis"``, ``"memory"``, or the fallback."""
        return self.store.backend

    # --- keys and TTLs -------------------------------------------------------------------

    def key(self, key: str) -> str:
        """The full key for ``key``: the namespace prefix is added unless present.

        >>> MemoryCache(namespace="axion").key("prices:AAPL")
        'axion:prices:AAPL'
        >>> MemoryCache(namespace="axion").key("axion:prices:AAPL")
        'axion:prices:AAPL'
        """
        if not isinstance(key, str) or not key:
            raise InputError(f"Cache keys are non-empty strings, not {key!r}.")
        return key if key.startswith(self._prefix) else self._prefix + key

    def _ttl(self, ttl: float | None, kind: str) -> float:
        default = self.ttls.for_kind(kind)  # validates kind even when ttl is given
        value = default if ttl is None else ttl
        if isinstance(value, bool) or value < 0:
            raise InputError(f"ttl must be a number of seconds >= 0, not {value!r}.")
        return float(value)

    # --- shared read/write paths ---------------------------------------------------------

    def _decoded(
        self, full: str, data: bytes | None, decode: Callable[[bytes], T]
    ) -> tuple[T | None, bool]:
        """Decode ``data``; returns ``(value, delete)``, warning on anything unreadable."""
        if data is None:
            return None, False
        try:
            return decode(data), False
        except WrongTypeError as exc:
            warnings.warn(f"Cache entry {full!r}: {exc}.", CacheWarning, stacklevel=4)
            return None, False
        except CorruptValueError as exc:
            warnings.warn(
                f"Cache entry {full!r} was unreadable ({exc}); deleted it and treated it "
                "as a miss.",
                CacheWarning,
                stacklevel=4,
            )
            return None, True

    def _read_sync(self, key: str, decode: Callable[[bytes], T]) -> T | None:
        full = self.key(key)
        value, bad = self._decoded(full, self.store.get(full), decode)
        if bad:
            self.store.delete(full)
        return value

    async def _read(self, key: str, decode: Callable[[bytes], T]) -> T | None:
        full = self.key(key)
        data = await self.store.aget(full)
        if data is not None and len(data) >= _OFFLOAD_BYTES:
            value, bad = await asyncio.to_thread(self._decoded, full, data, decode)
        else:
            value, bad = self._decoded(full, data, decode)
        if bad:
            await self.store.adelete(full)
        return value

    def _write_sync(self, key: str, encode: Callable[[], bytes], ttl: float) -> None:
        full = self.key(key)
        if ttl == 0:
            self.store.delete(full)
            return
        self.store.set(full, encode(), ttl)

    async def _write(self, key: str, encode: Callable[[], bytes], ttl: float, big: bool) -> None:
        full = self.key(key)
        if ttl == 0:
            await self.store.adelete(full)
            return
        data = await asyncio.to_thread(encode) if big else encode()
        await self.store.aset(full, data, ttl)

    # --- frames --------------------------------------------------------------------------

    def get_dataframe_sync(
        self, key: str, *, to: FrameType | None = None
    ) -> pl.DataFrame | pd.DataFrame | None:
        """Read a frame; ``None`` on a miss. Returns the kind stored unless ``to`` is given.

        ``to="polars"`` or ``to="pandas"`` converts on the way out.
        """
        return self._read_sync(key, lambda data: _codec.decode_frame(data, to))

    async def get_dataframe(
        self, key: str, *, to: FrameType | None = None
    ) -> pl.DataFrame | pd.DataFrame | None:
        """Async :meth:`get_dataframe_sync`."""
        return await self._read(key, lambda data: _codec.decode_frame(data, to))

    def set_dataframe_sync(
        self,
        key: str,
        df: pl.DataFrame | pd.DataFrame,
        ttl: float | None = None,
        *,
        kind: CacheKind = "daily",
    ) -> None:
        """Store a polars or pandas frame as (LZ4-compressed) Arrow IPC.

        ``ttl`` defaults to the TTL of ``kind`` (``"daily"`` unless told).
        """
        ttl_s = self._ttl(ttl, kind)
        self._write_sync(key, lambda: _codec.encode_frame(df), ttl_s)

    async def set_dataframe(
        self,
        key: str,
        df: pl.DataFrame | pd.DataFrame,
        ttl: float | None = None,
        *,
        kind: CacheKind = "daily",
    ) -> None:
        """Async :meth:`set_dataframe_sync`; big frames encode in a worker thread."""
        ttl_s = self._ttl(ttl, kind)
        big = df.shape[0] * max(df.shape[1], 1) >= _OFFLOAD_CELLS
        await self._write(key, lambda: _codec.encode_frame(df), ttl_s, big)

    # --- JSON ----------------------------------------------------------------------------

    def get_json_sync(self, key: str) -> Any:
        """Read a JSON value; ``None`` on a miss (so don't cache a bare ``null``)."""
        return self._read_sync(key, _codec.decode_json)

    async def get_json(self, key: str) -> Any:
        """Async :meth:`get_json_sync`."""
        return await self._read(key, _codec.decode_json)

    def set_json_sync(
        self, key: str, value: Any, ttl: float | None = None, *, kind: CacheKind = "profile"
    ) -> None:
        """Store a plain JSON value (dict, list, str, number, bool); TTL default ``kind``."""
        ttl_s = self._ttl(ttl, kind)
        data = _codec.encode_json(value)  # fail fast, even when ttl is 0
        self._write_sync(key, lambda: data, ttl_s)

    async def set_json(
        self, key: str, value: Any, ttl: float | None = None, *, kind: CacheKind = "profile"
    ) -> None:
        """Async :meth:`set_json_sync`."""
        ttl_s = self._ttl(ttl, kind)
        data = _codec.encode_json(value)
        await self._write(key, lambda: data, ttl_s, big=False)

    # --- quotes --------------------------------------------------------------------------

    def get_quote_sync(self, key: str) -> Quote | None:
        """Read a :class:`~axion_lab.cache.Quote`; ``None`` on a miss."""
        return self._read_sync(key, _codec.decode_quote)

    async def get_quote(self, key: str) -> Quote | None:
        """Async :meth:`get_quote_sync`."""
        return await self._read(key, _codec.decode_quote)

    def set_quote_sync(
        self,
        key: str,
        quote: Quote | Mapping[str, Any],
        ttl: float | None = None,
        *,
        kind: CacheKind = "quote",
    ) -> None:
        """Validate and store a quote (a :class:`Quote` or a mapping of its fields)."""
        ttl_s = self._ttl(ttl, kind)
        data = _codec.encode_quote(_as_quote(quote))
        self._write_sync(key, lambda: data, ttl_s)

    async def set_quote(
        self,
        key: str,
        quote: Quote | Mapping[str, Any],
        ttl: float | None = None,
        *,
        kind: CacheKind = "quote",
    ) -> None:
        """Async :meth:`set_quote_sync`."""
        ttl_s = self._ttl(ttl, kind)
        data = _codec.encode_quote(_as_quote(quote))
        await self._write(key, lambda: data, ttl_s, big=False)

    # --- housekeeping --------------------------------------------------------------------

    def delete_sync(self, *keys: str) -> int:
        """Delete entries; returns how many existed."""
        return self.store.delete(*(self.key(k) for k in keys))

    async def delete(self, *keys: str) -> int:
        """Async :meth:`delete_sync`."""
        return await self.store.adelete(*(self.key(k) for k in keys))

    def exists_sync(self, key: str) -> bool:
        """Whether a live entry is stored under ``key`` (of any type)."""
        return self.store.exists(self.key(key))

    async def exists(self, key: str) -> bool:
        """Async :meth:`exists_sync`."""
        return await self.store.aexists(self.key(key))

    def ttl_sync(self, key: str) -> float | None:
        """Seconds left to live; ``math.inf`` without expiry, ``None`` if absent."""
        return self.store.ttl(self.key(key))

    async def ttl(self, key: str) -> float | None:
        """Async :meth:`ttl_sync`."""
        return await self.store.attl(self.key(key))

    def _clear_prefix(self, prefix: str) -> str:
        if not prefix:
            return self._prefix
        return self.key(prefix).rstrip(":") + ":"

    def clear_namespace_sync(self, prefix: str = "") -> int:
        """Delete every entry of the namespace, or only those under ``prefix``.

        ``clear_namespace_sync("prices")`` deletes ``axion:prices:*`` and nothing
        else; keys outside the namespace are never touched. Returns the count.
        """
        return self.store.clear(self._clear_prefix(prefix))

    async def clear_namespace(self, prefix: str = "") -> int:
        """Async :meth:`clear_namespace_sync`."""
        return await self.store.aclear(self._clear_prefix(prefix))

    def close(self) -> None:
        """Release connections (and the in-process entries)."""
        self.store.close()

    async def aclose(self) -> None:
        """Release connections, including this event loop's async Redis client."""
        await self.store.aclose()


def _as_quote(quote: Quote | Mapping[str, Any]) -> Quote:
    if isinstance(quote, Quote):
        return quote
    try:
        return Quote.model_validate(dict(quote))
    except ValidationError as exc:
        raise InputError(f"Invalid quote: {exc}") from exc
    except TypeError as exc:
        raise InputError(f"A quote is a Quote or a mapping of its fields: {exc}") from exc


class MemoryCache(Cache):
    """Cache in this process: TTLs on an injectable clock, LRU-bounded.

    The default when ``AXION_REDIS_URL`` is unset. Not shared between processes.
    """

    def __init__(
        self,
        *,
        namespace: str = "axion",
        ttls: TTLPolicy | None = None,
        max_entries: int = 4096,
        max_bytes: int = 256 * 1024 * 1024,
        clock: Clock = time.monotonic,
    ) -> None:
        store = MemoryStore(max_entries=max_entries, max_bytes=max_bytes, clock=clock)
        super().__init__(store, namespace=namespace, ttls=ttls)

    @classmethod
    def from_settings(
        cls, settings: Settings | None = None, *, clock: Clock = time.monotonic
    ) -> MemoryCache:
        """Build from ``cache_namespace``, ``ttl_*`` and ``cache_max_*`` settings."""
        s = settings if settings is not None else _settings()
        return cls(
            namespace=s.cache_namespace,
            ttls=TTLPolicy.from_settings(s),
            max_entries=s.cache_max_entries,
            max_bytes=s.cache_max_bytes,
            clock=clock,
        )


class RedisCache(Cache):
    """Cache on Redis, degrading to process memory while Redis is unreachable.

    Parameters
    ----------
    url
        Redis URL, e.g. ``redis://127.0.0.1:6379/0``.
    client_factory, async_client_factory
        Injected client builders (default: ``redis.Redis.from_url`` /
        ``redis.asyncio.Redis.from_url`` with short timeouts).
    clock
        Monotonic seconds: the fallback store's TTLs and the retry schedule.
    retry_interval, connect_timeout, socket_timeout
        Seconds; see :class:`~axion_lab.cache._redis.RedisStore`.
    max_entries, max_bytes
        Bounds of the in-process fallback.
    """

    store: RedisStore

    def __init__(
        self,
        url: str,
        *,
        namespace: str = "axion",
        ttls: TTLPolicy | None = None,
        client_factory: SyncClientFactory | None = None,
        async_client_factory: AsyncClientFactory | None = None,
        clock: Clock = time.monotonic,
        retry_interval: float = 5.0,
        connect_timeout: float = 0.5,
        socket_timeout: float = 5.0,
        max_entries: int = 4096,
        max_bytes: int = 256 * 1024 * 1024,
    ) -> None:
        fallback = MemoryStore(max_entries=max_entries, max_bytes=max_bytes, clock=clock)
        store = RedisStore(
            url,
            client_factory=client_factory,
            async_client_factory=async_client_factory,
            fallback=fallback,
            retry_interval=retry_interval,
            connect_timeout=connect_timeout,
            socket_timeout=socket_timeout,
            clock=clock,
        )
        super().__init__(store, namespace=namespace, ttls=ttls)

    @classmethod
    def from_settings(
        cls, settings: Settings | None = None, *, clock: Clock = time.monotonic
    ) -> RedisCache:
        """Build from ``redis_url`` and the other cache settings."""
        s = settings if settings is not None else _settings()
        if not s.redis_url:
            raise ConfigError(
                "RedisCache.from_settings needs a Redis URL: set AXION_REDIS_URL "
                "(e.g. redis://127.0.0.1:6379/0), or use MemoryCache."
            )
        return cls(
            s.redis_url,
            namespace=s.cache_namespace,
            ttls=TTLPolicy.from_settings(s),
            clock=clock,
            retry_interval=s.redis_retry_interval,
            connect_timeout=s.redis_connect_timeout,
            socket_timeout=s.redis_socket_timeout,
            max_entries=s.cache_max_entries,
            max_bytes=s.cache_max_bytes,
        )


def _settings() -> Settings:
    from axion_lab.config import get_settings

    return get_settings()
