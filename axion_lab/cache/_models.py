"""Value types of the cache: the warning class, kinds of data and their TTLs, quotes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Final, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from axion_lab.exceptions import UnknownNameError

if TYPE_CHECKING:
    from axion_lab.config import Settings

__all__ = ["CACHE_KINDS", "CacheKind", "CacheWarning", "Quote", "TTLPolicy"]


class CacheWarning(UserWarning):
    """Something in the cache went wrong but the call carried on.

    Raised through :func:`warnings.warn` (never as an exception) when a stored value
    is corrupt, truncated or foreign (it is treated as a miss and deleted), or when
    Redis becomes unreachable and the cache falls back to process memory.
    Silence it with ``warnings.simplefilter("ignore", CacheWarning)``.
    """


CacheKind = Literal["quote", "intraday", "daily", "fundamentals", "profile"]
"""Kinds of data, each with its default time to live (``AXION_TTL_<KIND>``)."""

CACHE_KINDS: Final[tuple[str, ...]] = get_args(CacheKind)


@dataclass(frozen=True, slots=True)
class TTLPolicy:
    """Default time to live, in seconds, for each kind of data.

    A TTL of 0 means "do not cache this kind": a set stores nothing and drops any
    older value under the key, so a stale value is never served.

    Examples
    --------
    >>> policy = TTLPolicy(quote=15, intraday=60, daily=21600, fundamentals=43200, profile=3600)
    >>> policy.for_kind("daily")
    21600
    >>> policy.for_kind("dayly")
    Traceback (most recent call last):
    ...
    axion_lab.exceptions.UnknownNameError: Unknown cache kind 'dayly'. Did you mean 'daily'?
    """

    quote: int
    intraday: int
    daily: int
    fundamentals: int
    profile: int

    @classmethod
    def from_settings(cls, settings: Settings) -> TTLPolicy:
        """Read the ``ttl_*`` settings."""
        return cls(
            quote=settings.ttl_quote,
            intraday=settings.ttl_intraday,
            daily=settings.ttl_daily,
            fundamentals=settings.ttl_fundamentals,
            profile=settings.ttl_profile,
        )

    def for_kind(self, kind: str) -> int:
        """The default TTL of ``kind`` (one of :data:`CACHE_KINDS`)."""
        if kind not in CACHE_KINDS:
            raise UnknownNameError.for_name("cache kind", kind, CACHE_KINDS)
        ttl: int = getattr(self, kind)
        return ttl


class Quote(BaseModel):
    """A last-price quote, stored as JSON and validated on the way in and out.

    ``ts`` is when the price was observed (timezone-aware or naive exchange time;
    it round-trips as given). Unknown fields are rejected so a misspelt ``prcie``
    fails loudly instead of vanishing.

    Examples
    --------
    >>> from datetime import datetime
    >>> q = Quote(symbol="AAPL", price=189.5, ts=datetime(2024, 5, 1, 15, 59))
    >>> q.model_dump_json(exclude_none=True)
    '{"symbol":"AAPL","price":189.5,"ts":"2024-05-01T15:59:00"}'
    >>> Quote(symbol="AAPL", price=float("nan"), ts=datetime(2024, 5, 1))
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Quote
    ...
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    symbol: str = Field(min_length=1, max_length=64)
    price: float = Field(ge=0)
    ts: datetime
    bid: float | None = Field(None, ge=0)
    ask: float | None = Field(None, ge=0)
    volume: int | None = Field(None, ge=0)
    change: float | None = None
    change_pct: float | None = None
    currency: str | None = Field(None, min_length=3, max_length=3)
    source: str | None = None

    @field_validator("symbol")
    @classmethod
    def _no_blank_symbol(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("symbol must not be blank")
        return value
