"""The :class:`DataService`: every request resolved cache (hot) -> database (warm) -> provider.

Resolution of ``get_prices``
----------------------------
1. **Cache.** The key names the provider identity (with the sandbox seed), the
   interval, the request (period and the day it was asked, or the dates) and the
   symbols. A hit returns at once, with the quality findings of the original load.
2. **Database.** The bars of the window are read; :func:`missing_ranges` finds
   the stretches not stored yet (at the start, inside, at the end), per symbol.
   With none missing, the answer comes from the database alone.
3. **Provider.** Only the missing stretches are taken from the provider's market,
   clipped to each symbol's actual data (so a symbol listed mid-window is not
   fetched "again" for the days before it existed). They are checked for quality,
   written to the database with the findings (``DataQualityLog``) in one
   transaction, merged with the stored rows and cached.

Concurrent identical requests share one flight (:class:`SingleFlight`), so they
cost one provider fetch; a quality warning is issued once, by the call that loaded.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import datetime as dt
import warnings
import weakref
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Any, Final

import polars as pl

from axion_lab.data.market import DateLike, Market, to_date
from axion_lab.data.schema import SCHEMAS, conform
from axion_lab.exceptions import DataQualityWarning, InputError, UnknownSymbolError
from axion_lab.services._coverage import EPOCH, Gap, missing_ranges
from axion_lab.services._entries import (
    load_result,
    normalise_symbols,
    provider_identity,
    service_key,
    store_result,
    symbols_key,
)
from axion_lab.services._flight import SingleFlight
from axion_lab.services._periods import Window, resolve_window
from axion_lab.services._result import DataResult, Source

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

    from axion_lab.cache import Cache, CacheKind
    from axion_lab.data.providers import Provider
    from axion_lab.data.quality import QualityReport
    from axion_lab.universe import Universe

__all__ = ["Clock", "DataService", "SessionFactory"]

SessionFactory = Callable[[], AbstractAsyncContextManager["AsyncSession"]]
"""Returns an async context manager yielding a session that commits on exit."""
Clock = Callable[[], dt.datetime]
"""Returns the current time (timezone-aware UTC)."""

INTERVALS: Final = ("1d",)
_LIVE_INDEXES: Final = ("sp500", "sp400")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _source(rows: Mapping[str, int]) -> Source:
    present = [s for s, n in rows.items() if n]
    if len(present) == 1 and present[0] in ("db", "provider"):
        return "db" if present[0] == "db" else "provider"
    if not present:
        return "db" if "db" in rows else "provider"
    return "mixed"


class DataService:
    """Market data resolved cache -> database -> provider, written back on the way.

    Parameters
    ----------
    provider
        A provider name (default: the ``provider`` setting, ``"sandbox"``) or an
        object following :class:`~axion_lab.data.Provider`.
    cache
        A :class:`~axion_lab.cache.Cache`; default the process ``cache`` (Redis if
        ``AXION_REDIS_URL`` is set, else memory), looked up on each use.
    session_factory
        Async sessions; default :func:`axion_lab.db.async_session_scope` on
        ``AXION_DATABASE_URL`` (SQLite under ``AXION_DATA_DIR`` unless set), whose
        schema is checked on first use: a SQLite file is migrated automatically,
        PostgreSQL must be migrated with ``axion-lab db upgrade``. With a factory
        of your own, the schema is yours to manage.
    clock
        Current UTC time; sets "today" for periods and stamps ``as_of``.
    provider_options
        Passed to ``provider.load()`` (the sandbox takes ``seed``).

    Examples
    --------
    >>> import asyncio
    >>> from axion_lab.services import DataService
    >>> async def main():
    ...     service = DataService()
    ...     first = await service.get_prices(["AAPX"], period="1mo")
    ...     again = await service.get_prices(["aapx"], period="1mo")
    ...     await service.aclose()
    ...     return first.source, again.source
    >>> asyncio.run(main())  # doctest: +SKIP
    ('provider', 'cache')
    """

    def __init__(
        self,
        provider: str | Provider | None = None,
        *,
        cache: Cache | None = None,
        session_factory: SessionFactory | None = None,
        clock: Clock | None = None,
        provider_options: Mapping[str, Any] | None = None,
    ) -> None:
        from axion_lab.config import get_settings
        from axion_lab.data.providers import get_provider

        settings = get_settings()
        if provider is None or isinstance(provider, str):
            self._provider: Provider = get_provider(provider or settings.provider)
        else:
            self._provider = provider
        self._options = dict(provider_options or {})
        self.identity = provider_identity(
            self._provider.name, self._options, sandbox_seed=settings.sandbox_seed
        )
        self._cache = cache
        self._sessions = session_factory
        self._clock = clock or _utcnow
        self._flight: SingleFlight[Any] = SingleFlight()
        self._market: Market | None = None
        self._counts: collections.Counter[str] = collections.Counter()
        self._engines: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, set[AsyncEngine]] = (
            weakref.WeakKeyDictionary()
        )

    def __repr__(self) -> str:
        return f"<DataService provider={self.identity!r}>"

    # --- plumbing ------------------------------------------------------------------------

    @property
    def provider_name(self) -> str:
        """The provider's registered name (``"sandbox"``...)."""
        return self._provider.name

    @property
    def stats(self) -> dict[str, int]:
        """Counts so far: cache_hits, db_hits, provider_fetches, provider_loads, shared."""
        keys = ("cache_hits", "db_hits", "provider_fetches", "provider_loads", "shared")
        return {k: self._counts[k] for k in keys}

    @property
    def cache(self) -> Cache:
        """The cache in use (the process cache unless one was injected)."""
        if self._cache is not None:
            return self._cache
        from axion_lab.cache import get_cache

        return get_cache()

    def _now(self) -> dt.datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise InputError("The service clock must return timezone-aware datetimes (UTC).")
        return now

    def _key(self, kind: str, *parts: str) -> str:
        return service_key(self.identity, kind, *parts)

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[AsyncSession]:
        if self._sessions is not None:
            async with self._sessions() as session:
                yield session
            return
        from axion_lab.db import async_session_scope, get_async_engine
        from axion_lab.services._schema import ensure_schema, schema_checked

        if not schema_checked():
            await asyncio.to_thread(ensure_schema)
        engine = get_async_engine()
        # Remembered so aclose() can close exactly the pools this service opened.
        self._engines.setdefault(asyncio.get_running_loop(), set()).add(engine)
        async with async_session_scope(bind=engine) as session:
            yield session

    async def _shared(self, key: Any, work: Callable[[], Any]) -> tuple[Any, bool]:
        value, shared = await self._flight.do(key, work)
        if shared:
            self._counts["shared"] += 1
        return value, shared

    async def _cached(self, key: str) -> DataResult | None:
        hit = await load_result(self.cache, key)
        if hit is not None:
            self._counts["cache_hits"] += 1
        return hit

    async def _store(self, key: str, result: DataResult, kind: CacheKind) -> None:
        await store_result(self.cache, key, result, kind=kind)

    # --- the provider's market ---------------------------------------------------------

    async def _load_market(self, *, refresh: bool = False) -> Market:
        if self._market is not None and not refresh:
            return self._market

        async def work() -> Market:
            self._counts["provider_loads"] += 1
            market = await asyncio.to_thread(self._provider.load, **self._options)
            self._market = market
            if market.bars.height:
                await self.cache.set_json(
                    self._key("data_end"), market.end.isoformat(), kind="profile"
                )
            return market

        market, _ = await self._shared(("market", refresh), work)
        assert isinstance(market, Market)
        return market

    async def _data_end(self) -> dt.date | None:
        if self._market is not None and self._market.bars.height:
            return self._market.end
        stored = await self.cache.get_json(self._key("data_end"))
        return dt.date.fromisoformat(stored) if isinstance(stored, str) else None

    async def get_market(self, *, as_of: DateLike | None = None) -> Market:
        """The provider's whole :class:`~axion_lab.data.Market` (all frames).

        Loaded once per service and shared; not mirrored into the database (bars
        reach it through :meth:`get_prices`). ``as_of`` returns the point-in-time
        view (:meth:`Market.as_of`).
        """
        market = await self._load_market()
        return market if as_of is None else market.as_of(as_of)

    # --- instruments and universes -----------------------------------------------------

    async def _instruments(self) -> tuple[DataResult, bool]:
        key = self._key("instruments")

        async def work() -> DataResult:
            hit = await self._cached(key)
            if hit is not None:
                return hit
            from axion_lab.db import read_instruments, write_instruments

            async with self._session() as session:
                stored = await session.run_sync(read_instruments)
            if stored.height:
                self._counts["db_hits"] += 1
                result = DataResult(
                    stored, "db", self._now(), self.identity, rows_by_source={"db": stored.height}
                )
            else:
                market = await self._load_market()
                self._counts["provider_fetches"] += 1
                frame = conform("instruments", market.instruments).select(
                    list(SCHEMAS["instruments"])
                )
                async with self._session() as session:
                    await session.run_sync(write_instruments, frame)
                result = DataResult(
                    frame.sort("symbol"),
                    "provider",
                    self._now(),
                    self.identity,
                    rows_by_source={"provider": frame.height},
                )
            await self._store(key, result, "profile")
            return result

        result, shared = await self._shared(key, work)
        assert isinstance(result, DataResult)
        return result, shared

    async def get_instruments(self) -> DataResult:
        """Every instrument's profile (canonical ``instruments`` frame)."""
        result, _ = await self._instruments()
        return result

    async def resolve_symbols(self, tickers: str | Iterable[str]) -> list[str]:
        """Normalise ``tickers`` and check each exists, suggesting close names if not."""
        symbols = normalise_symbols(tickers)
        instruments = (await self._instruments())[0].frame
        known = instruments["symbol"].to_list()
        known_set = set(known)
        for symbol in symbols:
            if symbol not in known_set:
                raise UnknownSymbolError.for_name(
                    "symbol",
                    symbol,
                    known,
                    hint=f"The {self.provider_name} market has {len(known_set)} instruments; "
                    "see get_instruments().",
                )
        return symbols

    async def _universe(self, index: str) -> tuple[DataResult, bool]:
        key = self._key("universe", index)

        async def work() -> DataResult:
            hit = await self._cached(key)
            if hit is not None:
                return hit
            instruments = (await self._instruments())[0]
            frame = instruments.frame
            memberships = set(frame["indexes"].explode().drop_nulls().to_list())
            wanted = index
            if wanted not in memberships and self.provider_name == "sandbox":
                from axion_lab.universe import SANDBOX_INDEXES

                wanted = SANDBOX_INDEXES.get(index, index)
            if wanted in memberships:
                members = frame.filter(pl.col("indexes").list.contains(wanted)).select(
                    "symbol", "name", "sector", "asset_class"
                )
                result = dataclasses.replace(
                    instruments,
                    frame=members.sort("symbol"),
                    rows_by_source={instruments.source: members.height},
                )
            elif index in _LIVE_INDEXES:
                result = await self._live_universe(index)
            else:
                raise UnknownSymbolError.for_name(
                    "index", index, sorted(memberships | set(_LIVE_INDEXES))
                )
            await self._store(key, result, "profile")
            return result

        result, shared = await self._shared(key, work)
        assert isinstance(result, DataResult)
        return result, shared

    async def _live_universe(self, index: str) -> DataResult:
        from axion_lab import universe

        fetch = universe.fetch_sp500_tickers if index == "sp500" else universe.fetch_sp400_tickers
        symbols = await asyncio.to_thread(fetch)
        self._counts["provider_fetches"] += 1
        frame = pl.DataFrame({"symbol": symbols}, schema={"symbol": pl.String()})
        return DataResult(
            frame, "provider", self._now(), index, rows_by_source={"provider": frame.height}
        )

    async def get_universe(self, index: str = "sp500") -> DataResult:
        """Current members of ``index`` (symbol, name, sector, asset_class).

        Index membership comes from the instruments (cache -> db -> provider). On
        the sandbox ``"sp500"``/``"sp400"`` mean its fictional ``AX500``/``AX400``;
        on other providers they are fetched live by :mod:`axion_lab.universe`.
        """
        if not isinstance(index, str) or not index.strip():
            raise InputError(f"index must be a name such as 'sp500', not {index!r}.")
        result, _ = await self._universe(index.strip())
        return result

    async def build_universe(
        self,
        sources: Sequence[str] = ("sp500",),
        *,
        extra: Iterable[str] = (),
        exclude: Iterable[str] = (),
    ) -> Universe:
        """:func:`axion_lab.universe.build_universe` on this service's data.

        On the sandbox, index sources are the market's fictional indexes (no
        network); on other providers they are fetched live.
        """
        from axion_lab.universe import build_universe

        market = await self._load_market() if self.provider_name == "sandbox" else None
        return await asyncio.to_thread(
            build_universe, sources, extra=list(extra), exclude=list(exclude), market=market
        )

    # --- prices --------------------------------------------------------------------------

    def _window(
        self,
        period: str | None,
        start: DateLike | None,
        end: DateLike | None,
        data_end: dt.date | None,
    ) -> Window:
        return resolve_window(
            period=period, start=start, end=end, today=self._now().date(), data_end=data_end
        )

    async def _prices(
        self,
        tickers: str | Iterable[str],
        *,
        period: str | None,
        start: DateLike | None,
        end: DateLike | None,
        interval: str,
        force: bool,
    ) -> tuple[DataResult, bool]:
        if interval not in INTERVALS:
            raise InputError(
                f"interval {interval!r} is not served by the data service yet; only daily "
                "bars ('1d'). For intraday bars use (await service.get_market()).intraday()."
            )
        symbols = normalise_symbols(tickers)
        self._window(period, start, end, None)  # refuse bad periods and dates up front
        today = self._now().date()
        request = "|".join(
            [
                period or "",
                "" if start is None else to_date(start).isoformat(),
                "" if end is None else to_date(end).isoformat(),
                today.isoformat(),
            ]
        )
        key = self._key("bars", interval, request, symbols_key(symbols))

        async def work() -> DataResult:
            if not force:
                hit = await self._cached(key)
                if hit is not None:
                    return hit
            checked = await self.resolve_symbols(symbols)
            if force:
                result = await self._download(checked, period, start, end)
            else:
                result = await self._from_db_then_provider(checked, period, start, end)
            await self._store(key, result, "daily")
            return result

        flight_key = (key, force)
        result, shared = await self._shared(flight_key, work)
        assert isinstance(result, DataResult)
        return result, shared

    async def _from_db_then_provider(
        self,
        symbols: list[str],
        period: str | None,
        start: DateLike | None,
        end: DateLike | None,
    ) -> DataResult:
        from axion_lab.db import read_bars

        window = self._window(period, start, end, await self._data_end())
        if window.start is None:
            # "max": the database cannot know where a history begins; ask the provider.
            stored = pl.DataFrame(schema=SCHEMAS["bars"])
        else:
            async with self._session() as session:
                stored = await session.run_sync(
                    read_bars, symbols, window.start, window.end.isoformat()
                )
        edge = 1 if window.end >= self._now().date() - dt.timedelta(days=1) else None
        gaps = missing_ranges(stored, symbols, window.start, window.end, edge_tolerance=edge)
        if not gaps:
            self._counts["db_hits"] += 1
            return DataResult(
                stored, "db", self._now(), self.identity, rows_by_source={"db": stored.height}
            )
        market = await self._load_market()
        clipped = _clip(gaps, market, symbols)
        fetched, report = await self._fetch(market, clipped)
        if stored.height:
            self._counts["db_hits"] += 1
        rows = {"db": stored.height, "provider": fetched.height}
        frame = pl.concat([stored, fetched]).sort("symbol", "ts")
        return DataResult(frame, _source(rows), self._now(), self.identity, report, rows)

    async def _download(
        self,
        symbols: list[str],
        period: str | None,
        start: DateLike | None,
        end: DateLike | None,
    ) -> DataResult:
        market = await self._load_market(refresh=True)
        window = self._window(period, start, end, market.end if market.bars.height else None)
        gaps = [Gap(s, window.start or EPOCH, window.end) for s in symbols]
        fetched, report = await self._fetch(market, _clip(gaps, market, symbols))
        rows = {"provider": fetched.height}
        return DataResult(fetched, "provider", self._now(), self.identity, report, rows)

    async def _fetch(
        self, market: Market, gaps: list[Gap]
    ) -> tuple[pl.DataFrame, QualityReport | None]:
        """Take ``gaps`` from the market, check them, write bars and findings back."""
        from axion_lab.data.quality import check_bars, save_quality_report
        from axion_lab.db import write_bars

        if not gaps:
            return pl.DataFrame(schema=SCHEMAS["bars"]), None
        self._counts["provider_fetches"] += 1
        fetched = await asyncio.to_thread(_slice_bars, market.bars, gaps)
        symbols = sorted({g.symbol for g in gaps})
        splits = market.splits.filter(pl.col("symbol").is_in(symbols))
        report = await asyncio.to_thread(check_bars, fetched, splits=splits)
        checked_at = self._now()
        async with self._session() as session:
            await session.run_sync(write_bars, fetched)
            await session.run_sync(
                save_quality_report,
                report,
                provider=self.provider_name,
                source=self.identity,
                checked_at=checked_at,
            )
        return fetched, report

    async def get_prices(
        self,
        tickers: str | Iterable[str],
        *,
        period: str | None = None,
        start: DateLike | None = None,
        end: DateLike | None = None,
        interval: str = "1d",
    ) -> DataResult:
        """Daily bars of ``tickers`` for ``period`` (default ``"1y"``) or ``start``..``end``.

        Periods: ``1d 5d 1mo 3mo 6mo 1y 2y 5y 10y ytd max``, counted back from the
        earlier of today and the provider's last day. Bars are as traded (use the
        market's ``adjusted_bars`` for adjusted series). Unknown tickers raise
        :class:`~axion_lab.exceptions.UnknownSymbolError` with suggestions; data
        with quality warnings or errors raises one
        :class:`~axion_lab.exceptions.DataQualityWarning` and is returned as is.
        """
        result, shared = await self._prices(
            tickers, period=period, start=start, end=end, interval=interval, force=False
        )
        return shown(result, shared)

    async def download_price_data(
        self,
        tickers: str | Iterable[str],
        *,
        period: str | None = None,
        start: DateLike | None = None,
        end: DateLike | None = None,
        interval: str = "1d",
    ) -> DataResult:
        """Fetch from the provider again (reloading its market), write back and cache."""
        result, shared = await self._prices(
            tickers, period=period, start=start, end=end, interval=interval, force=True
        )
        return shown(result, shared)

    # --- fundamentals --------------------------------------------------------------------

    async def _fundamentals(
        self, tickers: str | Iterable[str], as_of: DateLike | None
    ) -> tuple[DataResult, bool]:
        symbols = normalise_symbols(tickers)
        cutoff = None if as_of is None else to_date(as_of, what="as-of date")
        key = self._key(
            "fundamentals", "latest" if cutoff is None else cutoff.isoformat(), symbols_key(symbols)
        )

        async def work() -> DataResult:
            from axion_lab.data.quality import check_fundamentals, save_quality_report
            from axion_lab.db import read_fundamentals, write_fundamentals

            hit = await self._cached(key)
            if hit is not None:
                return hit
            checked = await self.resolve_symbols(symbols)
            async with self._session() as session:
                stored = await session.run_sync(read_fundamentals, checked)
            have = set(stored["symbol"].unique().to_list())
            missing = [s for s in checked if s not in have]
            report = None
            fetched = pl.DataFrame(schema=SCHEMAS["fundamentals"])
            if missing:
                market = await self._load_market()
                self._counts["provider_fetches"] += 1
                fetched = conform("fundamentals", market.fundamentals).filter(
                    pl.col("symbol").is_in(missing)
                )
                fetched = fetched.select(list(SCHEMAS["fundamentals"]))
                report = await asyncio.to_thread(check_fundamentals, fetched)
                async with self._session() as session:
                    await session.run_sync(write_fundamentals, fetched)
                    await session.run_sync(
                        save_quality_report,
                        report,
                        provider=self.provider_name,
                        source=self.identity,
                        checked_at=self._now(),
                    )
            if stored.height:
                self._counts["db_hits"] += 1
            frame = pl.concat([stored, fetched]).sort("symbol", "period_end", "published")
            if cutoff is not None:
                frame = frame.filter(pl.col("published") <= cutoff)
            rows = {"db": stored.height, "provider": fetched.height}
            result = DataResult(frame, _source(rows), self._now(), self.identity, report, rows)
            await self._store(key, result, "fundamentals")
            return result

        result, shared = await self._shared(key, work)
        assert isinstance(result, DataResult)
        return result, shared

    async def get_fundamentals(
        self, tickers: str | Iterable[str], as_of: DateLike | None = None
    ) -> DataResult:
        """Quarterly statements of ``tickers``; with ``as_of``, only those published by then.

        A symbol with any statements in the database is served from it; symbols
        with none are fetched from the provider (checked, written back).
        """
        result, shared = await self._fundamentals(tickers, as_of)
        return shown(result, shared)

    # --- lifecycle -----------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the pooled database connections this service opened in this event loop.

        Only for the default sessions; the engines stay usable (they reconnect).
        """
        for engine in self._engines.pop(asyncio.get_running_loop(), set()):
            await engine.dispose()


def _clip(gaps: list[Gap], market: Market, symbols: Sequence[str]) -> list[Gap]:
    """Trim gaps to each symbol's first..last bar in ``market``; drop empty ones."""
    if not gaps or not market.bars.height:
        return []
    bounds = (
        market.bars.filter(pl.col("symbol").is_in(list(symbols)))
        .group_by("symbol")
        .agg(pl.col("ts").min().dt.date().alias("lo"), pl.col("ts").max().dt.date().alias("hi"))
    )
    limits = {r["symbol"]: (r["lo"], r["hi"]) for r in bounds.iter_rows(named=True)}
    out: list[Gap] = []
    for gap in gaps:
        if gap.symbol not in limits:
            continue
        lo, hi = limits[gap.symbol]
        first, last = max(gap.start, lo), min(gap.end, hi)
        if first <= last:
            out.append(Gap(gap.symbol, first, last))
    return out


def _slice_bars(bars: pl.DataFrame, gaps: list[Gap]) -> pl.DataFrame:
    ranges = pl.DataFrame(
        {
            "symbol": [g.symbol for g in gaps],
            "_lo": [g.start for g in gaps],
            "_hi": [g.end for g in gaps],
        },
        schema={"symbol": pl.String(), "_lo": pl.Date(), "_hi": pl.Date()},
    )
    picked = (
        bars.filter(pl.col("symbol").is_in(ranges["symbol"].unique().to_list()))
        .join(ranges, on="symbol")
        .filter(pl.col("ts").dt.date().is_between(pl.col("_lo"), pl.col("_hi")))
    )
    return conform("bars", picked).select(list(SCHEMAS["bars"])).sort("symbol", "ts")


def shown(result: DataResult, shared: bool) -> DataResult:
    """Warn once (the caller that loaded) if the provider's data had findings."""
    quality = result.quality
    if shared or result.source == "cache" or quality is None or quality.ok:
        return result
    warnings.warn(
        f"{quality.summary().splitlines()[0]} in data from {result.provider}; the data is "
        "returned unchanged. See result.quality (also stored in the DataQualityLog table).",
        DataQualityWarning,
        stacklevel=3,
    )
    return result
