"""Source builders over dividends, 13F holdings, short interest and analyst ratings.

Each reads the as-of market, so a dividend declared, a 13F filed, a short report
published or a consensus dated after the as-of date does not exist here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import polars as pl

from axion_lab.fields._context import SPLIT, SnapshotContext, split_factor
from axion_lab.fields._exprs import growth
from axion_lab.fields._model import Field

__all__ = ["dividends_source", "ownership_source", "ratings_source", "short_interest_source"]

PAYMENTS_PER_YEAR: Final = {"monthly": 12, "quarterly": 4, "semi_annual": 2, "annual": 1}
_FORWARD_MAX_AGE_DAYS: Final = 400
"""A forward dividend needs a regular payment within this many days; older means suspended."""
_RATING_LOOKBACK: Final = dt.timedelta(days=91)
_YEAR_AGO: Final = dt.timedelta(days=350)
"""dividend_growth_1y compares the latest payment with the last one at least this old."""


def _select(frame: pl.DataFrame, fields: Sequence[Field]) -> pl.DataFrame:
    return frame.select("symbol", *(pl.col(f.id).cast(f.polars_dtype) for f in fields))


def _yearly(divs: pl.DataFrame, last_year: int) -> pl.DataFrame:
    """Run of annual raises and 3y/5y CAGR of the largest regular payment per year.

    The largest payment per share in a calendar year, not the year's sum: how many
    ex-dates fall in a calendar year (four or five for a quarterly payer) must not
    look like a raise or a cut.
    """
    top = (
        divs.filter(pl.col("year") <= last_year)
        .group_by("symbol", "year")
        .agg(pl.col("amount").max())
        .sort("symbol", "year")
    )
    prev = pl.col("amount").shift(1).over("symbol")
    consecutive = (pl.col("year") - pl.col("year").shift(1).over("symbol")) == 1
    # A raise is a rise of more than 0.01 %: rounding of restated amounts is not a raise.
    up = ((pl.col("amount") > prev * 1.0001) & (prev > 0) & consecutive).fill_null(False)

    def at(year: int) -> pl.Expr:
        return pl.col("amount").filter(pl.col("year") == year).first()

    def cagr(years: int) -> pl.Expr:
        now, before = at(last_year), at(last_year - years)
        return pl.when((now > 0) & (before > 0)).then((now / before) ** (1.0 / years) - 1.0)

    return (
        top.with_columns(up.alias("up"))
        .sort("symbol", "year", descending=[False, True])
        .group_by("symbol", maintain_order=True)
        .agg(
            # Count the leading run of raises in newest-first order, ending at last_year.
            pl.when(pl.col("year").first() == last_year)
            .then(pl.col("up").cast(pl.Int64).cum_prod().sum())
            .otherwise(0)
            .alias("years_of_increases"),
            cagr(3).alias("dividend_cagr_3y"),
            cagr(5).alias("dividend_cagr_5y"),
        )
    )


def dividends_source(ctx: SnapshotContext, fields: Sequence[Field]) -> pl.DataFrame:
    """Trailing and forward dividends per share, growth and the run of annual raises."""
    day = ctx.as_of
    divs = ctx.restrict(ctx.market.dividends).filter(
        (pl.col("kind") == "regular") & (pl.col("ex_date") <= day)
    )
    divs = (
        split_factor(divs, "ex_date", ctx.splits)
        .with_columns(
            (pl.col("amount") / pl.col(SPLIT)).alias("amount"),
            pl.col("ex_date").dt.year().alias("year"),
        )
        .sort("symbol", "ex_date")
    )
    age = (pl.lit(day) - pl.col("ex_date")).dt.total_days()
    last_ex = pl.col("ex_date").last()
    per_year = pl.col("frequency").last().replace_strict(PAYMENTS_PER_YEAR, default=None)
    year_ago = pl.col("amount").filter(pl.col("ex_date") <= last_ex - _YEAR_AGO).last()
    summary = divs.group_by("symbol").agg(
        pl.col("amount").filter(age < 365).sum().alias("dividend_ttm"),
        pl.when(age.min() <= _FORWARD_MAX_AGE_DAYS)
        .then(pl.col("amount").last() * per_year)
        .alias("forward_dividend"),
        pl.col("frequency").last().alias("dividend_frequency"),
        last_ex.alias("last_ex_date"),
        pl.when(year_ago > 0)
        .then(pl.col("amount").last() / year_ago - 1.0)
        .alias("dividend_growth_1y"),
    )
    out = (
        pl.DataFrame({"symbol": list(ctx.symbols)}, schema={"symbol": pl.String})
        .join(summary, on="symbol", how="left")
        .join(_yearly(divs, day.year - 1), on="symbol", how="left")
        .with_columns(
            pl.col("dividend_ttm").fill_null(0.0),
            pl.col("years_of_increases").fill_null(0),
        )
    )
    return _select(out, fields)


def ownership_source(ctx: SnapshotContext, fields: Sequence[Field]) -> pl.DataFrame:
    """Institutional shares and holders from each fund's latest filed quarter, and QoQ change."""
    h = ctx.restrict(ctx.market.holdings).filter(pl.col("shares") > 0)
    h = split_factor(h, "quarter", ctx.splits).with_columns(
        (pl.col("shares") * pl.col(SPLIT)).alias("shares")
    )
    # Each fund's latest and previous filed quarter over all its positions, not only the
    # requested symbols: a fund that sold out of them must not look like it never filed.
    quarters = ctx.market.holdings.select("fund", "quarter").unique()
    latest = quarters.group_by("fund").agg(pl.col("quarter").max().alias("q_now"))
    previous = (
        quarters.join(latest, on="fund")
        .filter(pl.col("quarter") < pl.col("q_now"))
        .group_by("fund")
        .agg(pl.col("quarter").max().alias("q_prev"))
    )
    funds = latest.join(previous, on="fund", how="left")

    def held(column: str, prefix: str) -> pl.DataFrame:
        return (
            h.join(funds, on="fund")
            .filter(pl.col("quarter") == pl.col(column))
            .group_by("symbol")
            .agg(
                pl.col("shares").sum().alias(f"{prefix}_shares"),
                pl.col("fund").n_unique().cast(pl.Int64).alias(f"{prefix}_holders"),
            )
        )

    now, prev = held("q_now", "now"), held("q_prev", "prev")
    out = (
        pl.DataFrame({"symbol": list(ctx.symbols)})
        .join(now, on="symbol", how="left")
        .join(prev, on="symbol", how="left")
        .with_columns(pl.col("now_holders", "prev_holders").fill_null(0))
        .select(
            "symbol",
            pl.col("now_shares").alias("institutional_shares"),
            pl.col("now_holders").alias("institutional_holders"),
            pl.when(pl.col("prev_shares") > 0)
            .then(growth(pl.col("now_shares").fill_null(0.0), "prev_shares"))
            .alias("institutional_shares_change_qoq"),
            (pl.col("now_holders") - pl.col("prev_holders")).alias(
                "institutional_holders_change_qoq"
            ),
        )
    )
    return _select(out, fields)


def short_interest_source(ctx: SnapshotContext, fields: Sequence[Field]) -> pl.DataFrame:
    """The latest published short-interest report per symbol, and its change."""
    si = ctx.restrict(ctx.market.short_interest).sort("symbol", "date")
    out = si.group_by("symbol", maintain_order=True).agg(
        pl.col("short_shares").last().alias("short_interest"),
        pl.col("float_shares").last(),
        pl.col("days_to_cover").last(),
        pl.col("borrow_fee").last(),  # already a fraction a year (schema convention)
        pl.col("date").last().alias("short_interest_date"),
        pl.when(pl.len() >= 2)
        .then(growth(pl.col("short_shares").last(), pl.col("short_shares").tail(2).first()))
        .alias("short_interest_change"),
    )
    return _select(out, fields)


def ratings_source(ctx: SnapshotContext, fields: Sequence[Field]) -> pl.DataFrame:
    """The latest consensus per symbol and its change over three months."""
    r = split_factor(ctx.restrict(ctx.market.ratings), "date", ctx.splits).with_columns(
        (pl.col("target_price") / pl.col(SPLIT)).alias("target_price")
    )
    r = r.sort("symbol", "date")
    latest = r.group_by("symbol", maintain_order=True).last()
    then = ctx.as_of - _RATING_LOOKBACK
    before = (
        r.filter(pl.col("date") <= then)
        .group_by("symbol", maintain_order=True)
        .last()
        .select("symbol", pl.col("rating").alias("_r0"), pl.col("target_price").alias("_t0"))
    )
    out = latest.join(before, on="symbol", how="left").with_columns(
        pl.col("rating").alias("analyst_rating"),
        pl.col("date").alias("rating_date"),
        (pl.col("rating") - pl.col("_r0")).alias("rating_change_3m"),
        growth("target_price", "_t0").alias("target_change_3m"),
    )
    return _select(out, fields)
