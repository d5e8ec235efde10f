"""DripPanel: set widget values, call the run handler, assert state (no browser)."""

from __future__ import annotations

from axion_lab.data import Market
from axion_lab.dividends import DripResult, MonteCarloResult
from axion_lab.panels import DripPanel


def test_history_run_renders_result_and_chart(tiny: Market) -> None:
    panel = DripPanel(tiny, holdings="AAA:100", start="2023-01-03")
    panel.account.value = "tax_free"
    panel.run_button.click()
    assert isinstance(panel.result, DripResult)
    # As in test_dividends_drip_history to 265.432 shares at the end of 2023, then 2024's
    # 0.14s: 3716c (+7.432 sh), 3820c (+7.64), 3927c (+7.854), 4037c (+8.074) -> 296.432
    # shares x $5.00.
    assert panel.result.final("drip")["value_cents"] == 148216
    assert panel.status.value.startswith("History 2023-01-03..2024-12-31")
    kinds = [sorted(o["data"]) for o in panel.output.outputs]
    assert kinds == [["text/html", "text/plain"], ["image/png", "text/plain"]]


def test_monte_carlo_mode(tiny: Market) -> None:
    panel = DripPanel(tiny, holdings="AAA:100")
    panel.mode.value = "monte_carlo"
    panel.years.value = 3
    panel.paths.value = 500
    panel.contribution.value = "50"
    panel.run()
    assert isinstance(panel.result, MonteCarloResult)
    assert panel.result.paths == 500
    assert panel.result.years == 3
    assert panel.result.assumptions["monthly_contribution_cents"] == 5000


def test_errors_show_in_the_status_line(tiny: Market) -> None:
    panel = DripPanel(tiny, holdings="AAB:10")
    panel.run()
    assert panel.result is None
    assert "Did you mean &#x27;AAA&#x27;" in panel.status.value
    panel.holdings.value = "AAA:10"
    panel.contribution.value = "12.345"
    panel.run()
    assert "whole number of cents" in panel.status.value
