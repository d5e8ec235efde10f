"""Streaming (SSE through the SDK's parser) and malformed model replies."""

from __future__ import annotations

import json
from collections.abc import Callable

from loopback import (
    LoopbackAPI,
    Step,
    message,
    reply,
    sse,
    stream_events,
    text_message,
    tool_message,
)

from axion_lab.copilot import CopilotEngine

Engine = Callable[..., CopilotEngine]


def test_text_deltas_arrive_in_order(online: LoopbackAPI, make_engine: Engine) -> None:
    answer = "ACME closes at $129.90 [T1], a steady climb; BOLT is flat at $50.00 [T1]."
    online.script = [
        reply(
            tool_message(
                ("tu_1", "get_quote", {"symbols": ["ACME", "BOLT"]}), text="Checking quotes."
            )
        ),
        reply(text_message(answer)),
    ]
    engine = make_engine(stream=True)
    stream = engine.stream("Compare ACME and BOLT", analysis_type="stock")
    deltas = list(stream)
    # The loopback splits text into 7-character deltas; they arrive one by one, in order.
    assert len(deltas) > 10
    assert all(len(d) <= 7 for d in deltas if d != "\n\n")
    assert "".join(deltas) == "Checking quotes.\n\n" + answer
    assert stream.response.text == "".join(deltas)
    assert stream.response.check.ok
    assert all(r.body["stream"] is True for r in online.requests)
    # Tool input arrived as input_json_delta fragments and was reassembled exactly.
    assert stream.response.tool_calls[0].parameters == {"symbols": ["ACME", "BOLT"]}


def test_on_text_callback_gets_every_delta(online: LoopbackAPI, make_engine: Engine) -> None:
    online.script = [reply(text_message("One two three four five six seven."))]
    seen: list[str] = []
    response = make_engine().ask("Count", on_text=seen.append)
    assert seen[0] == "One two"
    assert "".join(seen) == response.text


def test_bad_tool_json_in_a_stream_is_retried_not_fatal(
    online: LoopbackAPI, make_engine: Engine
) -> None:
    broken = tool_message(("tu_1", "get_quote", {}))
    broken["content"][0]["partial_json"] = '{"symbols": ["ACME"'  # never closed
    broken["content"][0]["partial_json"] += ", }}}"
    online.script = [
        Step(raw_sse=stream_events(broken)),
        reply(text_message("No data needed.")),
    ]
    response = make_engine().ask("Hi")
    assert response.text == "No data needed."
    assert any("malformed" in n for n in response.notices)
    assert len(online.requests) == 2


def test_unknown_tool_and_invalid_input_go_back_as_errors(
    online: LoopbackAPI, make_engine: Engine
) -> None:
    online.script = [
        reply(
            tool_message(
                ("tu_1", "get_qoute", {"symbols": ["ACME"]}),
                ("tu_2", "get_quote", {"symbols": "ACME"}),
                ("tu_3", "get_quote", "not an object"),
                ("tu_4", "get_quote", {"symbols": ["NOPE"]}),
            )
        ),
        reply(text_message("Sorry, the data could not be fetched.")),
    ]
    response = make_engine(stream=False).ask("Hi")
    results = {b["tool_use_id"]: b for b in online.requests[1].body["messages"][-1]["content"]}
    assert all(b["is_error"] is True for b in results.values())
    assert "Unknown tool 'get_qoute'. Did you mean 'get_quote'?" in results["tu_1"]["content"]
    assert "symbols: Input should be a valid list" in results["tu_2"]["content"]
    assert "must be a JSON object" in results["tu_3"]["content"]
    assert "Unknown symbol 'NOPE'" in results["tu_4"]["content"]
    # The assistant turn sent back has an object input (the API rejects anything else).
    assistant = online.requests[1].body["messages"][-2]
    assert assistant["content"][2]["input"] == {}
    assert [c.is_error for c in response.tool_calls] == [True] * 4
    assert response.text == "Sorry, the data could not be fetched."


def test_missing_content_and_fields_are_notices(online: LoopbackAPI, make_engine: Engine) -> None:
    no_content = text_message("x")
    del no_content["content"]
    online.script = [reply(no_content)]
    response = make_engine(stream=False).ask("Hi")
    assert response.text == ""
    assert "The model's reply had no content." in response.notices
    assert "The model returned no text." in response.notices

    nameless = message(
        [{"type": "tool_use", "id": "tu_1", "input": {}}, {"type": "text", "text": "Hm."}],
        stop_reason="tool_use",
    )
    online.script = [reply(nameless)]
    response = make_engine(stream=False).ask("Hi")
    assert any("without an id or name" in n for n in response.notices)
    assert response.text == "Hm."
    assert response.tool_calls == ()


def test_unexpected_stop_reasons(online: LoopbackAPI, make_engine: Engine) -> None:
    online.script = [reply(text_message("Partial answer", stop_reason="max_tokens"))]
    response = make_engine(stream=False).ask("Hi")
    assert response.text == "Partial answer"
    assert any("max_tokens" in n for n in response.notices)

    online.script = [reply(text_message("Odd", stop_reason="something_new"))]
    response = make_engine(stream=False).ask("Hi")
    assert any("unexpected reason ('something_new')" in n for n in response.notices)


def test_garbage_body_is_malformed_not_a_crash(online: LoopbackAPI, make_engine: Engine) -> None:
    online.script = [Step(body="this is not json"), reply(text_message("Fine now."))]
    response = make_engine(stream=False).ask("Hi")
    assert response.text == "Fine now."
    assert any("malformed" in n for n in response.notices)


def test_error_event_mid_stream_is_a_copilot_error(
    online: LoopbackAPI, make_engine: Engine
) -> None:
    import pytest

    from axion_lab.exceptions import CopilotError

    body = stream_events(text_message("Hello there"))
    cut = body.index("event: message_delta")
    err = sse("error", {"type": "error", "error": {"type": "overloaded_error", "message": "busy"}})
    online.script = [Step(raw_sse=body[:cut] + err)]
    with pytest.raises(CopilotError, match="overloaded"):
        make_engine().ask("Hi")
    assert json.loads(json.dumps(online.requests[0].body))["stream"] is True
