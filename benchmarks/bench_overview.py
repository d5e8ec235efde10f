"""Market overview on the sandbox market: our polars engine beside a pandas reference.

The reference computes the same breadth measures (advancers/decliners, % above the
50- and 200-day averages) the usual pandas way, on a wide date x symbol frame, and
the run checks both agree before printing times.

    .venv/bin/python benchmarks/bench_overview.py
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import polars as pl

from axion_lab import load_market
from axion_lab.overview import market_overview
from axion_lab.overview.breadth import breadth


def pandas_breadth(adjusted: pl.DataFrame) -> pd.DataFrame:
    wide = adjusted.to_pandas().pivot(index="ts", columns="symbol", values="close").sort_index()
    prev = wide.shift(1)
    out = pd.DataFrame(index=wide.index)
    out["advancers"] = (wide > prev).sum(axis=1)
    out["decliners"] = (wide < prev).sum(axis=1)
    for w in (50, 200):
        ma = wide.rolling(w, min_periods=w).mean()
        valid = ma.notna() & wide.notna()
        above = (wide > ma).astype(float).where(valid).sum(axis=1)
        out[f"pct_above_ma{w}"] = above / valid.sum(axis=1).astype(float).replace(0.0, np.nan) * 100
    return out


def timed(fn, repeat: int = 3):  # type: ignore[no-untyped-def]
    best, value = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


def main() -> None:
    market = load_market()
    symbols = market.universe(asset_class="equity")
    adjusted = market.adjusted_bars("split", symbols=symbols)
    print(f"sandbox: {len(symbols)} equities, {adjusted.height:,} daily bars")

    t_ours, ours = timed(lambda: breadth(adjusted, market.start, market.end))
    t_ref, ref = timed(lambda: pandas_breadth(adjusted))
    ref = ref.iloc[1:]  # our first row has no previous close either
    ours_pd = ours.to_pandas().iloc[1:]
    assert np.array_equal(ours_pd["advancers"].to_numpy(), ref["advancers"].to_numpy())
    for w in (50, 200):
        np.testing.assert_allclose(
            ours_pd[f"pct_above_ma{w}"].to_numpy(dtype=float),
            ref[f"pct_above_ma{w}"].to_numpy(dtype=float),
            equal_nan=True,
        )
    print(
        f"breadth, full history  ours {t_ours * 1e3:8.1f} ms   pandas {t_ref * 1e3:8.1f} ms"
        f"   ratio {t_ref / t_ours:5.2f}x"
    )

    t_all, _ = timed(lambda: market_overview(market))
    t_sector, _ = timed(lambda: market_overview(market, sector="Information Technology"))
    print(f"market_overview, whole market {t_all * 1e3:8.1f} ms")
    print(f"market_overview, one sector   {t_sector * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
