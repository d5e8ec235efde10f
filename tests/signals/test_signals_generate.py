"""Generation: entry, ATR levels (checked against TA-Lib), scores, hits adapters."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import polars as pl
import pytest
import talib
from signal_data import make_market, random_walk

from axion_lab.data.market import Market
from axion_lab.exceptions import InputError, UnknownNameError, UnknownSymbolError
from axion_lab.signals import (
    SimpleHit,
    TimeHorizon,
    expiry_date,
    generate_signals,
    hits_from_scan,
    hits_from_screen,
    price_to_cents,
)


def _hits(market: Market, *symbols: str, direction: str = "long") -> list[SimpleHit]:
    return [SimpleHit(s, market.end, "test_scan", direction, 0.8) for s in symbols]


def test_levels_follow_atr_multiples(walk_market: Market) -> None:
    out = generate_signals(walk_market, _hits(walk_market, "MIDL"), horizon="swing")
    (sig,) = out.signals
    bars = walk_market.bars.filter(pl.col("symbol") == "MIDL").sort("ts")
    high, low, close = (bars[c].to_numpy() for c in ("high", "low", "close"))
    atr = float(talib.ATR(high, low, close, timeperiod=14)[-1])
    last = float(close[-1])
    assert sig.entry_cents == price_to_cents(last)
    assert sig.target_cents == price_to_cents(last + 3.0 * atr)
    assert sig.stop_cents == price_to_cents(last - 1.5 * atr)
    assert sig.as_of == walk_market.end
    assert sig.expires_on == expiry_date(walk_market.end, TimeHorizon.SWING)
    assert sig.risk is not None
    assert sig.risk.atr == pytest.approx(atr)
    short = generate_signals(walk_market, _hits(walk_market, "MIDL", direction="short"))[0]
    assert short.target_cents == price_to_cents(last - 3.0 * atr)
    assert short.stop_cents == price_to_cents(last + 1.5 * atr)


def test_risk_ranks_the_walks_by_volatility(walk_market: Market) -> None:
    out = generate_signals(walk_market, _hits(walk_market, "CALM", "MIDL", "WILD"))
    risk = {s.symbol: s.risk_score for s in out}
    assert risk["CALM"] < risk["MIDL"] < risk["WILD"]
    for s in out:
        for kind, score in (
            ("risk", s.risk_score),
            ("profit", s.profit_potential_score),
            ("confidence", s.confidence_score),
        ):
            assert abs(sum(f.points for f in s.factors_of(kind)) - score) <= 0.5


def test_agreeing_sources_raise_confidence(walk_market: Market) -> None:
    one = generate_signals(walk_market, _hits(walk_market, "MIDL"))[0]
    two = generate_signals(
        walk_market,
        [*_hits(walk_market, "MIDL"), SimpleHit("MIDL", walk_market.end, "other", "long", 0.8)],
    )
    assert len(two) == 2
    assert all(s.confidence_score > one.confidence_score for s in two)


def test_unusable_hits_are_skipped_with_a_reason() -> None:
    m = make_market(
        {"OLD": random_walk(300, vol=0.01, seed=4), "NEW": random_walk(10, vol=0.01, seed=5)}
    )
    day = m.trading_days[9]  # NEW's last session: 10 bars, too few for ATR(14)
    penny = make_market({"PENY": np.full(60, 0.01)})
    hits = [SimpleHit("NEW", day, "a"), SimpleHit("NEW", m.end, "b"), SimpleHit("OLD", m.end, "a")]
    out = generate_signals(m, hits)
    assert [k.reason for k in out.skipped] == [
        "no ATR(14) yet (fewer than 15 sessions of history)",
        "no bars in the week to the hit date",
    ]
    assert out.skipped_frame().height == 2
    assert len(out) == 1
    low = generate_signals(penny, [SimpleHit("PENY", penny.end, "scan")])
    assert "too small" in low.skipped[0].reason or "at or below zero" in low.skipped[0].reason
    with pytest.raises(InputError, match="strength must be between 0 and 1"):
        SimpleHit("OLD", day, "scan", strength=70)


def test_hits_from_scan_reads_real_scan_hits() -> None:
    from axion_lab.scanner.result import ScanHit

    def hit(symbol: str, direction: str, strength: str) -> ScanHit:
        return ScanHit(
            symbol=symbol, ts=dt.datetime(2024, 6, 28), scanner="gap_up", category="technical",
            direction=direction, strength=strength, value=0.05, trend=None, open=1.0, high=1.0,
            low=1.0, close=1.0, volume=1, values={"gap": 0.05},
        )  # fmt: skip

    hits = hits_from_scan([hit("AAA", "bullish", "strong"), hit("BBB", "bearish", "weak"),
                           hit("CCC", "neutral", "moderate")])  # fmt: skip
    assert [(h.symbol, h.direction.value, h.strength, h.source) for h in hits] == [  # type: ignore[union-attr]
        ("AAA", "long", 1.0, "gap_up"),
        ("BBB", "short", 0.4, "gap_up"),
    ]
    assert hits[0].ts == dt.date(2024, 6, 28)
    assert hits[0].values == {"gap": 0.05}
    with pytest.raises(UnknownNameError, match="Did you mean 'strong'"):
        hits_from_scan([hit("AAA", "bullish", "strnog")])


def test_screen_to_signals_on_the_sandbox(market: Market) -> None:
    from axion_lab.screener import ScreenerEngine

    found = ScreenerEngine(market).run("momentum", as_of="2024-06-28", limit=6)
    hits = hits_from_screen(found)
    assert [h.strength for h in hits] == [1.0, 0.9, 0.8, 0.7, 0.6, 0.5]
    out = generate_signals(market, hits)
    assert {s.symbol for s in out} == set(found.symbols)
    closes = market.as_of("2024-06-28").bars.filter(pl.col("ts") == dt.datetime(2024, 6, 28))
    by_symbol = dict(zip(closes["symbol"], closes["close"], strict=True))
    assert all(s.entry_cents == price_to_cents(by_symbol[s.symbol]) for s in out)
    frame = out.to_frame()
    assert frame.height == 6
    assert frame["confidence_score"].is_sorted(descending=True)
    assert out.to_pandas().index.name == "id"
    html = out._repr_html_()
    assert "synthetic data" in html
    assert "$" in html
    assert out.factors_frame().height == sum(len(s.factors) for s in out)


def test_unknown_symbols_raise_and_unlisted_ones_are_skipped(walk_market: Market) -> None:
    with pytest.raises(UnknownSymbolError, match="Did you mean 'MIDL'"):
        generate_signals(walk_market, [SimpleHit("MIDLE", walk_market.end, "scan")])
    late = make_market({"EARLY": random_walk(300, vol=0.01, seed=6)})
    ipo = dataclasses.replace(
        late,
        instruments=late.instruments.with_columns(pl.lit(late.end).alias("ipo_date")),
    )
    out = generate_signals(ipo, [SimpleHit("EARLY", ipo.trading_days[100], "scan")])
    assert [k.reason for k in out.skipped] == [f"not listed on {ipo.trading_days[100]}"]
