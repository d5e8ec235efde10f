"""The tool registry: engine parameter models in, Messages API tool definitions out.

A :class:`Tool` pairs a name and description with a **parameter model** (a pydantic
model, or a dataclass pydantic can read) and a handler that calls an engine. The
tool definition the model sees is generated from the parameter model's JSON schema,
and the model's input is validated by the same model before the engine is called,
so a schema and its validation cannot drift apart.

:meth:`ToolRegistry.execute` never raises for the model's mistakes: an unknown tool,
input that does not validate, or an engine's :class:`~axion_lab.exceptions.AxionError`
become an error :class:`~axion_lab.copilot.models.ToolCallRecord` whose message goes
back to the model as an ``is_error`` tool result, so it can correct itself.

Examples
--------
>>> from pydantic import BaseModel, Field
>>> from axion_lab.copilot.tools import Tool, ToolOutput, ToolRegistry
>>> class EchoParams(BaseModel):
...     value: float = Field(description="A number to echo.")
>>> registry = ToolRegistry()
>>> registry.register(Tool("echo", "Echo a number.", EchoParams,
...                        lambda ctx, p: ToolOutput(f"echoed {p.value}", data={"value": p.value})))
>>> registry.definitions()[0]["input_schema"]["required"]
['value']
>>> registry.execute("echo", {"value": 2.5}, None, call_id="T1").data
{'value': 2.5}
>>> registry.execute("ecko", {}, None, call_id="T2").error
"Unknown tool 'ecko'. Did you mean 'echo'?"
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import polars as pl
from pydantic import BaseModel, TypeAdapter, ValidationError

from axion_lab.copilot.models import ToolCallRecord, json_safe
from axion_lab.exceptions import AxionError, UnknownNameError

if TYPE_CHECKING:
    from axion_lab.copilot.ideas import TradeIdea
    from axion_lab.copilot.models import PortfolioContext
    from axion_lab.data.market import Market

__all__ = [
    "Tool",
    "ToolContext",
    "ToolOutput",
    "ToolRegistry",
]


@dataclasses.dataclass
class ToolContext:
    """What tool handlers read: the market (loaded on first use), dates and profile."""

    market_loader: Callable[[], Market]
    as_of: dt.date | None = None
    portfolio: PortfolioContext | None = None
    risk_tolerance: str = "moderate"
    style: str = "balanced"
    ideas: list[TradeIdea] = dataclasses.field(default_factory=list)
    _market: Market | None = dataclasses.field(default=None, repr=False)

    @property
    def market(self) -> Market:
        """The market, as of :attr:`as_of` when set (loaded once)."""
        if self._market is None:
            market = self.market_loader()
            self._market = market.as_of(self.as_of) if self.as_of else market
        return self._market

    @property
    def source(self) -> str:
        """Where the data comes from, for tool records."""
        m = self.market
        return f"{m.description or m.provider}" + (" (synthetic)" if m.is_synthetic else "")


@dataclasses.dataclass(frozen=True)
class ToolOutput:
    """What a handler returns: a summary, scalar facts, an optional table, an as-of date."""

    summary: str
    data: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    table: pl.DataFrame | None = None
    as_of: dt.date | None = None
    source: str | None = None
    """Where the numbers come from; default: the context's market."""


Handler = Callable[[Any, Any], ToolOutput]


@dataclasses.dataclass(frozen=True)
class Tool:
    """A tool: its name, what it does, its parameter model and the engine call."""

    name: str
    description: str
    params: type[Any]
    handler: Handler
    engine: str = ""
    """The engine module it calls (shown in reports)."""

    def input_schema(self) -> dict[str, Any]:
        """The JSON schema of the parameter model, as the Messages API wants it."""
        schema: dict[str, Any] = TypeAdapter(self.params).json_schema()
        schema.pop("title", None)
        for prop in schema.get("properties", {}).values():
            prop.pop("title", None)
        schema.setdefault("properties", {})
        schema["type"] = "object"
        return schema

    def definition(self) -> dict[str, Any]:
        """The Messages API tool definition."""
        return {
            "name": self.name,
            "description": self.description,
            "input_schema": self.input_schema(),
        }

    def validate(self, raw: Any) -> Any:
        """The parameter model built from the model's raw input (raises ValidationError)."""
        if issubclass(self.params, BaseModel):
            return self.params.model_validate(raw)
        return TypeAdapter(self.params).validate_python(raw)


def _describe_validation(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "input"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


class ToolRegistry:
    """The tools the copilot may call, by name.

    ``pending`` lists tools waiting on an engine that has not landed yet, with the
    module they wait for; they are not offered to the model.
    """

    def __init__(self) -> None:
        self._tools: dict[str, Tool] = {}
        self.pending: dict[str, str] = {}

    def register(self, tool: Tool) -> None:
        """Add ``tool`` (a name can be registered once)."""
        if tool.name in self._tools:
            raise AxionError(f"A tool named {tool.name!r} is already registered.")
        self._tools[tool.name] = tool
        self.pending.pop(tool.name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def __iter__(self) -> Iterator[Tool]:
        return iter(self._tools.values())

    def __len__(self) -> int:
        return len(self._tools)

    @property
    def names(self) -> list[str]:
        """Registered tool names, in registration order."""
        return list(self._tools)

    def get(self, name: str) -> Tool:
        """The tool called ``name`` (raises with suggestions if unknown)."""
        try:
            return self._tools[name]
        except KeyError:
            raise UnknownNameError.for_name("tool", name, self._tools) from None

    def definitions(self, *, cache: bool = False) -> list[dict[str, Any]]:
        """Tool definitions for the Messages API.

        With ``cache`` the last definition carries ``cache_control``: the API caches
        the prompt prefix up to that breakpoint (all tools), so repeated turns of a
        tool loop re-read the definitions from the cache.
        """
        defs = [t.definition() for t in self._tools.values()]
        if cache and defs:
            defs[-1] = {**defs[-1], "cache_control": {"type": "ephemeral"}}
        return defs

    def execute(
        self,
        name: str,
        raw_input: Any,
        context: ToolContext | None,
        *,
        call_id: str,
    ) -> ToolCallRecord:
        """Run tool ``name`` on the model's ``raw_input``; errors become error records."""
        params = raw_input if isinstance(raw_input, dict) else {"input": raw_input}

        def error(message: str) -> ToolCallRecord:
            return ToolCallRecord(
                id=call_id,
                tool=name,
                parameters=json_safe(params),
                summary=f"error: {message}",
                is_error=True,
                error=message,
            )

        if name not in self._tools:
            if name in self.pending:
                return error(
                    f"The tool {name!r} is not available yet: it waits on the "
                    f"{self.pending[name]} engine. Use another tool."
                )
            return error(str(UnknownNameError.for_name("tool", name, self._tools)))
        tool = self._tools[name]
        if not isinstance(raw_input, dict):
            return error(
                f"The input of {name!r} must be a JSON object matching its schema, "
                f"got {json.dumps(raw_input)[:200]}."
            )
        try:
            parsed = tool.validate(raw_input)
        except ValidationError as exc:
            return error(f"Invalid input for {name!r}: {_describe_validation(exc)}")
        try:
            out = tool.handler(context, parsed)
        except AxionError as exc:
            return error(str(exc))
        rows: tuple[dict[str, Any], ...] = ()
        if out.table is not None:
            rows = tuple(json_safe(r) for r in out.table.iter_rows(named=True))
        return ToolCallRecord(
            id=call_id,
            tool=name,
            parameters=json_safe(raw_input),
            summary=out.summary,
            rows=rows,
            data=json_safe(dict(out.data)),
            source=out.source if out.source is not None else context.source if context else "",
            as_of=out.as_of,
        )
