"""Helpers shared by the quality checks: per-symbol roll-ups of offending rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from axion_lab.data.quality._report import Severity, finding

__all__ = ["day_expr", "per_symbol"]


def day_expr(frame: pl.DataFrame, column: str) -> pl.Expr:
    """``column`` as a date, whether it is stored as Date or Datetime."""
    dtype = frame.schema[column]
    expr = pl.col(column)
    return expr.dt.date() if isinstance(dtype, pl.Datetime) else expr


def per_symbol(
    bad: pl.DataFrame,
    *,
    frame: str,
    check: str,
    severity: Severity,
    describe: Callable[[dict[str, Any]], str],
    day: str = "_day",
    extra: list[pl.Expr] | None = None,
) -> list[dict[str, Any]]:
    """One finding per symbol for the offending rows in ``bad``.

    ``describe`` gets the aggregated row (``symbol``, ``n``, ``first``, ``last`` and
    any ``extra`` aggregations) and returns the message.
    """
    if bad.height == 0:
        return []
    grouped = (
        bad.group_by("symbol")
        .agg(
            pl.len().alias("n"),
            pl.col(day).min().alias("first"),
            pl.col(day).max().alias("last"),
            *(extra or []),
        )
        .sort("symbol")
    )
    return [
        finding(
            frame,
            check,
            severity,
            describe(r),
            symbol=r["symbol"],
            start=r["first"],
            end=r["last"],
            count=r["n"],
        )
        for r in grouped.iter_rows(named=True)
    ]
