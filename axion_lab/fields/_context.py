"""What every source builder reads: the as-of market, the date, the symbols, the bars.

Per-share quantities recorded before a split (quarterly EPS, dividends, fund
positions, analyst targets) are restated with :func:`split_factor` so they compare
with today's price: a 2-for-1 split halves an older EPS. Only splits effective on or
before the as-of date apply, so the restatement cannot look ahead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import polars as pl

from axion_lab.data.market import Market

__all__ = ["SnapshotContext", "split_factor"]

SPLIT = "__split_factor"
"""Column :func:`split_factor` adds: new shares per old share since the row's date."""


def split_factor(frame: pl.DataFrame, date_col: str, splits: pl.DataFrame) -> pl.DataFrame:
    """Add :data:`SPLIT`: the product of ratios of splits with ex-date after ``date_col``.

    Multiply share counts by it and divide per-share amounts by it. ``splits`` must
    already hold only splits effective by the as-of date. Row order is not kept.

    Examples
    --------
    >>> import datetime as dt, polars as pl
    >>> splits = pl.DataFrame({"symbol": ["A"], "ex_date": [dt.date(2024, 3, 1)],
    ...                        "ratio": [2.0]})
    >>> f = pl.DataFrame({"symbol": ["A", "A"],
    ...                   "d": [dt.date(2024, 1, 31), dt.date(2024, 3, 31)]})
    >>> split_factor(f, "d", splits)[SPLIT].to_list()
    [2.0, 1.0]
    """
    if splits.height == 0 or frame.height == 0:
        return frame.with_columns(pl.lit(1.0).alias(SPLIT))
    events = (
        splits.group_by("symbol", "ex_date")
        .agg(pl.col("ratio").product())
        .sort("symbol", "ex_date", descending=[False, True])
        .with_columns(pl.col("ratio").cum_prod().over("symbol").alias(SPLIT))
        .select("symbol", pl.col("ex_date").alias("__ex"), SPLIT)
        .sort("symbol", "__ex")
    )
    return (
        frame.sort("symbol", date_col)
        .join_asof(
            events,
            left_on=date_col,
            right_on="__ex",
            by="symbol",
            strategy="forward",
            allow_exact_matches=False,
            check_sortedness=False,  # both sides sorted by (symbol, date) just above
        )
        .drop("__ex", strict=False)
        .with_columns(pl.col(SPLIT).fill_null(1.0))
    )


@dataclass(frozen=True, eq=False)
class SnapshotContext:
    """The as-of market and options shared by the source builders of one snapshot."""

    market: Market
    """Already cut with :meth:`Market.as_of`: nothing after :attr:`as_of` is visible."""
    as_of: dt.date
    symbols: tuple[str, ...]
    """The symbols the snapshot has rows for, sorted."""
    benchmark: str | None = None
    tech_sessions: int = 320
    """Bars per symbol fed to the indicators (enough for 252-bar windows plus warm-up)."""

    @cached_property
    def splits(self) -> pl.DataFrame:
        """Splits effective on or before the as-of date."""
        return self.market.splits.filter(pl.col("ex_date") <= self.as_of)

    @cached_property
    def bars(self) -> pl.DataFrame:
        """Split-adjusted daily bars of every symbol in the window, sorted by symbol, ts."""
        return self.market.adjusted_bars("split").sort("symbol", "ts")

    def restrict(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Rows of ``frame`` whose symbol is one of :attr:`symbols`."""
        return frame.filter(pl.col("symbol").is_in(self.symbols))
