"""The screener beside plain pandas boolean masks, and every preset on the sandbox.

Part 1, same run, same data: a synthetic snapshot of 10,000 symbols x 120 registry
fields (random values in each field's plausible range, 5 % missing, some NaN), and a
screen of 10 filters (ranges, a field-to-field comparison, a sector list, a
universe-wide percentile rank) plus a formula-like filter (a plain polars expression
through the ``FormulaFilter`` protocol). Best of ``--repeat`` alternating runs each:

* ``run_screen``: validation, NaN -> null, every mask, the funnel (cumulative and
  per-filter counts), the final filter, the sort by market cap, the column selection;
* pandas: the same ten masks and the formula as ``Series`` comparisons (with the
  ``notna`` guards that make missing values fail, as the screener does), ANDed, the
  rows taken and sorted. No funnel, no validation.

Part 2: all presets in a row on the sandbox market's snapshot as of its last date,
``run_screen`` beside a plain pandas translation of each preset (its masks, the
universe, the sort; validation and the previous-session join given to it for free),
results asserted equal. The cold engine's time (snapshots built as the presets ask
for fields) is printed too.

Run: ``.venv/bin/python benchmarks/bench_screener.py [--symbols 10000 --repeat 30]``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import polars as pl

from axion_lab.fields import FIELD_REGISTRY
from axion_lab.screener import (
    FILTER_REGISTRY,
    PRESET_SCREENS,
    FilterCondition,
    FilterGroup,
    FilterNode,
    Operator,
    Screen,
    ScreenerEngine,
    run_screen,
)
from axion_lab.screener.models import Universe

SECTORS = ["Energy", "Utilities", "Financials", "Health Care", "Industrials", "Materials"]


def synthetic_snapshot(n: int, n_fields: int = 120, seed: int = 3) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    used = ["pb_ratio", "roe", "debt_to_equity", "rsi_14", "ret_126", "gross_margin"]
    others = [f.id for f in FIELD_REGISTRY if f.dtype == "float" and f.id not in used]
    numeric = [FIELD_REGISTRY.get(i) for i in [*used, *others][: n_fields - 3]]
    cols: dict[str, Any] = {
        "symbol": [f"S{i:05d}" for i in range(n)],
        "asset_class": ["equity"] * n,
        "sector": rng.choice(SECTORS, n).tolist(),
    }
    for f in numeric:
        lo, hi = f.valid_range or (None, None)
        lo = 0.0 if lo is None else max(lo, -1.0)
        hi = lo + 100.0 if hi is None else min(hi, lo + 100.0)
        values = rng.uniform(lo, hi, n)
        values[rng.random(n) < 0.05] = np.nan  # missing
        cols[f.id] = values
    for name, scale in (
        ("market_cap", 1e11),
        ("price", 500.0),
        ("sma_200", 500.0),
        ("sma_50", 500.0),
        ("pe_ratio", 40.0),
        ("dividend_yield", 0.08),
    ):
        values = rng.uniform(0, scale, n)
        values[rng.random(n) < 0.05] = np.nan
        cols[name] = values
    frame = pl.DataFrame(cols)
    # Half the missing values as null, half left as NaN: both must fail every filter.
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) % 2 == 0).then(pl.col(c).fill_nan(None)).otherwise(pl.col(c))
        for c in frame.columns
        if frame.schema[c] == pl.Float64
    )


class Formula:
    """A formula-like filter: price within 5 % of sma_50 or better, gross margin > 30 %."""

    text = "price / sma_50 - 1 > -0.05 and gross_margin > 0.30"
    fields: ClassVar[set[str]] = {"price", "sma_50", "gross_margin"}

    def to_expr(self) -> pl.Expr:
        return (pl.col("price") / pl.col("sma_50") - 1 > -0.05) & (pl.col("gross_margin") > 0.30)


C = FilterCondition
SCREEN = Screen(
    "bench",
    filters=(
        C("pe_ratio", "between", (5, 25)),
        C("pb_ratio", "<", 30),
        C("roe", ">", -5.0),
        C("debt_to_equity", "<", 50),
        C("dividend_yield", ">=", 0.01),
        C("market_cap", ">", 1e9),
        C("rsi_14", "between", (20, 80)),
        C("price", ">", "sma_200"),
        C("sector", "in", ["Energy", "Utilities", "Financials"]),
        C("ret_126", "percentile_above", 30),
        Formula(),
    ),
    sort_by="market_cap",
)


def pandas_screen(df: pd.DataFrame) -> pd.DataFrame:
    pct_ok = df["ret_126"].rank(method="max") * 100.0 >= df["ret_126"].count() * 30
    mask = (
        df["pe_ratio"].between(5, 25)
        & (df["pb_ratio"] < 30)
        & (df["roe"] > -5.0)
        & (df["debt_to_equity"] < 50)
        & (df["dividend_yield"] >= 0.01)
        & (df["market_cap"] > 1e9)
        & df["rsi_14"].between(20, 80)
        & (df["price"] > df["sma_200"])
        & df["sector"].isin(["Energy", "Utilities", "Financials"])
        & pct_ok
        & ((df["price"] / df["sma_50"] - 1) > -0.05)
        & (df["gross_margin"] > 0.30)
    )
    return df.loc[mask.fillna(False)].sort_values("market_cap", ascending=False)


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def interleaved(
    ours: Callable[[], Any], theirs: Callable[[], Any], repeat: int
) -> tuple[float, float, Any, Any]:
    """Best times of both, run alternately so load on a shared machine hits both alike."""
    t_ours, t_theirs, a, b = float("inf"), float("inf"), None, None
    for _ in range(repeat):
        t = time.perf_counter()
        a = ours()
        t_ours = min(t_ours, time.perf_counter() - t)
        t = time.perf_counter()
        b = theirs()
        t_theirs = min(t_theirs, time.perf_counter() - t)
    return t_ours, t_theirs, a, b


def part1(n: int, repeat: int) -> None:
    snap = synthetic_snapshot(n)
    pdf = snap.to_pandas()
    universe = Universe(asset_classes=())
    screen = SCREEN.replace(universe=universe)
    t_ours, t_pd, result, ref = interleaved(
        lambda: run_screen(snap, screen), lambda: pandas_screen(pdf), repeat
    )
    assert result.symbols == ref["symbol"].tolist(), "the two screens disagree"
    print(f"Part 1: {snap.height:,} symbols x {snap.width - 1} fields, 10 filters + a formula")
    print(f"  run_screen (validate, funnel, sort)   {t_ours * 1e3:8.2f} ms  -> {result.matched}")
    print(f"  pandas boolean masks + sort           {t_pd * 1e3:8.2f} ms  -> {len(ref)}")
    print(f"  ratio pandas / ours                   {t_pd / t_ours:8.2f}x")


def pandas_mask(df: pd.DataFrame, node: FilterNode) -> pd.Series:
    """One validated condition or group as plain pandas masks (NaN compares False)."""
    if isinstance(node, FilterGroup):
        parts = [pandas_mask(df, item) for item in node.items]
        out = parts[0]
        for part in parts[1:]:
            out = out & part if node.logic == "and" else out | part
        return out
    assert isinstance(node, FilterCondition)
    x, v, op = df[node.field], node.value, node.op
    other = df[node.ref] if node.ref else v
    if op is Operator.LT:
        return x < other
    if op is Operator.LTE:
        return x <= other
    if op is Operator.GT:
        return x > other
    if op is Operator.GTE:
        return x >= other
    if op is Operator.BETWEEN:
        return x.between(v[0], v[1])
    if op in (Operator.PERCENTILE_ABOVE, Operator.PERCENTILE_BELOW):
        scaled, bar = x.rank(method="max") * 100.0, x.count() * v
        return scaled >= bar if op is Operator.PERCENTILE_ABOVE else scaled <= bar
    if op is Operator.CROSSES_ABOVE:
        assert node.ref is not None
        before, level = df[f"{node.field}__prev"], df[f"{node.ref}__prev"]
        return (x > other) & (before <= level)
    raise NotImplementedError(f"the pandas reference has no {op}")


def validated(node: FilterNode) -> FilterNode:
    if isinstance(node, FilterGroup):
        return FilterGroup(tuple(validated(i) for i in node.items), node.logic)
    assert isinstance(node, FilterCondition)
    return FILTER_REGISTRY.validate(node)


def pandas_preset(df: pd.DataFrame, screen: Screen, nodes: list[FilterNode]) -> pd.DataFrame:
    universe = df[df["asset_class"].isin(screen.universe.asset_classes)]
    mask = pandas_mask(universe, nodes[0])
    for node in nodes[1:]:
        mask &= pandas_mask(universe, node)
    key = screen.sort_by or "market_cap"
    return universe.loc[mask].sort_values(
        key, ascending=not screen.descending, na_position="last", kind="stable"
    )


def part2(repeat: int) -> None:
    from axion_lab import load_market

    market = load_market()
    engine = ScreenerEngine(market)
    t0 = time.perf_counter()
    cold = {k: engine.run(s) for k, s in PRESET_SCREENS.items()}
    t_cold = time.perf_counter() - t0
    day = market.end
    snap = engine.snapshot(as_of=day)
    prev = engine.snapshot(
        ["sma_50", "sma_200"], as_of=market.trading_days.filter(market.trading_days < day).max()
    )
    presets = list(PRESET_SCREENS.values())
    # The reference gets the previous session joined and the filters validated for free.
    pdf = snap.join(
        prev.rename({c: f"{c}__prev" for c in prev.columns if c != "symbol"}), on="symbol"
    ).to_pandas()
    nodes = [[validated(f) for f in s.filters] for s in presets]

    def ours() -> list[list[str]]:
        return [run_screen(snap, s, previous=prev).symbols for s in presets]

    def theirs() -> list[list[str]]:
        return [
            pandas_preset(pdf, s, n)["symbol"].tolist() for s, n in zip(presets, nodes, strict=True)
        ]

    t_ours, t_pd, a, b = interleaved(ours, theirs, repeat)
    assert a == b, "the presets disagree with the pandas reference"
    print(f"Part 2: {len(presets)} presets in a row on the sandbox, {day} ({snap.height:,} rows)")
    print(f"  cold engine (snapshots built on demand)  {t_cold:8.2f} s")
    print(f"  run_screen, every preset                 {t_ours * 1e3:8.2f} ms")
    print(f"  pandas masks + sort, every preset        {t_pd * 1e3:8.2f} ms")
    print(f"  ratio pandas / ours                      {t_pd / t_ours:8.2f}x")
    print("  matches:", ", ".join(f"{k} {r.matched}" for k, r in cold.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--symbols", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--skip-presets", action="store_true")
    args = parser.parse_args()
    part1(args.symbols, args.repeat)
    if not args.skip_presets:
        part2(args.repeat)


if __name__ == "__main__":
    main()
