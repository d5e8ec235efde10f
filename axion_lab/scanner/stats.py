"""Per-pattern statistics: has a pattern meant anything in this universe?

For every hit, the forward return over ``h`` bars is ``close[t + h] / close[t] - 1``,
from the close of the triggering bar (the first price a trader acting on the hit at
the close could get) to the close ``h`` bars later, same symbol. Hits without ``h``
later bars are left out of that horizon (``n_<h>`` counts the rest).

Per scanner or pattern the table has: ``hits``, ``symbols``, and for each horizon
``mean_<h>``, ``median_<h>``, ``std_<h>``, ``q25_<h>``, ``q75_<h>``, ``hit_rate_<h>``
(share of hits whose forward return points the hit's way: up for bullish, down for
bearish; for neutral hits the share that went up), ``base_<h>`` (the mean forward
return of **every** bar of the same bars, the unconditional drift) and ``edge_<h>``
(``mean - base``, signed so positive means the pattern helped: for bearish patterns
``base - mean``).

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.scanner import ScannerEngine, pattern_stats
>>> m = load_market()
>>> bars = m.bars_for(m.universe()[:30], start="2022-01-03", end="2024-12-31")
>>> hits = ScannerEngine(bars).scan_history(["gap_up", "hammer"]).hits
>>> table = pattern_stats(hits, bars).frame
>>> {"scanner", "hits", "mean_5", "hit_rate_20", "edge_20"} <= set(table.columns)
True
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from axion_lab.exceptions import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PatternStats", "forward_returns", "pattern_stats"]


def forward_returns(bars: pl.DataFrame, horizons: Sequence[int]) -> pl.DataFrame:
    """``symbol, ts, fwd_<h>`` for each horizon: close ``h`` bars later over close, minus 1."""
    frame = bars.select("symbol", "ts", "close").sort("symbol", "ts")
    n = pl.len().over("symbol")
    k = pl.int_range(pl.len()).over("symbol")
    close = pl.col("close")
    return frame.select(
        "symbol",
        "ts",
        *(
            pl.when((k + h < n) & (close > 0)).then(close.shift(-h) / close - 1.0).alias(f"fwd_{h}")
            for h in horizons
        ),
    )


@dataclass(frozen=True, eq=False)
class PatternStats:
    """Per-scanner forward-return statistics (columns in the module docstring)."""

    frame: pl.DataFrame
    horizons: tuple[int, ...]

    def to_polars(self) -> pl.DataFrame:
        """The table as a polars frame."""
        return self.frame

    to_frame = to_polars

    def to_pandas(self) -> pd.DataFrame:
        """The table as a pandas frame indexed by scanner."""
        return self.frame.to_pandas().set_index("scanner")

    def _repr_html_(self) -> str:
        cols = ["scanner", "direction", "hits"] + [
            f"{s}_{h}" for h in self.horizons for s in ("mean", "hit_rate", "edge")
        ]
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        body = "".join(
            "<tr>"
            + "".join(
                f"<td>{v:.2%}</td>" if isinstance(v, float) else f"<td>{html.escape(str(v))}</td>"
                for v in row
            )
            + "</tr>"
            for row in self.frame.select(cols).iter_rows()
        )
        return f"<div><b>Pattern statistics</b><table><tr>{head}</tr>{body}</table></div>"


def pattern_stats(
    hits: pl.DataFrame, bars: pl.DataFrame, *, horizons: Sequence[int] = (5, 20)
) -> PatternStats:
    """Forward-return statistics per scanner/pattern of ``hits`` over ``bars``.

    Raises
    ------
    InputError
        Horizons that are not positive integers, or frames missing columns.
    """
    hz = tuple(horizons)
    if not hz or any(isinstance(h, bool) or not isinstance(h, int) or h < 1 for h in hz):
        raise InputError(f"horizons must be positive integers (bars), got {horizons!r}.")
    for name, frame, cols in (
        ("hits", hits, ("symbol", "ts", "scanner", "direction")),
        ("bars", bars, ("symbol", "ts", "close")),
    ):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise InputError(f"The {name} frame is missing column(s) {missing}.")
    fwd = forward_returns(bars, hz)
    base = fwd.select(pl.col(f"fwd_{h}").mean().alias(f"base_{h}") for h in hz)
    joined = hits.select("symbol", "ts", "scanner", "direction").join(
        fwd, on=["symbol", "ts"], how="left"
    )
    sign = pl.when(pl.col("direction") == "bearish").then(-1.0).otherwise(1.0)
    aggs: list[pl.Expr] = [
        pl.col("direction").first(),
        pl.len().alias("hits"),
        pl.col("symbol").n_unique().alias("symbols"),
    ]
    for h in hz:
        r = pl.col(f"fwd_{h}")
        aggs += [
            r.count().alias(f"n_{h}"),
            r.mean().alias(f"mean_{h}"),
            r.median().alias(f"median_{h}"),
            r.std().alias(f"std_{h}"),
            r.quantile(0.25).alias(f"q25_{h}"),
            r.quantile(0.75).alias(f"q75_{h}"),
            ((r * sign) > 0).filter(r.is_not_null()).mean().alias(f"hit_rate_{h}"),
        ]
    table = joined.group_by("scanner").agg(aggs).join(base, how="cross")
    bear = pl.col("direction") == "bearish"
    table = table.with_columns(
        pl.when(bear)
        .then(pl.col(f"base_{h}") - pl.col(f"mean_{h}"))
        .otherwise(pl.col(f"mean_{h}") - pl.col(f"base_{h}"))
        .alias(f"edge_{h}")
        for h in hz
    )
    return PatternStats(table.sort("hits", "scanner", descending=[True, False]), hz)
