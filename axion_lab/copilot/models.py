"""The copilot's records: tool calls, contexts, requests, responses, usage, sessions.

Everything here is JSON-ready (``to_dict`` / ``from_dict``) so a session can be
stored in the database and exported as a notebook without pickling.

Examples
--------
>>> from axion_lab.copilot.models import PortfolioContext, ToolCallRecord
>>> p = PortfolioContext.parse("acme:0.6, BOLT:0.4")
>>> p.symbols, p.weights
(('ACME', 'BOLT'), (0.6, 0.4))
>>> rec = ToolCallRecord(id="T1", tool="get_quote", parameters={"symbols": ["ACME"]},
...                      summary="1 row", rows=({"symbol": "ACME", "price": 12.5},),
...                      source="sandbox", as_of=None)
>>> rec.numbers()
[12.5]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import uuid
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

import polars as pl

from axion_lab.copilot.config import (
    AnalysisType,
    InvestmentStyle,
    RiskTolerance,
    analysis_type,
    estimate_cost,
    investment_style,
    risk_tolerance,
)
from axion_lab.copilot.ideas import TradeIdea
from axion_lab.exceptions import InputError

if TYPE_CHECKING:
    from axion_lab.copilot.checker import CheckReport
    from axion_lab.data.market import Market

__all__ = [
    "MAX_ROWS",
    "AnalysisRequest",
    "AnalysisResponse",
    "AnswerRecord",
    "CopilotSession",
    "MarketContext",
    "PortfolioContext",
    "ToolCallRecord",
    "Usage",
    "json_safe",
]


MAX_ROWS: Final = 50
"""Rows of a result table sent to the model (the record keeps them all)."""


def json_safe(value: Any) -> Any:
    """``value`` with dates as ISO strings and NaN/inf as None, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def _walk_numbers(value: Any) -> Iterator[float]:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        if math.isfinite(value):
            yield float(value)
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _walk_numbers(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _walk_numbers(v)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclasses.dataclass(frozen=True)
class ToolCallRecord:
    """One executed tool call: what was asked, what came back, from where, as of when.

    ``rows`` is the result table (one dict per row), ``data`` its scalar facts. An
    error (unknown tool, invalid input, engine error) has ``is_error`` and ``error``.
    Re-run it with :meth:`CopilotEngine.rerun <axion_lab.copilot.CopilotEngine.rerun>`.
    """

    id: str
    tool: str
    parameters: dict[str, Any]
    summary: str
    rows: tuple[dict[str, Any], ...] = ()
    data: dict[str, Any] = dataclasses.field(default_factory=dict)
    source: str = ""
    as_of: dt.date | None = None
    is_error: bool = False
    error: str | None = None
    created_at: dt.datetime = dataclasses.field(default_factory=_utcnow)

    def numbers(self) -> list[float]:
        """Every finite number in the result and its parameters (what an answer may cite)."""
        return [
            *_walk_numbers(self.data),
            *_walk_numbers(list(self.rows)),
            *_walk_numbers(self.parameters),
        ]

    def to_frame(self) -> pl.DataFrame:
        """The result rows as a polars frame (empty when the tool returned none)."""
        return pl.DataFrame(list(self.rows)) if self.rows else pl.DataFrame()

    def to_pandas(self) -> Any:
        """The result rows as a pandas frame."""
        return self.to_frame().to_pandas()

    def for_model(self, max_rows: int = MAX_ROWS) -> dict[str, Any]:
        """What the model sees as the ``tool_result`` content (JSON-ready, rows capped)."""
        if self.is_error:
            return {"id": self.id, "error": self.error}
        out: dict[str, Any] = json_safe(
            {
                "id": self.id,
                "summary": self.summary,
                "source": self.source,
                "as_of": self.as_of,
                "data": self.data,
                "rows": list(self.rows[:max_rows]),
            }
        )
        if len(self.rows) > max_rows:
            out["rows_omitted"] = len(self.rows) - max_rows
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        out: dict[str, Any] = json_safe(dataclasses.asdict(self))
        return out

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> ToolCallRecord:
        """Rebuild a record written by :meth:`to_dict`."""
        as_of = doc.get("as_of")
        created = doc.get("created_at")
        return cls(
            id=str(doc["id"]),
            tool=str(doc["tool"]),
            parameters=dict(doc.get("parameters") or {}),
            summary=str(doc.get("summary", "")),
            rows=tuple(doc.get("rows") or ()),
            data=dict(doc.get("data") or {}),
            source=str(doc.get("source", "")),
            as_of=dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of,
            is_error=bool(doc.get("is_error", False)),
            error=doc.get("error"),
            created_at=dt.datetime.fromisoformat(created)
            if isinstance(created, str)
            else created or _utcnow(),
        )

    def _repr_html_(self) -> str:
        from axion_lab.copilot.render import tool_call_html

        return tool_call_html(self)


@dataclasses.dataclass(frozen=True)
class PortfolioContext:
    """A portfolio the copilot reasons about: symbols with weights (fractions) and cash."""

    symbols: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()
    cash: float = 0.0
    name: str = "portfolio"

    def __post_init__(self) -> None:
        if len(self.symbols) != len(self.weights):
            raise InputError("A portfolio needs one weight per symbol.")
        syms = tuple(s.strip().upper() for s in self.symbols)
        if len(set(syms)) != len(syms):
            raise InputError(f"A portfolio lists a symbol twice: {list(syms)}.")
        for s, w in zip(syms, self.weights, strict=True):
            if not math.isfinite(w) or w < 0:
                raise InputError(f"The weight of {s} must be 0 or more, got {w}.")
        object.__setattr__(self, "symbols", syms)
        object.__setattr__(self, "weights", tuple(float(w) for w in self.weights))

    @classmethod
    def parse(cls, text: str, *, name: str = "portfolio") -> PortfolioContext:
        """Parse ``"AAA:0.6, BBB:0.4"`` (weights may be percents: ``"AAA:60%"``)."""
        symbols: list[str] = []
        weights: list[float] = []
        for part in (p.strip() for p in text.replace(";", ",").split(",")):
            if not part:
                continue
            sym, sep, raw = part.partition(":")
            if not sep:
                raise InputError(f"Write each holding as SYMBOL:WEIGHT, got {part!r}.")
            raw = raw.strip()
            try:
                weight = float(raw.rstrip("%")) / (100 if raw.endswith("%") else 1)
            except ValueError:
                raise InputError(f"The weight {raw!r} of {sym.strip()} is not a number.") from None
            symbols.append(sym)
            weights.append(weight)
        return cls(tuple(symbols), tuple(weights), name=name)

    @property
    def is_empty(self) -> bool:
        """True without holdings."""
        return not self.symbols

    def holdings(self) -> list[dict[str, Any]]:
        """One ``{"symbol", "weight"}`` dict per holding."""
        return [{"symbol": s, "weight": w} for s, w in zip(self.symbols, self.weights, strict=True)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {"name": self.name, "cash": self.cash, "holdings": self.holdings()}

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any] | None) -> PortfolioContext:
        """Rebuild from :meth:`to_dict` (None gives an empty portfolio)."""
        if not doc:
            return cls()
        holdings = doc.get("holdings") or []
        return cls(
            tuple(h["symbol"] for h in holdings),
            tuple(float(h["weight"]) for h in holdings),
            cash=float(doc.get("cash", 0.0)),
            name=str(doc.get("name", "portfolio")),
        )


@dataclasses.dataclass(frozen=True)
class MarketContext:
    """Which data the answers are about: label, provider, as-of date, synthetic or not."""

    label: str
    provider: str
    as_of: dt.date | None
    is_synthetic: bool

    @classmethod
    def from_market(cls, market: Market, as_of: dt.date | None = None) -> MarketContext:
        """Describe ``market`` (as of ``as_of``, default its last session)."""
        return cls(
            label=market.description or market.provider,
            provider=market.provider,
            as_of=as_of or market.end,
            is_synthetic=market.is_synthetic,
        )


@dataclasses.dataclass(frozen=True)
class AnalysisRequest:
    """One question to the copilot, with what it is about."""

    question: str
    analysis_type: AnalysisType = AnalysisType.MARKET
    symbols: tuple[str, ...] = ()
    sector: str | None = None

    def __post_init__(self) -> None:
        if not self.question.strip():
            raise InputError("Ask a question: the request's question is empty.")
        object.__setattr__(self, "analysis_type", analysis_type(self.analysis_type))
        object.__setattr__(self, "symbols", tuple(s.strip().upper() for s in self.symbols))


@dataclasses.dataclass
class Usage:
    """Tokens, requests and retries of one answer or a whole session.

    ``cost_usd`` is an estimate from :data:`axion_lab.copilot.config.PRICES`.
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    requests: int = 0

    def add(self, other: Usage) -> None:
        """Add ``other``'s counts to these."""
        for f in dataclasses.fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def cost_usd(self, model: str) -> float | None:
        """Estimated dollars for ``model`` (None when the model has no price)."""
        return estimate_cost(
            model,
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
            cache_creation_input_tokens=self.cache_creation_input_tokens,
            cache_read_input_tokens=self.cache_read_input_tokens,
        )

    def to_dict(self) -> dict[str, int]:
        """JSON-ready counts."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any] | None) -> Usage:
        """Rebuild from :meth:`to_dict`."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: int(v) for k, v in (doc or {}).items() if k in names})


@dataclasses.dataclass(frozen=True)
class AnalysisResponse:
    """The copilot's answer: text, the tool results behind it, ideas and the check.

    ``offline`` is True when no language model was used. ``notices`` say what went
    unusually (a fallback, a truncated or malformed model reply, a turn cap).
    """

    request: AnalysisRequest
    text: str
    tool_calls: tuple[ToolCallRecord, ...]
    ideas: tuple[TradeIdea, ...]
    check: CheckReport
    usage: Usage
    model: str
    offline: bool
    stop_reason: str | None = None
    notices: tuple[str, ...] = ()

    @property
    def flagged(self) -> list[Any]:
        """Numbers in the answer that no cited tool result supports."""
        return self.check.flagged

    @property
    def cost_usd(self) -> float | None:
        """Estimated cost of this answer (None offline or for an unpriced model)."""
        return None if self.offline else self.usage.cost_usd(self.model)

    def tool_frame(self) -> pl.DataFrame:
        """One row per tool call: id, tool, source, as_of, error."""
        return pl.DataFrame(
            {
                "id": [c.id for c in self.tool_calls],
                "tool": [c.tool for c in self.tool_calls],
                "summary": [c.summary for c in self.tool_calls],
                "source": [c.source for c in self.tool_calls],
                "as_of": [c.as_of for c in self.tool_calls],
                "error": [c.error for c in self.tool_calls],
            },
            schema={
                "id": pl.String,
                "tool": pl.String,
                "summary": pl.String,
                "source": pl.String,
                "as_of": pl.Date,
                "error": pl.String,
            },
        )

    to_frame = tool_frame

    def _repr_html_(self) -> str:
        from axion_lab.copilot.render import response_html

        return response_html(self)


@dataclasses.dataclass(frozen=True)
class AnswerRecord:
    """What a session keeps of one answer (for resume, reports and the panel)."""

    question: str
    analysis_type: str
    text: str
    tool_call_ids: tuple[str, ...]
    idea_count: int
    flagged: tuple[str, ...]
    """Flagged numbers with their reasons, e.g. ``"41% (not in the cited results (T1))"``."""
    notices: tuple[str, ...]
    offline: bool
    model: str
    created_at: dt.datetime = dataclasses.field(default_factory=_utcnow)

    @classmethod
    def from_response(cls, response: AnalysisResponse) -> AnswerRecord:
        """The record of ``response``."""
        return cls(
            question=response.request.question,
            analysis_type=response.request.analysis_type.value,
            text=response.text,
            tool_call_ids=tuple(c.id for c in response.tool_calls),
            idea_count=len(response.ideas),
            flagged=tuple(f"{m.text} ({m.reason})" for m in response.flagged),
            notices=response.notices,
            offline=response.offline,
            model=response.model,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        out: dict[str, Any] = json_safe(dataclasses.asdict(self))
        return out

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> AnswerRecord:
        """Rebuild from :meth:`to_dict`."""
        created = doc.get("created_at")
        return cls(
            question=str(doc["question"]),
            analysis_type=str(doc.get("analysis_type", "market")),
            text=str(doc.get("text", "")),
            tool_call_ids=tuple(doc.get("tool_call_ids") or ()),
            idea_count=int(doc.get("idea_count", 0)),
            flagged=tuple(doc.get("flagged") or ()),
            notices=tuple(doc.get("notices") or ()),
            offline=bool(doc.get("offline", False)),
            model=str(doc.get("model", "")),
            created_at=dt.datetime.fromisoformat(created)
            if isinstance(created, str)
            else created or _utcnow(),
        )


@dataclasses.dataclass
class CopilotSession:
    """A conversation: messages (Messages API format), tool calls, ideas and usage.

    A session has a lifecycle (questions are added to it), so it is mutable; the
    records inside it are frozen. Persist it with
    :class:`~axion_lab.copilot.store.CopilotSessionStore`, export it with
    :meth:`to_notebook`.
    """

    id: str = dataclasses.field(default_factory=lambda: uuid.uuid4().hex)
    title: str = "Copilot session"
    created_at: dt.datetime = dataclasses.field(default_factory=_utcnow)
    model: str = ""
    risk_tolerance: RiskTolerance = RiskTolerance.MODERATE
    style: InvestmentStyle = InvestmentStyle.BALANCED
    portfolio: PortfolioContext = dataclasses.field(default_factory=PortfolioContext)
    messages: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    tool_calls: list[ToolCallRecord] = dataclasses.field(default_factory=list)
    ideas: list[TradeIdea] = dataclasses.field(default_factory=list)
    answers: list[AnswerRecord] = dataclasses.field(default_factory=list)
    usage: Usage = dataclasses.field(default_factory=Usage)
    updated_at: dt.datetime = dataclasses.field(default_factory=_utcnow)

    def __post_init__(self) -> None:
        self.risk_tolerance = risk_tolerance(self.risk_tolerance)
        self.style = investment_style(self.style)

    def next_call_id(self) -> str:
        """The id the next tool call gets: ``T1``, ``T2``... unique within the session."""
        return f"T{len(self.tool_calls) + 1}"

    def tool_call(self, call_id: str) -> ToolCallRecord:
        """The recorded call ``call_id`` (raises with suggestions if unknown)."""
        from axion_lab.exceptions import UnknownNameError

        for c in self.tool_calls:
            if c.id == call_id:
                return c
        raise UnknownNameError.for_name("tool call", call_id, [c.id for c in self.tool_calls])

    @property
    def cost_usd(self) -> float | None:
        """Estimated cost of the whole session (see :class:`Usage`)."""
        return None if not self.model else self.usage.cost_usd(self.model)

    def api_messages(self) -> list[dict[str, Any]]:
        """The messages as the Messages API takes them (bookkeeping keys removed)."""
        return [{k: v for k, v in m.items() if not k.startswith("_")} for m in self.messages]

    def transcript(self) -> list[tuple[str, str]]:
        """``(question, answer)`` of every answered question, in order."""
        return [(a.question, a.text) for a in self.answers]

    def to_notebook(self, path: Any, *, html: bool = False) -> Any:
        """Write the session as a report notebook (and HTML beside it if ``html``)."""
        from axion_lab.copilot.export import session_to_notebook

        return session_to_notebook(self, path, html=html)

    def _repr_html_(self) -> str:
        from axion_lab.copilot.render import session_html

        return session_html(self)
