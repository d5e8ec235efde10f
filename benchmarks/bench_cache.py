"""Arrow IPC (our cache) vs pickle, round-tripping a 1M-row bars frame through real Redis.

Run: ``.venv/bin/python benchmarks/bench_cache.py [--rows 1000000] [--repeat 5]``.
Uses ``AXION_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/15``) and deletes its
own keys (``axion:bench:*``) afterwards. Target: round trip no slower than pickle, and
at most 0.75x pickle's bytes.

Pickle is the reference because it is what people put in Redis by hand
(``r.set(k, pickle.dumps(df))``); it is measured here only, never used by the cache.
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import polars as pl
import redis

from axion_lab.cache import RedisCache


def bars_frame(rows: int, symbols: int = 500, seed: int = 7) -> pd.DataFrame:
    """Daily bars: random-walk closes in cents, OHLC around them, log-normal volumes."""
    rng = np.random.default_rng(seed)
    days = rows // symbols
    names = np.array([f"SYM{i:03d}" for i in range(symbols)])
    sessions = pd.bdate_range("2017-01-02", periods=days).to_numpy(dtype="datetime64[us]")
    start = rng.uniform(5, 500, symbols)
    walk = np.exp(np.cumsum(rng.normal(0, 0.02, (symbols, days)), axis=1))
    close = np.round(start[:, None] * walk, 2).ravel()
    open_ = np.round(close * (1 + rng.normal(0, 0.005, close.size)), 2)
    high = np.round(np.maximum(open_, close) * (1 + np.abs(rng.normal(0, 0.004, close.size))), 2)
    low = np.round(np.minimum(open_, close) * (1 - np.abs(rng.normal(0, 0.004, close.size))), 2)
    return pd.DataFrame(
        {
            "symbol": pd.Series(np.repeat(names, days), dtype="str"),
            "ts": np.tile(sessions, symbols),
            "open": open_,
            "high": high,
            "low": low,
            "close": close,
            "volume": rng.lognormal(13, 1.2, close.size).astype(np.int64),
        }
    )


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run_pair(
    label: str,
    frame: pd.DataFrame | pl.DataFrame,
    r: redis.Redis,
    cache: RedisCache,
    repeat: int,
) -> None:
    pkey, akey = "axion:bench:pickle", "axion:bench:arrow"

    def pickle_set() -> None:
        r.set(pkey, pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL), px=600_000)

    def pickle_get() -> object:
        return pickle.loads(r.get(pkey))  # type: ignore[arg-type]

    def arrow_set() -> None:
        cache.set_dataframe_sync(akey, frame, ttl=600)

    def arrow_get() -> object:
        return cache.get_dataframe_sync(akey)

    # Interleave the two so that load from other processes hits both alike.
    p_set = a_set = p_get = a_get = 0.0
    for _ in range(repeat):
        p_set += timed(pickle_set, 1)[0]
        a_set += timed(arrow_set, 1)[0]
        p_get += timed(pickle_get, 1)[0]
        a_get += timed(arrow_get, 1)[0]
    p_set, a_set, p_get, a_get = (x / repeat for x in (p_set, a_set, p_get, a_get))
    back = arrow_get()
    if isinstance(frame, pd.DataFrame):
        pd.testing.assert_frame_equal(back, frame)  # type: ignore[arg-type]
    else:
        assert isinstance(back, pl.DataFrame)
        assert back.equals(frame)
    p_bytes, a_bytes = int(r.strlen(pkey)), int(r.strlen(akey))  # type: ignore[arg-type]
    p_rt, a_rt = p_set + p_get, a_set + a_get

    print(f"\n{label}: {len(frame):,} rows, mean of {repeat} runs")
    print(f"{'':14}{'set s':>9}{'get s':>9}{'round s':>9}{'MB stored':>11}")
    print(f"{'pickle':14}{p_set:9.3f}{p_get:9.3f}{p_rt:9.3f}{p_bytes / 1e6:11.2f}")
    print(f"{'arrow ipc+lz4':14}{a_set:9.3f}{a_get:9.3f}{a_rt:9.3f}{a_bytes / 1e6:11.2f}")
    print(
        f"{'ratio a/p':14}{a_set / p_set:9.2f}{a_get / p_get:9.2f}{a_rt / p_rt:9.2f}"
        f"{a_bytes / p_bytes:11.2f}"
    )
    ok = a_rt <= p_rt and a_bytes <= 0.75 * p_bytes
    print(f"target (round trip <= pickle, bytes <= 0.75x): {'MET' if ok else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    url = os.environ.get("AXION_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    r = redis.Redis.from_url(url)
    cache = RedisCache(url, namespace="axion", socket_timeout=30)
    frame = bars_frame(args.rows)
    try:
        run_pair("pandas bars", frame, r, cache, args.repeat)
        run_pair("polars bars", pl.from_pandas(frame), r, cache, args.repeat)
    finally:
        r.delete("axion:bench:pickle", "axion:bench:arrow")
        r.close()
        cache.close()


if __name__ == "__main__":
    main()
