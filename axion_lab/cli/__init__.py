"""The ``axion-lab`` command line.

Each sub-command lives in its own module exposing ``register(subparsers)``; the
module list below is the only place that names them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from axion_lab.exceptions import AxionError

__all__ = ["main"]

# Sub-command modules, each with `register(subparsers) -> None`; the parser they add
# sets `func(args) -> int`.
_COMMANDS: tuple[str, ...] = ("market", "db", "report", "demo")


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every sub-command registered."""
    from axion_lab import __version__

    parser = argparse.ArgumentParser(
        prog="axion-lab",
        description="Axion Lab: research workbench (offline sandbox market by default).",
    )
    parser.add_argument("--version", action="version", version=f"axion-lab {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMANDS:
        module = importlib.import_module(f"axion_lab.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the process exit code (2 for a clear user error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code: int = args.func(args)
    except AxionError as exc:
        print(f"axion-lab: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("axion-lab: interrupted", file=sys.stderr)
        return 130
    return code
