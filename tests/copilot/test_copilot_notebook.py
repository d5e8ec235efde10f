"""The copilot_session notebook: nbval (offline by default) and a parameterized report run."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from axion_lab.data import Market
from axion_lab.reports import get_report, run_report

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "copilot_session.ipynb"


def test_notebook_is_a_report_with_typed_parameters() -> None:
    report = get_report("copilot_session")
    assert report.title == "Copilot session"
    assert report.defaults()["offline"] is True
    assert [p.name for p in report.parameters] == [
        "question",
        "analysis_type",
        "symbols",
        "sector",
        "portfolio",
        "risk_tolerance",
        "style",
        "model",
        "offline",
    ]
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(c.outputs == [] for c in nb.cells if c.cell_type == "code")


@pytest.mark.notebook
@pytest.mark.slow
def test_stock_report_runs_offline(market: Market, tmp_path: Path) -> None:
    symbol = market.universe()[3]
    result = run_report(
        "copilot_session",
        {
            "question": f"Is {symbol} attractive?",
            "analysis_type": "stock",
            "symbols": symbol,
            "style": "value",
        },
        output_dir=tmp_path,
        progress=False,
    )
    page = result.html_path.read_text()
    assert "Offline analysis — no language model was used." in page
    assert f"## {symbol}" in page or f"<h2>{symbol}" in page or symbol in page
    assert "get_price_history" in page
    assert "verified" in page
