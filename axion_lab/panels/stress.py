"""``StressTestPanel``: edit or upload a portfolio, pick or build a scenario, see the damage.

A thin ipywidgets surface over :class:`~axion_lab.scenarios.ScenarioAnalyzer`: the
widgets hold the inputs, each handler makes one engine call and renders the
result object (its HTML and a chart as PNG). Errors from the engines
(:class:`~axion_lab.exceptions.AxionError`) are shown in the status line.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.panels import StressTestPanel
>>> panel = StressTestPanel(load_market())
>>> panel.preset.value = "balanced"
>>> panel.scenario.value = "covid_2020"
>>> result = panel.run()
>>> result.scenario.name, "COVID" in panel.result_html.value
('covid_2020', True)
"""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING, Any

from axion_lab.data.market import Market
from axion_lab.data.schema import GICS_SECTORS
from axion_lab.exceptions import AxionError
from axion_lab.scenarios import (
    EXAMPLE_PORTFOLIOS,
    PREDEFINED_SCENARIOS,
    Portfolio,
    Scenario,
    ScenarioAnalyzer,
    ScenarioComparison,
    ScenarioResult,
    example_portfolio,
    read_portfolio_text,
)
from axion_lab.scenarios.money import format_cents

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CUSTOM", "StressTestPanel"]

CUSTOM = "custom"


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def portfolio_csv(portfolio: Portfolio) -> str:
    """The editor text for a portfolio: ``symbol,shares`` lines and a ``CASH`` line."""
    lines = ["symbol,shares"]
    lines += [f"{h.symbol},{h.shares:g}" for h in portfolio.holdings]
    if portfolio.cash_cents:
        lines.append(f"CASH,{format_cents(portfolio.cash_cents).replace('$', '').replace(',', '')}")
    return "\n".join(lines)


class StressTestPanel:
    """Portfolio editor or upload, scenario picker, custom shock builder, results.

    Widgets (set them from code in tests and notebooks): ``preset``, ``editor``,
    ``upload``, ``scenario``, ``market_shock``, ``sector``, ``sector_shock``,
    ``rates_bp``, ``credit_bp``, ``compare_with``; buttons ``run_button`` and
    ``compare_button``; outputs ``status``, ``result_html``, ``chart``.
    """

    def __init__(self, market: Market, *, analyzer: ScenarioAnalyzer | None = None) -> None:
        import ipywidgets as w

        self.market = market
        self.analyzer = analyzer or ScenarioAnalyzer(market)
        self.last_result: ScenarioResult | ScenarioComparison | None = None
        choices = [(s.title, s.name) for s in PREDEFINED_SCENARIOS.values()]
        self.preset = w.Dropdown(
            options=[("(edit below)", ""), *[(k.replace("_", " "), k) for k in EXAMPLE_PORTFOLIOS]],
            value="",
            description="Portfolio",
        )
        self.editor = w.Textarea(
            value="symbol,shares\n",
            placeholder="symbol,shares\nAXLG,100\nCASH,5000",
            layout=w.Layout(width="320px", height="160px"),
        )
        self.upload = w.FileUpload(accept=".csv,.txt", multiple=False, description="Upload CSV")
        self.scenario = w.Dropdown(
            options=[*choices, ("Custom shocks…", CUSTOM)],
            value="covid_2020",
            description="Scenario",
        )
        pct = {"readout_format": ".0%", "continuous_update": False}
        self.market_shock = w.FloatSlider(
            -0.2, min=-0.8, max=0.3, step=0.01, description="Market", **pct
        )
        self.sector = w.Dropdown(options=["", *GICS_SECTORS], value="", description="Sector")
        self.sector_shock = w.FloatSlider(
            0.0, min=-0.9, max=0.5, step=0.01, description="Sector move", **pct
        )
        self.rates_bp = w.IntSlider(0, min=-300, max=300, step=25, description="Rates (bp)")
        self.credit_bp = w.IntSlider(0, min=0, max=1000, step=25, description="Credit (bp)")
        self.compare_with = w.SelectMultiple(options=choices, rows=8, description="Compare")
        self.run_button = w.Button(description="Run", button_style="primary")
        self.compare_button = w.Button(description="Compare scenarios")
        self.status = w.HTML()
        self.result_html = w.HTML()
        self.chart = w.Image(format="png")
        self.preset.observe(self._on_preset, names="value")
        self.upload.observe(self._on_upload, names="value")
        self.run_button.on_click(lambda _: self.run())
        self.compare_button.on_click(lambda _: self.compare())
        custom = w.VBox(
            [self.market_shock, self.sector, self.sector_shock, self.rates_bp, self.credit_bp]
        )
        self.widget = w.VBox(
            [
                w.HBox(
                    [
                        w.VBox([self.preset, self.editor, self.upload]),
                        w.VBox([self.scenario, custom, self.run_button]),
                        w.VBox([self.compare_with, self.compare_button]),
                    ]
                ),
                self.status,
                self.result_html,
                self.chart,
            ]
        )

    # --- inputs -----------------------------------------------------------------------
    def _on_preset(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.editor.value = portfolio_csv(example_portfolio(self.market, change["new"]))

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if files:
            item = files[0]
            self.editor.value = bytes(item["content"]).decode("utf-8-sig")
            self.preset.value = ""
            self._say(f"Loaded {html.escape(str(item.get('name', 'file')))}.")

    def portfolio(self) -> Portfolio:
        """The portfolio in the editor (checked against the market)."""
        name = (
            self.preset.value.replace("_", " ").capitalize() if self.preset.value else "Portfolio"
        )
        return read_portfolio_text(self.editor.value, name=name, market=self.market)

    def scenario_choice(self) -> Scenario:
        """The picked scenario, or the custom one built from the sliders."""
        if self.scenario.value != CUSTOM:
            return PREDEFINED_SCENARIOS[self.scenario.value]
        sectors = {self.sector.value: self.sector_shock.value} if self.sector.value else {}
        return Scenario.custom(
            "custom",
            market=self.market_shock.value,
            sectors=sectors,
            rates_bp=float(self.rates_bp.value),
            credit_bp=float(self.credit_bp.value),
            high_yield_bp=3.0 * float(self.credit_bp.value),
            title="Custom scenario",
        )

    # --- actions ----------------------------------------------------------------------
    def run(self) -> ScenarioResult | None:
        """Apply the chosen scenario to the editor's portfolio and show the result."""
        try:
            result = self.analyzer.run(self.portfolio(), self.scenario_choice())
        except AxionError as exc:
            self._say(str(exc), error=True)
            return None
        self._show(result, result.plot())
        return result

    def compare(self) -> ScenarioComparison | None:
        """Apply every scenario selected in ``compare_with`` and show them side by side."""
        names = list(self.compare_with.value) or list(PREDEFINED_SCENARIOS)
        try:
            result = self.analyzer.run_many(self.portfolio(), names)
        except AxionError as exc:
            self._say(str(exc), error=True)
            return None
        self._show(result, result.plot())
        return result

    def _show(self, result: ScenarioResult | ScenarioComparison, fig: Figure) -> None:
        self.last_result = result
        self.result_html.value = result._repr_html_()
        self.chart.value = _png(fig)
        self._say(html.escape(result.headline()))

    def _say(self, message: str, *, error: bool = False) -> None:
        colour = "#c62828" if error else "#37474f"
        self.status.value = (
            f"<span style='color:{colour}'>{html.escape(message) if error else message}</span>"
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)  # type: ignore[no-untyped-call]
