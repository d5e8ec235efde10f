"""The ``Market``: the bundle of canonical frames that every engine reads.

A :class:`Market` is immutable. :meth:`Market.as_of` returns a new bundle in which
nothing published after the given date is visible, so an engine run on
``market.as_of(d)`` cannot look ahead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import cached_property
from typing import Any, Final, Literal

import polars as pl

from axion_lab.data.schema import FRAME_NAMES, PUBLICATION_COLUMNS, SCHEMAS, conform
from axion_lab.exceptions import DateRangeError, InputError, UnknownSymbolError

__all__ = ["DateLike", "IntradaySource", "Market", "to_date"]

DateLike = str | dt.date | dt.datetime
IntradaySource = Callable[..., pl.DataFrame]


def to_date(value: DateLike, *, what: str = "date") -> dt.date:
    """Parse ``value`` (ISO string, date or datetime) into a :class:`datetime.date`.

    Examples
    --------
    >>> to_date("2024-03-01")
    datetime.date(2024, 3, 1)
    >>> to_date("March 1")
    Traceback (most recent call last):
    ...
    axion_lab.exceptions.DateRangeError: Invalid date 'March 1': use ISO format YYYY-MM-DD.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise DateRangeError(f"Invalid {what} {value!r}: use ISO format YYYY-MM-DD.")


class _AdjustedCache:
    """A bundle's most recent adjusted-bar frames, thread-safe.

    At most :data:`ADJUSTED_CACHE_SIZE` frames and :data:`ADJUSTED_CACHE_BYTES` in all
    (the newest is always kept); the least recently used go first. Keyed by
    adjustment and symbol set. Polars frames are immutable, so a hit is handed out as
    is. A miss is computed outside the lock: two threads asking for the same frame at
    once may both compute it, never see a half-built one.
    """

    def __init__(self) -> None:
        self._frames: OrderedDict[Hashable, pl.DataFrame] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], pl.DataFrame]) -> pl.DataFrame:
        with self._lock:
            hit = self._frames.get(key)
            if hit is not None:
                self._frames.move_to_end(key)
                return hit
        frame = compute()
        with self._lock:
            self._frames[key] = frame
            while len(self._frames) > 1 and (
                len(self._frames) > ADJUSTED_CACHE_SIZE
                or sum(f.estimated_size() for f in self._frames.values()) > ADJUSTED_CACHE_BYTES
            ):
                self._frames.popitem(last=False)
        return frame


ADJUSTED_CACHE_SIZE: Final = 4
"""Adjusted-bar frames a bundle keeps (a backtest reads two: split and total)."""
ADJUSTED_CACHE_BYTES: Final = 768 * 2**20
"""Memory the kept frames may take together (the sandbox's bars are about 260 MB)."""


@dataclasses.dataclass(frozen=True, eq=False)
class Market:
    """Canonical polars frames, as of a date. See ``axion_lab.data.schema`` for columns.

    Build one with :func:`axion_lab.load_market`; do not construct directly unless
    you are writing a provider.
    """

    instruments: pl.DataFrame
    index_membership: pl.DataFrame
    bars: pl.DataFrame
    fundamentals: pl.DataFrame
    dividends: pl.DataFrame
    splits: pl.DataFrame
    holdings: pl.DataFrame
    funds: pl.DataFrame
    short_interest: pl.DataFrame
    ratings: pl.DataFrame
    macro: pl.DataFrame
    provider: str = "sandbox"
    description: str = ""
    is_synthetic: bool = False
    seed: int | None = None
    as_of_date: dt.date | None = None
    intraday_source: IntradaySource | None = dataclasses.field(default=None, repr=False)

    @classmethod
    def from_frames(cls, frames: dict[str, pl.DataFrame], **meta: Any) -> Market:
        """Build a market from canonical frames, checking each against its schema.

        Frames not given are empty with the canonical columns.
        """
        unknown = set(frames) - set(FRAME_NAMES)
        if unknown:
            raise InputError(f"Unknown frame(s) {sorted(unknown)}; expected {list(FRAME_NAMES)}.")
        checked: dict[str, Any] = {
            name: conform(name, frames[name])
            if name in frames
            else pl.DataFrame(schema=SCHEMAS[name])
            for name in FRAME_NAMES
        }
        return cls(**checked, **meta)

    # --- time ---------------------------------------------------------------------
    @cached_property
    def start(self) -> dt.date:
        """Date of the first daily bar."""
        value = self.bars["ts"].min()
        if value is None:
            raise DateRangeError("This market has no bars.")
        assert isinstance(value, dt.datetime)
        return value.date()

    @cached_property
    def end(self) -> dt.date:
        """Date of the last daily bar (the as-of date once :meth:`as_of` was applied)."""
        value = self.bars["ts"].max()
        if value is None:
            raise DateRangeError("This market has no bars.")
        assert isinstance(value, dt.datetime)
        return value.date()

    @cached_property
    def trading_days(self) -> pl.Series:
        """Sorted unique session dates of the daily bars."""
        return self.bars["ts"].dt.date().unique().sort()

    def check_date(self, value: DateLike, *, what: str = "date") -> dt.date:
        """Parse ``value`` and check it lies within ``[start, end]``."""
        day = to_date(value, what=what)
        if not self.start <= day <= self.end:
            raise DateRangeError(
                f"The {what} {day.isoformat()} is outside this market's data, which runs "
                f"from {self.start.isoformat()} to {self.end.isoformat()}."
            )
        return day

    def as_of(self, date: DateLike) -> Market:
        """Return the same bundle with nothing published after ``date`` visible.

        Bars after ``date`` are dropped, fundamentals/short interest/macro by their
        ``published`` date, dividends by ``declared``, splits by ``announced``,
        holdings by ``filed``; instruments not yet listed are dropped, a
        ``delisted`` date after ``date`` is not known yet (null), and index
        membership is as it stood on ``date``.

        Examples
        --------
        >>> from axion_lab import load_market
        >>> m = load_market()
        >>> past = m.as_of("2020-03-31")
        >>> past.end <= __import__("datetime").date(2020, 3, 31)
        True
        >>> past.fundamentals["published"].max() <= past.end
        True
        """
        day = self.check_date(date, what="as-of date")
        frames: dict[str, Any] = {}
        for name in FRAME_NAMES:
            frame: pl.DataFrame = getattr(self, name)
            column = PUBLICATION_COLUMNS.get(name)
            if column is None:
                frames[name] = frame
            elif name == "bars":
                frames[name] = frame.filter(pl.col("ts").dt.date() <= day)
            else:
                frames[name] = frame.filter(pl.col(column) <= day)
        membership = frames["index_membership"].with_columns(
            pl.when(pl.col("end") > day).then(None).otherwise(pl.col("end")).alias("end")
        )
        frames["index_membership"] = membership
        current = (
            membership.filter(pl.col("end").is_null())
            .sort("index")  # groups keep row order: cheaper than sorting in each group
            .group_by("symbol")
            .agg(pl.col("index").alias("_idx"))
        )
        frames["instruments"] = (
            self.instruments.filter(pl.col("ipo_date").is_null() | (pl.col("ipo_date") <= day))
            .join(current, on="symbol", how="left")
            .with_columns(pl.col("_idx").fill_null(pl.lit([], dtype=pl.List(pl.String))))
            .with_columns(pl.col("_idx").alias("indexes"))
            .drop("_idx")
        )
        if "delisted" in self.instruments.columns:
            frames["instruments"] = frames["instruments"].with_columns(
                pl.when(pl.col("delisted") <= day).then(pl.col("delisted")).alias("delisted")
            )
        return dataclasses.replace(self, **frames, as_of_date=day)

    # --- symbols ------------------------------------------------------------------
    @cached_property
    def symbols(self) -> tuple[str, ...]:
        """All instrument symbols, sorted."""
        return tuple(sorted(self.instruments["symbol"].to_list()))

    def resolve_symbols(self, symbols: str | Iterable[str]) -> list[str]:
        """Normalise case and check every symbol exists; raise with suggestions if not.

        Examples
        --------
        >>> from axion_lab import load_market
        >>> m = load_market()
        >>> first = m.symbols[0]
        >>> m.resolve_symbols(first.lower()) == [first]
        True
        """
        wanted = [symbols] if isinstance(symbols, str) else list(symbols)
        if not wanted:
            raise InputError("No symbols given; pass at least one ticker.")
        known = set(self.symbols)
        out: list[str] = []
        for raw in wanted:
            sym = str(raw).strip().upper()
            if sym not in known:
                raise UnknownSymbolError.for_name(
                    "symbol",
                    str(raw),
                    self.symbols,
                    hint=f"The {self.provider} market has {len(known)} instruments; "
                    "see market.instruments.",
                )
            out.append(sym)
        return out

    def universe(
        self,
        *,
        asset_class: str | Sequence[str] | None = "equity",
        index: str | None = None,
        sector: str | None = None,
    ) -> list[str]:
        """Symbols filtered by asset class, current index membership and sector.

        Only instruments still listed at the end of the bundle: a company delisted
        by then (``instruments.delisted``) is left out.
        """
        frame = self.instruments
        if "delisted" in frame.columns:
            frame = frame.filter(pl.col("delisted").is_null())
        if asset_class is not None:
            classes = [asset_class] if isinstance(asset_class, str) else list(asset_class)
            valid = self.instruments["asset_class"].unique().to_list()
            for c in classes:
                if c not in valid:
                    raise UnknownSymbolError.for_name("asset class", c, valid)
            frame = frame.filter(pl.col("asset_class").is_in(classes))
        if index is not None:
            valid = self.index_membership["index"].unique().sort().to_list()
            if index not in valid:
                raise UnknownSymbolError.for_name("index", index, valid)
            frame = frame.filter(pl.col("indexes").list.contains(index))
        if sector is not None:
            valid = [s for s in self.instruments["sector"].unique().sort().to_list() if s]
            match = {s.lower(): s for s in valid}.get(sector.lower())
            if match is None:
                raise UnknownSymbolError.for_name("sector", sector, valid)
            frame = frame.filter(pl.col("sector") == match)
        return sorted(frame["symbol"].to_list())

    # --- bars ---------------------------------------------------------------------
    def bars_for(
        self,
        symbols: str | Iterable[str],
        start: DateLike | None = None,
        end: DateLike | None = None,
        *,
        adjust: Literal["none", "split", "total"] = "none",
    ) -> pl.DataFrame:
        """Daily bars for ``symbols`` between ``start`` and ``end`` (inclusive)."""
        syms = self.resolve_symbols(symbols)
        lo = self.check_date(start, what="start date") if start is not None else self.start
        hi = self.check_date(end, what="end date") if end is not None else self.end
        if lo > hi:
            raise DateRangeError(
                f"The start date {lo.isoformat()} is after the end date {hi.isoformat()}."
            )
        bars = self.adjusted_bars(adjust, symbols=syms) if adjust != "none" else self.bars
        return bars.filter(
            pl.col("symbol").is_in(syms),
            pl.col("ts").dt.date().is_between(lo, hi),
        ).sort("symbol", "ts")

    @cached_property
    def _adjusted(self) -> _AdjustedCache:
        return _AdjustedCache()

    @cached_property
    def _identity(self) -> object:
        return object()

    def _derive(self, shared: Sequence[str], **frames: pl.DataFrame) -> Market:
        """This bundle with other ``frames``, keeping the ``shared`` cached properties."""
        child = dataclasses.replace(self, **frames)  # type: ignore[arg-type]
        for name in shared:
            child.__dict__[name] = getattr(self, name)  # cached_property slots
        return child

    def with_bars(self, bars: pl.DataFrame) -> Market:
        """The same bundle with ``bars`` (a window of its own bars) and its own calendar.

        ``start`` and ``end`` stay this bundle's, so :meth:`as_of` accepts any date of
        it even where the window has no bar that day.
        """
        if not isinstance(bars, pl.DataFrame) or bars.schema != self.bars.schema:
            raise InputError(
                f"with_bars needs a window of this market's bars (columns "
                f"{self.bars.columns}); got "
                f"{bars.columns if isinstance(bars, pl.DataFrame) else type(bars).__name__}."
            )
        return self._derive(("start", "end"), bars=bars)

    def restrict(self, symbols: Iterable[str]) -> Market:
        """The same bundle with only ``symbols``' rows in every frame.

        The calendar (``start``, ``end``, ``trading_days``) is this bundle's (a symbol
        listed later does not move the start). Every bar of those symbols is kept, so
        their adjusted bars are the same as in this bundle: the two share them
        (computed once, for whichever asks first). Unknown symbols raise
        :class:`~axion_lab.exceptions.UnknownSymbolError` with suggestions.
        """
        keep = pl.col("symbol").is_in(self.resolve_symbols(symbols))
        frames = {
            name: getattr(self, name).filter(keep)
            for name in FRAME_NAMES
            if "symbol" in SCHEMAS[name]
        }
        return self._derive(("start", "end", "trading_days", "_adjusted"), **frames)

    def adjusted_bars(
        self,
        kind: Literal["split", "total"] = "split",
        *,
        symbols: Sequence[str] | None = None,
    ) -> pl.DataFrame:
        """Bars back-adjusted for splits (``"split"``) or splits and dividends (``"total"``).

        Only events visible in this bundle are applied, so the result is point-in-time
        correct after :meth:`as_of`. Prices are divided (volumes multiplied) by the
        product of the ratios of later splits; for ``"total"`` prices are further
        multiplied by ``1 - dividend / previous close`` for each later ex-date, the
        CRSP-style convention. Sorted by symbol and time.

        The bundle is immutable, so the last few results are kept (see
        :class:`_AdjustedCache`): a second backtest or chart of the same symbols does
        not adjust again.
        """
        if kind not in ("split", "total"):
            raise InputError(f"Unknown adjustment {kind!r}; use 'split' or 'total'.")
        # "Every symbol" differs between a bundle and its restrictions: key it by an
        # object unique to this bundle (held by the key, so never reused).
        key = (kind, tuple(sorted(set(symbols))) if symbols is not None else self._identity)
        return self._adjusted.get(key, lambda: self._adjust(kind, symbols))

    def _adjust(self, kind: str, symbols: Sequence[str] | None) -> pl.DataFrame:
        bars = self.bars if symbols is None else self.bars.filter(pl.col("symbol").is_in(symbols))
        bars = bars.sort("symbol", "ts").with_columns(pl.col("ts").dt.date().alias("_day"))
        # Only events already effective by the end of the data apply: a split announced
        # but not yet effective must not change today's prices (no look-ahead).
        events = self.splits.filter(pl.col("ex_date") <= self.end).select(
            "symbol", "ex_date", (1.0 / pl.col("ratio")).alias("price_f"), "ratio"
        )
        if kind == "total":
            divs = self.dividends.filter(pl.col("ex_date") <= self.end).select(
                "symbol", "ex_date", "amount"
            )
            prev_close = bars.select("symbol", "_day", "close")  # sorted just above
            divs = (
                divs.sort("symbol", "ex_date")
                .join_asof(
                    prev_close,
                    left_on="ex_date",
                    right_on="_day",
                    by="symbol",
                    strategy="backward",
                    allow_exact_matches=False,
                    check_sortedness=False,  # sorted by (symbol, day) just above
                )
                .filter(pl.col("close").is_not_null() & (pl.col("close") > 0))
                .select(
                    "symbol",
                    "ex_date",
                    (1.0 - pl.col("amount") / pl.col("close")).alias("price_f"),
                    pl.lit(1.0).alias("ratio"),
                )
            )
            events = pl.concat([events, divs])
        if events.height == 0:
            return bars.drop("_day")
        # Combine same-day events, then cumulate from the latest backwards so each
        # event row carries the product of itself and every later event.
        events = (
            events.group_by("symbol", "ex_date")
            .agg(pl.col("price_f").product(), pl.col("ratio").product())
            .sort("symbol", "ex_date", descending=[False, True])
            .with_columns(
                pl.col("price_f").cum_prod().over("symbol").alias("cum_price_f"),
                pl.col("ratio").cum_prod().over("symbol").alias("cum_ratio"),
            )
            .select("symbol", "ex_date", "cum_price_f", "cum_ratio")
            .sort("symbol", "ex_date")
        )
        adjusted = bars.join_asof(
            events,
            left_on="_day",
            right_on="ex_date",
            by="symbol",
            strategy="forward",
            allow_exact_matches=False,
            check_sortedness=False,  # both sides sorted by (symbol, date) above
        ).with_columns(
            pl.col("cum_price_f").fill_null(1.0),
            pl.col("cum_ratio").fill_null(1.0),
        )
        return adjusted.with_columns(
            *(pl.col(c) * pl.col("cum_price_f") for c in ("open", "high", "low", "close")),
            (pl.col("volume") * pl.col("cum_ratio")).round(0).cast(pl.Int64),
        ).select(self.bars.columns)

    def intraday(
        self,
        symbols: str | Iterable[str],
        *,
        days: int = 5,
        interval: str = "5m",
    ) -> pl.DataFrame:
        """Intraday bars for the last ``days`` sessions, built on demand by the provider."""
        if self.intraday_source is None:
            raise InputError(f"The {self.provider!r} provider does not supply intraday bars.")
        syms = self.resolve_symbols(symbols)
        if days < 1:
            raise InputError(f"days must be at least 1, got {days}.")
        return self.intraday_source(syms, end=self.end, days=days, interval=interval)

    # --- display ------------------------------------------------------------------
    @property
    def label(self) -> str:
        """One line saying what this data is (and that sandbox data is fictional)."""
        when = f" as of {self.as_of_date.isoformat()}" if self.as_of_date else ""
        return f"{self.description or self.provider}{when}"

    def __repr__(self) -> str:
        counts = self.instruments.group_by("asset_class").len().sort("asset_class")
        kinds = ", ".join(f"{r['len']} {r['asset_class']}" for r in counts.iter_rows(named=True))
        return (
            f"<Market {self.label}: {kinds}; bars {self.start} .. {self.end} "
            f"({self.bars.height:,} rows)>"
        )

    def _repr_html_(self) -> str:
        cell = "<td style='text-align:right'>{:,}</td>"
        rows = "".join(
            f"<tr><td>{name}</td>{cell.format(getattr(self, name).height)}</tr>"
            for name in FRAME_NAMES
        )
        warning = (
            "<p style='color:#a15c00'><b>Synthetic data:</b> every company, ticker and "
            "number here is fictional.</p>"
            if self.is_synthetic
            else ""
        )
        return (
            f"<div><b>Market</b>: {html.escape(self.label)}<br>"
            f"bars {self.start} .. {self.end}{warning}"
            f"<table><tr><th>frame</th><th>rows</th></tr>{rows}</table></div>"
        )
