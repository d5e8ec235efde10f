"""Sandbox market: cold build and warm load times, beside a plain Parquet read.

Run: ``.venv/bin/python benchmarks/bench_sandbox.py [--seed N]``

* cold build: ``load_market(refresh=True)`` into a fresh cache dir (generate + write),
  in a fresh subprocess; target < 15 s (aim < 8 s).
* warm load: ``import axion_lab; load_market()`` from the cache, in a fresh subprocess
  (so it includes the package import); target < 2 s.
* reference: ``pandas.read_parquet`` / ``polars.read_parquet`` of the same files, plus
  ``import polars`` alone, in fresh subprocesses.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

COLD_TARGET = 15.0
WARM_TARGET = 2.0


def _run(code: str, cache_dir: Path) -> float:
    """Run ``code`` in a fresh interpreter; it prints its own elapsed seconds as JSON."""
    env_code = (
        "import time; t0 = time.perf_counter()\n"
        f"{code}\n"
        "import json; print(json.dumps(time.perf_counter() - t0))"
    )
    env = {**os.environ, "AXION_CACHE_DIR": str(cache_dir)}
    out = subprocess.run(
        [sys.executable, "-c", env_code], check=True, capture_output=True, text=True, env=env
    )
    return float(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3, help="warm-load repetitions (best of)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        cold = _run(
            f"from axion_lab import load_market; load_market(seed={args.seed}, refresh=True)",
            cache,
        )
        warm = min(
            _run(f"import axion_lab; axion_lab.load_market(seed={args.seed})", cache)
            for _ in range(args.repeat)
        )
        folder = next((cache / "sandbox").iterdir())
        files = sorted(str(p) for p in folder.glob("*.parquet"))
        pandas_read = min(
            _run(f"import pandas as pd; [pd.read_parquet(f) for f in {files!r}]", cache)
            for _ in range(args.repeat)
        )
        polars_read = min(
            _run(f"import polars as pl; [pl.read_parquet(f) for f in {files!r}]", cache)
            for _ in range(args.repeat)
        )
        size = sum(Path(f).stat().st_size for f in files) / 1e6
    print(f"sandbox market (seed {args.seed}), cache {size:.0f} MB")
    print(f"{'what':44s} {'seconds':>8s} {'vs target':>10s}")
    rows = (
        ("cold build (generate + write Parquet)", cold, COLD_TARGET),
        ("warm load (import axion_lab + load_market)", warm, WARM_TARGET),
    )
    for label, seconds, target in rows:
        print(f"{label:44s} {seconds:8.2f} {seconds / target:9.2f}x")
    print(f"{'reference: import pandas + read_parquet':44s} {pandas_read:8.2f}")
    print(f"{'reference: import polars + read_parquet':44s} {polars_read:8.2f}")
    print(f"warm load / polars read: {warm / polars_read:.2f}x")


if __name__ == "__main__":
    main()
