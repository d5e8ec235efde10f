"""Reading a dividend history: frequency detection, split adjustment, annual rates.

Per-share dividends in the ``dividends`` frame are **as declared**: a 2-for-1 split
halves later amounts. To compare payments across a split, amounts are restated in
today's shares by dividing by the product of the ratios of every later split
(:func:`split_adjusted`).

Frequency is detected from the gaps between recent **regular** ex-dates (specials
are ignored): the median of the last three gaps picks the nearest of 1, 3, 6 or 12
months on a log scale. Looking only at recent gaps follows a change of frequency
after two payments at the new rhythm; the median ignores one skipped or extra
payment.

Examples
--------
>>> import datetime as dt
>>> q = [dt.date(2023, m, 15) for m in (1, 4, 7, 10)]
>>> detect_frequency(q)
<DividendFrequency.QUARTERLY: 'quarterly'>
>>> detect_frequency(q + [dt.date(2023, 11, 15), dt.date(2023, 12, 15)])   # now monthly
<DividendFrequency.MONTHLY: 'monthly'>
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import math
import statistics
from collections.abc import Sequence

import polars as pl

from axion_lab.dividends.config import DividendFrequency

__all__ = [
    "add_months",
    "annualised_rates",
    "detect_frequencies",
    "detect_frequency",
    "regular",
    "split_adjusted",
]

RECENT_GAPS = 3


def detect_frequency(
    ex_dates: Sequence[dt.date], *, declared: str | None = None
) -> DividendFrequency:
    """Detect the payment frequency from regular ex-dates (any order).

    With fewer than two dates the ``declared`` frequency label is used if valid,
    else annual.
    """
    days = sorted(set(ex_dates))
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    if not gaps:
        try:
            return DividendFrequency(declared) if declared else DividendFrequency.ANNUAL
        except ValueError:
            return DividendFrequency.ANNUAL
    gap = statistics.median(gaps[-RECENT_GAPS:])
    return min(DividendFrequency, key=lambda f: abs(math.log(max(gap, 1.0) / f.days)))


def regular(dividends: pl.DataFrame) -> pl.DataFrame:
    """Regular (non-special) dividends with a positive amount."""
    return dividends.filter((pl.col("kind") != "special") & (pl.col("amount") > 0))


def detect_frequencies(dividends: pl.DataFrame) -> dict[str, DividendFrequency]:
    """Detected frequency of every symbol with regular dividends."""
    reg = regular(dividends).sort("symbol", "ex_date")
    out: dict[str, DividendFrequency] = {}
    for (symbol,), group in reg.group_by("symbol", maintain_order=True):
        out[str(symbol)] = detect_frequency(
            group["ex_date"].to_list(), declared=group["frequency"][-1]
        )
    return out


def split_adjusted(
    dividends: pl.DataFrame, splits: pl.DataFrame, *, until: dt.date
) -> pl.DataFrame:
    """Add ``adj_amount``: the amount restated in shares as of ``until``.

    Divides by the product of the ratios of splits with an ex-date after the
    dividend's ex-date and on or before ``until``.
    """
    events = splits.filter(pl.col("ex_date") <= until).select("symbol", "ex_date", "ratio")
    if events.height == 0 or dividends.height == 0:
        return dividends.with_columns(pl.col("amount").alias("adj_amount"))
    later = (
        dividends.select("symbol", "ex_date")
        .unique()
        .join(events, on="symbol", how="inner", suffix="_split")
        .filter(pl.col("ex_date_split") > pl.col("ex_date"))
        .group_by("symbol", "ex_date")
        .agg(pl.col("ratio").product().alias("_factor"))
    )
    return (
        dividends.join(later, on=["symbol", "ex_date"], how="left")
        .with_columns((pl.col("amount") / pl.col("_factor").fill_null(1.0)).alias("adj_amount"))
        .drop("_factor")
    )


def annualised_rates(
    dividends: pl.DataFrame, splits: pl.DataFrame, *, until: dt.date
) -> pl.DataFrame:
    """Regular payments with ``rate``: split-adjusted amount × payments a year.

    Payments a year come from each row's ``frequency`` label where it is one of
    monthly/quarterly/semi_annual/annual (so a change of frequency reads neither as
    a cut nor as a raise), else from the frequency detected for the symbol.
    Columns: symbol, ex_date, pay_date, adj_amount, rate.
    """
    reg = regular(dividends.filter(pl.col("ex_date") <= until))
    freqs = detect_frequencies(reg)
    detected = pl.DataFrame(
        {"symbol": list(freqs), "_n": [f.per_year for f in freqs.values()]},
        schema={"symbol": pl.String, "_n": pl.Int64},
    )
    labels = {f.value: f.per_year for f in DividendFrequency}
    return (
        split_adjusted(reg, splits, until=until)
        .join(detected, on="symbol", how="left")
        .with_columns(
            pl.col("frequency")
            .replace_strict(labels, default=None, return_dtype=pl.Int64)
            .fill_null(pl.col("_n"))
            .alias("_n")
        )
        .with_columns((pl.col("adj_amount") * pl.col("_n")).alias("rate"))
        .select("symbol", "ex_date", "pay_date", "adj_amount", "rate")
        .sort("symbol", "ex_date")
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's last day.

    Examples
    --------
    >>> add_months(dt.date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))
