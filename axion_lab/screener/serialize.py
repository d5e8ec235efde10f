"""Screens as readable JSON / YAML documents, with a schema ``version``.

::

    version: 1
    name: Momentum
    description: ...
    universe: {asset_classes: [equity], indexes: [AX500]}
    filters:
      - {field: ret_126, op: percentile_above, value: 80}
      - {field: price, op: gt, ref: sma_200}
      - any:                                    # an OR group ("all" for AND)
          - {field: sector, op: eq, value: Energy}
          - {formula: "dividend_yield > 3%"}    # needs parse_formula to load
    sort_by: ret_126
    descending: true
    limit: 50

Unknown keys are errors (a misspelt ``sort_bye`` must not be silently ignored), and
a document from a newer version, or with no version, is refused with a message that
says what to do. Dates are ISO strings. Loading a ``formula`` entry needs a
``parse_formula`` callable (the formula language's parser); saving one needs the
compiled formula to carry its source in a ``text`` attribute.

Examples
--------
>>> from axion_lab.screener import FilterCondition, Screen
>>> from axion_lab.screener.serialize import screen_from_yaml, screen_to_yaml
>>> s = Screen("cheap", filters=(FilterCondition("pe_ratio", "<", 15),), limit=10)
>>> text = screen_to_yaml(s)
>>> print(text)  # doctest: +ELLIPSIS
version: 1
name: cheap
...
>>> screen_from_yaml(text) == s
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.screener.config import SCHEMA_VERSION
from axion_lab.screener.models import (
    FilterCondition,
    FilterGroup,
    FilterNode,
    FormulaFilter,
    Screen,
    Universe,
)

__all__ = [
    "screen_from_dict",
    "screen_from_json",
    "screen_from_yaml",
    "screen_to_dict",
    "screen_to_json",
    "screen_to_yaml",
]

FormulaParser = Callable[[str], FormulaFilter]

_SCREEN_KEYS: Final = (
    "version",
    "name",
    "description",
    "universe",
    "filters",
    "columns",
    "sort_by",
    "descending",
    "limit",
)
_COND_KEYS: Final = ("field", "op", "value", "ref", "within")
_UNIVERSE_KEYS: Final = tuple(f.name for f in dataclasses.fields(Universe))
_MIGRATIONS: Final[dict[int, Callable[[dict[str, Any]], dict[str, Any]]]] = {}
"""version -> function upgrading a document of that version to version + 1."""


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _node_to_dict(node: FilterNode) -> dict[str, Any]:
    if isinstance(node, FilterCondition):
        out: dict[str, Any] = {"field": node.field, "op": node.op.value}
        if node.value is not None:
            out["value"] = _plain(node.value)
        if node.ref is not None:
            out["ref"] = node.ref
        if node.within != "universe":
            out["within"] = node.within
        return out
    if isinstance(node, FilterGroup):
        return {"all" if node.logic == "and" else "any": [_node_to_dict(i) for i in node.items]}
    text = getattr(node, "text", None)
    if not isinstance(text, str):
        raise InputError(
            "This formula filter has no `text` attribute, so it cannot be saved; compile it "
            "with the formula parser, which records its source."
        )
    return {"formula": text}


def screen_to_dict(screen: Screen) -> dict[str, Any]:
    """A JSON-ready document of ``screen``, starting with its schema ``version``."""
    defaults = Universe()
    universe = {
        k: list(getattr(screen.universe, k))
        for k in _UNIVERSE_KEYS
        if getattr(screen.universe, k) != getattr(defaults, k)
    }
    doc: dict[str, Any] = {"version": SCHEMA_VERSION, "name": screen.name}
    if screen.description:
        doc["description"] = screen.description
    if universe:
        doc["universe"] = universe
    doc["filters"] = [_node_to_dict(n) for n in screen.filters]
    if screen.columns:
        doc["columns"] = list(screen.columns)
    if screen.sort_by is not None:
        doc["sort_by"] = screen.sort_by
    doc["descending"] = screen.descending
    if screen.limit is not None:
        doc["limit"] = screen.limit
    return doc


def _check_keys(doc: Mapping[str, Any], allowed: tuple[str, ...], what: str) -> None:
    if not isinstance(doc, Mapping):
        raise InputError(f"A {what} must be a mapping, got {type(doc).__name__}.")
    for key in doc:
        if key not in allowed:
            raise UnknownNameError.for_name(f"{what} key", str(key), allowed)


def _value(raw: Any) -> Any:
    return tuple(raw) if isinstance(raw, list) else raw


def _node_from_dict(raw: Any, parse_formula: FormulaParser | None) -> FilterNode:
    if isinstance(raw, Mapping) and len(raw) == 1 and next(iter(raw)) in ("all", "any"):
        key, items = next(iter(raw.items()))
        if not isinstance(items, list):
            raise InputError(f"'{key}' must hold a list of filters.")
        logic: Literal["and", "or"] = "and" if key == "all" else "or"
        return FilterGroup(tuple(_node_from_dict(i, parse_formula) for i in items), logic)
    if isinstance(raw, Mapping) and "formula" in raw:
        _check_keys(raw, ("formula",), "formula filter")
        if parse_formula is None:
            raise InputError(
                "This screen has a formula filter; pass parse_formula=<the formula parser> "
                "to load it."
            )
        return parse_formula(str(raw["formula"]))
    _check_keys(raw, _COND_KEYS, "filter")
    if "field" not in raw or "op" not in raw:
        raise InputError(f"A filter needs 'field' and 'op'; got {dict(raw)}.")
    return FilterCondition(
        field=str(raw["field"]),
        op=raw["op"],
        value=_value(raw.get("value")),
        ref=raw.get("ref"),
        within=raw.get("within", "universe"),
    )


def _migrate(doc: dict[str, Any]) -> dict[str, Any]:
    version = doc.get("version")
    if version is None:
        raise InputError(
            f"This screen document has no 'version'; add 'version: {SCHEMA_VERSION}' if it "
            "was written for this release."
        )
    if isinstance(version, bool) or not isinstance(version, int):
        raise InputError(f"'version' must be an integer, got {version!r}.")
    if version > SCHEMA_VERSION:
        raise InputError(
            f"This screen document is version {version}, newer than this Axion Lab "
            f"(version {SCHEMA_VERSION}); upgrade axion-lab to read it."
        )
    while version < SCHEMA_VERSION:
        step = _MIGRATIONS.get(version)
        if step is None:
            raise InputError(
                f"Screen documents of version {version} are no longer supported "
                f"(current: {SCHEMA_VERSION}); recreate the screen."
            )
        doc = step(doc)
        version = doc["version"]
    return doc


def screen_from_dict(
    doc: Mapping[str, Any], *, parse_formula: FormulaParser | None = None
) -> Screen:
    """Rebuild a :class:`Screen` from :func:`screen_to_dict`'s document (migrating it)."""
    _check_keys(doc, _SCREEN_KEYS, "screen")
    data = _migrate(dict(doc))
    universe_raw = data.get("universe") or {}
    _check_keys(universe_raw, _UNIVERSE_KEYS, "universe")
    universe = Universe(**{k: tuple(v) for k, v in universe_raw.items()})
    filters = data.get("filters") or []
    if not isinstance(filters, list):
        raise InputError("'filters' must be a list.")
    return Screen(
        name=str(data.get("name", "")),
        filters=tuple(_node_from_dict(f, parse_formula) for f in filters),
        universe=universe,
        description=str(data.get("description", "")),
        columns=tuple(data.get("columns") or ()),
        sort_by=data.get("sort_by"),
        descending=bool(data.get("descending", True)),
        limit=data.get("limit"),
    )


def screen_to_json(screen: Screen, *, indent: int = 2) -> str:
    """The screen as a JSON document."""
    return json.dumps(screen_to_dict(screen), indent=indent)


def screen_from_json(text: str, *, parse_formula: FormulaParser | None = None) -> Screen:
    """Load a screen from JSON text."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"Not a valid JSON screen document: {exc}") from exc
    return screen_from_dict(doc, parse_formula=parse_formula)


def screen_to_yaml(screen: Screen) -> str:
    """The screen as a YAML document (keys in a readable order)."""
    import yaml

    return str(yaml.safe_dump(screen_to_dict(screen), sort_keys=False, allow_unicode=True))


def screen_from_yaml(text: str, *, parse_formula: FormulaParser | None = None) -> Screen:
    """Load a screen from YAML text (``yaml.safe_load``: no object construction)."""
    import yaml

    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"Not a valid YAML screen document: {exc}") from exc
    return screen_from_dict(doc, parse_formula=parse_formula)
