"""Single-flight: concurrent identical requests share one piece of work.

The first caller for a key starts the work as a task; callers arriving while it runs
await the same task instead of starting their own, so ten cells asking for the same
prices at once cost one provider fetch. Keys are per event loop (a task belongs to
the loop that made it). The task is shielded: a caller that is cancelled stops
waiting, the work carries on for the others.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Generic, TypeVar

__all__ = ["SingleFlight"]

T = TypeVar("T")


class SingleFlight(Generic[T]):
    """Run ``work()`` once per key among concurrent callers.

    Examples
    --------
    >>> import asyncio
    >>> calls = []
    >>> async def fetch():
    ...     calls.append(1)
    ...     await asyncio.sleep(0.01)
    ...     return 42
    >>> async def main():
    ...     flight = SingleFlight()
    ...     return await asyncio.gather(*(flight.do("k", fetch) for _ in range(5)))
    >>> [value for value, _ in asyncio.run(main())], len(calls)
    ([42, 42, 42, 42, 42], 1)
    """

    def __init__(self) -> None:
        self._calls: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[Hashable, asyncio.Task[Any]]
        ] = weakref.WeakKeyDictionary()

    def in_flight(self) -> int:
        """Keys being worked on in the running loop."""
        return len(self._calls.get(asyncio.get_running_loop(), {}))

    async def do(self, key: Hashable, work: Callable[[], Awaitable[T]]) -> tuple[T, bool]:
        """Return ``(value, shared)``; ``shared`` is True for callers that joined a flight."""
        loop = asyncio.get_running_loop()
        calls = self._calls.setdefault(loop, {})
        task = calls.get(key)
        shared = task is not None
        if task is None:

            async def run() -> T:
                return await work()

            task = loop.create_task(run())
            calls[key] = task

            def forget(done: asyncio.Task[Any], *, key: Hashable = key) -> None:
                if calls.get(key) is done:
                    del calls[key]

            task.add_done_callback(forget)
        value: T = await asyncio.shield(task)
        return value, shared
