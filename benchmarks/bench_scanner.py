"""All ten preset scanners plus pattern detection over 500 symbols x 10 years, with
candlestick detection beside a bare TA-Lib CDL loop in the same run.

Bars: the sandbox market's first ``--symbols`` equities over the last ``--years``
years (rows with a non-positive price dropped: the sandbox is being fixed for
delistings). Best of ``--repeat`` runs each:

* ``presets``: ``ScannerEngine.scan_history`` with the ten presets (indicator panel
  included: gap, 252-bar high/low, relative volume, RSI, MACD, returns, trend);
* ``candles``: ``PatternDetector("candles", context=False)`` (every TA-Lib CDL pattern
  plus tweezers, hit frames built);
* ``bare TA-Lib CDL loop``: the same distinct CDL functions called per symbol in a
  plain Python loop on numpy arrays already grouped (single thread, raw int arrays, no
  hit frames): the lower bound a hand-written loop reaches;
* ``chart``: zig-zag pivots, double tops/bottoms, head and shoulders, triangles,
  flags and channel breakouts;
* ``all patterns``: candles and chart patterns together.

Run: ``.venv/bin/python benchmarks/bench_scanner.py [--symbols 500 --years 10]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl
import talib

from axion_lab import load_market
from axion_lab.indicators._kernel import available_cores
from axion_lab.scanner import CANDLE_PATTERNS, PRESET_SCANNERS, PatternDetector, ScannerEngine


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--symbols", type=int, default=500)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    market = load_market()
    symbols = market.universe()[: args.symbols]
    start = market.end - dt.timedelta(days=365 * args.years)
    bars = market.bars_for(symbols, start=start).filter(
        pl.min_horizontal("open", "high", "low", "close") > 0
    )
    print(
        f"{bars['symbol'].n_unique()} symbols, {bars.height:,} bars "
        f"({bars['ts'].min():%Y-%m-%d} .. {bars['ts'].max():%Y-%m-%d}), "
        f"{available_cores()} core(s), best of {args.repeat}"
    )

    engine = ScannerEngine(bars)
    t_presets, presets = best(lambda: engine.scan_history(list(PRESET_SCANNERS)), args.repeat)

    candles = PatternDetector("candles", context=False)
    t_candles, cres = best(lambda: candles.detect(bars), args.repeat)

    funcs = sorted({p.function for p in CANDLE_PATTERNS.values() if p.function})
    groups = [
        tuple(part[c].to_numpy() for c in ("open", "high", "low", "close"))
        for _, part in bars.sort("symbol", "ts").group_by("symbol", maintain_order=True)
    ]

    def bare() -> int:
        total = 0
        for o, h, lo, c in groups:
            for f in funcs:
                total += int(np.count_nonzero(getattr(talib, f)(o, h, lo, c)))
        return total

    t_bare, _ = best(bare, args.repeat)
    chart = PatternDetector("chart")
    t_chart, chres = best(lambda: chart.detect(bars), args.repeat)
    everything = PatternDetector()
    t_all, ares = best(lambda: everything.detect(bars), args.repeat)

    rows = [
        ("presets (10 scanners)", t_presets, presets.hits.height),
        ("candles (PatternDetector)", t_candles, cres.hits.height),
        (f"bare TA-Lib CDL loop ({len(funcs)} funcs)", t_bare, None),
        ("chart patterns", t_chart, chres.hits.height),
        ("all patterns", t_all, ares.hits.height),
    ]
    print(f"{'stage':<36}{'seconds':>10}{'hits':>12}")
    for name, t, n in rows:
        print(f"{name:<36}{t:>10.3f}{'' if n is None else f'{n:,}':>12}")
    print(f"candles / bare TA-Lib loop: {t_candles / t_bare:.2f}x")
    print(f"presets per 1M bars: {t_presets / bars.height * 1e6:.3f} s")
    print(f"all patterns per 1M bars: {t_all / bars.height * 1e6:.3f} s")


if __name__ == "__main__":
    main()
