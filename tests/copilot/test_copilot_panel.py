"""The panel, driven by setting widget values (no browser)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from loopback import LoopbackAPI, reply, text_message, tool_message

from axion_lab.copilot import CopilotConfig, CopilotEngine
from axion_lab.data import Market
from axion_lab.panels import CopilotPanel


def test_offline_panel_answers_shows_steps_and_reports(tiny_market: Market, tmp_path: Path) -> None:
    panel = CopilotPanel(market=tiny_market, report_dir=tmp_path)
    assert panel.report() is None
    assert "Ask a question first" in panel.status.value
    panel.offline.value = True
    panel.analysis_type.value = "stock"
    panel.symbols.value = "acme"
    panel.style.value = "value"
    panel.question.value = "Is ACME worth a look?"
    panel.ask_button.click()
    response = panel.last_response
    assert response is not None
    assert response.offline
    assert "Offline: no language model was used." in panel.answer.value
    assert "$129.90" in panel.answer.value
    assert [panel.steps.get_title(i) for i in range(len(panel.steps.children))] == [
        "[T1] get_quote",
        "[T2] get_price_history",
        "[T3] get_fundamentals",
    ]
    assert "<table" in panel.steps.children[0].value
    assert "0 flagged" in panel.status.value
    assert panel.engine().config.style.value == "value"

    panel.report_button.click()
    (path,) = tmp_path.glob("copilot-*.ipynb")
    assert path.with_suffix(".html").is_file()
    assert "Is ACME worth a look?" in "".join(c.source for c in nbformat.read(path, 4).cells)


def test_online_panel_streams_and_shows_idea_cards(
    online: LoopbackAPI, tiny_market: Market, request: pytest.FixtureRequest
) -> None:
    idea = {
        "symbol": "ACME",
        "direction": "long",
        "thesis": "Uptrend [T1].",
        "entry": 130.0,
        "target": 150.0,
        "stop": 125.0,
        "horizon": "medium_term",
        "risk_score": 30,
        "supporting": ["T1"],
    }
    online.script = [
        reply(tool_message(("tu_1", "get_quote", {"symbols": ["ACME"]}))),
        reply(tool_message(("tu_2", "propose_trade_idea", idea))),
        reply(text_message("ACME at $129.90 [T1], up 99% this year [T1].")),
    ]
    engine = CopilotEngine(
        CopilotConfig(model="claude-sonnet-4-6", max_retries=0), market=tiny_market
    )
    request.addfinalizer(lambda: panel.engine().close())
    panel = CopilotPanel(engine)
    seen: list[str] = []
    panel.answer.observe(lambda change: seen.append(change["new"]), names="value")
    panel.question.value = "Ideas on ACME?"
    response = panel.ask()
    assert response is not None
    assert not response.offline
    streaming = [v for v in seen if v.startswith("<pre")]
    assert len(streaming) > 3  # the widget updated as deltas arrived
    assert "ACME at $129.90" in seen[-1]
    assert "99%⚠" in panel.answer.value
    assert "1 flagged" in panel.checks.value
    (card,) = panel.ideas.children
    assert "LONG ACME" in card.value
    assert "advice only" in card.value
    assert panel.steps.get_title(1) == "[T2] propose_trade_idea"


def test_panel_shows_errors_in_the_status(tiny_market: Market) -> None:
    panel = CopilotPanel(market=tiny_market)
    panel.offline.value = True
    panel.analysis_type.value = "portfolio"
    panel.question.value = "Review"
    assert panel.ask() is None
    assert "needs holdings" in panel.status.value
    assert "#c62828" in panel.status.value
