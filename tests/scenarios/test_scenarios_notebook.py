"""The stress-test notebook: committed clean, passes nbval, runs as a report."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from axion_lab.data import Market
from axion_lab.reports import get_report, run_report

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "scenario_stress_test.ipynb"


def test_notebook_is_clean_and_parameterized() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.cells[0].source.startswith("# Scenario stress test")
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for node in ast.parse(params[0].source).body:
        assert isinstance(node, ast.AnnAssign)
        ast.literal_eval(node.value)  # type: ignore[arg-type]
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None
    names = [p.name for p in get_report("scenario_stress_test").parameters]
    assert names[:3] == ["portfolio_file", "preset_portfolio", "scenarios"]


@pytest.mark.notebook
@pytest.mark.slow
def test_report_from_a_holdings_file(market: Market, tmp_path: Path) -> None:
    holdings = tmp_path / "mine.csv"
    holdings.write_text("symbol,shares\nAXLG,100\nAXTL,300\nCASH,5000\n")
    result = run_report(
        "scenario_stress_test",
        {
            "portfolio_file": str(holdings),
            "scenarios": ["gfc_2008", "rate_hike_200bp"],
            "paths": 500,
            "replay_window": "rate_shock_2022",
        },
        output_dir=tmp_path,
        progress=False,
    )
    page = result.html_path.read_text()
    assert "<h1>Scenario stress test</h1>" in page
    assert "2008 financial crisis" in page
    assert "Rate hike +200 bp" in page
    assert "Replay 2022 rate shock" in page
    assert "chance of success" in page
    assert page.count('src="data:image/png;base64,') >= 5
    assert "load_market()" not in page  # code is hidden in reports
