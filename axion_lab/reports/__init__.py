"""Curated notebooks as reports: parameters checked up front, papermill, HTML.

>>> from axion_lab.reports import get_report
>>> [p.name for p in get_report("market_overview").parameters]
['sector', 'as_of', 'lookback_days', 'index']
"""

from __future__ import annotations

from axion_lab.reports.parameters import ReportParameter, coerce_parameters
from axion_lab.reports.registry import Report, get_report, list_reports, notebooks_dir
from axion_lab.reports.runner import ReportResult, run_report

__all__ = [
    "Report",
    "ReportParameter",
    "ReportResult",
    "coerce_parameters",
    "get_report",
    "list_reports",
    "notebooks_dir",
    "run_report",
]
