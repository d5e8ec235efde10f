"""The curated notebooks: committed clean, run under nbval, and run as reports with papermill."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from axion_lab.data import Market
from axion_lab.reports import run_report

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def test_there_are_curated_notebooks() -> None:
    names = {p.stem for p in NOTEBOOKS}
    assert {"market_overview", "scenario_stress_test", "drip_simulator"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_is_clean(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    parameters = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(parameters) == 1, "exactly one cell tagged `parameters`"
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.startswith("# "), "the first cell is the title"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        ast.parse(cell.source)  # plain Python: no magics, no shell escapes
        if CHECK_MARK not in cell.source:
            assert cell.outputs == [], f"outputs must be stripped: {cell.source[:60]!r}"
            assert cell.execution_count is None
    checked = [c for c in nb.cells if c.cell_type == "code" and CHECK_MARK in c.source]
    for cell in checked:
        assert cell.outputs, "an NBVAL_CHECK_OUTPUT cell keeps its reference output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_only_typed_literals(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    for node in ast.parse(cell.source).body:
        assert isinstance(node, ast.AnnAssign), "parameters are annotated: `name: type = value`"
        assert node.value is not None
        ast.literal_eval(node.value)


@pytest.mark.notebook
@pytest.mark.slow
def test_notebooks_pass_nbval(market: Market, session_cache_dir: Path) -> None:
    # `market` builds the sandbox into the session cache first; the kernel, started by
    # a child pytest, inherits AXION_CACHE_DIR from this (cleaned) environment and
    # reads that cache instead of building the sandbox again.
    assert os.environ["AXION_CACHE_DIR"] == str(session_cache_dir)
    folder = NOTEBOOKS[0].parent
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-current-env",
            "-p",
            "no:cacheprovider",
            "-q",
            str(folder),
        ],
        capture_output=True,
        text=True,
        cwd=folder.parent,
        check=False,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert re.search(r"\d+ passed", proc.stdout)


@pytest.mark.notebook
@pytest.mark.slow
def test_market_overview_report_for_one_sector(market: Market, tmp_path: Path) -> None:
    result = run_report(
        "market_overview",
        {"sector": "Information Technology"},
        output_dir=tmp_path,
        progress=False,
    )
    assert result.notebook_path == tmp_path / "market_overview-sector-information-technology.ipynb"
    assert result.html_path.with_suffix(".ipynb") == result.notebook_path
    assert result.parameters == {
        "sector": "Information Technology",
        "as_of": "",
        "lookback_days": 252,
        "index": "",
    }
    nb = nbformat.read(result.notebook_path, as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    page = result.html_path.read_text()
    assert "<title>Market overview</title>" in page
    assert "<h1>Market overview</h1>" in page
    assert "<code>sector = Information Technology</code>" in page
    assert "<code>lookback_days = 252</code>" in page
    assert 'class="axion-banner"' in page
    assert "Synthetic data." in page
    assert market.description
    assert f"<dd>{market.description}</dd>" in page  # the data label in the header
    assert page.count('src="data:image/png;base64,') >= 3
    assert page.count("<table") >= 4
    assert ">Industry</th>" in page  # a sector report breaks down by industry
    # No code: neither the cells' source nor prompts nor the parameters cell.
    for code in ("load_market()", "market_overview(", "lookback_days: int", "overview.plot"):
        assert code not in page
    assert '<div class="jp-InputPrompt' not in page
    assert 'class="highlight' not in page  # no highlighted source code
    assert 'alt="Industry performance, 1M since' in page


@pytest.mark.notebook
@pytest.mark.slow
def test_market_overview_report_with_index_and_as_of(market: Market, tmp_path: Path) -> None:
    index = market.index_membership["index"].sort()[0]
    days = market.trading_days
    as_of = days[len(days) * 2 // 3].isoformat()
    result = run_report(
        "market_overview",
        {"index": index.lower(), "as_of": as_of, "lookback_days": "63"},
        output_dir=tmp_path,
        progress=False,
    )
    assert result.parameters["lookback_days"] == 63
    page = result.html_path.read_text()
    assert f"as of {as_of}" in page
    assert f"Market overview: {index}, as of {as_of}" in page
