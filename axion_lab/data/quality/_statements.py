"""Quality checks on ``fundamentals`` (timing, accounting identities) and ``dividends``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import polars as pl

from axion_lab.data.quality._common import per_symbol
from axion_lab.data.quality._report import QualityReport, Severity
from axion_lab.exceptions import InputError

__all__ = ["IDENTITIES", "check_dividends", "check_fundamentals"]

# name -> (left side, right-hand sides accepted). Capex is stored with either sign
# by data vendors, so free cash flow may be OCF - capex or OCF + capex.
IDENTITIES: Final[dict[str, tuple[str, tuple[pl.Expr, ...]]]] = {
    "gross_profit": ("gross_profit", (pl.col("revenue") - pl.col("cost_of_revenue"),)),
    "balance_sheet": (
        "total_assets",
        (pl.col("total_liabilities") + pl.col("shareholders_equity"),),
    ),
    "free_cash_flow": (
        "free_cash_flow",
        (
            pl.col("operating_cash_flow") - pl.col("capex"),
            pl.col("operating_cash_flow") + pl.col("capex"),
        ),
    ),
}
_IDENTITY_COLUMNS: Final = {
    "gross_profit": ("gross_profit", "revenue", "cost_of_revenue"),
    "balance_sheet": ("total_assets", "total_liabilities", "shareholders_equity"),
    "free_cash_flow": ("free_cash_flow", "operating_cash_flow", "capex"),
}


def check_fundamentals(fundamentals: pl.DataFrame, *, rel_tol: float = 0.01) -> QualityReport:
    """Check quarterly statements: timing, duplicates and accounting identities.

    Checks (severity): ``published_before_period_end`` (error: a statement cannot
    be public before its quarter ends), ``duplicate_statements`` (error: the same
    symbol, period_end and published twice), ``identity_<name>`` (warning: where all
    terms are present, ``gross_profit = revenue - cost_of_revenue``,
    ``total_assets = total_liabilities + shareholders_equity`` (minority interest can
    break this legitimately) and ``free_cash_flow = operating_cash_flow -/+ capex``
    fail by more than ``rel_tol`` of the largest term).

    Examples
    --------
    >>> import datetime as dt, polars as pl
    >>> f = pl.DataFrame({"symbol": ["AAA"], "period_end": [dt.date(2024, 3, 31)],
    ...                   "published": [dt.date(2024, 3, 1)], "revenue": [100.0],
    ...                   "cost_of_revenue": [60.0], "gross_profit": [50.0]})
    >>> check_fundamentals(f).checks()
    ['identity_gross_profit', 'published_before_period_end']
    """
    _require(fundamentals, "fundamentals", ("symbol", "period_end"))
    if rel_tol < 0:
        raise InputError(f"rel_tol must be >= 0, got {rel_tol}.")
    frame = fundamentals.with_columns(pl.col("period_end").alias("_day"))
    rows: list[dict[str, Any]] = []
    if "published" in frame.columns:
        rows += per_symbol(
            frame.filter(pl.col("published") < pl.col("period_end")),
            frame="fundamentals",
            check="published_before_period_end",
            severity=Severity.ERROR,
            describe=lambda r: f"{r['n']} statement(s) published before their period end.",
        )
        key = ["symbol", "period_end", "published"]
        rows += per_symbol(
            frame.filter(pl.len().over(key) > 1).unique(key),
            frame="fundamentals",
            check="duplicate_statements",
            severity=Severity.ERROR,
            describe=lambda r: f"{r['n']} (period_end, published) pair(s) appear more than once.",
        )
    for name, (lhs, rhs_options) in IDENTITIES.items():
        cols = _IDENTITY_COLUMNS[name]
        if not set(cols) <= set(frame.columns):
            continue
        scale = pl.max_horizontal(*(pl.col(c).abs() for c in cols))
        fails = [(pl.col(lhs) - rhs).abs() > rel_tol * scale + 1e-9 for rhs in rhs_options]
        bad = frame.filter(
            pl.all_horizontal(pl.col(c).is_not_null() for c in cols),
            pl.all_horizontal(fails),
        )
        rows += per_symbol(
            bad,
            frame="fundamentals",
            check=f"identity_{name}",
            severity=Severity.WARNING,
            describe=_identity_message(name, lhs, rel_tol),
        )
    return QualityReport.from_rows(rows, frame="fundamentals", rows_checked=fundamentals.height)


def _identity_message(name: str, lhs: str, rel_tol: float) -> Callable[[dict[str, Any]], str]:
    def describe(r: dict[str, Any]) -> str:
        return (
            f"{r['n']} statement(s) where the {name.replace('_', ' ')} identity fails "
            f"({lhs} off by more than {rel_tol:.0%})."
        )

    return describe


def check_dividends(dividends: pl.DataFrame) -> QualityReport:
    """Check dividend events: dates in order and amounts positive.

    Checks (severity): ``pay_before_ex`` (error: paid before the ex-date),
    ``declared_after_ex`` (warning), ``non_positive_amount`` (error) and
    ``duplicate_dividends`` (warning: same symbol, ex_date and kind twice).

    Examples
    --------
    >>> import datetime as dt, polars as pl
    >>> d = pl.DataFrame({"symbol": ["AAA"], "ex_date": [dt.date(2024, 3, 1)],
    ...                   "pay_date": [dt.date(2024, 2, 1)], "amount": [0.5]})
    >>> check_dividends(d).checks()
    ['pay_before_ex']
    """
    _require(dividends, "dividends", ("symbol", "ex_date"))
    frame = dividends.with_columns(pl.col("ex_date").alias("_day"))
    rows: list[dict[str, Any]] = []
    if "pay_date" in frame.columns:
        rows += per_symbol(
            frame.filter(pl.col("pay_date") < pl.col("ex_date")),
            frame="dividends",
            check="pay_before_ex",
            severity=Severity.ERROR,
            describe=lambda r: f"{r['n']} dividend(s) paid before the ex-date.",
        )
    if "declared" in frame.columns:
        rows += per_symbol(
            frame.filter(pl.col("declared") > pl.col("ex_date")),
            frame="dividends",
            check="declared_after_ex",
            severity=Severity.WARNING,
            describe=lambda r: f"{r['n']} dividend(s) declared after the ex-date.",
        )
    if "amount" in frame.columns:
        rows += per_symbol(
            frame.filter(pl.col("amount") <= 0),
            frame="dividends",
            check="non_positive_amount",
            severity=Severity.ERROR,
            describe=lambda r: f"{r['n']} dividend(s) with a zero or negative amount.",
        )
    key = ["symbol", "ex_date", *(["kind"] if "kind" in frame.columns else [])]
    rows += per_symbol(
        frame.filter(pl.len().over(key) > 1).unique(key),
        frame="dividends",
        check="duplicate_dividends",
        severity=Severity.WARNING,
        describe=lambda r: f"{r['n']} ex-date(s) with more than one dividend of the same kind.",
    )
    return QualityReport.from_rows(rows, frame="dividends", rows_checked=dividends.height)


def _require(frame: pl.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            f"The {name} check needs column(s) {missing}; the frame has {frame.columns}."
        )
