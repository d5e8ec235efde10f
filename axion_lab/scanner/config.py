"""Scanner enums and defaults: categories, strengths, directions, trends, the stream key.

Every hit, from a preset scanner, the unusual-activity detector or a pattern, carries
a :class:`ScanCategory`, a :class:`SignalStrength`, a :class:`Direction` and the
:class:`Trend` of the bars before it. The string values are what the hit frame
stores, so they are stable: signals and reports may match on them.

Examples
--------
>>> from axion_lab.scanner import ScanCategory, SignalStrength
>>> ScanCategory.parse("gap"), SignalStrength.STRONG > SignalStrength.WEAK
(<ScanCategory.GAP: 'gap'>, True)
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Final, Self

from axion_lab.exceptions import UnknownNameError

__all__ = [
    "DEFAULT_TREND_THRESHOLD",
    "DEFAULT_TREND_WINDOW",
    "STREAM_KEY",
    "Direction",
    "ScanCategory",
    "SignalStrength",
    "Trend",
]

STREAM_KEY: Final = "axion:stream:scanner"
"""Redis Stream that :class:`~axion_lab.scanner.RedisHitPublisher` appends hits to."""

DEFAULT_TREND_WINDOW: Final = 20
"""Bars of history that define a hit's trend context (about a month of daily bars)."""

DEFAULT_TREND_THRESHOLD: Final = 0.03
"""A prior return beyond +/-3 % over the trend window is an up/down trend; else flat."""


class _Parse(StrEnum):
    @classmethod
    def parse(cls, value: str | Self) -> Self:
        """Read a member from its value or name, case-insensitively."""
        if isinstance(value, cls):
            return value
        text = str(value).strip().lower()
        for member in cls:
            if text in (member.value, member.name.lower()):
                return member
        kind = cls.__name__.lower()
        raise UnknownNameError.for_name(kind, str(value), [m.value for m in cls])


class ScanCategory(_Parse):
    """What kind of event a scanner looks for."""

    GAP = "gap"
    MOMENTUM = "momentum"
    VOLUME = "volume"
    TECHNICAL = "technical"
    PATTERN = "pattern"


class Direction(_Parse):
    """Which way a hit points: ``bullish``, ``bearish`` or ``neutral`` (indecision)."""

    BULLISH = "bullish"
    BEARISH = "bearish"
    NEUTRAL = "neutral"


class Trend(_Parse):
    """The trend of the bars before a hit (see :func:`~axion_lab.scanner.trend_context`)."""

    UP = "up"
    DOWN = "down"
    FLAT = "flat"


class SignalStrength(IntEnum):
    """How strong a hit is, from a scanner's documented cut-offs. Ordered: WEAK < STRONG."""

    WEAK = 1
    MODERATE = 2
    STRONG = 3

    @property
    def label(self) -> str:
        """The lower-case name the hit frame stores (``"moderate"``)."""
        return self.name.lower()

    @classmethod
    def parse(cls, value: str | int | SignalStrength) -> SignalStrength:
        """Read a strength from its name (any case) or its number."""
        if isinstance(value, SignalStrength):
            return value
        if isinstance(value, int):
            return cls(value)
        text = str(value).strip().upper()
        if text in cls.__members__:
            return cls[text]
        raise UnknownNameError.for_name("signal strength", str(value), [m.label for m in cls])
