"""Offline dividend and portfolio answers: through the new tools, verified by construction."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from axion_lab.copilot import CopilotEngine
from axion_lab.copilot.prompts import money, pct
from axion_lab.data import Market

LABEL = "> **Offline analysis — no language model was used.**"


def test_a_dividend_question_uses_safety_and_drip(
    make_payer_engine: Callable[..., CopilotEngine], payer_market: Market
) -> None:
    from axion_lab.dividends import SafetyAnalyzer

    response = make_payer_engine().ask(
        "Is the PAYR dividend safe, and what if I reinvest it?", analysis_type="stock"
    )
    assert response.offline
    assert response.text.startswith(LABEL)
    assert [c.tool for c in response.tool_calls] == [
        "get_quote",
        "dividend_safety",
        "drip_simulation",
    ]
    _quote, _safety, drip = response.tool_calls
    assert drip.parameters["symbol"] == "PAYR"
    assert drip.parameters["amount_cents"] == 1_000_000
    score = SafetyAnalyzer(payer_market).analyze("PAYR")
    assert (
        f"**PAYR**: safety score {score.scores['score'][0]}, rated very safe [T2]" in response.text
    )
    assert "earnings payout 25 of 25" in response.text
    # Hand-worked: very_safe was scored twice (PAYR at two year ends), never cut.
    assert "0.0% of payers rated very safe cut or suspended" in response.text
    assert "(0 of 2 scored cases) [T2]" in response.text
    assert f"reinvesting ends at {money(drip.data['drip_final_value_usd'])}" in response.text
    assert response.check.ok, response.check.to_frame()
    assert len(response.check.mentions) >= 15


def test_a_portfolio_question_uses_portfolio_summary(
    make_payer_engine: Callable[..., CopilotEngine],
) -> None:
    engine = make_payer_engine()
    response = engine.ask(
        "How is my portfolio?", analysis_type="portfolio", portfolio="PAYR:0.5, GROW:0.3"
    )
    assert [c.tool for c in response.tool_calls] == ["get_quote", "portfolio_summary"]
    summary = response.tool_calls[1].data
    # Weights 0.5 + 0.3 of $1m: $200,000 stays in cash; HHI of the invested weights.
    assert summary["cash_usd"] == 200_000.0
    assert summary["hhi"] == pytest.approx((0.5 / 0.8) ** 2 + (0.3 / 0.8) ** 2)
    assert "in 2 holdings, cash $200.00k [T2]" in response.text
    assert f"HHI {summary['hhi']:.3f}" in response.text
    assert f"the largest holding is {pct(0.5)} of the value [T2]" in response.text
    assert "Utilities 50.0%, Information Technology 30.0%, CASH 20.0% [T2]" in response.text
    assert "Dividend safety" not in response.text
    assert response.check.ok, response.check.to_frame()

    income = engine.ask(
        "What dividend income does my portfolio give?",
        analysis_type="portfolio",
        portfolio="PAYR:0.5, GROW:0.3",
    )
    assert [c.tool for c in income.tool_calls] == [
        "get_quote",
        "portfolio_summary",
        "dividend_safety",
        "drip_simulation",
    ]
    drip = income.tool_calls[-1]
    # The whole portfolio's value, split by its weights: $800,000 is invested.
    assert drip.parameters["amount_cents"] == 100_000_000
    assert drip.data["invested_usd"] == 800_000.0
    assert {h["symbol"] for h in drip.data["holdings"]} == {"PAYR", "GROW"}
    assert "- Not scored (no current regular dividend): GROW." in income.text
    assert "**the portfolio**: $800.00k invested" in income.text
    assert income.check.ok, income.check.to_frame()
