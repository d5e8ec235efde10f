"""Cache entries of the data service: keys, and results stored as frame + JSON meta.

A key names everything that changes the answer::

    axion:svc:v1:<provider identity>:<kind>:<request...>

The provider identity carries the sandbox seed (or a hash of the provider options),
so two seeds never share an entry; ``v1`` is bumped when the stored layout changes.
A result is stored as its frame (Arrow IPC), a small JSON meta (as of, source,
rows by source) and, when the provider's data had findings, the findings frame. The
meta is written last and read first, so a half-written entry reads as a miss.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

import polars as pl

from axion_lab.cache import Cache, CacheKind
from axion_lab.exceptions import InputError
from axion_lab.services._result import DataResult

__all__ = [
    "KEY_VERSION",
    "load_result",
    "normalise_symbols",
    "provider_identity",
    "service_key",
    "store_result",
    "symbols_key",
]

KEY_VERSION: Final = "v1"
_INLINE_SYMBOLS: Final = 8


def provider_identity(name: str, options: Mapping[str, Any], *, sandbox_seed: int) -> str:
    """Name the provider and the options that change its data.

    Examples
    --------
    >>> provider_identity("sandbox", {}, sandbox_seed=42)
    'sandbox-s42'
    >>> provider_identity("files", {"path": "/data/prices.csv"}, sandbox_seed=42)
    'files-5b729cad'
    """
    if name == "sandbox":
        seed = options.get("seed", sandbox_seed)
        return f"sandbox-s{seed}"
    if not options:
        return name
    blob = json.dumps(options, sort_keys=True, default=str).encode()
    return f"{name}-{hashlib.sha256(blob).hexdigest()[:8]}"


def normalise_symbols(tickers: str | Iterable[str]) -> list[str]:
    """Strip, upper-case and de-duplicate tickers (order kept); refuse empty input.

    Examples
    --------
    >>> normalise_symbols(" aaa,bbb ")
    ['AAA', 'BBB']
    >>> normalise_symbols(["aaa", "AAA", "ccc"])
    ['AAA', 'CCC']
    """
    if isinstance(tickers, str):
        raw: list[Any] = [t for t in tickers.split(",")]
    else:
        try:
            raw = list(tickers)
        except TypeError as exc:
            raise InputError(
                f"tickers must be a string or a list of strings, not {type(tickers).__name__}."
            ) from exc
    out: list[str] = []
    for item in raw:
        if not isinstance(item, str):
            raise InputError(
                f"Every ticker must be a string; got {item!r} ({type(item).__name__})."
            )
        symbol = item.strip().upper()
        if not symbol:
            raise InputError(f"Empty ticker in {tickers!r}; remove the blank entry.")
        if symbol not in out:
            out.append(symbol)
    if not out:
        raise InputError("No tickers given; pass at least one, e.g. get_prices(['ABC']).")
    return out


def symbols_key(symbols: Iterable[str]) -> str:
    """A short, order-free key part for a set of symbols.

    >>> symbols_key(["BBB", "AAA"])
    'AAA,BBB'
    >>> symbols_key([f"S{i}" for i in range(100)])[:4]
    'n100'
    """
    ordered = sorted(set(symbols))
    if len(ordered) <= _INLINE_SYMBOLS:
        return ",".join(ordered)
    digest = hashlib.sha256(",".join(ordered).encode()).hexdigest()[:16]
    return f"n{len(ordered)}-{digest}"


def service_key(identity: str, kind: str, *parts: str) -> str:
    """``svc:v1:<identity>:<kind>:<parts...>`` (the cache adds its namespace)."""
    return ":".join(["svc", KEY_VERSION, identity, kind, *parts])


async def store_result(cache: Cache, key: str, result: DataResult, *, kind: CacheKind) -> None:
    """Store ``result`` under ``key`` with the TTL of ``kind``."""
    if result.quality is not None and len(result.quality):
        await cache.set_dataframe(key + ":quality", result.quality.to_frame(), kind=kind)
    await cache.set_dataframe(key + ":frame", result.frame, kind=kind)
    meta = {
        "as_of": result.as_of.isoformat(),
        "source": result.source,
        "rows_by_source": dict(result.rows_by_source),
        "provider": result.provider,
        "quality_rows_checked": None if result.quality is None else result.quality.rows_checked,
        "quality_frames": [] if result.quality is None else list(result.quality.frames_checked),
        "has_findings": result.quality is not None and len(result.quality) > 0,
    }
    await cache.set_json(key + ":meta", meta, kind=kind)


async def load_result(cache: Cache, key: str) -> DataResult | None:
    """The stored result as a cache hit (``source="cache"``), or ``None`` on a miss."""
    from axion_lab.data.quality import FINDINGS_SCHEMA, QualityReport

    meta = await cache.get_json(key + ":meta")
    if not isinstance(meta, dict):
        return None
    frame = await cache.get_dataframe(key + ":frame", to="polars")
    if not isinstance(frame, pl.DataFrame):
        return None
    quality = None
    if meta.get("quality_rows_checked") is not None:
        findings: Any = pl.DataFrame(schema=FINDINGS_SCHEMA)
        if meta.get("has_findings"):
            findings = await cache.get_dataframe(key + ":quality", to="polars")
            if not isinstance(findings, pl.DataFrame):
                return None  # the findings expired before the data: refetch, never hide them
        quality = QualityReport(
            findings,
            rows_checked=int(meta["quality_rows_checked"]),
            frames_checked=tuple(meta.get("quality_frames", ())),
        )
    return DataResult(
        frame,
        source="cache",
        as_of=dt.datetime.fromisoformat(meta["as_of"]),
        provider=str(meta.get("provider", "")),
        quality=quality,
        rows_by_source={"cache": frame.height},
    )
