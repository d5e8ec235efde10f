"""Signals: outcome tracking (vectorised polars) beside a plain per-signal reference.

* ``evaluate_outcomes``: one join of every signal with its later bars, first event
  per signal by a polars group-by.
* reference: the textbook loop: for each signal, slice its symbol's later bars in
  pandas and walk them row by row (gap fills at the open, stop first on a two-sided
  bar, expiry at the last close). Statuses and exits are compared with ours.

Also times one walk-forward calibration date on the sandbox (``market.as_of``,
features for the universe, scoring, forward evaluation).

Run: ``.venv/bin/python benchmarks/bench_signals.py [--signals N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import pandas as pd
import polars as pl

from axion_lab import load_market
from axion_lab.signals import SimpleHit, calibrate, evaluate_outcomes, generate_signals
from axion_lab.signals.money import price_to_cents


def reference(signals: list, market) -> dict[str, tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    bars = market.bars.filter(pl.col("symbol").is_in([s.symbol for s in signals])).to_pandas()
    bars["day"] = bars["ts"].dt.date
    groups = {sym: g.sort_values("day") for sym, g in bars.groupby("symbol")}
    out: dict[str, tuple[str, int | None]] = {}
    for s in signals:
        g = groups[s.symbol]
        later = g[(g["day"] > s.as_of) & (g["day"] <= min(s.expires_on, market.end))]
        tgt, stp, long = s.target_cents / 100, s.stop_cents / 100, s.direction.sign > 0
        result: tuple[str, int | None] | None = None
        for row in later.itertuples():
            o, h, lo = row.open, row.high, row.low
            if (o <= stp) if long else (o >= stp):
                result = ("hit_stop", price_to_cents(o))
            elif (o >= tgt) if long else (o <= tgt):
                result = ("hit_target", price_to_cents(o))
            elif (lo <= stp) if long else (h >= stp):
                result = ("hit_stop", s.stop_cents)
            elif (h >= tgt) if long else (lo <= tgt):
                result = ("hit_target", s.target_cents)
            if result:
                break
        if result is None:
            if market.end >= s.expires_on:
                last = later["close"].iloc[-1] if len(later) else s.entry_cents / 100
                result = ("expired", price_to_cents(float(last)))
            else:
                result = ("active", None)
        out[s.id] = result
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--signals", type=int, default=1500)
    args = parser.parse_args()
    market = load_market()
    day = dt.date(2024, 6, 28)
    equities = market.instruments.filter(pl.col("asset_class") == "equity")["symbol"]
    hits = [SimpleHit(s, day, "bench", "long", 0.5) for s in equities.head(args.signals)]
    t0 = time.perf_counter()
    signals = list(generate_signals(market, hits))
    t_gen = time.perf_counter() - t0

    t0 = time.perf_counter()
    ours = evaluate_outcomes(signals, market).by_id()
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = reference(signals, market)
    t_ref = time.perf_counter() - t0
    same = sum((o.status.value, o.exit_cents) == ref[i] for i, o in ours.items())
    print(f"generate {len(signals)} signals (1 date, features + scores): {t_gen:.2f}s")
    print(
        f"evaluate_outcomes: {t_ours * 1000:.0f} ms; pandas loop reference: "
        f"{t_ref * 1000:.0f} ms; ratio {t_ref / t_ours:.1f}x; agree on {same}/{len(ours)}"
    )

    t0 = time.perf_counter()
    cal = calibrate(market, dates=[day])
    t_cal = time.perf_counter() - t0
    print(f"calibrate, one date, whole universe ({len(cal.signals)} signals): {t_cal:.2f}s")
    print(pd.DataFrame(cal.table().to_dicts()).to_string(index=False))


if __name__ == "__main__":
    main()
