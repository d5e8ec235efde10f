"""``axion-lab report``: run a curated notebook as a report, or list them.

axion-lab report --list
axion-lab report market_overview -p sector "Information Technology" --output reports
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from axion_lab.exceptions import ReportParameterError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="Run a curated notebook into an executed .ipynb and an HTML report.",
        description="Run a curated notebook (notebooks/*.ipynb) with papermill and render "
        "it as HTML. Parameters are checked before anything runs.",
    )
    parser.add_argument("name", nargs="?", help="Report name, e.g. market_overview.")
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        metavar=("KEY", "VALUE"),
        default=[],
        help="Set a notebook parameter (repeatable).",
    )
    parser.add_argument(
        "-o", "--output", type=Path, default=None, help="Output folder (default: reports/)."
    )
    parser.add_argument("--list", action="store_true", help="List reports and their parameters.")
    parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")
    parser.set_defaults(func=_run)


def print_report_list() -> None:
    from axion_lab.reports import list_reports

    for report in list_reports():
        print(f"{report.name}: {report.title}")
        if report.summary:
            print(f"    {report.summary}")
        for param in report.parameters:
            print(f"    {param.describe()}")
        print(f"    e.g. axion-lab report {report.name} -p NAME VALUE")


def _run(args: argparse.Namespace) -> int:
    from axion_lab.reports import run_report

    if args.list:
        print_report_list()
        return 0
    if not args.name:
        print("axion-lab report: give a report name, or --list to see them.")
        return 2
    values: dict[str, str] = {}
    for key, value in args.parameter:
        if key in values:
            raise ReportParameterError(f"Parameter {key!r} is given twice; give it once.")
        values[key] = value
    result = run_report(args.name, values, output_dir=args.output, progress=not args.no_progress)
    print(f"Report:   {result.html_path}")
    print(f"Notebook: {result.notebook_path}")
    print(f"Done in {result.duration:.1f}s.")
    return 0
