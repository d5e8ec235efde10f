"""``DripPanel``: holdings and assumptions in, DRIP vs cash charts out.

Thin by design: the widgets hold the inputs, :meth:`DripPanel.run` makes one
engine call (:class:`~axion_lab.dividends.DRIPSimulator`) and shows the result
object and its charts. Errors from the engine (an unknown symbol, a contribution
with a fraction of a cent...) are shown in the status line, not raised.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.panels import DripPanel
>>> market = load_market()
>>> payer = market.dividends.sort("ex_date")["symbol"][-1]  # a current payer
>>> panel = DripPanel(market)
>>> panel.holdings.value = f"{payer}:100"
>>> panel.mode.value = "forward"
>>> panel.years.value = 5
>>> panel.run()
>>> panel.status.value.startswith("Forward")
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axion_lab.dividends import AccountType, DripResult, DRIPSimulator, MonteCarloResult
from axion_lab.exceptions import AxionError

if TYPE_CHECKING:
    from axion_lab.data.market import Market

__all__ = ["DripPanel"]

MODES = ("history", "forward", "monte_carlo")


class DripPanel:
    """A DRIP simulator panel. Display it in a notebook cell (``panel`` or ``panel.widget``)."""

    def __init__(self, market: Market, *, holdings: str = "", start: str = "") -> None:
        import ipywidgets as w

        self.market = market
        self.result: DripResult | MonteCarloResult | None = None
        self.holdings = w.Text(
            value=holdings, description="Holdings", placeholder="SYM:SHARES, ..."
        )
        self.mode = w.ToggleButtons(options=list(MODES), value="history", description="Mode")
        self.start = w.Text(
            value=start or market.start.replace(year=market.start.year + 1).isoformat(),
            description="Start (history)",
        )
        self.years = w.BoundedIntText(value=30, min=1, max=60, description="Years")
        self.paths = w.BoundedIntText(value=10_000, min=100, max=200_000, description="Paths")
        self.contribution = w.Text(value="0", description="Monthly $")
        self.account = w.Dropdown(
            options=[a.value for a in AccountType], value="taxable", description="Account"
        )
        self.fractional = w.Checkbox(value=True, description="Fractional shares")
        self.price_growth = w.FloatText(value=0.06, description="Price growth")
        self.run_button = w.Button(description="Run", button_style="primary")
        self.status = w.HTML(value="")
        self.output = w.Output()
        self.run_button.on_click(lambda _: self.run())
        self.widget = w.VBox(
            [
                w.HBox([self.holdings, self.mode]),
                w.HBox([self.start, self.years, self.paths]),
                w.HBox([self.contribution, self.account, self.fractional, self.price_growth]),
                w.HBox([self.run_button, self.status]),
                self.output,
            ]
        )

    def run(self) -> None:
        """Read the widgets, call the engine once, show the result (or the error)."""
        sim = DRIPSimulator(self.market)
        common: dict[str, Any] = {
            "fractional": self.fractional.value,
            "monthly_contribution": self.contribution.value.strip() or "0",
            "account": self.account.value,
        }
        try:
            if self.mode.value == "history":
                result: DripResult | MonteCarloResult = sim.history(
                    self.holdings.value, start=self.start.value, **common
                )
            elif self.mode.value == "forward":
                result = sim.forward(
                    self.holdings.value,
                    years=self.years.value,
                    price_growth=self.price_growth.value,
                    **common,
                )
            else:
                result = sim.monte_carlo(
                    self.holdings.value,
                    years=self.years.value,
                    paths=self.paths.value,
                    price_growth=self.price_growth.value,
                    **common,
                )
        except AxionError as exc:
            self.result = None
            self.status.value = f"<span style='color:#cf222e'>{_escape(str(exc))}</span>"
            return
        self.result = result
        self.status.value = _escape(_summary(result))
        # Outputs are set on the widget's state (not printed), so they show in any
        # front end, and tests can read them without a browser.
        self.output.outputs = ()
        self.output.append_display_data(result)
        self.output.append_display_data(result.plot())

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def _summary(result: DripResult | MonteCarloResult) -> str:
    if isinstance(result, MonteCarloResult):
        return f"Monte Carlo: {result.paths:,} paths x {result.years} years."
    from axion_lab.dividends.money import format_cents

    d, c = result.final("drip"), result.final("cash")
    return (
        f"{result.mode.capitalize()} {result.start}..{result.end}: DRIP "
        f"{format_cents(d['value_cents'])}, cash {format_cents(c['value_cents'])}."
    )


def _escape(text: str) -> str:
    import html

    return html.escape(text)
