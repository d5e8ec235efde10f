"""Cache for frames, JSON and quotes: Redis by URL, process memory otherwise.

>>> import polars as pl
>>> from axion_lab.cache import cache
>>> df = pl.DataFrame({"symbol": ["AAPL"], "close": [189.5]})
>>> cache.set_dataframe_sync("axion:prices:AAPL", df, ttl=3600)
>>> cache.get_dataframe_sync("prices:AAPL").equals(df)   # same key, prefix implied
True

* **Backends.** ``cache`` is a lazy proxy: on first use it becomes a
  :class:`RedisCache` if ``AXION_REDIS_URL`` is set, else a :class:`MemoryCache`.
  Importing this package connects to nothing and reads no settings. Replace it
  with :func:`set_cache`, :func:`use_cache` (a context manager) or
  :func:`reset_cache` (re-read the settings on next use).
* **Sync and async.** ``get_dataframe`` / ``set_dataframe`` / ``get_json`` /
  ``set_json`` / ``get_quote`` / ``set_quote`` / ``delete`` / ``exists`` / ``ttl``
  / ``clear_namespace`` are coroutines; each has a ``*_sync`` twin that works
  anywhere, including inside a running event loop (a Jupyter cell).
* **Keys** are namespaced ``axion:`` (setting ``cache_namespace``): a key that
  starts with ``"axion:"`` is used as is, any other gets the prefix.
* **TTLs** default by ``kind=`` (``"quote"``, ``"intraday"``, ``"daily"``,
  ``"fundamentals"``, ``"profile"``) from the ``ttl_*`` settings.
* **Formats.** Frames (polars or pandas; the same kind comes back) are Arrow IPC,
  LZ4-compressed when it pays; everything else JSON; quotes are validated
  :class:`Quote` JSON. Never pickle. Unreadable or foreign values are a miss, are
  deleted, and raise a :class:`CacheWarning` (a warning, not an error).
* **Degradation.** If Redis is down or drops mid-session, calls carry on in
  process memory with one :class:`CacheWarning`, and go back to Redis once it
  answers again (tried at most every ``redis_retry_interval`` seconds).
"""

from __future__ import annotations

from axion_lab.cache._cache import Cache, MemoryCache, RedisCache
from axion_lab.cache._codec import FrameType
from axion_lab.cache._memory import Clock, MemoryStore, Store
from axion_lab.cache._models import CACHE_KINDS, CacheKind, CacheWarning, Quote, TTLPolicy
from axion_lab.cache._proxy import cache, get_cache, reset_cache, set_cache, use_cache
from axion_lab.cache._redis import RedisStore

__all__ = [
    "CACHE_KINDS",
    "Cache",
    "CacheKind",
    "CacheWarning",
    "Clock",
    "FrameType",
    "MemoryCache",
    "MemoryStore",
    "Quote",
    "RedisCache",
    "RedisStore",
    "Store",
    "TTLPolicy",
    "cache",
    "get_cache",
    "reset_cache",
    "set_cache",
    "use_cache",
]
