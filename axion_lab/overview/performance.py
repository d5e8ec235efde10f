"""Returns over standard periods, market caps, cumulative lines and top movers.

Pure functions over canonical frames. Returns are buy-and-hold from the close of
the base session to the close of the end session, on split-adjusted prices:

* **equal weight**: the mean of the constituents' returns;
* **cap weight**: the constituents' returns weighted by their market cap at the
  base session, ``close x shares_outstanding`` with the as-traded close and the
  latest ``shares_outstanding`` published on or before that session (adjusted for
  splits that went ex after it was published), so the weights are point in time.

A stock enters a period only if it has a close on or before the base session and a
close on the end session (a stock that no longer trades is left out rather than
shown flat); a stock without published fundamentals counts in the equal-weight
return only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import polars as pl

__all__ = [
    "closes_on",
    "closes_on_or_before",
    "cumulative_lines",
    "market_caps",
    "period_bases",
    "period_returns",
    "top_movers",
    "window_base",
]


def window_base(days: Sequence[dt.date], sessions: int) -> dt.date:
    """The base session ``sessions`` trading days before the last one, clamped to the first.

    Examples
    --------
    >>> import datetime as dt
    >>> days = [dt.date(2024, 1, d) for d in (2, 3, 4, 5, 8)]
    >>> window_base(days, 2), window_base(days, 99)
    (datetime.date(2024, 1, 4), datetime.date(2024, 1, 2))
    """
    return days[max(0, len(days) - 1 - sessions)]


def period_bases(
    days: Sequence[dt.date], periods: Sequence[tuple[str, int | None]]
) -> dict[str, dt.date | None]:
    """Base session of each period ending on the last of ``days`` (None: not enough history).

    ``None`` as a period length means year to date: the base is the last session of
    the previous calendar year.

    Examples
    --------
    >>> import datetime as dt
    >>> days = [dt.date(2023, 12, 28), dt.date(2023, 12, 29), dt.date(2024, 1, 2),
    ...         dt.date(2024, 1, 3)]
    >>> period_bases(days, [("1D", 1), ("YTD", None), ("1W", 5)])
    {'1D': datetime.date(2024, 1, 2), 'YTD': datetime.date(2023, 12, 29), '1W': None}
    """
    end = days[-1]
    out: dict[str, dt.date | None] = {}
    for label, sessions in periods:
        if sessions is None:
            prior = [d for d in days if d.year < end.year]
            out[label] = prior[-1] if prior else None
        else:
            out[label] = days[-1 - sessions] if len(days) > sessions else None
    return out


def closes_on(bars: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    """Each symbol's close on session ``day`` exactly: columns ``symbol``, ``close``."""
    return bars.filter(pl.col("ts").dt.date() == day).select("symbol", "close")


def closes_on_or_before(bars: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    """Each symbol's last close on or before ``day``: columns ``symbol``, ``close``."""
    return (
        bars.filter(pl.col("ts").dt.date() <= day)
        .sort("symbol", "ts")
        .group_by("symbol", maintain_order=True)
        .agg(pl.col("close").last())
    )


def market_caps(
    bars: pl.DataFrame, fundamentals: pl.DataFrame, splits: pl.DataFrame, day: dt.date
) -> pl.DataFrame:
    """Point-in-time market caps on ``day``: columns ``symbol``, ``market_cap``.

    ``bars`` must be as traded (not split-adjusted): the close is multiplied by the
    share count as it stood that day, the latest ``shares_outstanding`` published on
    or before ``day`` times the ratios of splits that went ex after that publication.
    Symbols without published fundamentals are left out.
    """
    shares = (
        fundamentals.filter(pl.col("published") <= day, pl.col("shares_outstanding") > 0)
        .sort("symbol", "published", "period_end")
        .group_by("symbol", maintain_order=True)
        .agg(pl.col("shares_outstanding").last(), pl.col("published").last())
    )
    later_splits = (
        splits.join(shares.select("symbol", "published"), on="symbol")
        .filter(pl.col("ex_date") > pl.col("published"), pl.col("ex_date") <= day)
        .group_by("symbol")
        .agg(pl.col("ratio").product().alias("split_factor"))
    )
    return (
        closes_on_or_before(bars, day)
        .join(shares, on="symbol")
        .join(later_splits, on="symbol", how="left")
        .select(
            "symbol",
            (
                pl.col("close")
                * pl.col("shares_outstanding")
                * pl.col("split_factor").fill_null(1.0)
            ).alias("market_cap"),
        )
    )


def _with_total(members: pl.DataFrame, total_label: str) -> pl.DataFrame:
    """Members once under their group and once under the total."""
    return pl.concat([members, members.with_columns(pl.lit(total_label).alias("group"))])


def period_returns(
    adjusted: pl.DataFrame,
    raw: pl.DataFrame,
    members: pl.DataFrame,
    *,
    fundamentals: pl.DataFrame,
    splits: pl.DataFrame,
    end: dt.date,
    bases: Mapping[str, dt.date | None],
    total_label: str,
) -> pl.DataFrame:
    """Equal- and cap-weight returns per group and period (long format).

    ``members`` has ``symbol`` and ``group``. The result has one row per group and
    period: ``group``, ``period``, ``start``, ``end``, ``stocks``, ``equal_weight``,
    ``cap_weight`` (decimal returns; null where no stock qualifies), the total first.
    """
    groups = [total_label, *sorted(set(members["group"].to_list()) - {total_label})]
    pairs = _with_total(members, total_label)
    end_close = closes_on(adjusted, end).rename({"close": "end_close"})
    frames = []
    for label, base in bases.items():
        if base is None:
            stats = pl.DataFrame(
                {"group": groups},
                schema={"group": pl.String},
            ).with_columns(
                pl.lit(0, dtype=pl.UInt32).alias("stocks"),
                pl.lit(None, dtype=pl.Float64).alias("equal_weight"),
                pl.lit(None, dtype=pl.Float64).alias("cap_weight"),
            )
        else:
            rets = (
                closes_on_or_before(adjusted, base)
                .join(end_close, on="symbol")
                .join(market_caps(raw, fundamentals, splits, base), on="symbol", how="left")
                .select(
                    "symbol",
                    "market_cap",
                    (pl.col("end_close") / pl.col("close") - 1.0).alias("ret"),
                )
            )
            stats = (
                pairs.join(rets, on="symbol")
                .group_by("group")
                .agg(
                    pl.len().alias("stocks"),
                    pl.col("ret").mean().alias("equal_weight"),
                    (
                        (pl.col("ret") * pl.col("market_cap")).sum()
                        / pl.col("market_cap").filter(pl.col("ret").is_not_null()).sum()
                    ).alias("cap_weight"),
                )
            )
            stats = pl.DataFrame({"group": groups}, schema={"group": pl.String}).join(
                stats, on="group", how="left"
            )
            stats = stats.with_columns(
                pl.col("stocks").fill_null(0),
                # No market caps at all: 0 / 0 is NaN in polars; say "unknown" instead.
                pl.col("cap_weight").fill_nan(None),
            )
        frames.append(
            stats.with_columns(
                pl.lit(label).alias("period"),
                pl.lit(base, dtype=pl.Date).alias("start"),
                pl.lit(end, dtype=pl.Date).alias("end"),
            )
        )
    out = pl.concat(frames, how="diagonal_relaxed")
    return out.select(
        "group",
        "period",
        "start",
        "end",
        pl.col("stocks").cast(pl.Int64),
        "equal_weight",
        "cap_weight",
    )


def cumulative_lines(
    adjusted: pl.DataFrame,
    members: pl.DataFrame,
    base: dt.date,
    end: dt.date,
    *,
    total_label: str,
) -> pl.DataFrame:
    """Cumulative equal-weight return of each group from ``base`` to ``end`` (long format).

    Buy and hold from the base close: on each session the line is the mean of
    ``close / base close`` over the group's stocks, minus one, so the last value
    equals the equal-weight return of the period. Columns ``date``, ``group``,
    ``cumulative_return``, ``stocks``; the base session is 0.
    """
    base_close = closes_on_or_before(adjusted, base).rename({"close": "base_close"})
    path = (
        adjusted.filter(pl.col("ts").dt.date().is_between(base, end))
        .join(base_close, on="symbol")
        .select(
            "symbol",
            pl.col("ts").dt.date().alias("date"),
            (pl.col("close") / pl.col("base_close")).alias("growth"),
        )
    )
    return (
        _with_total(members, total_label)
        .join(path, on="symbol")
        .group_by("date", "group")
        .agg(
            (pl.col("growth").mean() - 1.0).alias("cumulative_return"),
            pl.len().cast(pl.Int64).alias("stocks"),
        )
        .sort("group", "date")
        .select("date", "group", "cumulative_return", "stocks")
    )


def top_movers(
    adjusted: pl.DataFrame,
    members: pl.DataFrame,
    base: dt.date,
    end: dt.date,
    *,
    n: int,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The ``n`` best and ``n`` worst returns from ``base`` to ``end``.

    ``members`` has ``symbol``, ``name`` and ``group``. Ties break on the symbol so
    the result is deterministic. Columns ``symbol``, ``name``, ``group``,
    ``start_close``, ``end_close``, ``return``.
    """
    rets = (
        closes_on_or_before(adjusted, base)
        .rename({"close": "start_close"})
        .join(closes_on(adjusted, end).rename({"close": "end_close"}), on="symbol")
        .join(members.select("symbol", "name", "group"), on="symbol")
        .with_columns((pl.col("end_close") / pl.col("start_close") - 1.0).alias("return"))
        .select("symbol", "name", "group", "start_close", "end_close", "return")
    )
    gainers = rets.sort(["return", "symbol"], descending=[True, False]).head(n)
    losers = rets.sort(["return", "symbol"], descending=[False, False]).head(n)
    return gainers, losers
