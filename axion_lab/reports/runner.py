"""Run a curated notebook as a report: check parameters, execute, render HTML.

Parameters are checked against the notebook's ``parameters`` cell before any
kernel starts. Papermill executes the notebook (kernel ``python3``) into
``<output>/<name>[-<parameter slug>].ipynb``; nbconvert renders it next to it as
``.html``. If a cell raises, the partly executed notebook is still written, and
:class:`~axion_lab.exceptions.ReportExecutionError` names the cell and the error.

The kernel inherits this process's environment, so it sees the same ``AXION_*``
settings (cache and data directories, provider) as the caller.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from axion_lab.config import get_settings
from axion_lab.exceptions import ReportExecutionError
from axion_lab.reports.html import Provenance, render_html
from axion_lab.reports.parameters import coerce_parameters
from axion_lab.reports.registry import Report, get_report

__all__ = ["ReportResult", "output_stem", "run_report"]

_SLUG_MAX = 80


@dataclasses.dataclass(frozen=True)
class ReportResult:
    """What :func:`run_report` wrote, with which parameters, in how long."""

    name: str
    title: str
    notebook_path: Path
    html_path: Path
    parameters: Mapping[str, Any]
    duration: float
    generated_at: dt.datetime

    def __str__(self) -> str:
        return (
            f"{self.title}: {self.html_path} (notebook {self.notebook_path}; {self.duration:.1f}s)"
        )

    def _repr_html_(self) -> str:
        esc = html.escape
        return (
            f"<div><b>{esc(self.title)}</b> in {self.duration:.1f}s: "
            f"<a href='{esc(self.html_path.as_posix())}'>{esc(self.html_path.name)}</a> · "
            f"<a href='{esc(self.notebook_path.as_posix())}'>{esc(self.notebook_path.name)}</a>"
            "</div>"
        )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def output_stem(name: str, parameters: Mapping[str, Any]) -> str:
    """File stem of a report run: the name, then the given parameters as a slug.

    Long slugs are cut and end in a short hash so distinct runs never collide.

    Examples
    --------
    >>> output_stem("market_overview", {"sector": "Information Technology"})
    'market_overview-sector-information-technology'
    >>> output_stem("market_overview", {})
    'market_overview'
    """
    parts = [f"{_slug(k)}-{_slug(str(v)) or 'blank'}" for k, v in parameters.items()]
    slug = "-".join(parts)
    if len(slug) > _SLUG_MAX:
        digest = hashlib.sha1(slug.encode(), usedforsecurity=False).hexdigest()[:8]
        slug = f"{slug[: _SLUG_MAX - 9].rstrip('-')}-{digest}"
    return f"{name}-{slug}" if slug else name


def _fallback_provenance() -> Provenance:
    provider = get_settings().provider
    return Provenance(f"{provider} provider", is_synthetic=provider == "sandbox")


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()[:80]
    return source.strip()[:80]


def _execute(
    report: Report,
    notebook_path: Path,
    parameters: dict[str, Any],
    *,
    progress: bool,
    kernel_name: str,
) -> None:
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill.execute_notebook(
            str(report.path),
            str(notebook_path),
            parameters=parameters,
            kernel_name=kernel_name,
            progress_bar=progress,
            request_save_on_cell_execute=True,
            execution_timeout=get_settings().report_timeout,
        )
    except PapermillExecutionError as exc:
        raise ReportExecutionError(
            f"Report {report.name!r} failed in cell [{exc.exec_count}] "
            f"(`{_first_line(exc.source)}`): {exc.ename}: {exc.evalue}. The partly "
            f"executed notebook is saved at {notebook_path} for inspection."
        ) from exc
    except (CellTimeoutError, DeadKernelError) as exc:
        raise ReportExecutionError(
            f"Report {report.name!r} did not finish: {exc}. Raise AXION_REPORT_TIMEOUT if a "
            f"cell needs longer; the partial notebook is at {notebook_path}."
        ) from exc


def run_report(
    name: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    output_dir: Path | str | None = None,
    progress: bool = True,
    kernel_name: str = "python3",
) -> ReportResult:
    """Execute the curated notebook ``name`` with ``parameters`` and render it as HTML.

    Parameters
    ----------
    name
        A notebook of :func:`~axion_lab.reports.list_reports` (file stem).
    parameters
        Values for the notebook's ``parameters`` cell; strings are parsed to the
        declared type. Unset parameters keep the notebook's defaults.
    output_dir
        Where to write; default the ``report_dir`` setting (``reports/``).
    progress
        Show papermill's progress bar.
    kernel_name
        Jupyter kernel to run the notebook in.

    Raises
    ------
    UnknownReportError, ReportParameterError
        Before anything runs.
    ReportExecutionError
        A cell raised or timed out; the partial notebook is kept.

    Examples
    --------
    >>> from axion_lab.reports import run_report
    >>> result = run_report("market_overview", {"sector": "Energy"},
    ...                     output_dir="reports", progress=False)  # doctest: +SKIP
    >>> result.html_path.name  # doctest: +SKIP
    'market_overview-sector-energy.html'
    """
    report = get_report(name)
    given = coerce_parameters(name, report.parameters, parameters or {})
    folder = Path(output_dir) if output_dir is not None else get_settings().report_dir
    folder.mkdir(parents=True, exist_ok=True)
    stem = output_stem(name, given)
    notebook_path = folder / f"{stem}.ipynb"
    html_path = folder / f"{stem}.html"
    generated_at = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    _execute(report, notebook_path, given, progress=progress, kernel_name=kernel_name)
    in_force = {**report.defaults(), **given}
    render_html(
        notebook_path,
        html_path,
        report=report,
        parameters=in_force,
        generated_at=generated_at,
        fallback=_fallback_provenance(),
    )
    return ReportResult(
        name=name,
        title=report.title,
        notebook_path=notebook_path,
        html_path=html_path,
        parameters=in_force,
        duration=time.perf_counter() - started,
        generated_at=generated_at,
    )
