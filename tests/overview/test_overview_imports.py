"""Importing the overview engine and the report runner stays cheap and side-effect free."""

from __future__ import annotations

import subprocess
import sys


def test_importing_overview_and_reports_pulls_in_no_heavy_modules() -> None:
    code = (
        "import sys\n"
        "import axion_lab.overview, axion_lab.reports, axion_lab.cli.report, axion_lab.cli.demo\n"
        "heavy = [m for m in ('matplotlib', 'papermill', 'nbconvert', 'pandas', 'IPython')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "", f"importing pulled in: {out}"
