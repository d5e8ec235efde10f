"""``axion-lab demo``: run every curated notebook with its defaults, offline."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo", help="Run every curated notebook with defaults into HTML reports (offline)."
    )
    parser.add_argument("-o", "--output", type=Path, default=Path("reports"), help="Output folder.")
    parser.add_argument("--no-progress", action="store_true", help="Hide progress bars.")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from axion_lab.reports import list_reports, run_report

    reports = list_reports()
    print(f"Running {len(reports)} report(s) into {args.output}/ (sandbox data, offline).")
    results = []
    for report in reports:
        print(f"- {report.name}: {report.title}")
        results.append(
            run_report(report.name, output_dir=args.output, progress=not args.no_progress)
        )
    print()
    for result in results:
        print(f"{result.title}: {result.html_path}  ({result.duration:.1f}s)")
    index = args.output.resolve()
    print(f"\nOpen the HTML files in a browser; executed notebooks are beside them in {index}.")
    return 0
