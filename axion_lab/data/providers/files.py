"""The ``files`` provider: a market from the user's own CSV/Parquet files.

>>> from axion_lab.data.providers import get_provider
>>> get_provider("files").name
'files'
"""

from __future__ import annotations

from typing import Any

from axion_lab.data.market import Market
from axion_lab.exceptions import InputError, UnknownNameError

__all__ = ["FilesProvider"]

_OPTIONS = (
    "prices",
    "fundamentals",
    "dividends",
    "instruments",
    "columns",
    "symbol",
    "date_format",
    "publication_lag",
    "warn",
)


class FilesProvider:
    """Build a :class:`~axion_lab.data.Market` from CSV/Parquet files.

    ``load(prices=..., fundamentals=..., dividends=..., instruments=..., columns=...,
    symbol=..., date_format=..., publication_lag=...)``; see
    :func:`axion_lab.data.files.import_files`, which also returns the per-file
    notes and quality findings.
    """

    name = "files"
    description = "Your own CSV/Parquet files (prices, fundamentals, dividends, instruments)."

    def load(self, **options: Any) -> Market:
        """Import the files and return the market (emits one quality warning if needed)."""
        for key in options:
            if key not in _OPTIONS:
                raise UnknownNameError.for_name("files provider option", key, _OPTIONS)
        if options.get("prices") is None:
            raise InputError(
                "The files provider needs a prices file: "
                "load_market('files', prices='my_prices.csv')."
            )
        from axion_lab.data.files import import_files

        return import_files(**options).market
