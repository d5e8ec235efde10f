"""``axion-lab market``: build the sandbox market and describe what is loaded."""

from __future__ import annotations

import argparse
import time
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("market", help="Build or describe the market data.")
    parser.add_argument("--provider", default=None, help="Data provider (default: sandbox).")
    parser.add_argument("--seed", type=int, default=None, help="Sandbox seed.")
    parser.add_argument("--refresh", action="store_true", help="Rebuild instead of reading cache.")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from axion_lab.data import load_market

    options: dict[str, Any] = {}
    if args.seed is not None:
        options["seed"] = args.seed
    if args.refresh:
        options["refresh"] = True
    started = time.perf_counter()
    market = load_market(args.provider, **options)
    print(repr(market))
    print(f"loaded in {time.perf_counter() - started:.2f}s")
    return 0
