"""A loopback server speaking Anthropic's Messages API, scripted per test.

``POST /v1/messages`` answers with the next scripted step: a message (as JSON, or as
server-sent events when the request says ``"stream": true``, split the way the API
splits them: ``message_start``, ``content_block_start``, ``content_block_delta``
(``text_delta`` / ``input_json_delta``), ``content_block_stop``, ``message_delta``,
``message_stop``), an error status with headers, raw SSE text (for malformed
streams), or a delay (for timeouts). Every request's JSON body and headers are
recorded, so tests can assert what the SDK sent and how often it retried.

The event format follows the installed SDK's parser (``anthropic/_streaming.py``:
``event:`` names, ``data:`` JSON, ``ping`` ignored; ``lib/streaming/_messages.py``
accumulates the snapshot from ``message_start`` on).
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODEL = "claude-test-1"


def text_message(
    text: str,
    *,
    stop_reason: str | None = "end_turn",
    usage: tuple[int, int] = (100, 20),
    msg_id: str = "msg_text",
) -> dict[str, Any]:
    """An assistant message with one text block."""
    return message(
        [{"type": "text", "text": text}], stop_reason=stop_reason, usage=usage, msg_id=msg_id
    )


def tool_message(
    *calls: tuple[str, str, Any],
    text: str | None = None,
    usage: tuple[int, int] = (120, 30),
    stop_reason: str | None = "tool_use",
) -> dict[str, Any]:
    """An assistant message calling tools: ``(tool_use_id, name, input)`` each."""
    content: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    content += [{"type": "tool_use", "id": i, "name": n, "input": inp} for i, n, inp in calls]
    return message(content, stop_reason=stop_reason, usage=usage, msg_id="msg_tools")


def message(
    content: list[dict[str, Any]],
    *,
    stop_reason: str | None,
    usage: tuple[int, int] = (100, 20),
    msg_id: str = "msg_1",
) -> dict[str, Any]:
    return {
        "id": msg_id,
        "type": "message",
        "role": "assistant",
        "model": MODEL,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {
            "input_tokens": usage[0],
            "output_tokens": usage[1],
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
        },
    }


def sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


def _chunks(text: str, size: int) -> Iterator[str]:
    for i in range(0, len(text), size):
        yield text[i : i + size]


def stream_events(msg: dict[str, Any], *, chunk: int = 7) -> str:
    """The SSE body the API streams for ``msg`` (text and tool JSON in small deltas)."""
    start = {**msg, "content": [], "stop_reason": None}
    start["usage"] = {**msg["usage"], "output_tokens": 1}
    out = [sse("message_start", {"type": "message_start", "message": start}), sse("ping", {})]
    for index, block in enumerate(msg["content"]):
        if block["type"] == "text":
            out.append(
                sse(
                    "content_block_start",
                    {
                        "type": "content_block_start",
                        "index": index,
                        "content_block": {"type": "text", "text": ""},
                    },
                )
            )
            for part in _chunks(block["text"], chunk):
                out.append(
                    sse(
                        "content_block_delta",
                        {
                            "type": "content_block_delta",
                            "index": index,
                            "delta": {"type": "text_delta", "text": part},
                        },
                    )
                )
        else:
            out.append(
                sse(
                    "content_block_start",
                    {
                        "type": "content_block_start",
                        "index": index,
                        "content_block": {
                            "type": "tool_use",
                            "id": block["id"],
                            "name": block["name"],
                            "input": {},
                        },
                    },
                )
            )
            raw = block.get("partial_json", json.dumps(block["input"]))
            for part in _chunks(raw, chunk):
                out.append(
                    sse(
                        "content_block_delta",
                        {
                            "type": "content_block_delta",
                            "index": index,
                            "delta": {"type": "input_json_delta", "partial_json": part},
                        },
                    )
                )
        out.append(sse("content_block_stop", {"type": "content_block_stop", "index": index}))
    out.append(
        sse(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": msg["stop_reason"], "stop_sequence": None},
                "usage": {"output_tokens": msg["usage"]["output_tokens"]},
            },
        )
    )
    out.append(sse("message_stop", {"type": "message_stop"}))
    return "".join(out)


@dataclasses.dataclass
class Step:
    """One scripted response."""

    body: dict[str, Any] | str | None = None
    status: int = 200
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    delay: float = 0.0
    raw_sse: str | None = None


def reply(msg: dict[str, Any]) -> Step:
    return Step(body=msg)


def error(status: int, kind: str, *, retry_after_ms: int | None = 1) -> Step:
    headers = {"retry-after-ms": str(retry_after_ms)} if retry_after_ms is not None else {}
    body = {"type": "error", "error": {"type": kind, "message": f"scripted {status}"}}
    return Step(body=body, status=status, headers=headers)


@dataclasses.dataclass
class Recorded:
    body: dict[str, Any]
    headers: dict[str, str]


class LoopbackAPI:
    """The server; ``script`` is consumed one step per request."""

    def __init__(self) -> None:
        self.script: list[Step] = []
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                with api._lock:
                    api.requests.append(
                        Recorded(body, {k.lower(): v for k, v in self.headers.items()})
                    )
                    step = api.script.pop(0) if api.script else error(500, "api_error")
                if self.path.rstrip("/") != "/v1/messages":
                    step = error(404, "not_found_error")
                if step.delay:
                    time.sleep(step.delay)
                if step.raw_sse is not None or (
                    body.get("stream") and step.status == 200 and isinstance(step.body, dict)
                ):
                    assert isinstance(step.body, dict) or step.raw_sse is not None
                    payload = (
                        step.raw_sse if step.raw_sse is not None else stream_events(step.body)
                    ).encode()  # type: ignore[arg-type]
                    ctype = "text/event-stream"
                else:
                    payload = (
                        step.body if isinstance(step.body, str) else json.dumps(step.body)
                    ).encode()
                    ctype = "application/json"
                try:
                    self.send_response(step.status)
                    self.send_header("content-type", ctype)
                    self.send_header("content-length", str(len(payload)))
                    self.send_header("request-id", f"req_{len(api.requests)}")
                    for k, v in step.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LoopbackAPI:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def retry_counts(self) -> list[int]:
        """The SDK's ``x-stainless-retry-count`` header of every request."""
        return [int(r.headers.get("x-stainless-retry-count", "0")) for r in self.requests]
