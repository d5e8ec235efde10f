"""``CopilotEngine``: Claude plans and explains, the workbench's engines compute.

One question runs a tool loop: the model is called with the tool definitions; each
``tool_use`` it returns is executed through the :class:`ToolRegistry` and recorded
(``T1``, ``T2``... with parameters, source and as-of date); the results go back as
``tool_result`` blocks; the loop ends when the model answers, or after
``max_turns`` calls, the last of which is made with ``tool_choice: none`` so an
answer always comes back. The answer's numbers are then checked against the tool
results it cites (:mod:`axion_lab.copilot.checker`).

Robustness
----------
* 408/409/429/5xx (529 overloaded included) and connection errors are retried by
  the anthropic SDK itself (``max_retries`` with exponential backoff from 0.5 s to
  8 s, honouring ``retry-after`` and ``retry-after-ms``); what still fails becomes a
  :class:`~axion_lab.exceptions.CopilotError` saying what happened and what to do.
* Unreachable API (connection error or timeout after the retries): a CopilotError
  that offers offline mode, or, with ``on_unreachable="offline"``, an offline answer
  carrying a notice that says so.
* A malformed reply (unknown tool, tool input that is not a JSON object or does not
  validate, missing content or ids, an unexpected ``stop_reason``, a stream whose
  tool JSON does not parse) never crashes the loop: tool problems go back to the
  model as ``is_error`` results, the rest end or retry the turn with a notice.

Without an API key (``anthropic_api_key`` setting or ``ANTHROPIC_API_KEY``) the
:class:`~axion_lab.copilot.offline.OfflineAnalyst` answers, saying so plainly.

Examples
--------
>>> from axion_lab.copilot import CopilotEngine, CopilotConfig
>>> engine = CopilotEngine(CopilotConfig(offline=True))
>>> response = engine.ask("How is the market doing?", analysis_type="market")
>>> response.offline, response.text.startswith("> **Offline analysis")
(True, True)
>>> response.check.flagged
[]
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, Final

from axion_lab.config import get_settings
from axion_lab.copilot.builtin_tools import default_registry
from axion_lab.copilot.checker import check_answer
from axion_lab.copilot.config import AnalysisType, CopilotConfig
from axion_lab.copilot.config import analysis_type as parse_type
from axion_lab.copilot.models import (
    AnalysisRequest,
    AnalysisResponse,
    AnswerRecord,
    CopilotSession,
    MarketContext,
    PortfolioContext,
    ToolCallRecord,
    Usage,
)
from axion_lab.copilot.offline import OfflineAnalyst
from axion_lab.copilot.prompts import PromptBuilder
from axion_lab.copilot.tools import ToolContext, ToolRegistry
from axion_lab.exceptions import CopilotError

if TYPE_CHECKING:
    import anthropic

    from axion_lab.copilot.store import CopilotSessionStore
    from axion_lab.data.market import DateLike, Market

__all__ = ["AnswerStream", "CopilotEngine"]

DEFAULT_BASE_URL: Final = "https://api.anthropic.com"
_FINISHED: Final = {"end_turn", "stop_sequence"}
_NOTICE_FOR_STOP: Final = {
    "max_tokens": "The answer was cut off at the max_tokens limit; raise max_tokens for more.",
    "refusal": "The model declined to answer this request.",
    "model_context_window_exceeded": "The conversation outgrew the model's context window; "
    "start a new session.",
}


class _Unreachable(Exception):
    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class _Malformed(Exception):
    pass


class AnswerStream:
    """Iterate the text deltas of an answer as they arrive; ``response`` once done.

    Examples
    --------
    >>> from axion_lab.copilot import CopilotEngine, CopilotConfig
    >>> stream = CopilotEngine(CopilotConfig(offline=True)).stream("Market today?")
    >>> text = "".join(stream)
    >>> text == stream.response.text
    True
    """

    def __init__(self, run: Generator[str, None, AnalysisResponse]) -> None:
        self._run = run
        self._response: AnalysisResponse | None = None

    def __iter__(self) -> Iterator[str]:
        self._response = yield from self._run
        return None

    @property
    def response(self) -> AnalysisResponse:
        """The full response (after the stream was consumed)."""
        if self._response is None:
            raise CopilotError("The answer is still streaming; iterate the stream to the end.")
        return self._response


class CopilotEngine:
    """Answers research questions with tools over the workbench's engines.

    Parameters
    ----------
    config
        :class:`CopilotConfig` (model, profile, offline policy, turns, retries).
    market
        A :class:`~axion_lab.data.Market`, or None to load the default on first use.
    client
        An ``anthropic.Anthropic`` client (tests inject one); default: built from the
        settings ``anthropic_api_key`` and ``anthropic_base_url`` and the config's
        ``timeout`` and ``max_retries``.
    registry, prompts
        Tool registry (default :func:`default_registry`) and prompt builder.
    store
        A :class:`~axion_lab.copilot.store.CopilotSessionStore`; sessions are saved
        after every answer when given.
    """

    def __init__(
        self,
        config: CopilotConfig | None = None,
        *,
        market: Market | None = None,
        client: anthropic.Anthropic | None = None,
        registry: ToolRegistry | None = None,
        prompts: PromptBuilder | None = None,
        store: CopilotSessionStore | None = None,
    ) -> None:
        self.config = config or CopilotConfig()
        self._market = market
        self._client = client
        self._owns_client = client is None
        self.registry = registry or default_registry()
        self.prompts = prompts or PromptBuilder()
        self.store = store
        self.offline_analyst = OfflineAnalyst(self.registry, self.prompts)

    def close(self) -> None:
        """Close the HTTP client this engine built (an injected client is the caller's)."""
        if self._client is not None and self._owns_client:
            self._client.close()
            self._client = None

    def __enter__(self) -> CopilotEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "offline" if self.offline else f"model {self.model}"
        return f"<CopilotEngine {mode}; {len(self.registry)} tools>"

    # --- configuration ---------------------------------------------------------------
    @property
    def model(self) -> str:
        """The Claude model in use."""
        return self.config.model or get_settings().anthropic_model

    @property
    def offline(self) -> bool:
        """True when answers come from the offline analyst (no language model)."""
        if self.config.offline is not None:
            return self.config.offline
        return self._client is None and not get_settings().anthropic_api_key

    @property
    def base_url(self) -> str:
        """Where the Messages API is reached."""
        if self._client is not None:
            return str(self._client.base_url)
        return get_settings().anthropic_base_url or DEFAULT_BASE_URL

    @property
    def client(self) -> anthropic.Anthropic:
        """The anthropic client (built on first use)."""
        if self._client is None:
            secret = get_settings().anthropic_api_key
            key = secret.get_secret_value() if secret is not None else ""
            if not key:
                raise CopilotError(
                    "No Anthropic API key: set AXION_ANTHROPIC_API_KEY (or ANTHROPIC_API_KEY), "
                    "or use CopilotConfig(offline=True)."
                )
            import anthropic

            self._client = anthropic.Anthropic(
                api_key=key,
                base_url=self.base_url,
                timeout=self.config.timeout,
                max_retries=self.config.max_retries,
            )
        return self._client

    def _load_market(self) -> Market:
        if self._market is None:
            from axion_lab.data import load_market

            self._market = load_market()
        return self._market

    # --- sessions --------------------------------------------------------------------
    def new_session(
        self, title: str = "Copilot session", *, portfolio: PortfolioContext | str | None = None
    ) -> CopilotSession:
        """A new session with this engine's profile."""
        if isinstance(portfolio, str):
            portfolio = PortfolioContext.parse(portfolio)
        return CopilotSession(
            title=title,
            model="" if self.offline else self.model,
            risk_tolerance=self.config.risk_tolerance,
            style=self.config.style,
            portfolio=portfolio or PortfolioContext(),
        )

    # --- asking ----------------------------------------------------------------------
    def ask(
        self,
        question: str,
        *,
        session: CopilotSession | None = None,
        analysis_type: AnalysisType | str = AnalysisType.MARKET,
        symbols: tuple[str, ...] | list[str] = (),
        sector: str | None = None,
        portfolio: PortfolioContext | str | None = None,
        as_of: DateLike | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> AnalysisResponse:
        """Answer ``question``; text deltas go to ``on_text`` as they stream in."""
        stream = self.stream(
            question,
            session=session,
            analysis_type=analysis_type,
            symbols=symbols,
            sector=sector,
            portfolio=portfolio,
            as_of=as_of,
        )
        for delta in stream:
            if on_text is not None:
                on_text(delta)
        return stream.response

    def stream(
        self,
        question: str,
        *,
        session: CopilotSession | None = None,
        analysis_type: AnalysisType | str = AnalysisType.MARKET,
        symbols: tuple[str, ...] | list[str] = (),
        sector: str | None = None,
        portfolio: PortfolioContext | str | None = None,
        as_of: DateLike | None = None,
    ) -> AnswerStream:
        """Like :meth:`ask`, as an iterator of text deltas (see :class:`AnswerStream`)."""
        request = AnalysisRequest(question, parse_type(analysis_type), tuple(symbols), sector)
        session = session if session is not None else self.new_session(question[:60])
        if isinstance(portfolio, str):
            portfolio = PortfolioContext.parse(portfolio)
        if portfolio is not None:
            session.portfolio = portfolio
        return AnswerStream(self._answer(request, session, as_of))

    def rerun(self, record: ToolCallRecord, *, as_of: DateLike | None = None) -> ToolCallRecord:
        """Run a recorded tool call again (same tool and parameters) to check it."""
        ctx = self._context(None, as_of)
        return self.registry.execute(record.tool, record.parameters, ctx, call_id=record.id)

    # --- internals -------------------------------------------------------------------
    def _context(self, session: CopilotSession | None, as_of: DateLike | None) -> ToolContext:
        from axion_lab.data.market import to_date

        return ToolContext(
            market_loader=self._load_market,
            as_of=to_date(as_of) if as_of is not None else None,
            portfolio=session.portfolio if session is not None else None,
            risk_tolerance=self.config.risk_tolerance.value,
            style=self.config.style.value,
        )

    def _answer(
        self, request: AnalysisRequest, session: CopilotSession, as_of: DateLike | None
    ) -> Generator[str, None, AnalysisResponse]:
        ctx = self._context(session, as_of)
        start = len(session.tool_calls)
        notices: list[str] = []
        usage = Usage()
        stop: str | None = None
        if self.offline:
            reason = "" if self.config.offline else "no Anthropic API key is configured"
            text = self._offline(request, session, ctx, reason)
            yield text
            offline = True
        else:
            try:
                text, stop = yield from self._loop(request, session, ctx, usage, notices)
                offline = False
            except _Unreachable as exc:
                if self.config.on_unreachable != "offline":
                    raise CopilotError(
                        f"Could not reach the Anthropic API at {self.base_url}: {exc.cause}. "
                        f"(The SDK retried {self.config.max_retries} times.) Check the network "
                        "and anthropic_base_url, or answer without a language model: "
                        "CopilotConfig(offline=True), or on_unreachable='offline' to fall back "
                        "automatically."
                    ) from exc.cause
                note = f"The Anthropic API at {self.base_url} was unreachable ({exc.cause})."
                notices.append(note + " This answer was produced offline.")
                text = self._offline(request, session, ctx, "the API was unreachable")
                yield text
                offline = True
        records = tuple(session.tool_calls[start:])
        ideas = tuple(ctx.ideas)
        session.ideas.extend(ideas)
        session.usage.add(usage)
        check = check_answer(text, session.tool_calls)
        if check.flagged:
            notices.append(
                f"{len(check.flagged)} number(s) in this answer are not supported by the tool "
                "results they cite: " + "; ".join(f"{m.text} ({m.reason})" for m in check.flagged)
            )
        response = AnalysisResponse(
            request=request,
            text=text,
            tool_calls=records,
            ideas=ideas,
            check=check,
            usage=usage,
            model="offline" if offline else self.model,
            offline=offline,
            stop_reason=stop,
            notices=tuple(notices),
        )
        session.answers.append(AnswerRecord.from_response(response))
        if self.store is not None:
            self.store.save(session)
        return response

    def _offline(
        self, request: AnalysisRequest, session: CopilotSession, ctx: ToolContext, reason: str
    ) -> str:
        issued = [len(session.tool_calls)]

        def next_id() -> str:
            issued[0] += 1
            return f"T{issued[0]}"

        text, records = self.offline_analyst.answer(
            request, ctx, self.config, next_id=next_id, reason=reason
        )
        session.tool_calls.extend(records)
        session.messages.append(
            {"role": "user", "content": request.question, "_question": request.question}
        )
        session.messages.append(
            {"role": "assistant", "content": [{"type": "text", "text": text}], "_offline": True}
        )
        return text

    def _loop(
        self,
        request: AnalysisRequest,
        session: CopilotSession,
        ctx: ToolContext,
        usage: Usage,
        notices: list[str],
    ) -> Generator[str, None, tuple[str, str | None]]:
        market = MarketContext.from_market(ctx.market)
        system = self.prompts.system(
            self.config,
            market,
            session.portfolio,
            tools=self.registry.names,
            pending=sorted(self.registry.pending),
        )
        tools = self.registry.definitions(cache=self.config.prompt_caching)
        session.messages.append(
            {"role": "user", "content": self.prompts.user(request), "_question": request.question}
        )
        texts: list[str] = []
        stop: str | None = None
        retried_malformed = False
        for turn in range(self.config.max_turns):
            last = turn == self.config.max_turns - 1
            if texts:
                yield "\n\n"
            try:
                message = yield from self._call(system, tools, session, last=last)
            except _Malformed as exc:
                if retried_malformed:
                    notices.append(f"The model's reply was malformed twice ({exc}); stopped.")
                    break
                retried_malformed = True
                notices.append(f"The model's reply was malformed ({exc}); asked again.")
                continue
            usage.add(_usage(message))
            blocks, problems = _blocks(message)
            notices.extend(problems)
            stop = getattr(message, "stop_reason", None)
            text = "".join(b["text"] for b in blocks if b["type"] == "text")
            if text.strip():
                texts.append(text)
            calls = [b for b in blocks if b["type"] == "tool_use"]
            run_tools = bool(calls) and stop not in _NOTICE_FOR_STOP and not last
            # An unanswered tool_use would make the next request invalid: keep only the
            # text of a reply whose tool calls are not run.
            kept = blocks if run_tools else [b for b in blocks if b["type"] == "text"]
            if kept:
                session.messages.append(
                    {"role": "assistant", "content": [_for_history(b) for b in kept]}
                )
            if run_tools:
                session.messages.append(
                    {"role": "user", "content": self._run_tools(calls, session, ctx)}
                )
                continue
            if calls and last:
                notices.append(
                    f"Stopped after {self.config.max_turns} model calls (max_turns) with tool "
                    "calls still pending; the answer may be incomplete."
                )
            if stop == "pause_turn" and not last:
                continue
            if stop in _NOTICE_FOR_STOP:
                notices.append(_NOTICE_FOR_STOP[stop])
            elif stop not in _FINISHED and stop != "tool_use":
                notices.append(f"The model stopped for an unexpected reason ({stop!r}).")
            break
        answer = "\n\n".join(texts)
        if not answer.strip():
            notices.append("The model returned no text.")
        return answer, stop

    def _run_tools(
        self, calls: list[dict[str, Any]], session: CopilotSession, ctx: ToolContext
    ) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = []
        for block in calls:
            record = self.registry.execute(
                block["name"], block["input"], ctx, call_id=session.next_call_id()
            )
            session.tool_calls.append(record)
            results.append(
                {
                    "type": "tool_result",
                    "tool_use_id": block["id"],
                    "content": json.dumps(record.for_model()),
                    **({"is_error": True} if record.is_error else {}),
                }
            )
        return results

    def _call(
        self,
        system: list[dict[str, Any]],
        tools: list[dict[str, Any]],
        session: CopilotSession,
        *,
        last: bool,
    ) -> Generator[str, None, Any]:
        import anthropic

        kwargs: dict[str, Any] = {
            "model": self.model,
            "max_tokens": self.config.max_tokens,
            "system": system,
            "messages": session.api_messages(),
            "tools": tools,
        }
        if last:
            # The final call may not use tools, so the loop ends with an answer.
            kwargs["tool_choice"] = {"type": "none"}
        try:
            if not self.config.stream:
                return self.client.messages.create(**kwargs)
            from anthropic.lib.streaming import TextEvent

            with self.client.messages.stream(**kwargs) as stream:
                for event in stream:
                    if isinstance(event, TextEvent):
                        yield event.text
                return stream.get_final_message()
        except anthropic.APIConnectionError as exc:  # includes APITimeoutError
            raise _Unreachable(exc) from exc
        except anthropic.AuthenticationError as exc:
            raise CopilotError(
                "The Anthropic API rejected the API key (401). Check AXION_ANTHROPIC_API_KEY "
                "or ANTHROPIC_API_KEY, or use CopilotConfig(offline=True)."
            ) from exc
        except anthropic.RateLimitError as exc:
            raise CopilotError(
                f"The Anthropic API is rate limiting this key (429) after "
                f"{self.config.max_retries} retries; wait a minute or raise max_retries."
            ) from exc
        except anthropic.InternalServerError as exc:
            what = "overloaded (529)" if exc.status_code == 529 else f"failing ({exc.status_code})"
            raise CopilotError(
                f"The Anthropic API is {what} after {self.config.max_retries} retries; try "
                "again shortly, or use CopilotConfig(offline=True)."
            ) from exc
        except anthropic.APIStatusError as exc:
            raise CopilotError(
                f"The Anthropic API refused the request ({exc.status_code}): {exc.message}"
            ) from exc
        except anthropic.APIResponseValidationError as exc:
            raise _Malformed(f"the response did not match the API schema: {exc}") from exc
        except ValueError as exc:
            # The SDK's stream accumulator raises ValueError for tool JSON that does not parse.
            raise _Malformed(str(exc).split(". JSON:")[0]) from exc


def _usage(message: Any) -> Usage:
    u = getattr(message, "usage", None)

    def count(name: str) -> int:
        value = getattr(u, name, None)
        return value if isinstance(value, int) else 0

    return Usage(
        input_tokens=count("input_tokens"),
        output_tokens=count("output_tokens"),
        cache_creation_input_tokens=count("cache_creation_input_tokens"),
        cache_read_input_tokens=count("cache_read_input_tokens"),
        requests=1,
    )


def _for_history(block: dict[str, Any]) -> dict[str, Any]:
    # The API accepts only an object as tool input; the registry reports the bad input
    # to the model through the tool result.
    if block["type"] == "tool_use" and not isinstance(block["input"], dict):
        return {**block, "input": {}}
    return block


def _blocks(message: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The reply's text and tool_use blocks as API params, and what was wrong with it."""
    content = getattr(message, "content", None)
    if not isinstance(content, list):
        return [], ["The model's reply had no content."]
    blocks: list[dict[str, Any]] = []
    problems: list[str] = []
    for i, block in enumerate(content):
        kind = getattr(block, "type", None)
        if kind == "text" and isinstance(getattr(block, "text", None), str):
            blocks.append({"type": "text", "text": block.text})
        elif kind == "tool_use":
            tool_id, name = getattr(block, "id", None), getattr(block, "name", None)
            if not isinstance(tool_id, str) or not isinstance(name, str):
                problems.append(
                    f"Content block {i} was a tool call without an id or name; skipped."
                )
                continue
            raw = getattr(block, "input", None)
            blocks.append({"type": "tool_use", "id": tool_id, "name": name, "input": raw})
        else:
            problems.append(f"Content block {i} of type {kind!r} was ignored.")
    return blocks, problems
