"""Notebook maintenance: stripping outputs and refreshing nbval reference outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from axion_lab.reports.maintenance import CHECK_MARK, refresh_notebook, strip_notebook


def _notebook(path: Path, sources: list[str]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    for i, cell in enumerate(nb.cells):
        cell.id = f"c{i}"
    nbformat.write(nb, path)
    return path


def test_strip_keeps_only_checked_outputs(tmp_path: Path) -> None:
    path = _notebook(tmp_path / "n.ipynb", ["1 + 1", f"{CHECK_MARK}\n2 + 2"])
    nb = nbformat.read(path, as_version=4)
    for cell, value in zip(nb.cells, ["2", "4"], strict=True):
        cell.execution_count = 3
        cell.outputs = [
            nbformat.v4.new_output("execute_result", data={"text/plain": value}, execution_count=3)
        ]
    nbformat.write(nb, path)
    assert strip_notebook(path) is True
    stripped = nbformat.read(path, as_version=4)
    assert stripped.cells[0].outputs == []
    assert stripped.cells[0].execution_count is None
    assert stripped.cells[1].outputs[0]["data"]["text/plain"] == "4"
    assert strip_notebook(path) is False  # idempotent


@pytest.mark.notebook
def test_refresh_stores_reference_outputs_of_checked_cells_only(tmp_path: Path) -> None:
    path = _notebook(tmp_path / "n.ipynb", ["x = 6 * 7\nx", f"{CHECK_MARK}\nprint(x + 1)", "x * 2"])
    assert refresh_notebook(path) == 1
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].outputs == []
    assert nb.cells[2].outputs == []
    checked = nb.cells[1]
    assert checked.execution_count == 1
    assert checked.outputs[0]["text"] == "43\n"
    assert "papermill" not in nb.metadata
