"""Bulk bar I/O on SQLite: ``write_bars``/``read_bars`` beside polars' own database I/O.

The reference writer is ``DataFrame.write_database`` (pandas ``to_sql``, plain INSERT,
no conflict handling); ours upserts by key inside a savepoint, so some overhead is the
price of idempotent writes. The reference reader is ``pl.read_database`` on the same
query. Run: ``.venv/bin/python benchmarks/bench_db.py [rows]``.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl
import sqlalchemy as sa

from axion_lab.config import override_settings
from axion_lab.data.schema import SCHEMAS
from axion_lab.db import read_bars, reset_engines, session_scope, upgrade, write_bars


def make_bars(rows: int, days: int = 500) -> pl.DataFrame:
    rng = np.random.default_rng(7)
    symbols = max(1, rows // days)
    start = dt.datetime(2020, 1, 1)
    frame = pl.DataFrame(
        {
            "symbol": np.repeat([f"S{i:04d}" for i in range(symbols)], days),
            "ts": [start + dt.timedelta(days=d) for d in range(days)] * symbols,
            "close": rng.lognormal(4, 0.3, symbols * days),
            "volume": rng.integers(1_000, 1_000_000, symbols * days),
        }
    )
    return frame.with_columns(
        open=pl.col("close") * 0.99, high=pl.col("close") * 1.01, low=pl.col("close") * 0.98
    ).select([pl.col(c).cast(t) for c, t in SCHEMAS["bars"].items()])


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main(rows: int) -> None:
    bars = make_bars(rows)
    with tempfile.TemporaryDirectory() as tmp, override_settings(data_dir=Path(tmp)):
        upgrade()
        url = f"sqlite:///{Path(tmp) / 'reference.db'}"

        def ours_write() -> None:
            with session_scope() as session:
                write_bars(session, bars)

        def ours_read() -> pl.DataFrame:
            with session_scope() as session:
                return read_bars(session)

        def ref_write() -> None:
            bars.write_database("bars", url, if_table_exists="replace", engine="sqlalchemy")

        engine = sa.create_engine(url)

        def ref_read() -> pl.DataFrame:
            with engine.connect() as conn:
                return pl.read_database("SELECT * FROM bars ORDER BY symbol, ts", conn)

        results = {
            "write (insert)": (timed(ours_write), timed(ref_write)),
            "write (upsert same rows again)": (timed(ours_write), timed(ref_write)),
            "read all": (timed(ours_read), timed(ref_read)),
        }
        engine.dispose()
        reset_engines()
    print(f"{bars.height:,} daily bars, SQLite (WAL); reference = polars write/read_database")
    print(f"{'operation':34} {'axion_lab':>10} {'reference':>10} {'ratio':>7}")
    for name, (ours, ref) in results.items():
        print(f"{name:34} {ours:9.2f}s {ref:9.2f}s {ours / ref:6.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
