"""The curated notebooks: ``notebooks/*.ipynb``, each a report, listed by file stem.

The directory is the ``notebooks_dir`` setting (``AXION_NOTEBOOKS_DIR``) or, by
default, the ``notebooks/`` folder of the repository the package was installed
from in editable mode (beside the ``axion_lab`` package).
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from pathlib import Path

from axion_lab.config import get_settings
from axion_lab.exceptions import ReportError, UnknownReportError
from axion_lab.reports.parameters import ReportParameter, read_parameters

__all__ = ["Report", "get_report", "list_reports", "notebooks_dir", "templates_dir"]

_REPO_ROOT = Path(__file__).resolve().parents[2]
_HEADING = re.compile(r"^\s*#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def notebooks_dir() -> Path:
    """The folder holding the curated notebooks."""
    configured = get_settings().notebooks_dir
    folder = configured if configured is not None else _REPO_ROOT / "notebooks"
    if not folder.is_dir():
        raise ReportError(
            f"The notebooks folder {folder} does not exist. Run from a checkout installed "
            "with `pip install -e .`, or set AXION_NOTEBOOKS_DIR to a folder of notebooks."
        )
    return folder


def templates_dir() -> Path:
    """The folder holding the nbconvert report templates (``axion_report``)."""
    folder = _REPO_ROOT / "templates"
    if not (folder / "axion_report").is_dir():
        raise ReportError(
            f"The report template {folder / 'axion_report'} is missing; reports need the "
            "repository's templates/ folder (install with `pip install -e .`)."
        )
    return folder


@dataclasses.dataclass(frozen=True)
class Report:
    """A curated notebook: its name, file, title, summary and typed parameters."""

    name: str
    path: Path
    title: str
    summary: str
    parameters: tuple[ReportParameter, ...]

    def defaults(self) -> dict[str, object]:
        """Every parameter's default value."""
        return {p.name: p.default for p in self.parameters}


def _title_and_summary(path: Path) -> tuple[str, str]:
    import nbformat

    nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        source = str(cell.source)
        match = _HEADING.search(source)
        if match:
            rest = source[match.end() :].strip()
            summary = rest.split("\n\n", 1)[0].replace("\n", " ").strip()
            return match.group(1).strip(), summary
    return path.stem.replace("_", " ").capitalize(), ""


@cache
def _load(path: Path, mtime_ns: int) -> Report:
    # Keyed on the file's mtime so an edited notebook is read again.
    title, summary = _title_and_summary(path)
    return Report(path.stem, path, title, summary, read_parameters(path))


def list_reports() -> list[Report]:
    """Every curated notebook, sorted by name."""
    paths = sorted(notebooks_dir().glob("*.ipynb"))
    return [_load(p, p.stat().st_mtime_ns) for p in paths]


def get_report(name: str) -> Report:
    """The curated notebook called ``name`` (the file stem), with suggestions if unknown."""
    folder = notebooks_dir()
    path = folder / f"{name}.ipynb"
    if "/" in name or "\\" in name or not path.is_file():
        choices = sorted(p.stem for p in folder.glob("*.ipynb"))
        raise UnknownReportError.for_name(
            "report", name, choices, hint="List them with `axion-lab report --list`."
        )
    return _load(path, path.stat().st_mtime_ns)
