"""The copilot's enums, defaults and price table.

Prices are an **estimate**: US dollars per million tokens as published for each
model family when this table was written. Anthropic's bill is the authority; the
copilot's cost figure is there to make spend visible, not to reconcile invoices.

Examples
--------
>>> from axion_lab.copilot.config import CopilotConfig, RiskTolerance, estimate_cost
>>> cfg = CopilotConfig(risk_tolerance="conservative", max_turns=4)
>>> cfg.risk_tolerance is RiskTolerance.CONSERVATIVE, cfg.risk_tolerance.max_risk_score
(True, 40)
>>> round(estimate_cost("claude-sonnet-4-6", input_tokens=1_000_000, output_tokens=0), 2)
3.0
>>> CopilotConfig(max_turns=0)
Traceback (most recent call last):
...
axion_lab.exceptions.InputError: max_turns must be between 1 and 50, got 0.
"""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from typing import Final, Literal, TypeVar

from axion_lab.exceptions import InputError, UnknownNameError

__all__ = [
    "DEFAULT_MAX_TOKENS",
    "DEFAULT_MAX_TURNS",
    "PRICES",
    "AnalysisType",
    "CopilotConfig",
    "InvestmentStyle",
    "ModelPrice",
    "RiskTolerance",
    "estimate_cost",
    "price_for",
]

_E = TypeVar("_E", bound=StrEnum)

DEFAULT_MAX_TURNS: Final = 8
"""Model calls one question may take (tool rounds plus the answer)."""
DEFAULT_MAX_TOKENS: Final = 2048


class RiskTolerance(StrEnum):
    """How much risk the user accepts; ideas scoring above the cap get a warning."""

    CONSERVATIVE = "conservative"
    MODERATE = "moderate"
    AGGRESSIVE = "aggressive"

    @property
    def max_risk_score(self) -> int:
        """The highest idea risk score (0-100) that suits this tolerance."""
        return {"conservative": 40, "moderate": 65, "aggressive": 100}[self.value]

    @property
    def allows_short(self) -> bool:
        """Short selling has unbounded loss; only aggressive profiles take it."""
        return self is RiskTolerance.AGGRESSIVE


class InvestmentStyle(StrEnum):
    """The user's investing style; the prompts and the offline analyst follow it."""

    VALUE = "value"
    GROWTH = "growth"
    INCOME = "income"
    MOMENTUM = "momentum"
    QUALITY = "quality"
    BALANCED = "balanced"


class AnalysisType(StrEnum):
    """What a question is about: one stock, a sector, a portfolio or the market."""

    STOCK = "stock"
    SECTOR = "sector"
    PORTFOLIO = "portfolio"
    MARKET = "market"


def _enum(kind: type[_E], value: _E | str, what: str) -> _E:
    if isinstance(value, kind):
        return value
    try:
        return kind(str(value).strip().lower())
    except ValueError:
        raise UnknownNameError.for_name(what, str(value), [m.value for m in kind]) from None


@dataclasses.dataclass(frozen=True)
class ModelPrice:
    """US dollars per million tokens (an estimate; see the module docstring)."""

    input: float
    output: float
    cache_write: float
    cache_read: float


PRICES: Final[dict[str, ModelPrice]] = {
    # Prefix -> price; the longest matching prefix wins (dated ids share a family).
    "claude-opus-4": ModelPrice(15.0, 75.0, 18.75, 1.50),
    "claude-opus-4-5": ModelPrice(5.0, 25.0, 6.25, 0.50),
    "claude-sonnet-4": ModelPrice(3.0, 15.0, 3.75, 0.30),
    "claude-haiku-4": ModelPrice(1.0, 5.0, 1.25, 0.10),
    "claude-3-5-haiku": ModelPrice(0.80, 4.0, 1.0, 0.08),
}


def price_for(model: str) -> ModelPrice | None:
    """The price of ``model`` by longest matching prefix; None when unknown."""
    hits = [p for p in PRICES if model.startswith(p)]
    return PRICES[max(hits, key=len)] if hits else None


def estimate_cost(
    model: str,
    *,
    input_tokens: int = 0,
    output_tokens: int = 0,
    cache_creation_input_tokens: int = 0,
    cache_read_input_tokens: int = 0,
) -> float | None:
    """Estimated US dollars for this usage; None when the model is not in :data:`PRICES`."""
    price = price_for(model)
    if price is None:
        return None
    return (
        input_tokens * price.input
        + output_tokens * price.output
        + cache_creation_input_tokens * price.cache_write
        + cache_read_input_tokens * price.cache_read
    ) / 1e6


@dataclasses.dataclass(frozen=True)
class CopilotConfig:
    """How the copilot runs. Every field has a sensible default.

    Attributes
    ----------
    model
        Claude model id; None means the ``anthropic_model`` setting.
    risk_tolerance, style
        The user's profile; prompts, idea checks and the offline analyst use them.
    offline
        True forces the template-driven offline analyst; False requires the API;
        None (default) uses the API when a key is configured, else offline.
    on_unreachable
        With a key set but the API unreachable (connection error or timeout after
        the SDK's retries): ``"raise"`` a :class:`~axion_lab.exceptions.CopilotError`
        that says how to go offline, or answer ``"offline"`` with a notice saying so.
    max_turns
        Model calls per question; the last one is made without tools so the loop
        always ends with an answer.
    timeout, max_retries
        Passed to the anthropic SDK, which retries 408/409/429/5xx (529 overloaded
        included) and connection errors with exponential backoff, honouring
        ``retry-after`` / ``retry-after-ms``.
    stream
        Stream answers (text deltas reach ``on_text`` callbacks as they arrive).
    """

    model: str | None = None
    risk_tolerance: RiskTolerance = RiskTolerance.MODERATE
    style: InvestmentStyle = InvestmentStyle.BALANCED
    offline: bool | None = None
    on_unreachable: Literal["raise", "offline"] = "raise"
    max_turns: int = DEFAULT_MAX_TURNS
    max_tokens: int = DEFAULT_MAX_TOKENS
    timeout: float = 60.0
    max_retries: int = 2
    stream: bool = True
    prompt_caching: bool = True

    def __post_init__(self) -> None:
        rt = _enum(RiskTolerance, self.risk_tolerance, "risk tolerance")
        st = _enum(InvestmentStyle, self.style, "investment style")
        object.__setattr__(self, "risk_tolerance", rt)
        object.__setattr__(self, "style", st)
        if not 1 <= self.max_turns <= 50:
            raise InputError(f"max_turns must be between 1 and 50, got {self.max_turns}.")
        if self.max_tokens < 1:
            raise InputError(f"max_tokens must be positive, got {self.max_tokens}.")
        if self.timeout <= 0:
            raise InputError(f"timeout must be positive seconds, got {self.timeout}.")
        if self.max_retries < 0:
            raise InputError(f"max_retries must be 0 or more, got {self.max_retries}.")
        if self.on_unreachable not in ("raise", "offline"):
            raise UnknownNameError.for_name(
                "on_unreachable policy", self.on_unreachable, ["raise", "offline"]
            )

    def replace(self, **changes: object) -> CopilotConfig:
        """A copy with ``changes`` applied (validated again)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def analysis_type(value: AnalysisType | str) -> AnalysisType:
    """Parse an analysis type (case-insensitive), suggesting close names."""
    return _enum(AnalysisType, value, "analysis type")


def risk_tolerance(value: RiskTolerance | str) -> RiskTolerance:
    """Parse a risk tolerance (case-insensitive), suggesting close names."""
    return _enum(RiskTolerance, value, "risk tolerance")


def investment_style(value: InvestmentStyle | str) -> InvestmentStyle:
    """Parse an investment style (case-insensitive), suggesting close names."""
    return _enum(InvestmentStyle, value, "investment style")
