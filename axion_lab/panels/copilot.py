"""``CopilotPanel``: chat with the research copilot in a notebook.

A thin ipywidgets surface over :class:`~axion_lab.copilot.CopilotEngine`: the
widgets hold the question and profile; :meth:`CopilotPanel.ask` makes one engine
call, streaming the answer into ``answer`` as it arrives, then shows the checked
answer, the tool calls as expandable steps with their data, and the ideas as cards.
:meth:`CopilotPanel.report` turns the session into a notebook report.

Examples
--------
>>> from axion_lab.panels import CopilotPanel
>>> panel = CopilotPanel()
>>> panel.offline.value = True
>>> panel.question.value = "Where does the market stand?"
>>> response = panel.ask()
>>> response.offline, "Offline" in panel.answer.value, len(panel.steps.children) > 0
(True, True, True)
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from axion_lab.copilot import (
    AnalysisResponse,
    AnalysisType,
    CopilotConfig,
    CopilotEngine,
    CopilotSession,
    InvestmentStyle,
    RiskTolerance,
)
from axion_lab.copilot.render import idea_card, markdown_html, tool_call_html
from axion_lab.exceptions import AxionError

if TYPE_CHECKING:
    from axion_lab.data.market import Market

__all__ = ["CopilotPanel"]


class CopilotPanel:
    """Question box, profile, streaming answer, steps, idea cards and a report button.

    Widgets (set them from code in tests and notebooks): ``question``,
    ``analysis_type``, ``symbols``, ``sector``, ``portfolio``, ``risk_tolerance``,
    ``style``, ``offline``; buttons ``ask_button`` and ``report_button``; outputs
    ``status``, ``answer``, ``checks``, ``steps`` (an Accordion), ``ideas``.
    """

    def __init__(
        self,
        engine: CopilotEngine | None = None,
        *,
        market: Market | None = None,
        session: CopilotSession | None = None,
        report_dir: str | Path = "reports",
    ) -> None:
        import ipywidgets as w

        self._engine = engine
        self._market = market
        self.session = session
        self.report_dir = Path(report_dir)
        self.last_response: AnalysisResponse | None = None
        base = engine.config if engine is not None else CopilotConfig()
        self.question = w.Textarea(
            placeholder="Ask about a stock, a sector, your portfolio or the market…",
            layout=w.Layout(width="100%", height="70px"),
        )
        self.analysis_type = w.Dropdown(
            options=[t.value for t in AnalysisType], value="market", description="About"
        )
        self.symbols = w.Text(placeholder="ACME, BOLT", description="Symbols")
        self.sector = w.Text(placeholder="Energy", description="Sector")
        self.portfolio = w.Text(placeholder="ACME:0.6, BOLT:0.4", description="Portfolio")
        self.risk_tolerance = w.Dropdown(
            options=[r.value for r in RiskTolerance],
            value=base.risk_tolerance.value,
            description="Risk",
        )
        self.style = w.Dropdown(
            options=[s.value for s in InvestmentStyle], value=base.style.value, description="Style"
        )
        self.offline = w.Checkbox(value=bool(base.offline), description="Offline (no model)")
        self.ask_button = w.Button(description="Ask", button_style="primary")
        self.report_button = w.Button(description="Answer → report")
        self.status = w.HTML()
        self.answer = w.HTML()
        self.checks = w.HTML()
        self.steps = w.Accordion()
        self.ideas = w.VBox()
        self.ask_button.on_click(lambda _: self.ask())
        self.report_button.on_click(lambda _: self.report())
        self.widget = w.VBox(
            [
                self.question,
                w.HBox([self.analysis_type, self.symbols, self.sector]),
                w.HBox([self.portfolio, self.risk_tolerance, self.style, self.offline]),
                w.HBox([self.ask_button, self.report_button]),
                self.status,
                self.answer,
                self.checks,
                self.steps,
                self.ideas,
            ]
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)  # type: ignore[no-untyped-call]

    # --- wiring ------------------------------------------------------------------------
    def engine(self) -> CopilotEngine:
        """The engine for the profile in the widgets (rebuilt when they change)."""
        config = (self._engine.config if self._engine is not None else CopilotConfig()).replace(
            risk_tolerance=self.risk_tolerance.value,
            style=self.style.value,
            offline=True if self.offline.value else None,
        )
        if self._engine is None or self._engine.config != config:
            old = self._engine
            self._engine = CopilotEngine(
                config,
                market=self._market,
                client=old._client if old is not None else None,
                store=old.store if old is not None else None,
            )
        return self._engine

    def ask(self) -> AnalysisResponse | None:
        """Ask the question in the widgets; stream the answer, then show the result."""
        engine = self.engine()
        if self.session is None:
            self.session = engine.new_session(self.question.value[:60] or "Copilot session")
        self.session.risk_tolerance = engine.config.risk_tolerance
        self.session.style = engine.config.style
        symbols = [s.strip() for s in self.symbols.value.split(",") if s.strip()]
        streamed: list[str] = []

        def on_text(delta: str) -> None:
            streamed.append(delta)
            self.answer.value = (
                f"<pre style='white-space:pre-wrap'>{html.escape(''.join(streamed))}</pre>"
            )

        self._say("Thinking…")
        try:
            response = engine.ask(
                self.question.value,
                session=self.session,
                analysis_type=self.analysis_type.value,
                symbols=symbols,
                sector=self.sector.value.strip() or None,
                portfolio=self.portfolio.value.strip() or None,
                on_text=on_text,
            )
        except AxionError as exc:
            self._say(html.escape(str(exc)), error=True)
            return None
        self._show(response)
        return response

    def report(self, path: str | Path | None = None) -> Path | None:
        """Write the session so far as a notebook report (and HTML); return its path."""
        if self.session is None or not self.session.answers:
            self._say("Ask a question first: there is no answer to report yet.", error=True)
            return None
        target = (
            Path(path)
            if path is not None
            else self.report_dir / (f"copilot-{self.session.id[:8]}.ipynb")
        )
        try:
            out: Path = self.session.to_notebook(target, html=True)
        except AxionError as exc:
            self._say(html.escape(str(exc)), error=True)
            return None
        self._say(f"Report written to {html.escape(str(out))} (and .html beside it).")
        return out

    # --- display -----------------------------------------------------------------------
    def _show(self, response: AnalysisResponse) -> None:
        import ipywidgets as w

        self.last_response = response
        label = (
            "<p><b>Offline: no language model was used.</b></p>"
            if response.offline
            else f"<p><small>{html.escape(response.model)}</small></p>"
        )
        self.answer.value = label + markdown_html(response.check.annotate(response.text))
        notices = "".join(
            f"<p style='color:#a15c00'>⚠ {html.escape(n)}</p>" for n in response.notices
        )
        self.checks.value = response.check._repr_html_() + notices
        self.steps.children = [w.HTML(tool_call_html(c)) for c in response.tool_calls]
        for i, c in enumerate(response.tool_calls):
            self.steps.set_title(i, f"[{c.id}] {c.tool}" + (" (error)" if c.is_error else ""))
        self.ideas.children = [w.HTML(idea_card(i)) for i in response.ideas]
        cost = response.cost_usd
        spend = f", about ${cost:.4f}" if cost is not None else ""
        self._say(
            f"{len(response.tool_calls)} tool call(s), {len(response.ideas)} idea(s), "
            f"{response.check.summary()}{spend}"
        )

    def _say(self, message: str, *, error: bool = False) -> None:
        colour = "#c62828" if error else "#37474f"
        self.status.value = f"<span style='color:{colour}'>{message}</span>"
