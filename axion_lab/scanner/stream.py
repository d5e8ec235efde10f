"""Streaming: feeds of bars, a scanner that emits hits as bars arrive, Redis publishing.

* A :class:`DataFeed` is any iterable of bar batches (long frames: symbol, ts, OHLCV),
  oldest first. :class:`ReplayFeed` replays stored bars one timestamp at a time (the
  sandbox's intraday bars via :meth:`ReplayFeed.from_market`); :class:`PollingFeed`
  polls a live source through an injected ``fetch`` callable and raises
  :class:`~axion_lab.exceptions.ServiceUnavailableError` when it cannot be reached.
* :class:`StreamingScanner` keeps every bar it has seen and, on each batch, re-runs
  its detectors over that history and emits the hits on the new bars it has not
  emitted before. Every detector is causal (a hit on bar ``t`` reads bars up to ``t``
  only, chart patterns included, see :mod:`~axion_lab.scanner.pivots`), so the
  stream emits exactly the hits a batch scan over the same bars finds. With
  ``max_bars`` the history is trimmed for long sessions; recursive indicators (RSI,
  MACD) then start later and may differ slightly from a batch run.
* :class:`RedisHitPublisher` appends hits to a Redis Stream (``XADD`` to
  ``axion:stream:scanner``) through an injected redis client; :func:`decode_hit`
  reads an entry back.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import polars as pl

from axion_lab.data.market import DateLike, Market
from axion_lab.exceptions import InputError, ProviderError, ServiceUnavailableError
from axion_lab.scanner.config import DEFAULT_TREND_THRESHOLD, DEFAULT_TREND_WINDOW, STREAM_KEY
from axion_lab.scanner.panel import BAR_COLUMNS
from axion_lab.scanner.result import HIT_KEY, ScanHit, empty_hits

if TYPE_CHECKING:
    from axion_lab.scanner.engine import Detector

__all__ = [
    "DataFeed",
    "HitPublisher",
    "PollingFeed",
    "RedisHitPublisher",
    "ReplayFeed",
    "StreamingScanner",
    "decode_hit",
]


class DataFeed(Protocol):
    """An iterable of bar batches, oldest first."""

    def __iter__(self) -> Iterator[pl.DataFrame]: ...


class HitPublisher(Protocol):
    """Something that takes new hits (a Redis Stream, a queue, a test list)."""

    def publish(self, hits: pl.DataFrame) -> int: ...


def _check_bars(bars: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in BAR_COLUMNS if c not in bars.columns]
    if missing:
        raise InputError(f"Feed bars are missing column(s) {missing}; need {list(BAR_COLUMNS)}.")
    return bars.select(BAR_COLUMNS)


class ReplayFeed:
    """Replay stored bars one timestamp at a time (every symbol's bar for that ts).

    Examples
    --------
    >>> from axion_lab import load_market
    >>> from axion_lab.scanner import ReplayFeed
    >>> m = load_market()
    >>> feed = ReplayFeed.from_market(m, m.universe()[:3], interval="15m")
    >>> len(feed), next(iter(feed))["ts"].n_unique()
    (26, 1)
    """

    def __init__(self, bars: pl.DataFrame) -> None:
        self.bars = _check_bars(bars).sort("ts", "symbol")
        self._times = self.bars["ts"].unique().sort().to_list()

    @classmethod
    def from_market(
        cls,
        market: Market,
        symbols: Sequence[str],
        *,
        day: DateLike | None = None,
        days: int = 1,
        interval: str = "5m",
    ) -> ReplayFeed:
        """Intraday bars of the last ``days`` sessions up to ``day`` (default: the last)."""
        source = market.as_of(day) if day is not None else market
        return cls(source.intraday(symbols, days=days, interval=interval))

    def __len__(self) -> int:
        return len(self._times)

    def __iter__(self) -> Iterator[pl.DataFrame]:
        yield from self.bars.partition_by("ts", maintain_order=True)


class PollingFeed:
    """Poll a live source for new bars: the interface for live providers.

    ``fetch()`` returns the latest bars (a long frame); each poll yields the bars
    newer than any seen before. ``polls`` bounds the number of polls (``None``: poll
    forever); ``sleep`` is injected so tests do not wait.

    Raises
    ------
    ServiceUnavailableError
        When ``fetch`` cannot reach the provider (a connection or provider error).
    """

    def __init__(
        self,
        fetch: Callable[[], pl.DataFrame],
        *,
        interval_seconds: float = 60.0,
        polls: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        name: str = "live provider",
    ) -> None:
        if interval_seconds < 0:
            raise InputError(f"interval_seconds must be >= 0, got {interval_seconds}.")
        self.fetch, self.interval, self.polls = fetch, interval_seconds, polls
        self.sleep, self.name = sleep, name

    def __iter__(self) -> Iterator[pl.DataFrame]:
        seen: pl.DataFrame | None = None
        n = 0
        while self.polls is None or n < self.polls:
            if n:
                self.sleep(self.interval)
            n += 1
            try:
                bars = _check_bars(self.fetch())
            except (OSError, ProviderError) as exc:
                raise ServiceUnavailableError(
                    f"The {self.name} is unreachable ({exc}); the stream stopped. Check the "
                    "connection or replay stored bars with ReplayFeed."
                ) from exc
            if seen is not None:
                bars = (
                    bars.join(seen, on="symbol", how="left")
                    .filter(pl.col("last_ts").is_null() | (pl.col("ts") > pl.col("last_ts")))
                    .drop("last_ts")
                )
            if bars.height:
                last = bars.group_by("symbol").agg(pl.col("ts").max().alias("last_ts"))
                seen = (
                    last
                    if seen is None
                    else pl.concat([seen, last]).group_by("symbol").agg(pl.col("last_ts").max())
                )
                yield bars.sort("ts", "symbol")


class StreamingScanner:
    """Run detectors incrementally: :meth:`update` with new bars returns the new hits."""

    def __init__(
        self,
        detectors: Sequence[Detector],
        *,
        warmup: pl.DataFrame | None = None,
        max_bars: int | None = None,
        trend_window: int = DEFAULT_TREND_WINDOW,
        trend_threshold: float = DEFAULT_TREND_THRESHOLD,
        n_jobs: int | None = None,
    ) -> None:
        if not detectors:
            raise InputError("StreamingScanner needs at least one detector.")
        if max_bars is not None and max_bars < 2:
            raise InputError(f"max_bars must be at least 2, got {max_bars}.")
        self.detectors = tuple(detectors)
        self.max_bars = max_bars
        self._opts: dict[str, Any] = {
            "trend_window": trend_window,
            "trend_threshold": trend_threshold,
            "n_jobs": n_jobs,
        }
        self.history = _check_bars(warmup) if warmup is not None else None
        self._emitted = empty_hits().select(HIT_KEY)

    def update(self, bars: pl.DataFrame) -> pl.DataFrame:
        """Add ``bars``; return the hits on them not emitted before (hit schema)."""
        from axion_lab.scanner.engine import run_detectors

        new = _check_bars(bars)
        if not new.height:
            return empty_hits()
        history = new if self.history is None else pl.concat([self.history, new])
        # A re-sent bar (a provider correcting itself) replaces the earlier one.
        history = history.unique(["symbol", "ts"], keep="last").sort("symbol", "ts")
        if self.max_bars is not None:
            history = history.group_by("symbol", maintain_order=True).tail(self.max_bars)
        self.history = history
        touched = history.filter(pl.col("symbol").is_in(new["symbol"].unique().to_list()))
        hits, _ = run_detectors(touched, self.detectors, **self._opts)
        fresh = hits.join(new.select("symbol", "ts"), on=["symbol", "ts"], how="semi").join(
            self._emitted, on=list(HIT_KEY), how="anti"
        )
        self._emitted = pl.concat([self._emitted, fresh.select(HIT_KEY)])
        return fresh


def _encode(row: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in row.items():
        if key == "ts":
            out[key] = value.isoformat()
        elif key == "values":
            out[key] = json.dumps({v["name"]: v["value"] for v in value or []})
        elif key == "points":
            out[key] = json.dumps(
                [[p["ts"].isoformat(), p["price"], p["label"]] for p in value or []]
            )
        else:
            out[key] = "" if value is None else str(value)
    return out


def decode_hit(fields: dict[bytes, bytes] | dict[str, str]) -> ScanHit:
    """Read a Redis Stream entry written by :class:`RedisHitPublisher` back into a hit."""
    import datetime as dt

    f = {
        (k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
        for k, v in fields.items()
    }

    def num(key: str) -> float | None:
        return float(f[key]) if f.get(key) else None

    return ScanHit(
        symbol=f["symbol"],
        ts=dt.datetime.fromisoformat(f["ts"]),
        scanner=f["scanner"],
        category=f["category"],
        direction=f["direction"],
        strength=f["strength"],
        value=num("value"),
        trend=f.get("trend") or None,
        open=float(f["open"]),
        high=float(f["high"]),
        low=float(f["low"]),
        close=float(f["close"]),
        volume=int(f["volume"]),
        values=json.loads(f["values"]),
        points=tuple(
            (dt.datetime.fromisoformat(t), float(p), str(lab))
            for t, p, lab in json.loads(f["points"])
        ),
    )


class RedisHitPublisher:
    """Append hits to a Redis Stream with ``XADD`` (one entry per hit, string fields).

    ``client`` is a ``redis.Redis`` (injected: the engine opens no connection).
    ``maxlen`` caps the stream approximately (``MAXLEN ~``); ``None`` keeps everything.
    """

    def __init__(self, client: Any, *, stream: str = STREAM_KEY, maxlen: int | None = 100_000):
        self.client, self.stream, self.maxlen = client, stream, maxlen

    def publish(self, hits: pl.DataFrame | Iterable[dict[str, Any]]) -> int:
        """XADD every hit; return how many were written."""
        import redis

        rows = hits.iter_rows(named=True) if isinstance(hits, pl.DataFrame) else hits
        pipe = self.client.pipeline(transaction=False)
        count = 0
        for row in rows:
            pipe.xadd(self.stream, _encode(row), maxlen=self.maxlen, approximate=True)
            count += 1
        if not count:
            return 0
        try:
            pipe.execute()
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            raise ServiceUnavailableError(
                f"Redis is unreachable; {count} scanner hit(s) were not published to "
                f"{self.stream!r} ({exc}). Check AXION_REDIS_URL or the server."
            ) from exc
        return count
