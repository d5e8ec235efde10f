"""Map a user's column names to canonical ones: explicit mapping first, then aliases."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from axion_lab.data.files._spec import KindSpec, normalise_header, snake_case
from axion_lab.exceptions import FileImportError, closest

__all__ = ["ColumnMap", "map_columns"]


@dataclasses.dataclass(frozen=True)
class ColumnMap:
    """Which source column becomes which canonical column, and what was set aside."""

    renames: dict[str, str]
    extras: dict[str, str]
    ignored: tuple[str, ...]
    notes: tuple[str, ...]


def map_columns(
    header: Sequence[str],
    spec: KindSpec,
    *,
    columns: Mapping[str, str] | None,
    path: str,
    has_symbol_argument: bool = False,
    lenient: bool = False,
) -> ColumnMap:
    """Resolve ``header`` into canonical names for ``spec``.

    An explicit ``columns`` mapping wins; its keys may differ from the header in
    case and spacing (with ``lenient=True`` keys absent from the file are skipped,
    for one mapping shared by several files). Remaining headers are matched by alias. Headers in
    ``spec.ignored`` (``Adj Close``) are dropped unless mapped explicitly. Any other
    header is kept as an extra snake_case column.

    Raises
    ------
    FileImportError
        A mapping key that is not in the file, a mapping target that is not a
        canonical column, two headers claiming one column, or required columns
        missing (the message lists what was found and suggests matches).
    """
    canonical = list(spec.columns)
    by_norm: dict[str, str] = {}
    for h in header:
        by_norm.setdefault(normalise_header(h), h)
    renames: dict[str, str] = {}
    notes: list[str] = []
    for src, dst in (columns or {}).items():
        actual = src if src in header else by_norm.get(normalise_header(src))
        if actual is None and lenient:
            continue
        if actual is None:
            hint = closest(src, header)
            raise FileImportError(
                f"columns= maps {src!r}, which is not in the file. The file has: "
                f"{_quoted(header)}." + (f" Did you mean {_quoted(hint)}?" if hint else ""),
                path=path,
                column=src,
            )
        if dst not in canonical:
            hint = closest(dst, canonical)
            raise FileImportError(
                f"columns= maps {src!r} to {dst!r}, which is not a {spec.kind} column. "
                f"Valid targets: {_quoted(canonical)}."
                + (f" Did you mean {_quoted(hint)}?" if hint else ""),
                path=path,
                column=src,
            )
        if dst in renames.values():
            raise FileImportError(
                f"columns= maps two columns to {dst!r}; map exactly one.", path=path, column=src
            )
        renames[actual] = dst
    explicit = set(renames)
    lookup: dict[str, str] = {}
    for col in canonical:
        lookup[normalise_header(col)] = col
    for col, names in spec.aliases.items():
        for alias in names:
            lookup.setdefault(alias, col)
    claimed: dict[str, str] = {v: k for k, v in renames.items()}
    extras: dict[str, str] = {}
    ignored: list[str] = []
    for h in header:
        if h in renames:
            continue
        norm = normalise_header(h)
        target = lookup.get(norm)
        if target is None and norm in spec.ignored:
            ignored.append(h)
            continue
        if target is not None and target in claimed:
            if claimed[target] in explicit:
                notes.append(
                    f"Column {h!r} not used: columns= maps {claimed[target]!r} to {target!r}."
                )
                continue
            if _is_exact(claimed[target], target):
                # An exact canonical name beats an alias: keep this one as an extra.
                target = None
            elif _is_exact(h, target):
                extras[claimed[target]] = snake_case(claimed[target])
                del renames[claimed[target]]
            else:
                raise FileImportError(
                    f"Both {claimed[target]!r} and {h!r} look like the {target!r} column. "
                    f"Say which with columns={{{h!r}: {target!r}}}.",
                    path=path,
                    column=h,
                )
        if target is None:
            extras[h] = snake_case(h)
            continue
        renames[h] = target
        claimed[target] = h
    if ignored:
        notes.append(
            f"Ignored column(s) {_quoted(ignored)}; to use adjusted prices map one with "
            f"columns={{{ignored[0]!r}: 'close'}}."
        )
    taken = set(renames.values())
    for src, name in list(extras.items()):
        if name in taken or name in canonical:
            extras[src] = f"{name}_extra"
    _check_required(header, spec, renames, path=path, has_symbol_argument=has_symbol_argument)
    return ColumnMap(renames=renames, extras=extras, ignored=tuple(ignored), notes=tuple(notes))


def _is_exact(header: str, target: str) -> bool:
    return normalise_header(header) == normalise_header(target)


def _check_required(
    header: Sequence[str],
    spec: KindSpec,
    renames: dict[str, str],
    *,
    path: str,
    has_symbol_argument: bool,
) -> None:
    present = set(renames.values())
    missing = [c for c in spec.required if c not in present]
    if has_symbol_argument and "symbol" in missing:
        missing.remove("symbol")
    if not missing:
        return
    unmapped = [h for h in header if h not in renames]
    hints: list[str] = []
    for col in missing:
        names = [col, *spec.aliases.get(col, ())]
        found = {m for n in names for m in closest(n, [normalise_header(u) for u in unmapped])}
        matches = [u for u in unmapped if normalise_header(u) in found]
        if matches:
            hints.append(f"{col!r} <- maybe {_quoted(matches)}")
    advice = ("; suggestions: " + "; ".join(hints)) if hints else ""
    symbol_hint = (
        " A file for one ticker may omit the symbol column: pass symbol='XYZ'."
        if "symbol" in missing
        else ""
    )
    example = ", ".join(f"'<your column>': {c!r}" for c in missing)
    raise FileImportError(
        f"Missing required {spec.kind} column(s) {_quoted(missing)}. Found: {_quoted(header)}"
        f"{advice}. Map them with columns={{{example}}}.{symbol_hint}",
        path=path,
    )


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(repr(n) for n in names)
