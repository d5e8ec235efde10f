"""Alembic migrations, driven from Python: no ``alembic.ini`` needed.

The scripts ship inside the package (``axion_lab/db/migrations``); the URL is the
settings' (or the one passed). Online commands run in one transaction on the cached
sync engine; ``upgrade_sql`` / ``downgrade_sql`` render the SQL offline without
connecting, so a dry run never creates a database file.

Examples
--------
>>> from axion_lab.db.migrate import head, upgrade_sql
>>> head()
'0004'
>>> "CREATE TABLE price_bars" in upgrade_sql(url="sqlite:///never-created.db")
True
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from axion_lab.db.base import Base, created_on
from axion_lab.db.engine import get_sync_engine, sqlite_path, sync_url
from axion_lab.db.errors import UPGRADE_HINT, database_errors, safe_url
from axion_lab.exceptions import MigrationError, closest

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "RevisionInfo",
    "check_schema",
    "current",
    "downgrade",
    "downgrade_sql",
    "head",
    "history",
    "include_object_for",
    "new_revision",
    "target_metadata",
    "upgrade",
    "upgrade_sql",
]

_SCRIPT_LOCATION = "axion_lab.db:migrations"


@dataclasses.dataclass(frozen=True)
class RevisionInfo:
    """One migration script: its id, parent, one-line message and whether it is head."""

    revision: str
    down_revision: str | None
    message: str
    is_head: bool

    def __str__(self) -> str:
        arrow = f"{self.down_revision or '<base>'} -> {self.revision}"
        return f"{arrow}{' (head)' if self.is_head else ''}, {self.message}"


def target_metadata() -> sa.MetaData:
    """``Base.metadata`` with every model module imported (what migrations compare to)."""
    import axion_lab.db.models  # noqa: F401 - registers the tables on Base.metadata

    return Base.metadata


def include_object_for(dialect_name: str) -> Callable[..., bool]:
    """Alembic ``include_object`` hook skipping items made for other dialects only."""

    def include_object(
        obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
    ) -> bool:
        return reflected or created_on(obj, dialect_name)

    return include_object


def _config(**attributes: Any) -> Config:
    from alembic.config import Config

    output = attributes.pop("output_buffer", None)
    config = Config(output_buffer=output)
    config.set_main_option("script_location", _SCRIPT_LOCATION)
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes.update(attributes)
    return config


def _script() -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


@contextmanager
def _alembic_errors(url: sa.URL | None) -> Iterator[None]:
    from alembic.util import CommandError

    try:
        yield
    except CommandError as exc:
        known = [r.revision for r in _script().walk_revisions()]
        message = str(exc)
        hint = ""
        if "Can't locate revision" in message:
            bad = message.rsplit(" ", 1)[-1].strip("'\"")
            near = closest(bad, known)
            hint = (
                f" Did you mean {', '.join(map(repr, near))}?"
                if near
                else f" Known revisions: {', '.join(known) or 'none'}, plus 'head' and 'base'."
                " If the database names a revision this version does not know, it was "
                "migrated by a newer axion-lab: upgrade the package."
            )
        raise MigrationError(f"Migration failed on {safe_url(url)}: {message}.{hint}") from exc


def _run_online(command_name: str, revision: str, url: str | sa.URL | None) -> str | None:
    from alembic import command

    engine = get_sync_engine(url)
    run = getattr(command, command_name)
    with _alembic_errors(engine.url), database_errors(engine.url), engine.begin() as conn:
        run(_config(connection=conn), revision)
    return current(url=engine.url)


def upgrade(revision: str = "head", *, url: str | sa.URL | None = None) -> str | None:
    """Migrate the database up to ``revision`` (default: the latest); return the new one.

    Running it again when already there does nothing.
    """
    return _run_online("upgrade", revision, url)


def downgrade(revision: str, *, url: str | sa.URL | None = None) -> str | None:
    """Migrate the database down to ``revision`` (``"base"`` drops every table)."""
    return _run_online("downgrade", revision, url)


def _offline(command_name: str, revision: str, url: str | sa.URL | None) -> str:
    from alembic import command

    from axion_lab.config import get_settings

    target = sync_url(url if url is not None else get_settings().resolved_database_url)
    buffer = io.StringIO()
    with _alembic_errors(target):
        getattr(command, command_name)(
            _config(url=target, output_buffer=buffer), revision, sql=True
        )
    return buffer.getvalue()


def upgrade_sql(revision: str = "head", *, url: str | sa.URL | None = None) -> str:
    """Return the SQL that :func:`upgrade` would run, without connecting.

    The SQL starts from an empty database unless ``revision`` is a range
    ``"FROM:TO"``.
    """
    return _offline("upgrade", revision, url)


def downgrade_sql(
    revision: str, *, from_revision: str | None = None, url: str | sa.URL | None = None
) -> str:
    """Return the SQL that :func:`downgrade` would run from ``from_revision`` (default head)."""
    start = from_revision or head()
    return _offline("downgrade", revision if ":" in revision else f"{start}:{revision}", url)


def current(*, url: str | sa.URL | None = None) -> str | None:
    """The revision the database is at; ``None`` for an empty (or absent SQLite) database."""
    from alembic.runtime.migration import MigrationContext

    from axion_lab.config import get_settings

    target = sync_url(url if url is not None else get_settings().resolved_database_url)
    path = sqlite_path(target)
    if path is not None and not path.exists():
        # Asking must not create the file (or its directory).
        return None
    engine = get_sync_engine(target)
    with database_errors(engine.url), engine.connect() as conn:
        revision: str | None = MigrationContext.configure(conn).get_current_revision()
    return revision


def head() -> str:
    """The latest revision shipped with this version of Axion Lab."""
    heads: tuple[str, ...] = _script().get_heads()
    if len(heads) != 1:
        raise MigrationError(f"The migration scripts have {len(heads)} heads {heads}; expected 1.")
    return heads[0]


def history() -> list[RevisionInfo]:
    """Every shipped revision, newest first."""
    return [
        RevisionInfo(
            revision=script.revision,
            down_revision=script.down_revision,
            message=(script.doc or "").strip().splitlines()[0] if script.doc else "",
            is_head=script.is_head,
        )
        for script in _script().walk_revisions()
    ]


def check_schema(*, url: str | sa.URL | None = None) -> str:
    """Raise :class:`MigrationError` unless the database is at the latest revision.

    Returns the revision when it is current.
    """
    engine = get_sync_engine(url)
    at = current(url=engine.url)
    latest = head()
    if at == latest:
        return at
    known = {r.revision for r in history()}
    where = safe_url(engine.url)
    if at is None:
        raise MigrationError(f"The database at {where} has no Axion Lab schema yet. {UPGRADE_HINT}")
    if at not in known:
        raise MigrationError(
            f"The database at {where} is at revision {at!r}, which this version of Axion Lab "
            "does not know: it was migrated by a newer version. Upgrade axion-lab."
        )
    raise MigrationError(
        f"The database at {where} is at revision {at!r}; this version expects {latest!r}. "
        f"{UPGRADE_HINT}"
    )


def new_revision(message: str, *, url: str | sa.URL | None = None) -> str:
    """Write a new migration script autogenerated from the models (for developers).

    ``url`` must name a database at the current head; the difference between it and
    the models becomes the new script. Returns the new revision id (``0002``...).
    Review the script before committing it.
    """
    from alembic import command

    engine = get_sync_engine(url)
    rev_id = f"{len(history()) + 1:04d}"
    with _alembic_errors(engine.url), database_errors(engine.url), engine.begin() as conn:
        command.revision(
            _config(connection=conn), message=message, autogenerate=True, rev_id=rev_id
        )
    return rev_id
