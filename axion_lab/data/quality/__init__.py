"""Data-quality checks: pure functions from canonical frames to a :class:`QualityReport`.

Every load runs them; findings are shown, never hidden, and nothing is removed.

>>> from axion_lab.data.quality import check_bars, QualityReport
>>> import polars as pl
>>> from axion_lab.data.schema import SCHEMAS
>>> check_bars(pl.DataFrame(schema=SCHEMAS["bars"])).ok
True
"""

from __future__ import annotations

from axion_lab.data.quality._bars import check_bars
from axion_lab.data.quality._market import check_market
from axion_lab.data.quality._persist import save_quality_report
from axion_lab.data.quality._report import FINDINGS_SCHEMA, QualityReport, Severity
from axion_lab.data.quality._statements import check_dividends, check_fundamentals

__all__ = [
    "FINDINGS_SCHEMA",
    "QualityReport",
    "Severity",
    "check_bars",
    "check_dividends",
    "check_fundamentals",
    "check_market",
    "save_quality_report",
]
