"""Make sure the database has the current schema before the service uses it.

Policy:

* **SQLite** (the embedded default, a private file under ``AXION_DATA_DIR``): a
  missing or older schema is migrated automatically on first use, as a desktop
  application upgrades its own file. A schema *newer* than this version of Axion
  Lab raises :class:`~axion_lab.exceptions.MigrationError` (upgrade the package).
* **PostgreSQL** (usually shared, and owned by whoever runs it): nothing is changed
  behind anyone's back. A missing or out-of-date schema raises
  :class:`~axion_lab.exceptions.MigrationError` saying to run ``axion-lab db upgrade``.

Each URL is checked once per process.
"""

from __future__ import annotations

import threading

from axion_lab.exceptions import MigrationError

__all__ = ["ensure_schema", "forget_schema_checks", "schema_checked"]

_lock = threading.Lock()
_checked: set[str] = set()


def ensure_schema(url: str | None = None) -> str:
    """Check (and for SQLite, migrate) the schema at ``url``; return its revision.

    ``url`` defaults to the settings' database. Synchronous: call it in a thread
    from async code.
    """
    import sqlalchemy as sa

    from axion_lab.config import get_settings
    from axion_lab.db import check_schema, current, head, history, upgrade
    from axion_lab.db.errors import safe_url

    target = url or get_settings().resolved_database_url
    with _lock:
        if target in _checked:
            return head()
        if sa.make_url(target).get_backend_name() == "sqlite":
            at = current(url=target)
            latest = head()
            if at != latest:
                if at is not None and at not in {r.revision for r in history()}:
                    raise MigrationError(
                        f"The SQLite database {safe_url(target)} is at revision {at!r}, which "
                        "this version of Axion Lab does not know: a newer version migrated "
                        "it. Upgrade axion-lab, or point AXION_DATA_DIR elsewhere."
                    )
                upgrade(url=target)
            revision = latest
        else:
            revision = check_schema(url=target)
        _checked.add(target)
    return revision


def schema_checked(url: str | None = None) -> bool:
    """Whether :func:`ensure_schema` already passed for ``url`` in this process."""
    from axion_lab.config import get_settings

    return (url or get_settings().resolved_database_url) in _checked


def forget_schema_checks() -> None:
    """Check every database again on next use (after a downgrade, in tests)."""
    with _lock:
        _checked.clear()
