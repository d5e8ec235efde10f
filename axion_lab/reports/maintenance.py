"""Keep committed notebooks clean: stripped outputs, plus nbval reference outputs.

Curated notebooks are committed with outputs stripped, except cells marked
``# NBVAL_CHECK_OUTPUT``: their output is deterministic on the sandbox market and is
kept as the reference that ``pytest --nbval-lax`` compares against. When the sandbox
generator changes, refresh those references with ``make notebooks`` (which calls
:func:`refresh_notebook`) and review the diff.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from axion_lab.exceptions import ReportError

__all__ = ["CHECK_MARK", "refresh_notebook", "strip_notebook"]

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def _is_checked(cell: Any) -> bool:
    return bool(cell.cell_type == "code" and CHECK_MARK in cell.source)


def _clean(nb: Any) -> Any:
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code" and not _is_checked(cell):
            cell.outputs = []
            cell.execution_count = None
    return nb


def strip_notebook(path: Path) -> bool:
    """Strip outputs of every cell not marked ``# NBVAL_CHECK_OUTPUT``; True if changed."""
    import nbformat

    nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    before = nbformat.writes(nb)  # type: ignore[no-untyped-call]
    after = nbformat.writes(_clean(nb))  # type: ignore[no-untyped-call]
    if after != before:
        path.write_text(after + ("" if after.endswith("\n") else "\n"))
        return True
    return False


def refresh_notebook(path: Path, *, kernel_name: str = "python3") -> int:
    """Execute ``path`` with its default parameters and store the reference outputs.

    Returns the number of ``# NBVAL_CHECK_OUTPUT`` cells refreshed. Every other cell
    is left stripped. Cells keep execution count 1 so nbval treats them as run.
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    with tempfile.TemporaryDirectory() as tmp:
        executed_path = Path(tmp) / path.name
        try:
            papermill.execute_notebook(
                str(path), str(executed_path), kernel_name=kernel_name, progress_bar=False
            )
        except PapermillExecutionError as exc:
            raise ReportError(
                f"{path.name} failed while refreshing: {exc.ename}: {exc.evalue}"
            ) from exc
        executed = nbformat.read(executed_path, as_version=4)  # type: ignore[no-untyped-call]
    by_id = {cell.get("id"): cell for cell in executed.cells}
    refreshed = 0
    for cell in nb.cells:
        if not _is_checked(cell):
            continue
        source = by_id.get(cell.get("id"))
        if source is None:
            raise ReportError(f"{path.name}: cell {cell.get('id')} vanished during execution.")
        cell.outputs = [
            out
            for out in source.outputs
            if out.get("output_type") != "stream" or out.get("name") != "stderr"
        ]
        for out in cell.outputs:
            if "execution_count" in out:
                out["execution_count"] = 1
        cell.execution_count = 1
        refreshed += 1
    nbformat.write(_clean(nb), path)  # type: ignore[no-untyped-call]
    return refreshed


def main() -> int:
    """Refresh every curated notebook (``python -m axion_lab.reports.maintenance``)."""
    from axion_lab.reports.registry import list_reports

    for report in list_reports():
        count = refresh_notebook(report.path)
        print(f"{report.path.name}: {count} reference output(s) refreshed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
