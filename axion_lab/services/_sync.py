"""The :class:`SyncDataService`: the async service as plain calls, safe in any cell.

Jupyter runs an event loop in the kernel, so ``asyncio.run`` fails inside a cell
and patching the loop (``nest_asyncio``) is fragile. Instead the adapter owns one
event loop on a daemon thread and hands each coroutine to it, blocking the caller
until the answer is back. That works the same in a script, a notebook cell, and
inside an ``async def`` that calls the sync API (the caller's loop is blocked for
the duration, exactly as any blocking call would block it).

The caller's context (``override_settings`` blocks, ``use_cache``) travels with
each call, and quality warnings are raised in the caller's thread, where
``warnings.catch_warnings`` and notebooks see them.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import threading
from collections.abc import Coroutine, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from axion_lab.exceptions import InputError
from axion_lab.services._service import DataService, shown

if TYPE_CHECKING:
    from axion_lab.data.market import DateLike, Market
    from axion_lab.services._result import DataResult
    from axion_lab.universe import Universe

__all__ = ["SyncDataService"]

T = TypeVar("T")


class _LoopThread:
    """An event loop running forever on a daemon thread, started on first use."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def _start(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                ready = threading.Event()

                def serve() -> None:
                    asyncio.set_event_loop(loop)
                    loop.call_soon(ready.set)
                    loop.run_forever()

                thread = threading.Thread(target=serve, name=self._name, daemon=True)
                thread.start()
                ready.wait()
                self._loop, self._thread = loop, thread
            return self._loop

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        if threading.current_thread() is self._thread:
            coro.close()
            raise InputError(
                "A SyncDataService method was called from inside its own event loop; "
                "use the async DataService (await service.get_prices(...)) there."
            )
        loop = self._start()
        context = contextvars.copy_context()
        result: concurrent.futures.Future[T] = concurrent.futures.Future()
        task_box: list[asyncio.Task[T]] = []

        def begin() -> None:
            task = loop.create_task(coro, context=context)
            task_box.append(task)

            def relay(done: asyncio.Task[T]) -> None:
                if done.cancelled():
                    result.cancel()
                elif (exc := done.exception()) is not None:
                    result.set_exception(exc)
                else:
                    result.set_result(done.result())

            task.add_done_callback(relay)

        loop.call_soon_threadsafe(begin)
        try:
            return result.result()
        except BaseException:
            # Interrupted (Ctrl-C in a cell): stop the work too, then re-raise.
            if not result.done():
                loop.call_soon_threadsafe(lambda: [t.cancel() for t in task_box])
            raise

    def close(self, final: Coroutine[Any, Any, None] | None = None) -> None:
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            if final is not None:
                final.close()
            return
        try:
            if final is not None:
                asyncio.run_coroutine_threadsafe(final, loop).result()
        finally:
            asyncio.run_coroutine_threadsafe(loop.shutdown_asyncgens(), loop).result()
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()


class SyncDataService:
    """:class:`DataService` with plain (blocking) methods, for notebooks and scripts.

    Takes the same arguments as :class:`DataService`. Use it as a context manager,
    or call :meth:`close`, to stop its loop thread and close its connections.

    Examples
    --------
    >>> from axion_lab.services import SyncDataService
    >>> with SyncDataService() as service:                        # doctest: +SKIP
    ...     members = service.get_universe("AX500").symbols[:5]
    ...     prices = service.get_prices(members, period="3mo")
    """

    def __init__(self, provider: Any = None, **options: Any) -> None:
        self.service = DataService(provider, **options)
        self._runner = _LoopThread(f"axion-data-service-{id(self):x}")

    def __repr__(self) -> str:
        return f"<SyncDataService provider={self.service.identity!r}>"

    def __enter__(self) -> SyncDataService:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close database connections opened by this adapter and stop its thread."""
        self._runner.close(self.service.aclose())

    @property
    def stats(self) -> dict[str, int]:
        """The service's counters (see :attr:`DataService.stats`)."""
        return self.service.stats

    # Quality warnings are issued here, in the caller's thread, not on the loop.

    def get_prices(
        self,
        tickers: str | Iterable[str],
        *,
        period: str | None = None,
        start: DateLike | None = None,
        end: DateLike | None = None,
        interval: str = "1d",
    ) -> DataResult:
        """Blocking :meth:`DataService.get_prices`."""
        result, shared = self._runner.run(
            self.service._prices(
                tickers, period=period, start=start, end=end, interval=interval, force=False
            )
        )
        return shown(result, shared)

    def download_price_data(
        self,
        tickers: str | Iterable[str],
        *,
        period: str | None = None,
        start: DateLike | None = None,
        end: DateLike | None = None,
        interval: str = "1d",
    ) -> DataResult:
        """Blocking :meth:`DataService.download_price_data`."""
        result, shared = self._runner.run(
            self.service._prices(
                tickers, period=period, start=start, end=end, interval=interval, force=True
            )
        )
        return shown(result, shared)

    def get_fundamentals(
        self, tickers: str | Iterable[str], as_of: DateLike | None = None
    ) -> DataResult:
        """Blocking :meth:`DataService.get_fundamentals`."""
        result, shared = self._runner.run(self.service._fundamentals(tickers, as_of))
        return shown(result, shared)

    def get_instruments(self) -> DataResult:
        """Blocking :meth:`DataService.get_instruments`."""
        return self._runner.run(self.service.get_instruments())

    def get_universe(self, index: str = "sp500") -> DataResult:
        """Blocking :meth:`DataService.get_universe`."""
        return self._runner.run(self.service.get_universe(index))

    def build_universe(
        self,
        sources: Sequence[str] = ("sp500",),
        *,
        extra: Iterable[str] = (),
        exclude: Iterable[str] = (),
    ) -> Universe:
        """Blocking :meth:`DataService.build_universe`."""
        return self._runner.run(self.service.build_universe(sources, extra=extra, exclude=exclude))

    def get_market(self, *, as_of: DateLike | None = None) -> Market:
        """Blocking :meth:`DataService.get_market`."""
        return self._runner.run(self.service.get_market(as_of=as_of))

    def resolve_symbols(self, tickers: str | Iterable[str]) -> list[str]:
        """Blocking :meth:`DataService.resolve_symbols`."""
        return self._runner.run(self.service.resolve_symbols(tickers))
