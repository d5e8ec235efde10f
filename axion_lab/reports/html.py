"""Executed notebook -> HTML report, through the ``axion_report`` nbconvert template.

The report shows what a reader needs and nothing else: no code, no prompts, no
parameter cells, no stderr noise. Its header names the report, the parameters,
the time and the data; a banner says so when the data is synthetic. Where the data
came from is read from the outputs themselves: result objects such as
:class:`~axion_lab.overview.MarketOverview` attach ``{"axion_lab": {"data_label",
"is_synthetic"}}`` to their display metadata.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from axion_lab.reports.registry import Report, templates_dir

__all__ = ["Provenance", "find_provenance", "render_html"]

_HIDDEN_TAGS = frozenset({"parameters", "injected-parameters", "remove-cell", "hide-cell"})


@dataclasses.dataclass(frozen=True)
class Provenance:
    """What data a report was computed from."""

    data_label: str
    is_synthetic: bool


def find_provenance(nb: Any) -> Provenance | None:
    """The first ``axion_lab`` display metadata in the notebook's outputs, if any."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("axion_lab")
            if isinstance(meta, Mapping) and "data_label" in meta:
                return Provenance(str(meta["data_label"]), bool(meta.get("is_synthetic")))
    return None


def _for_readers(nb: Any) -> Any:
    """A copy of ``nb`` without the cells and outputs a reader should not see."""
    nb = copy.deepcopy(nb)
    kept = []
    title_dropped = False
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & _HIDDEN_TAGS:
            continue
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
            if not cell.outputs:
                continue
        if cell.cell_type == "markdown" and not title_dropped:
            # The title moves into the report header; keep the rest of the cell.
            lines = str(cell.source).splitlines()
            if lines and lines[0].lstrip().startswith("# "):
                title_dropped = True
                cell.source = "\n".join(lines[1:]).strip()
                if not cell.source:
                    continue
        kept.append(cell)
    nb.cells = kept
    return nb


def _display(value: Any) -> str:
    if value == "":
        return '""'
    return str(value)


def render_html(
    notebook_path: Path,
    html_path: Path,
    *,
    report: Report,
    parameters: Mapping[str, Any],
    generated_at: dt.datetime,
    fallback: Provenance,
) -> Path:
    """Render the executed notebook at ``notebook_path`` as the HTML report ``html_path``.

    ``parameters`` are the values in force (defaults included); a value equal to the
    notebook's default is marked as such. ``fallback`` says what the data is when no
    output carries provenance metadata.
    """
    import nbformat
    from nbconvert import HTMLExporter

    from axion_lab import __version__

    nb = nbformat.read(notebook_path, as_version=4)  # type: ignore[no-untyped-call]
    provenance = find_provenance(nb) or fallback
    defaults = report.defaults()
    exporter = HTMLExporter(  # type: ignore[no-untyped-call]
        template_name="axion_report",
        extra_template_basedirs=[str(templates_dir())],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    resources = {
        "metadata": {"name": report.title},
        "axion": {
            "title": report.title,
            "name": report.name,
            "notebook": report.path.name,
            "executed_notebook": notebook_path.name,
            "parameters": [
                {
                    "name": name,
                    "display": _display(value),
                    "is_default": name in defaults and defaults[name] == value,
                }
                for name, value in parameters.items()
            ],
            "generated": generated_at.strftime("%Y-%m-%d %H:%M %Z").strip(),
            "data_label": provenance.data_label,
            "synthetic": provenance.is_synthetic,
            "version": __version__,
        },
    }
    body, _ = exporter.from_notebook_node(_for_readers(nb), resources=resources)
    html_path.write_text(body, encoding="utf-8")
    return html_path
