"""StressTestPanel driven by setting widget values and calling handlers (no browser)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import axion_lab.scenarios as scenarios
from axion_lab.data import Market
from axion_lab.panels import StressTestPanel
from axion_lab.scenarios import ScenarioComparison, ScenarioResult

EDITOR = "symbol,shares\nAAA,100\nBBB,50\nBOND,20\nCASH,1000\n"


@pytest.fixture
def panel(small_market: Market) -> StressTestPanel:
    p = StressTestPanel(small_market)
    p.editor.value = EDITOR
    return p


def test_run_predefined_scenario(panel: StressTestPanel) -> None:
    panel.scenario.value = "gfc_2008"
    result = panel.run()
    assert isinstance(result, ScenarioResult)
    assert result.scenario.name == "gfc_2008"
    assert panel.last_result is result
    assert "2008 financial crisis" in panel.result_html.value
    assert panel.chart.value[:4] == b"\x89PNG"
    # The panel computes nothing itself: the same engine call gives the same numbers.
    direct = panel.analyzer.run(panel.portfolio(), "gfc_2008")
    assert direct.pnl_cents == result.pnl_cents
    assert panel.portfolio().cash_cents == 100_000


def test_custom_shock_builder(panel: StressTestPanel) -> None:
    panel.scenario.value = "custom"
    panel.market_shock.value = -0.3
    panel.sector.value = "Utilities"
    panel.sector_shock.value = -0.5
    panel.rates_bp.value = 100
    result = panel.run()
    assert result is not None
    sc = result.scenario
    assert (sc.market, dict(sc.sectors), sc.rates_bp) == (-0.3, {"Utilities": -0.5}, 100.0)
    bbb = result.to_frame("holdings").filter(pl.col("symbol") == "BBB").row(0, named=True)
    assert bbb["sector"] == pytest.approx(-0.5 - -0.3)


def test_compare_view(panel: StressTestPanel) -> None:
    panel.compare_with.value = ("covid_2020", "recession")
    result = panel.compare()
    assert isinstance(result, ScenarioComparison)
    assert result.to_frame()["scenario"].to_list() == ["covid_2020", "recession"]
    assert "impact by scenario" in panel.result_html.value


def test_errors_show_in_status_not_raised(panel: StressTestPanel) -> None:
    panel.editor.value = "symbol,shares\nAAB,10\n"
    assert panel.run() is None
    assert "Unknown symbol" in panel.status.value
    assert "row 2" in panel.status.value
    assert "Did you mean" in panel.status.value


def test_upload_fills_the_editor(panel: StressTestPanel) -> None:
    content = b"symbol,shares\nCCC,7\n"
    upload = {
        "name": "mine.csv",
        "type": "text/csv",
        "size": len(content),
        "content": memoryview(content),
        "last_modified": dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
    }
    panel.upload.value = (upload,)
    assert panel.editor.value == "symbol,shares\nCCC,7\n"
    assert panel.portfolio().symbols == ("CCC",)
    assert "mine.csv" in panel.status.value


def test_preset_portfolio_fills_the_editor(market: Market) -> None:
    panel = StressTestPanel(market)
    panel.preset.value = "income"
    assert panel.editor.value.startswith("symbol,shares\nAXDV,")
    assert set(panel.portfolio().symbols) == set(scenarios.EXAMPLE_PORTFOLIOS["income"])


def test_public_api_is_curated() -> None:
    exported = set(scenarios.__all__)
    for name in (
        "WhatIfAnalyzer",
        "RebalanceSimulator",
        "ScenarioAnalyzer",
        "PortfolioComparer",
        "GoalPlanner",
        "PREDEFINED_SCENARIOS",
        "Portfolio",
        "Holding",
        "ProposedTrade",
        "TradeAction",
        "ScenarioType",
        "GoalType",
    ):
        assert name in exported
    assert all(hasattr(scenarios, n) for n in exported)
    assert scenarios.__all__ == sorted(scenarios.__all__, key=lambda n: (not n.isupper(), n))
