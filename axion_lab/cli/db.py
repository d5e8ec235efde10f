"""``axion-lab db``: migrate the database and show where it stands.

::

    axion-lab db upgrade [REV] [--sql]     migrate up (default: head); --sql prints, runs nothing
    axion-lab db downgrade REV [--sql]     migrate down to REV ("base" drops everything)
    axion-lab db current                   the database's revision
    axion-lab db history                   the shipped revisions, newest first
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "db",
        help="Migrate the database (SQLite by default, PostgreSQL via AXION_DATABASE_URL).",
        description="Apply, revert and inspect schema migrations.",
    )
    parser.add_argument(
        "--url", default=None, help="Database URL (default: AXION_DATABASE_URL or SQLite)."
    )
    actions = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)

    up = actions.add_parser("upgrade", help="Migrate up to a revision (default: head).")
    up.add_argument("revision", nargs="?", default="head", help="Target revision (default head).")
    up.add_argument("--sql", action="store_true", help="Print the SQL instead of running it.")
    up.set_defaults(func=_upgrade)

    down = actions.add_parser("downgrade", help="Migrate down to a revision.")
    down.add_argument("revision", help="Target revision ('base' removes every table).")
    down.add_argument("--sql", action="store_true", help="Print the SQL instead of running it.")
    down.set_defaults(func=_downgrade)

    actions.add_parser("current", help="Show the database's revision.").set_defaults(func=_current)
    actions.add_parser("history", help="List the shipped revisions.").set_defaults(func=_history)


def _where(url: str | None) -> str:
    from axion_lab.config import get_settings
    from axion_lab.db.errors import safe_url

    return safe_url(url or get_settings().resolved_database_url)


def _upgrade(args: argparse.Namespace) -> int:
    from axion_lab import db

    if args.sql:
        print(db.upgrade_sql(args.revision, url=args.url), end="")
        return 0
    revision = db.upgrade(args.revision, url=args.url)
    print(f"{_where(args.url)} is at revision {revision or '<base>'}.")
    return 0


def _downgrade(args: argparse.Namespace) -> int:
    from axion_lab import db

    if args.sql:
        print(db.downgrade_sql(args.revision, url=args.url), end="")
        return 0
    revision = db.downgrade(args.revision, url=args.url)
    print(f"{_where(args.url)} is at revision {revision or '<base>'}.")
    return 0


def _current(args: argparse.Namespace) -> int:
    from axion_lab import db

    revision = db.current(url=args.url)
    latest = db.head()
    if revision is None:
        state = "empty (no schema): run `axion-lab db upgrade`"
    elif revision == latest:
        state = f"{revision} (head)"
    else:
        state = f"{revision} (head is {latest}): run `axion-lab db upgrade`"
    print(f"{_where(args.url)}: {state}")
    return 0


def _history(args: argparse.Namespace) -> int:
    from axion_lab import db

    for info in db.history():
        print(info)
    return 0
