"""Source builder over quarterly statements: TTM sums, MRQ values and growth rates.

Only quarters published on or before the as-of date exist here (the market was cut
with :meth:`Market.as_of`). Per symbol the quarters are ordered by ``period_end``
(a restated quarter keeps its latest publication) and numbered back from the most
recent one: ``q0`` is the MRQ, ``q1`` the quarter before, ``q4`` the same quarter a
year earlier, ``q12`` three years earlier.

A TTM value needs four quarters spanning no more than :data:`MAX_TTM_SPAN_DAYS`
(quarter ends are about 91 days apart, so three gaps are ~273 days); with a missing
quarter the TTM is null rather than a sum over the wrong period. Comparisons against
``q4`` and ``q12`` likewise require the period ends to be about a year (or three)
apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import polars as pl

from axion_lab.fields._context import SPLIT, SnapshotContext, split_factor
from axion_lab.fields._defs_fundamentals import MRQ_ITEMS, TTM_ITEMS
from axion_lab.fields._exprs import growth
from axion_lab.fields._model import Field

__all__ = ["MAX_TTM_SPAN_DAYS", "fundamentals_source"]

MAX_TTM_SPAN_DAYS: Final = 300
_LAGS: Final = {1: (60, 120), 4: (330, 400), 12: (1060, 1130)}
"""Lag in quarters -> allowed (min, max) days between the two period ends."""

_Q = "__q"


def _cagr(now: pl.Expr, before: pl.Expr, years: float) -> pl.Expr:
    return pl.when((now > 0) & (before > 0)).then((now / before) ** (1.0 / years) - 1.0)


def _quarters(ctx: SnapshotContext) -> pl.DataFrame:
    """Published quarters with split-adjusted EPS/shares, TTM sums and the quarter number."""
    f = (
        ctx.restrict(ctx.market.fundamentals)
        .sort("symbol", "period_end", "published")
        .unique(["symbol", "period_end"], keep="last", maintain_order=True)
    )
    f = split_factor(f, "period_end", ctx.splits).sort("symbol", "period_end")
    f = f.with_columns(
        (pl.col("eps") / pl.col(SPLIT)).alias("eps"),
        (pl.col("shares_outstanding") * pl.col(SPLIT)).alias("shares_outstanding"),
    )
    # Sorted by symbol, so a four-row window is one symbol's four quarters exactly when
    # the row three back is the same symbol: whole-column rolling sums then need no
    # per-symbol window (a dozen `over` passes cost more than the rest together).
    same = pl.col("symbol") == pl.col("symbol").shift(3)
    span = (pl.col("period_end") - pl.col("period_end").shift(3)).dt.total_days()
    complete = same.fill_null(False) & (span <= MAX_TTM_SPAN_DAYS).fill_null(False)
    ttm = [*TTM_ITEMS, "eps"]
    return f.with_columns(
        *(pl.when(complete).then(pl.col(i).rolling_sum(4)).alias(f"{i}_ttm") for i in ttm),
        pl.int_range(pl.len()).reverse().over("symbol").alias(_Q),
    )


def fundamentals_source(ctx: SnapshotContext, fields: Sequence[Field]) -> pl.DataFrame:
    """Statement items (TTM and MRQ) and growth rates, one row per symbol."""
    q = _quarters(ctx)
    keep = [
        "symbol",
        "period_end",
        "published",
        "revenue",
        "eps",
        "shares_outstanding",
        *MRQ_ITEMS,
        *(f"{i}_ttm" for i in [*TTM_ITEMS, "eps"]),
    ]
    now = q.filter(pl.col(_Q) == 0).select(keep)
    lag_cols = ["period_end", "revenue", "eps", "shareholders_equity", "shares_outstanding"]
    lag_cols += [f"{i}_ttm" for i in ("revenue", "eps", "net_income", "ebitda", "free_cash_flow")]
    for lag, (lo, hi) in _LAGS.items():
        past = q.filter(pl.col(_Q) == lag).select(
            "symbol", *(pl.col(col).alias(f"{col}_q{lag}") for col in lag_cols)
        )
        now = now.join(past, on="symbol", how="left")
        gap = (pl.col("period_end") - pl.col(f"period_end_q{lag}")).dt.total_days()
        # A missing quarter in between makes q<lag> a different period: drop it.
        now = now.with_columns(
            pl.when(gap.is_between(lo, hi)).then(pl.col(f"{col}_q{lag}")).alias(f"{col}_q{lag}")
            for col in lag_cols[1:]
        )

    def g(col: str, lag: int) -> pl.Expr:
        return growth(col, f"{col}_q{lag}")

    computed: dict[str, pl.Expr] = {
        "fiscal_period_end": pl.col("period_end"),
        "last_report_date": pl.col("published"),
        "days_since_report": (pl.lit(ctx.as_of) - pl.col("published")).dt.total_days(),
        "revenue_growth_qoq": g("revenue", 1),
        "revenue_growth_yoy": g("revenue", 4),
        "revenue_growth_ttm": g("revenue_ttm", 4),
        "revenue_cagr_3y": _cagr(pl.col("revenue_ttm"), pl.col("revenue_ttm_q12"), 3.0),
        "eps_growth_qoq": g("eps", 1),
        "eps_growth_yoy": g("eps", 4),
        "eps_growth_ttm": g("eps_ttm", 4),
        "eps_cagr_3y": _cagr(pl.col("eps_ttm"), pl.col("eps_ttm_q12"), 3.0),
        "net_income_growth_ttm": g("net_income_ttm", 4),
        "ebitda_growth_ttm": g("ebitda_ttm", 4),
        "fcf_growth_ttm": g("free_cash_flow_ttm", 4),
        "book_value_growth_yoy": g("shareholders_equity", 4),
        "shares_change_yoy": pl.col("shares_outstanding") / pl.col("shares_outstanding_q4") - 1.0,
    }
    exprs = [
        computed[f.id].cast(f.polars_dtype).alias(f.id)
        if f.id in computed
        else pl.col(f.id).cast(f.polars_dtype)
        for f in fields
    ]
    return now.select("symbol", *exprs)
