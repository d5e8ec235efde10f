"""The report runner: refuse bad input before a kernel starts; keep partial output on failure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest

from axion_lab.exceptions import ReportExecutionError, ReportParameterError, UnknownReportError
from axion_lab.reports import run_report
from axion_lab.reports.runner import output_stem


@pytest.fixture
def no_kernel(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Make any attempt to execute a notebook fail loudly and be recorded."""
    import papermill

    calls: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        calls.append((args, kwargs))
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)
    return calls


@pytest.mark.parametrize(
    ("name", "parameters", "error", "message"),
    [
        ("market_overveiw", {}, UnknownReportError, "Did you mean 'market_overview'"),
        ("market_overview", {"sectr": "Energy"}, ReportParameterError, "Did you mean 'sector'"),
        ("market_overview", {"lookback_days": "a year"}, ReportParameterError, "whole number"),
        ("market_overview", {"sector": 3}, ReportParameterError, "must be a string"),
    ],
)
def test_bad_requests_are_refused_before_any_kernel_starts(
    no_kernel: list[Any],
    tmp_path: Path,
    name: str,
    parameters: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    out = tmp_path / "out"
    with pytest.raises(error, match=message):
        run_report(name, parameters, output_dir=out, progress=False)
    assert no_kernel == []
    assert not out.exists() or list(out.iterdir()) == []


def test_output_stem_slugs_parameters() -> None:
    assert output_stem("r", {"sector": "Consumer Staples", "lookback_days": 21}) == (
        "r-sector-consumer-staples-lookback-days-21"
    )
    assert output_stem("r", {"sector": ""}) == "r-sector-blank"
    long = output_stem("r", {"x": "y" * 200})
    assert len(long) < 100
    assert long != output_stem("r", {"x": "y" * 199})


@pytest.mark.notebook
def test_failing_notebook_raises_and_keeps_the_partial_output(
    notebooks_folder: Callable[..., Path], tmp_path: Path
) -> None:
    notebooks_folder(
        "broken",
        [
            ("markdown", "# Broken report", []),
            ("code", "divisor: int = 0", ["parameters"]),
            ("code", "print('before the error')", []),
            ("code", "ratio = 1 / divisor", []),
            ("code", "print('never reached')", []),
        ],
    )
    out = tmp_path / "out"
    with pytest.raises(ReportExecutionError) as info:
        run_report("broken", output_dir=out, progress=False)
    message = str(info.value)
    assert "ratio = 1 / divisor" in message
    assert "ZeroDivisionError: division by zero" in message
    partial = out / "broken.ipynb"
    assert str(partial) in message
    nb = nbformat.read(partial, as_version=4)
    outputs = {c.source: c.outputs for c in nb.cells if c.cell_type == "code"}
    assert outputs["print('before the error')"][0]["text"] == "before the error\n"
    assert outputs["ratio = 1 / divisor"][0]["ename"] == "ZeroDivisionError"
    assert outputs["print('never reached')"] == []
    assert not (out / "broken.html").exists()
