"""Offline mode: no key, no model; same tools, templated answers, plainly labelled."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from axion_lab.config import get_settings, reload_settings
from axion_lab.copilot import AnalysisModule, CopilotEngine
from axion_lab.data import Market
from axion_lab.exceptions import CopilotError, InputError

LABEL = "> **Offline analysis — no language model was used.**"


def test_without_a_key_the_copilot_runs_offline(make_engine: Callable[..., CopilotEngine]) -> None:
    assert get_settings().anthropic_api_key is None
    engine = make_engine()
    assert engine.offline
    assert "offline" in repr(engine)
    response = engine.ask("What about ACME?", analysis_type="stock")
    assert response.offline
    assert response.model == "offline"
    assert response.cost_usd is None
    assert response.text.startswith(LABEL)
    assert "no Anthropic API key is configured" in response.text
    assert "- **Price**: $129.90" in response.text
    assert "revenue $1.30bn, net income $130.00m, EPS 1.30" in response.text
    assert [c.tool for c in response.tool_calls] == [
        "get_quote",
        "get_price_history",
        "get_fundamentals",
    ]
    assert response.check.ok
    assert len(response.check.mentions) >= 8
    assert response.usage.requests == 0


def test_the_sdk_variable_counts_as_a_key(
    monkeypatch: pytest.MonkeyPatch, make_engine: Callable[..., CopilotEngine]
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-from-env")
    reload_settings()
    key = get_settings().anthropic_api_key
    assert key is not None
    assert key.get_secret_value() == "sk-from-env"
    assert not make_engine().offline
    monkeypatch.setenv("AXION_ANTHROPIC_API_KEY", "sk-axion")
    settings = reload_settings()
    assert settings.anthropic_api_key is not None
    assert settings.anthropic_api_key.get_secret_value() == "sk-axion"
    # The key never shows in a printed settings object (logs, notebooks, reports).
    assert "sk-axion" not in repr(settings)
    assert "sk-axion" not in str(settings.model_dump())


def test_forcing_online_without_a_key_says_how_to_fix(
    make_engine: Callable[..., CopilotEngine],
) -> None:
    with pytest.raises(CopilotError, match="No Anthropic API key"):
        make_engine(offline=False).ask("Hi")


def test_offline_analyses_of_every_type(tiny_market: Market) -> None:
    from axion_lab.copilot import CopilotConfig

    analysis = AnalysisModule(
        CopilotEngine(CopilotConfig(offline=True, style="income"), market=tiny_market)
    )
    market = analysis.market()
    assert "## Market overview" in market.text
    assert market.check.ok
    sector = analysis.sector("energy")
    assert "## Energy overview" in sector.text
    assert "BOLT (Bolt Energy (fictional))" in sector.text
    assert sector.check.ok
    folio = analysis.portfolio("ACME:0.5, BOLT:0.5")
    assert "**ACME**" in folio.text
    assert "**BOLT**" in folio.text
    assert folio.check.ok
    assert "BOLT pays no dividend income." in folio.text
    stock = analysis.stock(["ACME", "BOLT"])
    assert stock.check.ok
    assert "## BOLT" in stock.text
    assert len(analysis.session.answers) == 4
    ids = [c.id for c in analysis.session.tool_calls]
    assert ids == [f"T{i}" for i in range(1, len(ids) + 1)]
    with pytest.raises(InputError, match="needs a symbol"):
        analysis.engine.ask("Tell me about something", analysis_type="stock")


@pytest.mark.slow
def test_offline_answers_on_the_sandbox_verify(market: Market) -> None:
    from axion_lab.copilot import CopilotConfig

    engine = CopilotEngine(CopilotConfig(offline=True), market=market)
    symbol = market.universe()[0]
    for kwargs in (
        {"analysis_type": "market"},
        {"analysis_type": "sector", "sector": "Energy"},
        {"analysis_type": "stock", "symbols": [symbol]},
    ):
        response = engine.ask("Overview please", **kwargs)
        assert response.text.startswith(LABEL)
        assert response.check.ok, response.check.to_frame()
        assert all(not c.is_error for c in response.tool_calls)
