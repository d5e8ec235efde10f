"""`axion-lab report` and `axion-lab demo` on the command line (no kernel started here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from axion_lab.cli import main


def test_list_shows_reports_with_parameters_and_defaults(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["report", "--list"]) == 0
    out = capsys.readouterr().out
    assert "market_overview: Market overview" in out
    assert "lookback_days: int = 252" in out
    assert "sector: str = ''" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "market_overveiw"], "Did you mean 'market_overview'"),
        (["report", "market_overview", "-p", "sectr", "Energy"], "Did you mean 'sector'"),
        (["report", "market_overview", "-p", "lookback_days", "x"], "must be a whole number"),
        (
            ["report", "market_overview", "-p", "sector", "A", "-p", "sector", "B"],
            "given twice",
        ),
    ],
)
def test_bad_requests_exit_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str
) -> None:
    assert main([*argv, "--output", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("axion-lab: error: ")
    assert message in err
    assert not (tmp_path / "out").exists()


def test_report_without_a_name_asks_for_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report"]) == 2
    assert "--list" in capsys.readouterr().out


def test_report_and_demo_print_where_the_reports_are(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import datetime as dt

    import axion_lab.reports as reports
    from axion_lab.reports import ReportResult

    calls: list[tuple[str, dict[str, Any], Path]] = []

    def fake_run(name: str, parameters: Any = None, **kw: Any) -> ReportResult:
        out = Path(kw["output_dir"])
        calls.append((name, dict(parameters or {}), out))
        return ReportResult(
            name=name,
            title="Market overview",
            notebook_path=out / f"{name}.ipynb",
            html_path=out / f"{name}.html",
            parameters=dict(parameters or {}),
            duration=1.25,
            generated_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        )

    monkeypatch.setattr(reports, "run_report", fake_run)
    out_dir = tmp_path / "r"
    argv = ["report", "market_overview", "-p", "sector", "Energy", "-o", str(out_dir)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert f"Report:   {out_dir / 'market_overview.html'}" in printed
    assert calls == [("market_overview", {"sector": "Energy"}, out_dir)]

    assert main(["demo", "--output", str(out_dir), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert f"Market overview: {out_dir / 'market_overview.html'}" in printed
    # demo runs every curated notebook once, with its defaults, into the same folder.
    demo_calls = calls[1:]
    assert ("market_overview", {}, out_dir) in demo_calls
    assert len(demo_calls) == len({name for name, _, _ in demo_calls}) >= 7
    assert all(params == {} and out == out_dir for _, params, out in demo_calls)
