"""Data services: every request resolved cache (hot) -> database (warm) -> provider (cold).

>>> from axion_lab.services import SyncDataService
>>> service = SyncDataService()                       # sandbox, SQLite, in-process cache
>>> prices = service.get_prices(["AAPX"], period="1mo")  # doctest: +SKIP
>>> prices.source, service.get_prices(["AAPX"], period="1mo").source  # doctest: +SKIP
('provider', 'cache')

* :class:`DataService` is async (``await service.get_prices(...)``);
  :class:`SyncDataService` offers the same methods as plain calls that work in a
  script, a notebook cell and inside a running event loop.
* Every result is a :class:`DataResult`: the frame, where it came from
  (``source``: cache, db, provider, or mixed with ``rows_by_source``), ``as_of`` and
  the quality findings of what the provider delivered.
* What the provider delivers is checked (gaps, duplicate bars, non-positive
  prices, high < low, outliers...), written to the database with its findings
  (``DataQualityLog``), and shown: one :class:`~axion_lab.exceptions.DataQualityWarning`
  per load with findings, and ``result.quality`` in the result's display.
"""

from __future__ import annotations

from axion_lab.services._coverage import Gap, missing_ranges
from axion_lab.services._flight import SingleFlight
from axion_lab.services._periods import PERIODS, Window, resolve_window
from axion_lab.services._result import DataResult, Source
from axion_lab.services._schema import ensure_schema
from axion_lab.services._service import Clock, DataService, SessionFactory
from axion_lab.services._sync import SyncDataService

__all__ = [
    "PERIODS",
    "Clock",
    "DataResult",
    "DataService",
    "Gap",
    "SessionFactory",
    "SingleFlight",
    "Source",
    "SyncDataService",
    "Window",
    "ensure_schema",
    "missing_ranges",
    "resolve_window",
]
