"""Hits: what scanners and screens found, in the one shape the generator reads.

Anything with ``symbol``, ``ts``, ``source``, ``direction``, ``strength`` (0-1) and
``values`` is a :class:`Hit` (a ``Protocol``), so a scanner's results can be passed
as they are. :func:`hits_from_screen` turns a
:class:`~axion_lab.screener.ScreenResult` into hits: a screen says nothing about
direction (default long) and its order says how strongly each name matched, so the
strength is the rank from 1.0 (first) down to 0.5 (last).

Examples
--------
>>> import datetime as dt
>>> from axion_lab.signals.hits import SimpleHit, as_hit
>>> h = as_hit(SimpleHit("ACME", dt.date(2024, 6, 28), "golden_cross", "long", 0.8))
>>> h.source, h.direction.value, h.strength
('golden_cross', 'long', 0.8)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Protocol, runtime_checkable

from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.signals.config import Direction

if TYPE_CHECKING:
    from axion_lab.screener import ScreenResult

__all__ = [
    "STRENGTH_LABELS",
    "Hit",
    "SimpleHit",
    "as_hit",
    "hits_from_scan",
    "hits_from_screen",
]


@runtime_checkable
class Hit(Protocol):
    """A scanner or screener finding the generator can score."""

    @property
    def symbol(self) -> str: ...
    @property
    def ts(self) -> dt.date | dt.datetime: ...
    @property
    def source(self) -> str: ...
    @property
    def direction(self) -> Direction | str: ...
    @property
    def strength(self) -> float: ...
    @property
    def values(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class SimpleHit:
    """A concrete, validated hit (what the adapters return)."""

    symbol: str
    ts: dt.date
    source: str
    direction: Direction | str = Direction.LONG
    strength: float = 1.0
    values: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "symbol", self.symbol.strip().upper())
        object.__setattr__(self, "direction", Direction.parse(self.direction))
        if isinstance(self.ts, dt.datetime):
            object.__setattr__(self, "ts", self.ts.date())
        strength = float(self.strength)
        if not math.isfinite(strength) or not 0.0 <= strength <= 1.0:
            raise InputError(
                f"Hit strength must be between 0 and 1, got {self.strength!r} for {self.symbol}; "
                "rescale the scanner's strength first (e.g. a 0-100 strength / 100)."
            )
        object.__setattr__(self, "strength", strength)
        if not self.source.strip():
            raise InputError(f"The hit on {self.symbol} needs a source name.")
        object.__setattr__(self, "values", dict(self.values))


def as_hit(hit: Hit) -> SimpleHit:
    """Any :class:`Hit`-shaped object as a validated :class:`SimpleHit`."""
    if isinstance(hit, SimpleHit):
        return hit
    return SimpleHit(
        symbol=hit.symbol,
        ts=hit.ts if isinstance(hit.ts, dt.date) else dt.date.fromisoformat(str(hit.ts)[:10]),
        source=hit.source,
        direction=hit.direction,
        strength=hit.strength,
        values=hit.values,
    )


def hits_from_screen(
    result: ScreenResult, *, direction: Direction | str = Direction.LONG, source: str | None = None
) -> list[SimpleHit]:
    """One hit per screen match, strength by rank (1.0 first ... 0.5 last).

    Examples
    --------
    >>> from axion_lab import load_market
    >>> from axion_lab.screener import ScreenerEngine
    >>> res = ScreenerEngine(load_market()).run("momentum", as_of="2024-06-28", limit=3)
    >>> [round(h.strength, 2) for h in hits_from_screen(res)]
    [1.0, 0.75, 0.5]
    """
    if result.as_of is None:
        raise InputError("The screen result has no as-of date; run it with as_of=... .")
    name = source or result.screen.name
    rows = result.frame.to_dicts()
    n = len(rows)
    out = []
    for i, row in enumerate(rows):
        strength = 1.0 if n == 1 else 1.0 - 0.5 * i / (n - 1)
        values = {k: v for k, v in row.items() if k != "symbol" and _plain(v)}
        out.append(SimpleHit(row["symbol"], result.as_of, name, direction, strength, values))
    return out


STRENGTH_LABELS: Final[dict[str, float]] = {"weak": 0.4, "moderate": 0.7, "strong": 1.0}
"""A scanner's strength labels as 0-1 strengths (``weak`` still found something)."""


def _strength(value: Any, scale: float) -> float:
    if isinstance(value, str):
        label = getattr(value, "value", value).strip().lower()
        if label not in STRENGTH_LABELS:
            raise UnknownNameError.for_name("hit strength", label, STRENGTH_LABELS)
        return STRENGTH_LABELS[label]
    return float(value) / scale


def hits_from_scan(results: Iterable[Any], *, strength_scale: float = 1.0) -> list[SimpleHit]:
    """Hits from scanner hits (a :class:`~axion_lab.scanner.ScanResult` or its ``ScanHit`` s).

    The source is the hit's ``scanner`` (or ``source``/``pattern``/``name``); a
    ``strength`` label (``weak``/``moderate``/``strong``) maps through
    :data:`STRENGTH_LABELS`, a number is divided by ``strength_scale`` (100 for a 0-100
    strength). ``bullish``/``bearish`` become long/short; ``neutral`` hits (indecision)
    say nothing about direction and are left out.
    """
    out = []
    for r in results:
        source = next(
            (
                str(getattr(r, a))
                for a in ("scanner", "source", "pattern", "name")
                if getattr(r, a, None)
            ),
            "",
        )
        direction = getattr(r, "direction", Direction.LONG)
        direction = str(getattr(direction, "value", direction))
        if direction.strip().lower() == "neutral":
            continue
        out.append(
            SimpleHit(
                symbol=r.symbol,
                ts=r.ts,
                source=source,
                direction=direction,
                strength=_strength(getattr(r, "strength", 1.0), strength_scale),
                values={k: v for k, v in dict(getattr(r, "values", {}) or {}).items() if _plain(v)},
            )
        )
    return out


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str)
