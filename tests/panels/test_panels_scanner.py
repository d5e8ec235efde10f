"""ScannerPanel driven by setting widget values and calling handlers (no browser)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
import talib
from polars.testing import assert_frame_equal

from axion_lab.data import Market
from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.panels import ScannerPanel
from axion_lab.scanner import ScannerEngine, universe_symbols
from axion_lab.signals import NAMED_PROFILES as PROFILES
from axion_lab.signals import generate_signals, hits_from_scan, match_signals, profile_for

PRESETS = ("gap_up", "gap_down", "volume_spike", "rsi_oversold", "rsi_overbought")


@pytest.fixture(scope="module")
def symbols(market: Market) -> list[str]:
    return market.universe(index="AX400")[:40]


@pytest.fixture(scope="module")
def as_of(market: Market) -> str:
    return market.trading_days[-40].isoformat()


@pytest.fixture(scope="module")
def engine(market: Market) -> ScannerEngine:
    return ScannerEngine(market)


@pytest.fixture
def panel(market: Market, engine: ScannerEngine, symbols: list[str], as_of: str) -> ScannerPanel:
    p = ScannerPanel(market, engine=engine)
    p.universe.value = ",".join(symbols)
    p.as_of.value = as_of
    p.presets.value = PRESETS
    return p


@pytest.fixture(scope="module")
def scanned(market: Market, engine: ScannerEngine, symbols: list[str], as_of: str) -> ScannerPanel:
    """One panel that ran presets, every pattern and unusual activity (shared: scans cost)."""
    p = ScannerPanel(market, engine=engine)
    p.universe.value = "AX400"
    p.as_of.value = as_of
    p.patterns.value = "patterns"
    p.unusual.value = True
    assert p.run() is not None
    return p


# --- one scan ----------------------------------------------------------------------------
def test_run_shows_the_engines_hits(
    panel: ScannerPanel, engine: ScannerEngine, symbols: list[str], as_of: str
) -> None:
    panel.patterns.value = "candles"
    panel.unusual.value = True
    result = panel.run()
    assert result is not None
    assert panel.result is result
    direct = engine.scan([*PRESETS, "candles", "unusual"], as_of=as_of, symbols=symbols)
    assert len(direct) > 5
    assert_frame_equal(result.hits, direct.hits)
    assert result.end is not None
    assert result.end.date().isoformat() == as_of
    assert f"{len(direct):,} hits over 40 symbols on {as_of}" in panel.status.value
    assert len(panel.hit_picker.options) == len(direct)
    assert panel.table.value.startswith("<div><b>Scan</b>")
    assert panel.chart.value[:4] == b"\x89PNG"  # the first hit is drawn straight away


def test_custom_rule_agrees_with_talib_rsi(
    market: Market, panel: ScannerPanel, symbols: list[str], as_of: str
) -> None:
    panel.presets.value = ()
    panel.custom_column.value = "rsi_14"
    panel.custom_op.value = "<"
    panel.custom_value.value = "45"
    panel.custom_direction.value = "bullish"
    result = panel.run()
    assert result is not None
    assert set(result.hits["scanner"]) == {"custom"}
    assert set(result.hits["direction"]) == {"bullish"}
    # Independent reference: TA-Lib's RSI over the same 400 bars the engine reads.
    expected = set()
    for sym in symbols:
        closes = market.bars_for(sym, end=as_of).tail(panel.engine.history_bars)
        if closes["ts"].dt.date().max().isoformat() != as_of:
            continue
        rsi = talib.RSI(closes["close"].to_numpy().astype(np.float64), timeperiod=14)[-1]
        if rsi < 45:
            expected.add(sym)
    assert expected
    assert set(result.hits["symbol"]) == expected


def test_custom_rule_against_another_column(panel: ScannerPanel) -> None:
    panel.presets.value = ()
    panel.custom_column.value = "close"
    panel.custom_op.value = ">"
    panel.custom_value.value = "sma_50"
    result = panel.run()
    assert result is not None
    assert len(result) > 0
    for hit in result:
        assert hit.values["close"] is not None
        assert hit.values["sma_50"] is not None
        assert hit.values["close"] > hit.values["sma_50"]
        assert hit.close == hit.values["close"]


# --- streaming ---------------------------------------------------------------------------
def test_streaming_through_the_panel_equals_a_batch_scan(
    market: Market, panel: ScannerPanel, symbols: list[str], as_of: str
) -> None:
    panel.universe.value = ",".join(symbols[:6])
    panel.interval.value = "15m"
    panel.patterns.value = "candles"
    panel.presets.value = ("volume_spike", "rsi_oversold", "rsi_overbought", "big_gainers")
    steps = panel.start_stream()
    assert steps == 26  # 15-minute bars of a 09:30-16:00 session
    assert panel.result is not None
    assert len(panel.result) == 0
    seen = 0
    for _ in range(steps):
        new = panel.step()
        assert len(panel.result) == seen + new.height  # appended, never rebuilt
        seen = len(panel.result)
        assert f"{seen:,} hits through" in panel.status.value
    assert panel.step().height == 0  # the feed is exhausted
    bars = market.as_of(as_of).intraday(symbols[:6], days=2, interval="15m")
    session = bars["ts"].dt.date().max()
    batch = (
        ScannerEngine(bars)
        .scan_history([*panel.presets.value, "candles"])
        .hits.filter(pl.col("ts").dt.date() == session)
    )
    assert batch.height > 10
    keys = ["symbol", "ts", "scanner", "direction", "strength", "trend"]
    assert panel.result.hits.select(keys).equals(batch.select(keys))
    assert_frame_equal(panel.result.hits, batch, check_exact=False, rel_tol=1e-9)


def test_stream_button_runs_the_whole_session(panel: ScannerPanel, symbols: list[str]) -> None:
    panel.universe.value = ",".join(symbols[:3])
    panel.interval.value = "30m"
    panel.patterns.value = "candles"
    result = panel.stream()
    assert result is not None
    assert panel.result is result
    assert panel.status.value.endswith(f"Stream finished: {len(result):,} hits.</span>")
    assert result.hits["ts"].dt.date().n_unique() == 1


# --- chart -------------------------------------------------------------------------------
def test_chart_for_a_selected_pattern_hit(scanned: ScannerPanel) -> None:
    assert scanned.result is not None
    hits = scanned.result.hits
    with_points = hits.with_row_index().filter(pl.col("points").list.len() > 0)
    assert with_points.height, "a chart pattern fired somewhere in AX400"
    first_option = scanned.hit_picker.options[0][1]
    assert first_option in with_points["index"].to_list()  # chart patterns listed first
    other = next(i for i in with_points["index"] if i != scanned.hit_picker.value)
    scanned.chart.value = b""
    scanned.hit_picker.value = other
    assert scanned.chart.value[:4] == b"\x89PNG"
    fig = scanned.show_chart()
    assert fig is not None
    assert fig.axes[0].get_title(loc="left").startswith(hits["symbol"][other])


# --- signals -----------------------------------------------------------------------------
def test_signals_and_matches_for_a_profile(market: Market, scanned: ScannerPanel) -> None:
    scanned.profile.value = "conservative"
    matches = scanned.signals()
    assert matches is not None
    assert scanned.signal_set is not None
    assert scanned.result is not None
    direct = generate_signals(market, hits_from_scan(scanned.result))
    assert_frame_equal(scanned.signal_set.to_frame(), direct.to_frame())
    ranked = match_signals(direct, profile_for("conservative"))
    assert_frame_equal(matches.to_frame(), ranked.to_frame())
    assert len(matches) > 0
    # A conservative user is shown nothing riskier than their tolerance plus the band.
    risk = {s.id: s.risk_score for s in direct}
    assert max(risk[i] for i in matches.to_frame()["signal_id"]) <= PROFILES["conservative"] + 15
    assert "match the conservative profile" in scanned.status.value
    assert scanned.signals_html.value


@pytest.mark.filterwarnings("ignore:Sortedness of columns cannot be checked:UserWarning")
def test_track_record_puts_history_beside_the_scores(
    market: Market, panel: ScannerPanel, as_of: str
) -> None:
    # (The warning is polars' join_asof inside axion_lab.signals.tracking.)
    panel.presets.value = ("rsi_oversold", "rsi_overbought", "volume_spike")
    assert panel.run() is not None
    assert panel.signals() is not None
    calibration = panel.track_record(dates=2, every=21)
    assert calibration is not None
    assert len(calibration.dates) == 2
    assert max(calibration.dates).isoformat() < as_of  # point in time: all before as_of
    assert "Scores beside their bucket" in panel.signals_html.value
    assert "Score calibration" in panel.signals_html.value


# --- errors ------------------------------------------------------------------------------
def test_errors_show_in_the_status_line(panel: ScannerPanel) -> None:
    panel.universe.value = "AX40O"
    assert panel.run() is None
    assert "Did you mean" in panel.status.value
    assert "#c62828" in panel.status.value
    panel.universe.value = "AX400"
    panel.as_of.value = "1990-01-02"
    assert panel.run() is None
    assert "outside this market" in panel.status.value
    assert panel.start_stream() == 0
    assert "outside this market" in panel.status.value
    panel.as_of.value = ""
    panel.custom_column.value = "rsi_14"
    panel.custom_value.value = "30%"
    assert panel.run() is None
    assert "custom rule" in panel.status.value
    panel.custom_column.value = ""
    panel.presets.value = ()
    assert panel.run() is None
    assert "Nothing to scan" in panel.status.value


def test_actions_out_of_order(market: Market, engine: ScannerEngine) -> None:
    fresh = ScannerPanel(market, engine=engine)
    with pytest.raises(InputError, match="start_stream"):
        fresh.step()
    assert fresh.signals() is None
    assert "run a scan first" in fresh.status.value
    assert fresh.show_chart() is None


def test_profiles_and_universes(market: Market) -> None:
    assert profile_for("Aggressive").risk_tolerance == PROFILES["aggressive"]
    with pytest.raises(UnknownNameError, match="moderate"):
        profile_for("moderat")
    assert universe_symbols(market, "") is None
    assert universe_symbols(market, "ax400") == market.universe(index="AX400")
    first = market.symbols[0]
    assert universe_symbols(market, f" {first.lower()} ,") == [first]
