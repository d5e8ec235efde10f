"""``AnalysisModule``: the four standard analyses as one call each, in one session.

Each method builds the request (its analysis type, symbols, sector or portfolio) and
asks the engine, so a notebook or panel can say ``analysis.stock("ACME")`` instead
of writing the question and type by hand. All answers go to the module's session.

Examples
--------
>>> from axion_lab.copilot import AnalysisModule, CopilotConfig, CopilotEngine
>>> analysis = AnalysisModule(CopilotEngine(CopilotConfig(offline=True)))
>>> analysis.market().offline
True
>>> len(analysis.session.answers)
1
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from axion_lab.copilot.config import AnalysisType
from axion_lab.copilot.models import AnalysisResponse, CopilotSession, PortfolioContext
from axion_lab.exceptions import InputError

if TYPE_CHECKING:
    from axion_lab.copilot.engine import CopilotEngine

__all__ = ["AnalysisModule"]


class AnalysisModule:
    """Standard analyses (stock, sector, portfolio, market) over one engine and session."""

    def __init__(self, engine: CopilotEngine, session: CopilotSession | None = None) -> None:
        self.engine = engine
        self.session = session if session is not None else engine.new_session("Analyses")

    def stock(
        self,
        symbols: str | Sequence[str],
        question: str | None = None,
        *,
        on_text: Callable[[str], None] | None = None,
    ) -> AnalysisResponse:
        """Analyse one or a few stocks: quote, price history, fundamentals, fit."""
        syms = [symbols] if isinstance(symbols, str) else list(symbols)
        if not syms:
            raise InputError("Name at least one symbol to analyse.")
        q = question or f"Analyse {', '.join(syms)} for me."
        return self.engine.ask(
            q,
            session=self.session,
            analysis_type=AnalysisType.STOCK,
            symbols=syms,
            on_text=on_text,
        )

    def sector(
        self,
        sector: str,
        question: str | None = None,
        *,
        on_text: Callable[[str], None] | None = None,
    ) -> AnalysisResponse:
        """Analyse a sector: its industries' performance and its largest names."""
        q = question or f"How is the {sector} sector doing, and which names stand out?"
        return self.engine.ask(
            q,
            session=self.session,
            analysis_type=AnalysisType.SECTOR,
            sector=sector,
            on_text=on_text,
        )

    def portfolio(
        self,
        portfolio: PortfolioContext | str,
        question: str | None = None,
        *,
        on_text: Callable[[str], None] | None = None,
    ) -> AnalysisResponse:
        """Review a portfolio against the session's risk tolerance and style."""
        q = question or "Review my portfolio: valuation, risk and fit with my profile."
        return self.engine.ask(
            q,
            session=self.session,
            analysis_type=AnalysisType.PORTFOLIO,
            portfolio=portfolio,
            on_text=on_text,
        )

    def market(
        self, question: str | None = None, *, on_text: Callable[[str], None] | None = None
    ) -> AnalysisResponse:
        """Where the market stands: sector returns, breadth, movers."""
        q = question or "Where does the market stand today?"
        return self.engine.ask(
            q, session=self.session, analysis_type=AnalysisType.MARKET, on_text=on_text
        )
