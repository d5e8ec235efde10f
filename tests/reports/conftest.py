"""Helpers for report tests: throwaway notebooks in a temporary notebooks folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest


def write_notebook(path: Path, cells: list[tuple[str, str, list[str]]]) -> Path:
    """Write a notebook of (kind, source, tags) cells with a python3 kernelspec."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for i, (kind, source, tags) in enumerate(cells):
        cell = (
            nbformat.v4.new_markdown_cell(source)
            if kind == "markdown"
            else nbformat.v4.new_code_cell(source)
        )
        cell.id = f"cell-{i}"
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nbformat.write(nb, path)
    return path


@pytest.fixture
def notebooks_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Point AXION_NOTEBOOKS_DIR at a temporary folder; returns a notebook writer."""
    from axion_lab.config import reload_settings

    folder = tmp_path / "notebooks"
    folder.mkdir()
    monkeypatch.setenv("AXION_NOTEBOOKS_DIR", str(folder))
    reload_settings()

    def add(name: str, cells: list[tuple[str, str, list[str]]]) -> Path:
        return write_notebook(folder / f"{name}.ipynb", cells)

    return add
