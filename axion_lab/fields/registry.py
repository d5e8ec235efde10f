"""The field registry: every screenable quantity, defined once.

The screener's filters, panels' drop-downs, the formula language and the copilot's
tool schemas are built from :data:`FIELD_REGISTRY`; nothing else lists fields by hand.

Examples
--------
>>> from axion_lab.fields import FIELD_REGISTRY
>>> f = FIELD_REGISTRY.get("pe_ratio")
>>> f.label, f.unit, f.basis, f.depends
('P/E', 'ratio', 'TTM', ('price', 'eps_ttm'))
>>> FIELD_REGISTRY.get("pe_ratoi")
Traceback (most recent call last):
...
axion_lab.exceptions.UnknownNameError: Unknown field 'pe_ratoi'. Did you mean 'pe_ratio', ...
>>> [f.id for f in FIELD_REGISTRY.search("dividend yield")][:2]
['dividend_yield', 'forward_dividend_yield']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Final

import polars as pl

from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.fields._defs_events import event_fields
from axion_lab.fields._defs_fundamentals import fundamental_fields
from axion_lab.fields._defs_market import market_fields, technical_fields
from axion_lab.fields._model import Field, FieldCategory

__all__ = ["ALIASES", "FIELD_REGISTRY", "FieldRegistry"]

ALIASES: Final[dict[str, str]] = {
    "close": "price",
    "last": "price",
    "pe": "pe_ratio",
    "pb": "pb_ratio",
    "ps": "ps_ratio",
    "market_capitalization": "market_cap",
    "mktcap": "market_cap",
    "ev": "enterprise_value",
    "rsi": "rsi_14",
    "yield": "dividend_yield",
    "eps": "eps_ttm",
    "beta": "beta_252",
    "perf_1d": "ret_1",
    "perf_1w": "ret_5",
    "perf_1m": "ret_21",
    "perf_3m": "ret_63",
    "perf_6m": "ret_126",
    "perf_1y": "ret_252",
    "high_52w": "high_252",
    "low_52w": "low_252",
}
"""Common spellings accepted by :meth:`FieldRegistry.resolve` (``close`` is ``price``)."""

_HINT = "List fields with FIELD_REGISTRY.search('...') or FIELD_REGISTRY.to_frame()."


class FieldRegistry:
    """An ordered, read-only collection of :class:`~axion_lab.fields.Field`.

    Construction checks that ids are unique snake_case, that every derived field's
    dependencies exist, and that there are no cycles.
    """

    def __init__(self, fields: Iterable[Field], aliases: dict[str, str] | None = None) -> None:
        self._fields: dict[str, Field] = {}
        for f in fields:
            if f.id in self._fields:
                raise InputError(f"Field {f.id!r} is defined twice.")
            if not f.id.isidentifier() or f.id != f.id.lower():
                raise InputError(f"Field id {f.id!r} must be snake_case.")
            self._fields[f.id] = f
        self._aliases = {k: v for k, v in (aliases or {}).items() if v in self._fields}
        for f in self._fields.values():
            for dep in f.depends:
                if dep not in self._fields:
                    raise InputError(f"Field {f.id!r} depends on unknown field {dep!r}.")
        self._order = self._topological_order()

    def _topological_order(self) -> dict[str, int]:
        order: dict[str, int] = {}
        visiting: set[str] = set()

        def visit(fid: str) -> None:
            if fid in order:
                return
            if fid in visiting:
                raise InputError(f"Field {fid!r} depends on itself through other fields.")
            visiting.add(fid)
            for dep in self._fields[fid].depends:
                visit(dep)
            visiting.discard(fid)
            order[fid] = len(order)

        for fid in self._fields:
            visit(fid)
        return order

    # --- lookup --------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._fields)

    def __iter__(self) -> Iterator[Field]:
        return iter(self._fields.values())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.resolve_or_none(name) is not None

    def __repr__(self) -> str:
        cats = ", ".join(f"{k} {len(v)}" for k, v in self.by_category().items())
        return f"<FieldRegistry: {len(self)} fields ({cats})>"

    @property
    def ids(self) -> tuple[str, ...]:
        """Every field id, in registry order."""
        return tuple(self._fields)

    def resolve_or_none(self, name: str) -> str | None:
        """The canonical id for ``name`` (case-insensitive, aliases allowed), or None."""
        key = name.strip().lower()
        if key in self._fields:
            return key
        return self._aliases.get(key)

    def resolve(self, name: str) -> str:
        """The canonical id for ``name``; raise :class:`UnknownNameError` with suggestions."""
        fid = self.resolve_or_none(name)
        if fid is None:
            raise UnknownNameError.for_name(
                "field", name, [*self._fields, *self._aliases], hint=_HINT
            )
        return fid

    def get(self, name: str) -> Field:
        """The field called ``name`` (an id or alias).

        Raises
        ------
        UnknownNameError
            With the closest ids suggested.
        """
        return self._fields[self.resolve(name)]

    def by_category(self) -> dict[FieldCategory, list[Field]]:
        """Fields grouped by category, categories in :class:`FieldCategory` order."""
        groups: dict[FieldCategory, list[Field]] = {cat: [] for cat in FieldCategory}
        for f in self._fields.values():
            groups[f.category].append(f)
        return {k: v for k, v in groups.items() if v}

    def search(self, text: str, *, limit: int | None = 20) -> list[Field]:
        """Fields whose id, label or description mention every word of ``text``.

        Ranked: exact id, then id matches, then label, then description.
        """
        words = [w for w in text.lower().replace("_", " ").split() if w]
        if not words:
            return []
        scored: list[tuple[int, int, Field]] = []
        for pos, f in enumerate(self._fields.values()):
            id_text = f.id.replace("_", " ")
            hay = f"{id_text} {f.label.lower()} {f.description.lower()}"
            if not all(w in hay for w in words):
                continue
            if f.id == "_".join(words):
                rank = 0
            elif all(w in id_text for w in words):
                rank = 1
            elif all(w in f.label.lower() for w in words):
                rank = 2
            else:
                rank = 3
            scored.append((rank, pos, f))
        hits = [f for _, _, f in sorted(scored, key=lambda t: (t[0], t[1]))]
        return hits if limit is None else hits[:limit]

    # --- dependencies --------------------------------------------------------------
    def closure(self, names: Iterable[str]) -> list[Field]:
        """The fields ``names`` need (themselves and every dependency), dependencies first."""
        needed: set[str] = set()
        stack = [self.resolve(n) for n in names]
        while stack:
            fid = stack.pop()
            if fid in needed:
                continue
            needed.add(fid)
            stack.extend(self._fields[fid].depends)
        return sorted((self._fields[f] for f in needed), key=lambda f: self._order[f.id])

    # --- export --------------------------------------------------------------------
    def to_frame(self) -> pl.DataFrame:
        """One row per field: id, label, category, dtype, unit, basis, source, description."""
        rows = [
            {
                "id": f.id,
                "label": f.label,
                "category": str(f.category),
                "dtype": f.dtype,
                "unit": f.unit,
                "basis": f.basis,
                "source": f.source,
                "depends": list(f.depends),
                "description": f.description,
            }
            for f in self._fields.values()
        ]
        return pl.DataFrame(
            rows,
            schema={
                "id": pl.String,
                "label": pl.String,
                "category": pl.String,
                "dtype": pl.String,
                "unit": pl.String,
                "basis": pl.String,
                "source": pl.String,
                "depends": pl.List(pl.String),
                "description": pl.String,
            },
        )

    def json_schema(self, ids: Iterable[str] | None = None) -> dict[str, Any]:
        """A JSON-Schema object with one property per field (for tool schemas and forms)."""
        chosen = [self.get(i) for i in ids] if ids is not None else list(self)
        return {
            "type": "object",
            "properties": {f.id: f.json_schema() for f in chosen},
            "additionalProperties": False,
        }


FIELD_REGISTRY: Final = FieldRegistry(
    [*market_fields(), *fundamental_fields(), *event_fields(), *technical_fields()],
    aliases=ALIASES,
)
"""The registry of every field the snapshot builder can compute."""
