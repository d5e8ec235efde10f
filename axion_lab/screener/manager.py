"""``ScreenManager``: save, version, load, list, rename, delete, export and import screens.

Screens live in the database of the settings in force (or ``bind``), as the same
versioned documents :func:`~axion_lab.screener.screen_to_dict` writes. Saving under
an existing name adds a version; nothing is overwritten, so ``history`` shows how a
screen evolved and ``load(name, version=2)`` brings an old one back. The tables come
from the migrations (``axion-lab db upgrade``).

Examples
--------
>>> import sqlalchemy as sa
>>> from axion_lab.db import Base
>>> from axion_lab.screener import FilterCondition, Screen
>>> from axion_lab.screener.manager import ScreenManager
>>> engine = sa.create_engine("sqlite://")
>>> Base.metadata.create_all(engine)
>>> screens = ScreenManager(bind=engine)
>>> cheap = Screen("cheap", filters=(FilterCondition("pe_ratio", "<", 15),))
>>> screens.save(cheap).version
1
>>> screens.save(cheap.replace(limit=10), note="top 10 only").version
2
>>> screens.load("cheap").limit, screens.load("cheap", version=1).limit
(10, None)
>>> screens.load("chaep")
Traceback (most recent call last):
...
axion_lab.exceptions.UnknownNameError: Unknown saved screen 'chaep'. Did you mean 'cheap'? ...
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import polars as pl

from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.screener.config import SCHEMA_VERSION
from axion_lab.screener.models import FormulaFilter, Screen
from axion_lab.screener.serialize import screen_from_dict, screen_to_dict

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    from axion_lab.db.models.screens import SavedScreenRow

__all__ = ["SavedScreen", "ScreenManager"]

DocumentFormat = Literal["yaml", "json"]
_MAX_NAME = 200
_HINT = "List saved screens with ScreenManager().list()."


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; they were UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class SavedScreen:
    """One stored version of a screen."""

    name: str
    version: int
    screen: Screen
    note: str
    created_at: dt.datetime

    def __repr__(self) -> str:
        return f"<SavedScreen {self.name!r} v{self.version} saved {self.created_at:%Y-%m-%d %H:%M}>"


def check_name(name: str) -> str:
    """A saved screen's name, stripped; empty or over-long names raise ``InputError``."""
    clean = str(name).strip()
    if not clean:
        raise InputError("A saved screen needs a non-empty name.")
    if len(clean) > _MAX_NAME:
        raise InputError(f"Screen names are at most {_MAX_NAME} characters; got {len(clean)}.")
    return clean


class ScreenManager:
    """Saved screens in the database.

    Parameters
    ----------
    bind
        The engine to use (default: the engine of the settings in force).
    parse_formula
        The formula parser, needed to load screens that hold formula filters.
    """

    def __init__(
        self,
        *,
        bind: sa.Engine | None = None,
        parse_formula: Callable[[str], FormulaFilter] | None = None,
    ) -> None:
        self.bind = bind
        self.parse_formula = parse_formula

    def __repr__(self) -> str:
        return f"<ScreenManager on {self.bind.url if self.bind is not None else 'settings'}>"

    def _scope(self) -> AbstractContextManager[Session]:
        from axion_lab.db import session_scope

        return session_scope(bind=self.bind)

    # --- lookup -------------------------------------------------------------------
    def _names(self, db: Session) -> list[str]:
        import sqlalchemy as sa

        from axion_lab.db.models.screens import SavedScreenRow

        return list(db.scalars(sa.select(SavedScreenRow.name).order_by(SavedScreenRow.name)))

    def _row(self, db: Session, name: str) -> SavedScreenRow:
        import sqlalchemy as sa

        from axion_lab.db.models.screens import SavedScreenRow

        clean = check_name(name)
        row = db.scalar(sa.select(SavedScreenRow).where(SavedScreenRow.name == clean))
        if row is None:
            raise UnknownNameError.for_name("saved screen", clean, self._names(db), hint=_HINT)
        return row

    def _saved(self, row: SavedScreenRow, version: Any) -> SavedScreen:
        doc = dict(version.document)
        screen = screen_from_dict(doc, parse_formula=self.parse_formula)
        # The document keeps the name it was saved under; a rename changes only the row.
        return SavedScreen(
            name=row.name,
            version=version.version,
            screen=screen.replace(name=row.name),
            note=version.note,
            created_at=_aware(version.created_at),
        )

    def exists(self, name: str) -> bool:
        """Whether a screen of that name is saved."""
        with self._scope() as db:
            try:
                self._row(db, name)
            except UnknownNameError:
                return False
            return True

    # --- save and load ------------------------------------------------------------
    def save(self, screen: Screen, *, name: str | None = None, note: str = "") -> SavedScreen:
        """Save ``screen`` under ``name`` (default its own name) as a new version.

        The first save of a name is version 1; every later save adds one. Formula
        filters are saved by their source text.
        """
        import sqlalchemy as sa

        from axion_lab.db.base import utcnow
        from axion_lab.db.models.screens import SavedScreenRow, ScreenVersionRow

        key = check_name(name if name is not None else screen.name)
        stored = screen.replace(name=key)
        doc = screen_to_dict(stored)
        now = utcnow()
        with self._scope() as db:
            row = db.scalar(sa.select(SavedScreenRow).where(SavedScreenRow.name == key))
            if row is None:
                row = SavedScreenRow(name=key, latest_version=1, created_at=now, updated_at=now)
                db.add(row)
            else:
                row.latest_version += 1
                row.updated_at = now
            db.flush()
            db.add(
                ScreenVersionRow(
                    screen_id=row.id,
                    version=row.latest_version,
                    document=doc,
                    schema_version=SCHEMA_VERSION,
                    note=note[:500],
                    created_at=now,
                )
            )
            return SavedScreen(key, row.latest_version, stored, note[:500], now)

    def get(self, name: str, *, version: int | None = None) -> SavedScreen:
        """The saved screen ``name`` at ``version`` (default the latest), with metadata."""
        from axion_lab.db.models.screens import ScreenVersionRow

        with self._scope() as db:
            row = self._row(db, name)
            wanted = row.latest_version if version is None else version
            found = db.get(ScreenVersionRow, (row.id, wanted))
            if found is None:
                raise InputError(
                    f"Screen {row.name!r} has versions 1..{row.latest_version}; "
                    f"there is no version {version!r}. See ScreenManager().history(name)."
                )
            return self._saved(row, found)

    def load(self, name: str, *, version: int | None = None) -> Screen:
        """The :class:`Screen` saved as ``name`` (latest version unless ``version``)."""
        return self.get(name, version=version).screen

    def history(self, name: str) -> list[SavedScreen]:
        """Every version of ``name``, oldest first."""
        import sqlalchemy as sa

        from axion_lab.db.models.screens import ScreenVersionRow

        with self._scope() as db:
            row = self._row(db, name)
            versions = db.scalars(
                sa.select(ScreenVersionRow)
                .where(ScreenVersionRow.screen_id == row.id)
                .order_by(ScreenVersionRow.version)
            )
            return [self._saved(row, v) for v in versions]

    def list(self) -> pl.DataFrame:
        """One row per saved screen: name, latest_version, created_at, updated_at."""
        import sqlalchemy as sa

        from axion_lab.db.models.screens import SavedScreenRow

        with self._scope() as db:
            rows = db.execute(
                sa.select(
                    SavedScreenRow.name,
                    SavedScreenRow.latest_version,
                    SavedScreenRow.created_at,
                    SavedScreenRow.updated_at,
                ).order_by(SavedScreenRow.name)
            ).all()
        ts = pl.Datetime("us", "UTC")
        return pl.DataFrame(
            [(r[0], r[1], _aware(r[2]), _aware(r[3])) for r in rows],
            schema={
                "name": pl.String,
                "latest_version": pl.Int64,
                "created_at": ts,
                "updated_at": ts,
            },
            orient="row",
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self.list()["name"].to_list())

    # --- rename and delete --------------------------------------------------------
    def rename(self, name: str, new_name: str) -> None:
        """Rename a saved screen (all versions); the new name must be free."""
        import sqlalchemy as sa

        from axion_lab.db.base import utcnow
        from axion_lab.db.models.screens import SavedScreenRow

        target = check_name(new_name)
        with self._scope() as db:
            row = self._row(db, name)
            if target == row.name:
                return
            clash = db.scalar(sa.select(SavedScreenRow.id).where(SavedScreenRow.name == target))
            if clash is not None:
                raise InputError(
                    f"Cannot rename {row.name!r} to {target!r}: a screen of that name exists. "
                    "Delete it first or pick another name."
                )
            row.name = target
            row.updated_at = utcnow()

    def delete(self, name: str) -> None:
        """Delete a saved screen with every version, alert run and alert."""
        import sqlalchemy as sa

        from axion_lab.db.models.screens import (
            ScreenAlertRow,
            ScreenRunMember,
            ScreenRunRow,
            ScreenVersionRow,
        )

        with self._scope() as db:
            row = self._row(db, name)
            # Children are deleted explicitly: SQLite enforces ON DELETE CASCADE only
            # when foreign keys are switched on, which a caller's engine may not do.
            runs = sa.select(ScreenRunRow.id).where(ScreenRunRow.screen_id == row.id)
            db.execute(sa.delete(ScreenAlertRow).where(ScreenAlertRow.screen_id == row.id))
            db.execute(sa.delete(ScreenRunMember).where(ScreenRunMember.run_id.in_(runs)))
            db.execute(sa.delete(ScreenRunRow).where(ScreenRunRow.screen_id == row.id))
            db.execute(sa.delete(ScreenVersionRow).where(ScreenVersionRow.screen_id == row.id))
            db.delete(row)

    # --- documents ----------------------------------------------------------------
    def export(
        self,
        name: str,
        *,
        version: int | None = None,
        fmt: DocumentFormat = "yaml",
        path: str | Path | None = None,
    ) -> str:
        """The saved screen as a readable YAML (or JSON) document; also written to ``path``."""
        screen = self.load(name, version=version)
        if fmt == "yaml":
            from axion_lab.screener.serialize import screen_to_yaml

            text = screen_to_yaml(screen)
        elif fmt == "json":
            text = json.dumps(screen_to_dict(screen), indent=2) + "\n"
        else:
            raise InputError(f"fmt must be 'yaml' or 'json', got {fmt!r}.")
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def import_screen(
        self,
        source: str | Path,
        *,
        name: str | None = None,
        fmt: DocumentFormat | None = None,
        note: str = "imported",
    ) -> SavedScreen:
        """Save the screen in a YAML/JSON document (text or a file path) as a new version.

        The format is taken from ``fmt``, else the file suffix, else the text (JSON
        starts with ``{``). Documents of an unknown, missing, older unsupported or newer
        schema version are refused with a message saying what to do.
        """
        from axion_lab.screener.serialize import screen_from_json, screen_from_yaml

        text, suffix = _read_source(source)
        kind = fmt or (
            "json"
            if suffix == ".json"
            else "yaml"
            if suffix in (".yaml", ".yml")
            else "json"
            if text.lstrip().startswith("{")
            else "yaml"
        )
        if kind == "json":
            screen = screen_from_json(text, parse_formula=self.parse_formula)
        elif kind == "yaml":
            screen = screen_from_yaml(text, parse_formula=self.parse_formula)
        else:
            raise InputError(f"fmt must be 'yaml' or 'json', got {fmt!r}.")
        return self.save(screen, name=name, note=note)


def _read_source(source: str | Path) -> tuple[str, str]:
    """The document text and file suffix ('' for text given directly)."""
    if isinstance(source, Path):
        return source.read_text(encoding="utf-8"), source.suffix.lower()
    one_line = "\n" not in source and len(source) < 1024
    if one_line and source.lower().endswith((".yaml", ".yml", ".json")):
        path = Path(source)
        if not path.is_file():
            raise InputError(f"No screen document at {source!r}.")
        return path.read_text(encoding="utf-8"), path.suffix.lower()
    return source, ""
