"""A report's typed interface: the notebook's ``parameters`` cell.

Papermill's :func:`papermill.inspect_notebook` reads the cell's names, annotations,
defaults and trailing ``# help`` comments. This module turns them into
:class:`ReportParameter` objects and checks values *before* a kernel starts, so a
misspelt name or a wrong type fails at once with a message saying how to fix it.

Supported types: ``str``, ``int``, ``float``, ``bool`` and lists of those
(``list[str]``...). A parameter without an annotation takes the type of its
default. Defaults are read with :func:`ast.literal_eval`, never evaluated.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from axion_lab.exceptions import ReportParameterError, closest

__all__ = ["ReportParameter", "coerce_parameters", "read_parameters"]

_SCALARS: Final = ("str", "int", "float", "bool")
_TRUE: Final = frozenset({"true", "yes", "y", "on", "1"})
_FALSE: Final = frozenset({"false", "no", "n", "off", "0"})
_LIST_TYPE = re.compile(r"^(?:list|List)(?:\[(\w+)\])?$")


@dataclasses.dataclass(frozen=True)
class ReportParameter:
    """One entry of a notebook's ``parameters`` cell.

    ``type`` is ``"str"``, ``"int"``, ``"float"``, ``"bool"``, ``"list[<scalar>]"``
    or ``"any"`` (no annotation and a default that is not a literal).
    """

    name: str
    type: str
    default: Any
    help: str = ""

    def describe(self) -> str:
        """``name: type = default  # help`` as in the notebook."""
        text = f"{self.name}: {self.type} = {self.default!r}"
        return f"{text}  # {self.help}" if self.help else text


def _literal(source: str) -> Any:
    try:
        return ast.literal_eval(source)
    except (ValueError, SyntaxError):
        return None


def _type_name(annotation: str, default: Any) -> str:
    annotation = annotation.strip()
    if annotation in _SCALARS:
        return annotation
    match = _LIST_TYPE.match(annotation)
    if match:
        inner = match.group(1) or "str"
        return f"list[{inner}]" if inner in _SCALARS else "any"
    for scalar in (bool, int, float, str):  # bool before int: True is an int too
        if isinstance(default, scalar):
            return scalar.__name__
    if isinstance(default, list | tuple):
        kinds = {type(v).__name__ for v in default}
        inner = kinds.pop() if len(kinds) == 1 else "str"
        return f"list[{inner}]" if inner in _SCALARS else "any"
    return "any"


def read_parameters(path: Path) -> tuple[ReportParameter, ...]:
    """Read the ``parameters`` cell of the notebook at ``path``, in cell order."""
    import papermill

    found = papermill.inspect_notebook(str(path))
    out = []
    for name, info in found.items():
        default = _literal(str(info.get("default", "")))
        annotation = str(info.get("inferred_type_name") or "")
        out.append(
            ReportParameter(
                name=name,
                type=_type_name(annotation, default),
                default=default,
                help=str(info.get("help") or ""),
            )
        )
    return tuple(out)


def _expected(kind: str) -> str:
    return {
        "str": "a string",
        "int": "a whole number (int)",
        "float": "a number (float)",
        "bool": "true or false (bool)",
    }.get(kind, kind)


def _scalar(kind: str, value: Any, *, from_text: bool) -> Any:
    """Coerce one scalar; raise ValueError (caught by the caller) when it does not fit."""
    if kind == "str":
        if isinstance(value, str):
            return value
        raise ValueError
    if from_text:
        text = str(value).strip()
        if kind == "int":
            return int(text)
        if kind == "float":
            number = float(text)
            if not math.isfinite(number):
                raise ValueError
            return number
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError
    if isinstance(value, bool):  # bool is an int subclass; never accept it as a number
        if kind == "bool":
            return value
        raise ValueError
    if kind == "int" and isinstance(value, int):
        return value
    if kind == "float" and isinstance(value, int | float):
        return float(value)
    raise ValueError


def _coerce(param: ReportParameter, value: Any) -> Any:
    kind = param.type
    if kind == "any":
        return value
    from_text = isinstance(value, str) and kind != "str"
    if kind.startswith("list["):
        inner = kind[5:-1]
        items: Any = value
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                items = json.loads(text)
            else:
                items = [part.strip() for part in text.split(",") if part.strip()]
        if not isinstance(items, list | tuple):
            raise ValueError
        return [_scalar(inner, v, from_text=isinstance(v, str) and inner != "str") for v in items]
    return _scalar(kind, value, from_text=from_text)


def coerce_parameters(
    report: str, spec: Sequence[ReportParameter], values: Mapping[str, Any]
) -> dict[str, Any]:
    """Check ``values`` against the report's parameters and convert them to their types.

    Strings are parsed (the CLI passes every value as text): ``"21"`` for an int,
    ``"yes"``/``"false"`` for a bool, ``"a,b"`` or ``'["a", "b"]'`` for a list.

    Raises
    ------
    ReportParameterError
        For an unknown name (with the closest names) or a value of the wrong type.

    Examples
    --------
    >>> spec = [ReportParameter("lookback_days", "int", 252), ReportParameter("sector", "str", "")]
    >>> coerce_parameters("demo", spec, {"lookback_days": "21"})
    {'lookback_days': 21}
    >>> coerce_parameters("demo", spec, {"lookback": 5})
    Traceback (most recent call last):
    ...
    axion_lab.exceptions.ReportParameterError: Unknown parameter 'lookback' for report 'demo'. \
Did you mean 'lookback_days'? Its parameters are: lookback_days, sector.
    """
    by_name = {p.name: p for p in spec}
    out: dict[str, Any] = {}
    for name, value in values.items():
        param = by_name.get(name)
        if param is None:
            hints = closest(name, by_name)
            did = f" Did you mean {', '.join(repr(h) for h in hints)}?" if hints else ""
            names = ", ".join(by_name) or "(none)"
            raise ReportParameterError(
                f"Unknown parameter {name!r} for report {report!r}.{did} "
                f"Its parameters are: {names}."
            )
        try:
            out[name] = _coerce(param, value)
        except (ValueError, TypeError) as exc:  # json.JSONDecodeError is a ValueError
            raise ReportParameterError(
                f"Parameter {name!r} of report {report!r} must be {_expected(param.type)}, "
                f"got {value!r}. Default: {param.default!r}"
                + (f" ({param.help})." if param.help else ".")
            ) from exc
    return out
