"""Custom formulas beside the same logic written by hand in polars.

A synthetic snapshot (``--rows`` symbols, 11 sectors, 3 % missing values and a few
NaN/inf, as real fundamentals have) filtered and scored three ways, best of
``--repeat`` runs each:

* parse + check + compile of each formula (no data touched);
* the compiled formula applied with ``filter`` / ``with_columns``;
* a hand-written polars expression with the same meaning, the shortest one a
  careful analyst would write (NaN handled with ``fill_nan``, no overflow guards).

The ratio shows what null/NaN safety costs over the bare expression.

Run: ``.venv/bin/python benchmarks/bench_screener_expression.py [--rows 50000]``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import polars as pl

from axion_lab.screener.expression import ExpressionParser


def snapshot(rows: int, seed: int = 3) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    pe = rng.lognormal(2.8, 0.6, rows)
    roe = rng.normal(0.12, 0.1, rows)
    cap = rng.lognormal(21, 2, rows)
    for column in (pe, roe, cap):
        column[rng.random(rows) < 0.03] = np.nan
    pe[rng.random(rows) < 0.001] = np.inf
    sectors = np.array([f"S{i}" for i in range(11)])[rng.integers(0, 11, rows)]
    return pl.DataFrame(
        {
            "symbol": [f"X{i}" for i in range(rows)],
            "pe_ratio": pe,
            "roe": roe,
            "market_cap": cap,
            "sector": sectors,
        }
    ).with_columns(pl.col("pe_ratio", "roe", "market_cap").fill_nan(None))


def _clean(name: str) -> pl.Expr:
    col = pl.col(name)
    return pl.when(col.is_finite()).then(col)


def _pct_rank(x: pl.Expr) -> pl.Expr:
    return (x.rank() - 1) / (x.count() - 1)


CASES: list[tuple[str, str, pl.Expr]] = [
    (
        "filter",
        "0 < pe_ratio < 15 and roe > 10% and sector != 'S3'",
        (_clean("pe_ratio") > 0)
        & (_clean("pe_ratio") < 15)
        & (pl.col("roe") > 0.1)
        & (pl.col("sector") != "S3"),
    ),
    (
        "filter",
        "pe_ratio < sector_median(pe_ratio) and rank(roe) > 0.8",
        (_clean("pe_ratio") < _clean("pe_ratio").median().over("sector"))
        & (_pct_rank(pl.col("roe")) > 0.8),
    ),
    (
        "column",
        "zscore(log(market_cap)) + 2 * sector_zscore(roe)",
        (pl.col("market_cap").log() - pl.col("market_cap").log().mean())
        / pl.col("market_cap").log().std()
        + 2
        * (
            (pl.col("roe") - pl.col("roe").mean().over("sector"))
            / pl.col("roe").std().over("sector")
        ),
    ),
]


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    frame = snapshot(args.rows)
    parser = ExpressionParser.from_schema(frame.schema)
    print(f"{args.rows:,} rows, best of {args.repeat}")
    print(f"{'formula':58} {'parse':>8} {'ours':>9} {'by hand':>9} {'ratio':>6}")
    for use, text, hand in CASES:
        parse_s = best(lambda t=text: parser.parse(t).to_expr(), args.repeat)
        expr = parser.parse(text).to_expr()
        if use == "filter":
            ours = best(lambda e=expr: frame.filter(e), args.repeat)
            theirs = best(lambda e=hand: frame.filter(e), args.repeat)
        else:
            ours = best(lambda e=expr: frame.with_columns(e.alias("s")), args.repeat)
            theirs = best(lambda e=hand: frame.with_columns(e.alias("s")), args.repeat)
        print(
            f"{text[:58]:58} {parse_s * 1e3:7.2f}ms {ours * 1e3:8.2f}ms "
            f"{theirs * 1e3:8.2f}ms {ours / theirs:5.2f}x"
        )


if __name__ == "__main__":
    main()
