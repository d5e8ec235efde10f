"""The dividend notebooks: committed clean, typed parameters, run as reports with papermill."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from axion_lab.data import Market

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = ("drip_simulator", "dividend_dashboard")


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_clean_and_thin(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.startswith("# ")
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for node in ast.parse(params[0].source).body:
        assert isinstance(node, ast.AnnAssign)
        assert node.value is not None
        ast.literal_eval(node.value)  # typed literal defaults only
    for cell in nb.cells:
        if cell.cell_type == "code":
            ast.parse(cell.source)  # no magics
            assert cell.outputs == []
            assert cell.execution_count is None
            for line in cell.source.splitlines():
                if line.startswith(("from axion_lab", "import axion_lab")):
                    assert "._" not in line  # public API only


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "parameters"),
    [
        ("drip_simulator", {"years": "10", "paths": "2000", "fractional": "false"}),
        ("dividend_dashboard", {"track_record": "false", "account": "tax_free"}),
    ],
)
def test_notebook_runs_as_a_report(
    market: Market, tmp_path: Path, name: str, parameters: dict[str, str]
) -> None:
    from axion_lab.reports import run_report

    result = run_report(name, parameters, output_dir=tmp_path, progress=False)
    page = result.html_path.read_text()
    assert "Synthetic data" in page
    assert page.count('src="data:image/png;base64,') >= (3 if name == "drip_simulator" else 2)
    assert "$" in page
    assert "Traceback" not in page
