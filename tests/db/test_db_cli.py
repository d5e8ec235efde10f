"""``axion-lab db``: upgrade (and its SQL dry run), downgrade, current, history."""

from __future__ import annotations

from pathlib import Path

import pytest

from axion_lab.cli import main


def test_upgrade_sql_dry_run_prints_and_creates_nothing(
    sqlite_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade", "--sql"]) == 0
    out = capsys.readouterr().out
    assert "CREATE TABLE price_bars" in out
    assert not sqlite_file.parent.exists()


def test_upgrade_current_history_downgrade(
    sqlite_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "current"]) == 0
    assert "empty (no schema): run `axion-lab db upgrade`" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out.strip() == f"sqlite:///{sqlite_file} is at revision 0004."
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "current"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"sqlite:///{sqlite_file}: 0004 (head)"
    assert main(["db", "history"]) == 0
    history = capsys.readouterr().out.splitlines()
    assert history[0] == "0003 -> 0004 (head), signals"
    assert history[-1] == "<base> -> 0001, initial schema"
    assert main(["db", "downgrade", "base", "--sql"]) == 0
    assert "DROP TABLE instruments" in capsys.readouterr().out
    assert main(["db", "downgrade", "base"]) == 0
    assert "at revision <base>" in capsys.readouterr().out


def test_errors_are_one_line_with_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade", "00001"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("axion-lab: error: Migration failed")
    assert "Did you mean '0001'" in err
    assert "Traceback" not in err
    assert main(["db", "--url", "postgresql://u@127.0.0.1:1/x", "current"]) == 2
    assert "Cannot reach the database" in capsys.readouterr().err
