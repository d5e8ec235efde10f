"""read_prices (parse + clean + quality checks) beside a bare polars.read_csv, same file.

Run: .venv/bin/python benchmarks/bench_files_import.py
"""

from __future__ import annotations

import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import polars as pl

from axion_lab.data.files import read_prices
from axion_lab.data.quality import check_bars


def make_csv(path: Path, n_symbols: int = 500, n_days: int = 500) -> int:
    rng = np.random.default_rng(0)
    days = np.busday_offset("2022-01-03", np.arange(n_days), roll="forward")
    close = 50 * np.exp(np.cumsum(rng.normal(0, 0.01, (n_symbols, n_days)), axis=1))
    frame = pl.DataFrame(
        {
            "Date": np.tile(days.astype(str), n_symbols),
            "Ticker": np.repeat([f"S{i:04d}" for i in range(n_symbols)], n_days),
            "Open": close.ravel(),
            "High": close.ravel() * 1.01,
            "Low": close.ravel() * 0.99,
            "Close": close.ravel(),
            "Volume": rng.integers(1_000, 100_000, n_symbols * n_days),
        }
    )
    frame.write_csv(path)
    return frame.height


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "prices.csv"
        rows = make_csv(path)
        bare = best_of(lambda: pl.read_csv(path, try_parse_dates=True))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ours = best_of(lambda: read_prices(path))
        bars = read_prices(path, warn=False).frame
        checks = best_of(lambda: check_bars(bars))
    print(f"rows: {rows:,}")
    print(f"polars.read_csv (typed inference)   {bare * 1e3:8.1f} ms")
    print(f"read_prices (parse+clean+checks)    {ours * 1e3:8.1f} ms  ratio {ours / bare:5.1f}x")
    print(f"  of which check_bars               {checks * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
