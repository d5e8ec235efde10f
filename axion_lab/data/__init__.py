"""Data: canonical frames, the ``Market`` bundle and its providers."""

from __future__ import annotations

from typing import Any

from axion_lab.data.market import DateLike, Market, to_date
from axion_lab.data.providers import Provider, available_providers, get_provider, register_provider
from axion_lab.data.schema import FRAME_NAMES, GICS_SECTORS, SCHEMAS

__all__ = [
    "FRAME_NAMES",
    "GICS_SECTORS",
    "SCHEMAS",
    "DateLike",
    "Market",
    "Provider",
    "available_providers",
    "get_provider",
    "load_market",
    "register_provider",
    "to_date",
]


def load_market(provider: str | None = None, **options: Any) -> Market:
    """Load a market bundle from ``provider`` (default: the ``provider`` setting, "sandbox").

    Options go to the provider; the sandbox takes ``seed`` and ``refresh``.

    Examples
    --------
    >>> from axion_lab import load_market
    >>> m = load_market()
    >>> m.is_synthetic, m.provider
    (True, 'sandbox')
    >>> load_market("sandbx")
    Traceback (most recent call last):
    ...
    axion_lab.exceptions.UnknownProviderError: Unknown provider 'sandbx'. Did you mean 'sandbox'?
    """
    from axion_lab.config import get_settings

    name = provider or get_settings().provider
    return get_provider(name).load(**options)
