"""The whole indicator panel beside a bare TA-Lib loop, on the same synthetic bars.

500 symbols x 10 years of daily bars (2,520 sessions; a fifth of the symbols list
later, so coverage differs), first sorted by (symbol, ts) as ``Market.bars`` comes,
then shuffled. Best of ``--repeat`` runs each:

* ``compute_indicators`` with the default panel (every TA-Lib indicator plus the
  polars ones: returns, gaps, highs/lows, relative volume, realised vol, VWAP, beta),
  validation, sorting and NaN -> null included;
* the bare TA-Lib loop: the panel's TA-Lib functions called per symbol in a plain
  Python loop, single thread, starting from the same polars frame (group by symbol,
  take numpy arrays, call TA-Lib; sorting first only for the shuffled input), which is
  what one would write by hand. It keeps TA-Lib's raw arrays: no frame, no nulls;
* the TA-Lib kernel alone: the same calls on numpy arrays already split per symbol.

Run: ``.venv/bin/python benchmarks/bench_indicators.py [--symbols 500 --years 10]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from collections.abc import Callable

import numpy as np
import polars as pl
import talib

from axion_lab.indicators import DEFAULT_PANEL, TalibIndicator, compute_indicators
from axion_lab.indicators._kernel import available_cores


def synthetic_bars(n_symbols: int, n_days: int, seed: int = 7) -> pl.DataFrame:
    """Random-walk OHLCV bars, long format, shuffled symbol order as a provider might."""
    rng = np.random.default_rng(seed)
    days = pl.date_range(dt.date(2015, 1, 1), dt.date(2060, 1, 1), "1d", eager=True)
    days = days.filter(days.dt.weekday() <= 5).head(n_days).cast(pl.Datetime("us"))
    frames = []
    for i in range(n_symbols):
        start = int(rng.integers(0, n_days // 2)) if i % 5 == 0 else 0
        n = n_days - start
        log_ret = rng.normal(0.0003, 0.02, n)
        close = 50.0 * np.exp(np.cumsum(log_ret))
        prev = np.concatenate([[close[0]], close[:-1]])
        open_ = prev * np.exp(rng.normal(0, 0.005, n))
        high = np.maximum(open_, close) * (1 + np.abs(rng.normal(0, 0.01, n)))
        low = np.minimum(open_, close) * (1 - np.abs(rng.normal(0, 0.01, n)))
        volume = rng.lognormal(13, 0.5, n).astype(np.int64)
        frames.append(
            pl.DataFrame(
                {
                    "symbol": f"S{i:04d}",
                    "ts": days[start:],
                    "open": open_,
                    "high": high,
                    "low": low,
                    "close": close,
                    "volume": volume,
                }
            )
        )
    return pl.concat(frames).sample(fraction=1.0, shuffle=True, seed=seed)


CALLS = [
    call for spec in DEFAULT_PANEL if isinstance(spec, TalibIndicator) for call in spec.calls()
]


def bare_talib_loop(bars: pl.DataFrame, *, sort: bool) -> dict[str, list[np.ndarray]]:
    """The panel's TA-Lib calls per symbol in a plain loop, from the polars frame."""
    out: dict[str, list[np.ndarray]] = {c: [] for call in CALLS for c in call.outputs}
    ordered = bars.sort("symbol", "ts") if sort else bars
    for _, group in ordered.group_by("symbol", maintain_order=True):
        arrays = {
            c: group[c].cast(pl.Float64).to_numpy() for c in ("high", "low", "close", "volume")
        }
        _kernel_one(arrays, out)
    return out


def _kernel_one(arrays: dict[str, np.ndarray], out: dict[str, list[np.ndarray]]) -> None:
    for call in CALLS:
        result = getattr(talib, call.func)(*(arrays[c] for c in call.inputs), **call.kwargs)
        if len(call.outputs) == 1:
            out[call.outputs[0]].append(result)
        else:
            for name, values in zip(call.outputs, result, strict=True):
                out[name].append(values)


def interleaved(
    runs: dict[str, Callable[[], object]], repeat: int
) -> dict[str, tuple[float, float]]:
    """Best wall and CPU seconds of each run, taking turns so all see the same load."""
    wall = {k: float("inf") for k in runs}
    cpu = dict(wall)
    for _ in range(repeat):
        for label, fn in runs.items():
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            wall[label] = min(wall[label], time.perf_counter() - t0)
            cpu[label] = min(cpu[label], time.process_time() - c0)
    return {k: (wall[k], cpu[k]) for k in runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--symbols", type=int, default=500)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    shuffled = synthetic_bars(args.symbols, args.years * 252)
    ordered = shuffled.sort("symbol", "ts")  # the order Market.bars comes in
    split = {
        s: {c: g[c].cast(pl.Float64).to_numpy() for c in ("high", "low", "close", "volume")}
        for (s,), g in ordered.group_by("symbol", maintain_order=True)
    }
    n_ta = sum(len(c.outputs) for c in CALLS)
    n_cols = sum(len(s.columns) for s in DEFAULT_PANEL)
    print(
        f"{ordered.height:,} bars, {args.symbols} symbols; panel: {len(DEFAULT_PANEL)} specs, "
        f"{n_cols} columns ({len(CALLS)} TA-Lib calls -> {n_ta} columns); "
        f"{available_cores()} cores; load average {os.getloadavg()[0]:.1f}"
    )

    def kernel_only() -> None:
        out: dict[str, list[np.ndarray]] = {c: [] for call in CALLS for c in call.outputs}
        for arrays in split.values():
            _kernel_one(arrays, out)

    compute_indicators(ordered)  # warm-up: imports, polars thread pool
    runs: dict[str, Callable[[], object]] = {
        "TA-Lib kernel only (arrays pre-split)": kernel_only,
        "bare TA-Lib loop, sorted input": lambda: bare_talib_loop(ordered, sort=False),
        "compute_indicators panel, sorted, n_jobs=1": lambda: compute_indicators(ordered, n_jobs=1),
        "compute_indicators panel, sorted, all cores": lambda: compute_indicators(ordered),
        "bare TA-Lib loop, shuffled input (sorts)": lambda: bare_talib_loop(shuffled, sort=True),
        "compute_indicators panel, shuffled, all cores": lambda: compute_indicators(shuffled),
    }
    results = interleaved(runs, args.repeat)
    bare = {
        "sorted": results["bare TA-Lib loop, sorted input"][0],
        "shuffled": results["bare TA-Lib loop, shuffled input (sorts)"][0],
    }
    title = f"run (best of {args.repeat})"
    print(f"{title:<48}{'wall s':>8}{'cpu s':>8}{'wall vs bare':>14}")
    for label, (wall, cpu) in results.items():
        ref = bare["shuffled" if "shuffled" in label else "sorted"]
        print(f"{label:<48}{wall:>8.3f}{cpu:>8.3f}{wall / ref:>13.2f}x")
    print(
        f"load average after: {os.getloadavg()[0]:.1f} (other work on the machine skews wall times)"
    )


if __name__ == "__main__":
    main()
