"""The tool loop against the loopback Messages API, through the real anthropic SDK."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from loopback import LoopbackAPI, Step, error, reply, text_message, tool_message

from axion_lab.copilot import CopilotEngine
from axion_lab.exceptions import CopilotError

Engine = Callable[..., CopilotEngine]


def tool_results(body: dict) -> list[dict]:
    """The tool_result blocks of the last user message of a request body."""
    last = body["messages"][-1]
    assert last["role"] == "user"
    return [b for b in last["content"] if b["type"] == "tool_result"]


def test_multi_step_tool_loop_records_and_cites(online: LoopbackAPI, make_engine: Engine) -> None:
    online.script = [
        reply(
            tool_message(
                ("tu_1", "get_quote", {"symbols": ["ACME"], "fields": ["price"]}),
                text="Let me look.",
            )
        ),
        reply(tool_message(("tu_2", "get_fundamentals", {"symbol": "ACME", "quarters": 2}))),
        reply(text_message("ACME trades at $129.90 [T1]. Revenue was $1.3bn last quarter [T2].")),
    ]
    engine = make_engine(stream=False)
    response = engine.ask("How is ACME?", analysis_type="stock", symbols=["ACME"])

    assert [c.id for c in response.tool_calls] == ["T1", "T2"]
    t1, t2 = response.tool_calls
    assert t1.tool == "get_quote"
    assert t1.parameters == {"symbols": ["ACME"], "fields": ["price"]}
    assert t1.rows[0]["price"] == pytest.approx(129.9)
    assert t1.source.startswith("Tiny test market")
    assert t1.as_of is not None
    assert [r["revenue"] for r in t2.rows] == [1.2e9, 1.3e9]
    # The second request carried T1's result back, tied to the model's tool_use id.
    (result,) = tool_results(online.requests[1].body)
    assert result["tool_use_id"] == "tu_1"
    assert "is_error" not in result
    assert json.loads(result["content"])["rows"][0]["price"] == pytest.approx(129.9)
    # The answer keeps the interim text and the final text, and every number checks out.
    assert response.text.startswith("Let me look.\n\nACME trades at $129.90 [T1].")
    assert response.check.ok
    assert len(response.check.mentions) == 2
    assert response.stop_reason == "end_turn"
    assert not response.offline
    assert response.usage.requests == 3
    assert response.usage.input_tokens == 120 + 120 + 100
    assert response.cost_usd == pytest.approx((340 * 3.0 + 80 * 15.0) / 1e6)


def test_requests_carry_tools_system_and_cache_breakpoints(
    online: LoopbackAPI, make_engine: Engine
) -> None:
    online.script = [reply(text_message("Nothing to report."))]
    make_engine(stream=False, risk_tolerance="conservative", style="income").ask("Hello")
    body = online.requests[0].body
    names = [t["name"] for t in body["tools"]]
    assert {"get_quote", "run_screen", "propose_trade_idea"} <= set(names)
    assert body["tools"][-1]["cache_control"] == {"type": "ephemeral"}
    assert all("cache_control" not in t for t in body["tools"][:-1])
    quote = next(t for t in body["tools"] if t["name"] == "get_quote")
    assert quote["input_schema"]["required"] == ["symbols"]
    assert quote["input_schema"]["properties"]["symbols"]["maxItems"] == 20
    system = body["system"]
    assert system[-1]["cache_control"] == {"type": "ephemeral"}
    assert "Risk tolerance: conservative" in system[-1]["text"]
    assert "Investment style: income" in system[-1]["text"]
    assert "Tiny test market" in system[-1]["text"]
    assert "cite" in system[0]["text"].lower()
    assert body["model"] == "claude-sonnet-4-6"
    assert "tool_choice" not in body


def test_last_turn_forbids_tools_so_the_loop_ends(online: LoopbackAPI, make_engine: Engine) -> None:
    online.script = [
        reply(tool_message(("tu_1", "get_quote", {"symbols": ["ACME"]}))),
        reply(tool_message(("tu_2", "get_quote", {"symbols": ["BOLT"]}))),
        reply(text_message("Done.")),
    ]
    response = make_engine(stream=False, max_turns=3).ask("Loop forever")
    assert [r.body.get("tool_choice") for r in online.requests] == [None, None, {"type": "none"}]
    assert response.text == "Done."
    assert len(response.tool_calls) == 2


def test_turn_cap_with_tool_calls_still_pending_is_a_notice(
    online: LoopbackAPI, make_engine: Engine
) -> None:
    online.script = [
        reply(tool_message(("tu_1", "get_quote", {"symbols": ["ACME"]}))),
        reply(tool_message(("tu_2", "get_quote", {"symbols": ["BOLT"]}), text="Still going")),
    ]
    engine = make_engine(stream=False, max_turns=2)
    session = engine.new_session()
    response = engine.ask("Loop", session=session)
    assert any("max_turns" in n for n in response.notices)
    assert len(response.tool_calls) == 1
    # The unanswered tool_use was not kept, so the next request stays valid.
    last = session.messages[-1]
    assert last["role"] == "assistant"
    assert [b["type"] for b in last["content"]] == ["text"]


def test_rate_limit_overload_and_server_error_are_retried(
    online: LoopbackAPI, make_engine: Engine
) -> None:
    online.script = [
        error(429, "rate_limit_error"),
        error(529, "overloaded_error"),
        reply(text_message("Recovered.")),
    ]
    response = make_engine(stream=False, max_retries=3).ask("Hi")
    assert response.text == "Recovered."
    assert online.retry_counts() == [0, 1, 2]

    online.requests.clear()
    online.script = [error(500, "api_error"), reply(text_message("Again."))]
    assert make_engine(stream=True, max_retries=3).ask("Hi").text == "Again."
    assert online.retry_counts() == [0, 1]


@pytest.mark.parametrize(
    ("status", "kind", "message"),
    [
        (429, "rate_limit_error", "rate limiting this key \\(429\\) after 2 retries"),
        (529, "overloaded_error", "overloaded \\(529\\) after 2 retries"),
        (500, "api_error", "failing \\(500\\) after 2 retries"),
    ],
)
def test_retries_exhausted_is_a_clear_copilot_error(
    online: LoopbackAPI, make_engine: Engine, status: int, kind: str, message: str
) -> None:
    online.script = [error(status, kind) for _ in range(3)]
    with pytest.raises(CopilotError, match=message):
        make_engine(stream=False, max_retries=2).ask("Hi")
    assert online.retry_counts() == [0, 1, 2]


def test_rejected_key_says_how_to_fix(online: LoopbackAPI, make_engine: Engine) -> None:
    online.script = [error(401, "authentication_error", retry_after_ms=None)]
    with pytest.raises(CopilotError, match="rejected the API key"):
        make_engine(stream=False).ask("Hi")
    assert len(online.requests) == 1


def test_timeout_is_retried_then_offers_offline(online: LoopbackAPI, make_engine: Engine) -> None:
    online.script = [Step(body=text_message("late"), delay=1.0) for _ in range(2)]
    with pytest.raises(CopilotError, match=r"Could not reach.*offline=True") as info:
        make_engine(stream=False, timeout=0.2, max_retries=1).ask("Hi")
    assert "timed out" in str(info.value).lower()
    assert len(online.requests) == 2


def test_unreachable_falls_back_offline_when_asked(tiny_market, make_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    from axion_lab.config import override_settings

    # Port 9 on loopback (discard) refuses connections: unreachable without the internet.
    with override_settings(anthropic_api_key="sk-test", anthropic_base_url="http://127.0.0.1:9"):
        engine = make_engine(max_retries=0, on_unreachable="offline")
        response = engine.ask("Where does the market stand?")
    assert response.offline
    assert any("unreachable" in n for n in response.notices)
    assert response.text.startswith("> **Offline analysis — no language model was used.**")
    assert "the API was unreachable" in response.text


def test_stress_test_tool_uses_the_session_portfolio(
    online: LoopbackAPI, make_engine: Engine
) -> None:
    from axion_lab.scenarios import ScenarioAnalyzer, portfolio_from_weights

    online.script = [
        reply(tool_message(("tu_1", "stress_test", {"scenario": "market_crash_20"}))),
        reply(text_message("Done.")),
    ]
    engine = make_engine(stream=False)
    response = engine.ask("Stress my portfolio", portfolio="ACME:0.5, BOLT:0.5")
    (call,) = response.tool_calls
    assert not call.is_error, call.error
    market = engine._load_market()
    expected = ScenarioAnalyzer(market).run(
        portfolio_from_weights(market, {"ACME": 0.5, "BOLT": 0.5}, value_cents=100_000_000),
        "market_crash_20",
    )
    assert call.data["impact"] == pytest.approx(expected.impact)
    assert call.data["impact"] < 0
    assert call.data["pnl"] == pytest.approx(expected.pnl_cents / 100)
    assert {r["symbol"] for r in call.rows} == {"ACME", "BOLT"}
