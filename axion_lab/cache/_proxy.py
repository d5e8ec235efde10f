"""The module-level ``cache``: a lazy proxy to the cache chosen by the settings.

Importing :mod:`axion_lab.cache` reads no settings and opens no connection. The
first attribute access on ``cache`` builds the backend from the settings in
force at that moment (:class:`RedisCache` if ``redis_url`` is set, else
:class:`MemoryCache`) and keeps it. To point it elsewhere:

* ``set_cache(RedisCache("redis://host:6379/0"))`` installs a cache you built;
* ``reset_cache()`` closes the current one, so the next use reads the settings
  again (call it after changing ``AXION_REDIS_URL`` or inside
  ``override_settings``);
* ``with use_cache(MemoryCache()): ...`` swaps one in for a block (tests).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from axion_lab.cache._cache import Cache, MemoryCache, RedisCache

__all__ = ["cache", "get_cache", "reset_cache", "set_cache", "use_cache"]

_lock = threading.Lock()
_current: Cache | None = None


def _from_settings() -> Cache:
    from axion_lab.config import get_settings

    settings = get_settings()
    if settings.redis_url:
        return RedisCache.from_settings(settings)
    return MemoryCache.from_settings(settings)


def get_cache() -> Cache:
    """The cache behind :data:`cache`, built from the settings on first use."""
    global _current
    current = _current
    if current is None:
        with _lock:
            if _current is None:
                _current = _from_settings()
            current = _current
    return current


def set_cache(new: Cache) -> None:
    """Make ``new`` the cache behind :data:`cache` (the old one is closed)."""
    global _current
    with _lock:
        old, _current = _current, new
    if old is not None and old is not new:
        old.close()


def reset_cache() -> None:
    """Close the current cache; the next use builds one from the settings again."""
    global _current
    with _lock:
        old, _current = _current, None
    if old is not None:
        old.close()


@contextmanager
def use_cache(temporary: Cache) -> Iterator[Cache]:
    """Serve :data:`cache` from ``temporary`` inside the block, then restore.

    Examples
    --------
    >>> from axion_lab.cache import MemoryCache, cache, use_cache
    >>> with use_cache(MemoryCache()) as c:
    ...     cache.set_json_sync("k", 1)
    ...     c.get_json_sync("k")
    1
    """
    global _current
    with _lock:
        previous, _current = _current, temporary
    try:
        yield temporary
    finally:
        with _lock:
            _current = previous


class _CacheProxy:
    """Forwards every attribute to :func:`get_cache` (resolved on each access)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        return getattr(get_cache(), name)

    def __dir__(self) -> list[str]:
        return sorted(set(dir(Cache)))

    def __repr__(self) -> str:
        current = _current
        if current is None:
            return "<cache proxy (not created yet; built from the settings on first use)>"
        return f"<cache proxy -> {current!r}>"


cache: Cache = cast(Cache, _CacheProxy())
"""The process cache; see the module docstring for how it is chosen and replaced."""
