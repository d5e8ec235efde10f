"""Calibration is point in time: the future changes outcomes, never scores."""

from __future__ import annotations

import dataclasses

import polars as pl

from axion_lab.data.market import Market
from axion_lab.signals import SignalStatus, calibrate, evaluate_outcomes


def _plant_rally(market: Market, symbol: str, after: object, factor: float) -> Market:
    """A copy of ``market`` where ``symbol`` trades ``factor`` x higher after a date."""
    later = (pl.col("symbol") == symbol) & (pl.col("ts").dt.date() > after)
    bars = market.bars.with_columns(
        pl.when(later).then(pl.col(c) * factor).otherwise(pl.col(c)).alias(c)
        for c in ("open", "high", "low", "close")
    )
    return dataclasses.replace(market, bars=bars)


def test_a_planted_future_move_changes_the_outcome_not_the_score(walk_market: Market) -> None:
    day = walk_market.trading_days[280]
    base = calibrate(walk_market, dates=[day])
    planted = _plant_rally(walk_market, "CALM", day, 1.5)
    moved = calibrate(planted, dates=[day])

    def scored(cal: object) -> dict[str, tuple]:
        return {
            s.symbol: (s.risk_score, s.profit_potential_score, s.confidence_score, s.factors,
                       s.entry_cents, s.target_cents, s.stop_cents)
            for s in cal.signals  # type: ignore[attr-defined]
        }  # fmt: skip

    assert scored(base) == scored(moved)
    before = {o.signal_id: o for o in base.outcomes}
    after = {o.signal_id: o for o in moved.outcomes}
    calm = next(s for s in base.signals if s.symbol == "CALM")
    assert before[calm.id].status is not SignalStatus.HIT_TARGET
    assert after[calm.id].status is SignalStatus.HIT_TARGET
    assert after[calm.id].return_bps > before[calm.id].return_bps
    others = [s.id for s in base.signals if s.symbol != "CALM"]
    assert all(before[i] == after[i] for i in others)


def test_table_counts_and_rates_match_the_outcomes(walk_market: Market) -> None:
    days = list(walk_market.trading_days[260:300:5])
    cal = calibrate(walk_market, dates=days)
    assert cal.dates == tuple(days)
    assert len(cal.signals) == 3 * len(days)
    table = cal.table()
    assert table.height == 15  # 3 scores x 5 buckets, empty buckets included
    resolved = [o for o in cal.outcomes if o.status.is_closed]
    by_id = {s.id: s for s in cal.signals}
    for score in ("risk", "profit_potential", "confidence"):
        rows = table.filter(pl.col("score") == score)
        assert rows["signals"].sum() == len(resolved)
    # Recompute one bucket by hand.
    risk = table.filter(pl.col("score") == "risk").filter(pl.col("signals") > 0).row(0, named=True)
    lo, hi = (int(x) for x in risk["bucket"].split("-"))
    members = [
        o
        for o in resolved
        if lo <= by_id[o.signal_id].risk_score < max(hi, 101 if hi == 100 else hi)
    ]
    assert risk["signals"] == len(members)
    hit = sum(o.status is SignalStatus.HIT_TARGET for o in members) / len(members)
    assert abs(risk["hit_rate"] - hit) < 1e-12
    assert abs(risk["mean_return_bps"] - sum(o.return_bps for o in members) / len(members)) < 1e-9
    beside = cal.beside(cal.signals.signals[:2])
    assert {"risk_hit_rate", "confidence_mean_return_bps"} <= set(beside.columns)
    assert "Score calibration" in cal._repr_html_()
    # The outcomes are what tracking says with the full history.
    again = evaluate_outcomes(cal.signals, walk_market).by_id()
    assert all(again[o.signal_id] == o for o in cal.outcomes)


def test_pattern_stats_only_use_outcomes_known_by_the_date(walk_market: Market) -> None:
    days = list(walk_market.trading_days[200:300:2])
    cal = calibrate(walk_market, dates=days, horizon="short")
    stats = cal.pattern_stats()["universe"]
    closed = [o for o in cal.outcomes if o.status.is_closed]
    assert stats.n == len(closed)
    # With >= 30 resolved signals known, later signals carry a 'history' factor; the
    # first date's cannot (nothing had resolved yet).
    first = [s for s in cal.signals if s.as_of == days[0]]
    last = [s for s in cal.signals if s.as_of == days[-1]]
    assert all(not any(f.name == "history" for f in s.factors) for s in first)
    assert all(any(f.name == "history" for f in s.factors) for s in last)
