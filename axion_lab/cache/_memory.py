"""Byte stores: the contract both backends meet, and the in-process LRU store.

A store maps full (namespaced) keys to encoded bytes with an optional time to
live. It knows nothing about frames or JSON; :class:`~axion_lab.cache.Cache` does
the encoding. Each operation has a sync and an async form (``aget`` ...), so the
sync form never needs an event loop.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

__all__ = ["Clock", "MemoryStore", "Store"]

Clock = Callable[[], float]
"""Returns seconds on a monotonic scale (``time.monotonic`` by default)."""


class Store(Protocol):
    """What a cache backend provides. ``ttl`` is in seconds; ``None`` means no expiry."""

    @property
    def backend(self) -> str:
        """Which backend serves calls right now (e.g. ``"redis"``, ``"memory"``)."""
        ...

    def get(self, key: str) -> bytes | None: ...
    def set(self, key: str, value: bytes, ttl: float | None) -> None: ...
    def delete(self, *keys: str) -> int: ...
    def exists(self, key: str) -> bool: ...
    def ttl(self, key: str) -> float | None: ...
    def clear(self, prefix: str) -> int: ...
    def close(self) -> None: ...

    async def aget(self, key: str) -> bytes | None: ...
    async def aset(self, key: str, value: bytes, ttl: float | None) -> None: ...
    async def adelete(self, *keys: str) -> int: ...
    async def aexists(self, key: str) -> bool: ...
    async def attl(self, key: str) -> float | None: ...
    async def aclear(self, prefix: str) -> int: ...
    async def aclose(self) -> None: ...


class MemoryStore:
    """Process-local byte store: TTL on an injectable clock, LRU beyond its bounds.

    Bounded by entry count and by total stored bytes; the least recently used
    entries go first. A value larger than ``max_bytes`` is not stored at all.
    Thread-safe; the async methods do no I/O and simply call the sync ones.

    Examples
    --------
    >>> now = [0.0]
    >>> store = MemoryStore(max_entries=2, clock=lambda: now[0])
    >>> store.set("a", b"1", ttl=10); store.set("b", b"2", ttl=None)
    >>> now[0] = 11.0
    >>> store.get("a") is None, store.get("b")
    (True, b'2')
    """

    backend = "memory"

    def __init__(
        self,
        *,
        max_entries: int = 4096,
        max_bytes: int = 256 * 1024 * 1024,
        clock: Clock = time.monotonic,
    ) -> None:
        if max_entries < 1 or max_bytes < 1:
            raise ValueError("max_entries and max_bytes must be at least 1")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._clock = clock
        self._data: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.RLock()

    def __len__(self) -> int:
        with self._lock:
            self._purge_expired()
            return len(self._data)

    @property
    def nbytes(self) -> int:
        """Bytes held by live and not-yet-purged entries."""
        return self._bytes

    def _live(self, key: str) -> tuple[bytes, float] | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        if entry[1] <= self._clock():
            self._drop(key)
            return None
        return entry

    def _drop(self, key: str) -> bool:
        entry = self._data.pop(key, None)
        if entry is None:
            return False
        self._bytes -= len(entry[0])
        return True

    def _purge_expired(self) -> None:
        now = self._clock()
        for key in [k for k, (_, expires) in self._data.items() if expires <= now]:
            self._drop(key)

    def get(self, key: str) -> bytes | None:
        with self._lock:
            entry = self._live(key)
            if entry is None:
                return None
            self._data.move_to_end(key)
            return entry[0]

    def set(self, key: str, value: bytes, ttl: float | None) -> None:
        with self._lock:
            self._drop(key)
            if len(value) > self.max_bytes:
                return
            expires = math.inf if ttl is None else self._clock() + ttl
            self._data[key] = (value, expires)
            self._bytes += len(value)
            if len(self._data) > self.max_entries or self._bytes > self.max_bytes:
                # Expired entries are the cheapest to lose; then least recently used.
                self._purge_expired()
                while len(self._data) > self.max_entries or self._bytes > self.max_bytes:
                    self._drop(next(iter(self._data)))

    def delete(self, *keys: str) -> int:
        with self._lock:
            return sum(self._live(k) is not None and self._drop(k) for k in keys)

    def exists(self, key: str) -> bool:
        with self._lock:
            return self._live(key) is not None

    def ttl(self, key: str) -> float | None:
        with self._lock:
            entry = self._live(key)
            return None if entry is None else entry[1] - self._clock()

    def clear(self, prefix: str) -> int:
        with self._lock:
            self._purge_expired()
            doomed = [k for k in self._data if k.startswith(prefix)]
            for key in doomed:
                self._drop(key)
            return len(doomed)

    def close(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0

    async def aget(self, key: str) -> bytes | None:
        return self.get(key)

    async def aset(self, key: str, value: bytes, ttl: float | None) -> None:
        self.set(key, value, ttl)

    async def adelete(self, *keys: str) -> int:
        return self.delete(*keys)

    async def aexists(self, key: str) -> bool:
        return self.exists(key)

    async def attl(self, key: str) -> float | None:
        return self.ttl(key)

    async def aclear(self, prefix: str) -> int:
        return self.clear(prefix)

    async def aclose(self) -> None:
        self.close()
