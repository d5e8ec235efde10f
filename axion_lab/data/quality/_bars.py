"""Quality checks on daily ``bars``: structure, price sanity, gaps, outliers, stale runs.

Gaps are counted in business days (Monday to Friday) with **no holiday calendar**:
an exchange holiday next to a weekend makes a 1-2 day hole that stays under the
default tolerance of 3 missing business days, so only longer holes are reported.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from axion_lab.data.quality._common import day_expr, per_symbol
from axion_lab.data.quality._report import QualityReport, Severity, finding
from axion_lab.exceptions import InputError

__all__ = ["check_bars"]

_PRICES = ("open", "high", "low", "close")
# 1.4826 * MAD estimates the standard deviation of normally distributed data.
_MAD_TO_SD = 1.4826
# Float noise allowance when comparing open/close with the high-low range.
_EPS = 1e-9


def check_bars(
    bars: pl.DataFrame,
    *,
    splits: pl.DataFrame | None = None,
    max_gap_days: int = 3,
    outlier_k: float = 10.0,
    min_returns: int = 20,
    stale_run: int = 5,
) -> QualityReport:
    """Check daily bars and report what looks wrong; nothing is removed.

    Checks (severity): ``duplicate_bars`` (error: same symbol and ts twice),
    ``non_positive_price`` (error), ``high_below_low`` (error),
    ``open_close_outside_range`` (error: open or close outside [low, high]),
    ``negative_volume`` (error), ``missing_close`` (warning), ``gap`` (warning: more
    than ``max_gap_days`` consecutive business days missing inside a symbol's range;
    weekends are skipped, holidays are not known), ``outlier_return`` (warning: a
    daily log return more than ``outlier_k`` robust standard deviations, 1.4826 x MAD,
    from that symbol's median; needs ``min_returns`` returns; returns on split
    ex-dates in ``splits`` are not judged) and ``stale_prices`` (warning: the same
    close ``stale_run`` or more bars in a row).

    Parameters
    ----------
    bars
        Canonical bars (``symbol``, ``ts`` and any of open, high, low, close, volume).
    splits
        Optional canonical splits; a split explains a big as-traded price move.

    Examples
    --------
    >>> import datetime as dt, polars as pl
    >>> days = [dt.datetime(2024, 1, d) for d in (2, 3, 4)]
    >>> bars = pl.DataFrame({"symbol": ["AAA"] * 3, "ts": days, "open": [1.0, 1.0, -1.0],
    ...                      "high": [1.1] * 3, "low": [0.9] * 3, "close": [1.0] * 3,
    ...                      "volume": [10, 10, 10]})
    >>> check_bars(bars).checks()
    ['non_positive_price', 'open_close_outside_range']
    """
    for name in ("symbol", "ts"):
        if name not in bars.columns:
            raise InputError(f"check_bars needs a {name!r} column; the frame has {bars.columns}.")
    if max_gap_days < 0 or stale_run < 2 or outlier_k <= 0:
        raise InputError("check_bars: max_gap_days must be >= 0, stale_run >= 2 and outlier_k > 0.")
    frame = bars.with_columns(day_expr(bars, "ts").alias("_day"))
    rows: list[dict[str, Any]] = []
    duplicates = _duplicates(frame)
    rows += duplicates
    rows += _price_sanity(frame)
    # unique() is costly on large frames; only pay for it when there are duplicates.
    series = frame.unique(["symbol", "ts"], keep="first") if duplicates else frame
    series = series.sort("symbol", "ts")
    rows += _gaps(series, max_gap_days)
    if "close" in series.columns:
        rows += _outliers(series, splits, outlier_k, min_returns)
        rows += _stale(series, stale_run)
    return QualityReport.from_rows(rows, frame="bars", rows_checked=bars.height)


def _duplicates(frame: pl.DataFrame) -> list[dict[str, Any]]:
    dupes = frame.filter(pl.len().over("symbol", "ts") > 1).unique(["symbol", "ts"])
    return per_symbol(
        dupes,
        frame="bars",
        check="duplicate_bars",
        severity=Severity.ERROR,
        describe=lambda r: f"{r['n']} timestamp(s) have more than one bar.",
    )


def _price_sanity(frame: pl.DataFrame) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    prices = [c for c in _PRICES if c in frame.columns]
    if prices:
        bad = frame.filter(pl.any_horizontal(pl.col(c) <= 0 for c in prices))
        rows += per_symbol(
            bad,
            frame="bars",
            check="non_positive_price",
            severity=Severity.ERROR,
            describe=lambda r: f"{r['n']} bar(s) with a zero or negative price.",
        )
    if {"high", "low"} <= set(frame.columns):
        inverted = pl.col("high") < pl.col("low")
        rows += per_symbol(
            frame.filter(inverted),
            frame="bars",
            check="high_below_low",
            severity=Severity.ERROR,
            describe=lambda r: f"{r['n']} bar(s) with high below low.",
        )
        outside = [
            (pl.col(c) > pl.col("high") * (1 + _EPS)) | (pl.col(c) < pl.col("low") * (1 - _EPS))
            for c in ("open", "close")
            if c in frame.columns
        ]
        if outside:
            rows += per_symbol(
                frame.filter(~inverted.fill_null(False), pl.any_horizontal(outside)),
                frame="bars",
                check="open_close_outside_range",
                severity=Severity.ERROR,
                describe=lambda r: f"{r['n']} bar(s) with open or close outside [low, high].",
            )
    if "volume" in frame.columns:
        rows += per_symbol(
            frame.filter(pl.col("volume") < 0),
            frame="bars",
            check="negative_volume",
            severity=Severity.ERROR,
            describe=lambda r: f"{r['n']} bar(s) with negative volume.",
        )
    if "close" in frame.columns:
        rows += per_symbol(
            frame.filter(pl.col("close").is_null() | pl.col("close").is_nan()),
            frame="bars",
            check="missing_close",
            severity=Severity.WARNING,
            describe=lambda r: f"{r['n']} bar(s) without a close.",
        )
    return rows


def _gaps(series: pl.DataFrame, max_gap_days: int) -> list[dict[str, Any]]:
    same_symbol = pl.col("symbol") == pl.col("symbol").shift(1)
    # `series` is sorted by symbol and ts, so the previous session is one row up
    # once repeated days (intraday bars) are dropped.
    gaps = (
        series.select("symbol", "_day")
        .filter(~same_symbol.fill_null(False) | (pl.col("_day") != pl.col("_day").shift(1)))
        .with_columns(pl.when(same_symbol).then(pl.col("_day").shift(1)).alias("_prev"))
        .drop_nulls("_prev")
        .with_columns(
            pl.business_day_count(pl.col("_prev").dt.offset_by("1d"), pl.col("_day")).alias(
                "_missing"
            )
        )
        .filter(pl.col("_missing") > max_gap_days)
    )
    return [
        finding(
            "bars",
            "gap",
            Severity.WARNING,
            f"{r['_missing']} business days without a bar between {r['_prev']} and "
            f"{r['_day']} (tolerance {max_gap_days}; holidays are not known).",
            symbol=r["symbol"],
            start=r["_prev"],
            end=r["_day"],
            count=r["_missing"],
        )
        for r in gaps.iter_rows(named=True)
    ]


def _outliers(
    series: pl.DataFrame, splits: pl.DataFrame | None, k: float, min_returns: int
) -> list[dict[str, Any]]:
    rets = series.select(
        "symbol",
        "_day",
        "close",
        pl.col("close").shift(1).over("symbol").alias("_prev_close"),
    ).with_columns(
        pl.when((pl.col("close") > 0) & (pl.col("_prev_close") > 0))
        .then((pl.col("close") / pl.col("_prev_close")).log())
        .alias("_r")
    )
    if splits is not None and splits.height:
        split_days = splits.select("symbol", pl.col("ex_date").alias("_day")).unique()
        rets = rets.join(split_days, on=["symbol", "_day"], how="anti")
    rets = rets.drop_nulls("_r").filter(pl.col("_r").is_finite())
    med = pl.col("_r").median().over("symbol")
    scored = rets.with_columns(
        (pl.col("_r") - med).alias("_dev"),
        pl.len().over("symbol").alias("_n"),
    ).with_columns((pl.col("_dev").abs().median().over("symbol") * _MAD_TO_SD).alias("_sd"))
    hits = scored.filter(
        pl.col("_n") >= min_returns,
        pl.col("_sd") > 0,
        pl.col("_dev").abs() > k * pl.col("_sd"),
    )
    out = []
    for r in hits.iter_rows(named=True):
        z = abs(r["_dev"]) / r["_sd"]
        out.append(
            finding(
                "bars",
                "outlier_return",
                Severity.WARNING,
                f"Log return {r['_r']:+.3f} (close {r['_prev_close']:g} -> {r['close']:g}) is "
                f"{z:.1f} robust SDs from the median: a split, a bad tick, or real news?",
                symbol=r["symbol"],
                start=r["_day"],
                end=r["_day"],
            )
        )
    return out


def _stale(series: pl.DataFrame, stale_run: int) -> list[dict[str, Any]]:
    runs = (
        series.filter(pl.col("close").is_not_null())
        .with_columns(pl.struct("symbol", "close").rle_id().alias("_run"))
        .group_by("symbol", "_run")
        .agg(
            pl.len().alias("n"),
            pl.col("_day").min().alias("first"),
            pl.col("_day").max().alias("last"),
            pl.col("close").first(),
        )
        .filter(pl.col("n") >= stale_run)
        .sort("symbol", "first")
    )
    return [
        finding(
            "bars",
            "stale_prices",
            Severity.WARNING,
            f"Close unchanged at {r['close']:g} for {r['n']} bars in a row.",
            symbol=r["symbol"],
            start=r["first"],
            end=r["last"],
            count=r["n"],
        )
        for r in runs.iter_rows(named=True)
        if not (isinstance(r["close"], float) and math.isnan(r["close"]))
    ]
