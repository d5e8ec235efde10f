"""The AI research copilot: Claude plans and explains, the workbench's engines compute.

Every number in an answer comes from a recorded tool result (``[T1]``...) that can be
inspected and re-run; a checker flags any number no cited result supports. Without
an API key the same analyses run offline, from templates, and say so.

::

    CopilotEngine ── ask / stream ──> AnalysisResponse (text, tool calls, ideas, check)
      ├── ToolRegistry   tools generated from engine parameter models
      ├── PromptBuilder  templates/prompts/*.md.j2, prompt caching
      ├── OfflineAnalyst template-driven, no language model
      └── CopilotSessionStore  sessions in the database (resume, export)

Examples
--------
>>> from axion_lab.copilot import CopilotConfig, CopilotEngine
>>> engine = CopilotEngine(CopilotConfig(offline=True, risk_tolerance="conservative"))
>>> answer = engine.ask("Where does the market stand?")
>>> answer.offline, answer.check.ok
(True, True)
"""

from __future__ import annotations

from axion_lab.copilot.analysis import AnalysisModule
from axion_lab.copilot.builtin_tools import PENDING_TOOLS, default_registry
from axion_lab.copilot.checker import CheckReport, NumberCheck, check_answer, extract_numbers
from axion_lab.copilot.config import (
    PRICES,
    AnalysisType,
    CopilotConfig,
    InvestmentStyle,
    ModelPrice,
    RiskTolerance,
    estimate_cost,
)
from axion_lab.copilot.engine import AnswerStream, CopilotEngine
from axion_lab.copilot.ideas import Direction, Horizon, TradeIdea, assess_suitability
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
from axion_lab.copilot.store import CopilotSessionStore
from axion_lab.copilot.tools import Tool, ToolContext, ToolOutput, ToolRegistry

__all__ = [
    "PENDING_TOOLS",
    "PRICES",
    "AnalysisModule",
    "AnalysisRequest",
    "AnalysisResponse",
    "AnalysisType",
    "AnswerRecord",
    "AnswerStream",
    "CheckReport",
    "CopilotConfig",
    "CopilotEngine",
    "CopilotSession",
    "CopilotSessionStore",
    "Direction",
    "Horizon",
    "InvestmentStyle",
    "MarketContext",
    "ModelPrice",
    "NumberCheck",
    "OfflineAnalyst",
    "PortfolioContext",
    "PromptBuilder",
    "RiskTolerance",
    "Tool",
    "ToolCallRecord",
    "ToolContext",
    "ToolOutput",
    "ToolRegistry",
    "TradeIdea",
    "Usage",
    "assess_suitability",
    "check_answer",
    "default_registry",
    "estimate_cost",
    "extract_numbers",
]
