"""The import pipeline: read -> map columns -> parse cells -> fill -> dedupe -> sort -> check."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from axion_lab.data.files._columns import map_columns
from axion_lab.data.files._dates import parse_datetime
from axion_lab.data.files._read import ROW, read_table
from axion_lab.data.files._result import ImportResult
from axion_lab.data.files._spec import KINDS, RATIO_COLUMNS, KindSpec, snake_case
from axion_lab.data.files._values import (
    Cells,
    clean_text,
    parse_bool,
    parse_list,
    parse_number,
    parse_text,
)
from axion_lab.data.quality import QualityReport, check_bars, check_dividends, check_fundamentals
from axion_lab.data.schema import SCHEMAS, conform
from axion_lab.exceptions import (
    DataError,
    DataQualityWarning,
    FileImportError,
    InputError,
    UnknownNameError,
)

__all__ = ["import_file", "warn_quality"]


def import_file(
    path: str | Path,
    kind: str,
    *,
    columns: Mapping[str, str] | None = None,
    symbol: str | None = None,
    date_format: str | None = None,
    publication_lag: int | None = None,
    warn: bool = True,
    lenient_columns: bool = False,
) -> ImportResult:
    """Import one user file of ``kind`` into its canonical frame (see the ``read_*`` functions)."""
    if kind not in KINDS:
        raise UnknownNameError.for_name("file kind", kind, KINDS)
    spec = KINDS[kind]
    raw = read_table(path)
    name = raw.path
    cmap = map_columns(
        raw.header,
        spec,
        columns=columns,
        path=name,
        has_symbol_argument=symbol is not None,
        lenient=lenient_columns,
    )
    notes: list[str] = [*raw.notes, *_mapping_notes(cmap.renames), *cmap.notes]
    if symbol is not None and "symbol" in cmap.renames.values():
        src = next(k for k, v in cmap.renames.items() if v == "symbol")
        raise FileImportError(
            f"symbol={symbol!r} was given but the file has a ticker column {src!r}; "
            "pass symbol= only for single-ticker files without one.",
            path=name,
        )
    frame = raw.frame.drop(list(cmap.ignored))
    used = [c for c in frame.columns if c != ROW and c not in cmap.ignored]
    blank = frame.select(
        pl.all_horizontal(
            pl.col(c).cast(pl.String).str.strip_chars().is_null()
            | (pl.col(c).cast(pl.String).str.strip_chars() == "")
            for c in used
        )
    ).to_series()
    if blank.any():
        notes.append(f"Skipped {int(blank.sum())} blank row(s).")
        frame = frame.filter(~blank)
    typed: dict[str, pl.Series] = {ROW: frame[ROW]}
    for src, dst in cmap.renames.items():
        cells = Cells(frame[src], frame[ROW], src, name)
        series, more = _parse_canonical(cells, spec.columns[dst], dst, date_format)
        typed[dst] = series.alias(dst)
        notes += more
    for src, dst in cmap.extras.items():
        typed[dst] = _parse_extra(Cells(frame[src], frame[ROW], src, name), notes).alias(dst)
    if cmap.extras:
        notes.append(f"Kept extra column(s): {', '.join(cmap.extras.values())}.")
    out = pl.DataFrame(typed)
    if symbol is not None:
        out = out.with_columns(pl.lit(symbol.strip().upper()).alias("symbol"))
    out, more = _FINISH[spec.kind](out, name=name, publication_lag=publication_lag)
    notes += more
    out = _fill_missing(out, spec)
    _require_values(out, spec, name, cmap.renames)
    out, more = _dedupe(out, spec, name)
    notes += more
    key = list(spec.key)
    ordered = out.sort(key, maintain_order=True)
    if not ordered[ROW].equals(out[ROW]):
        notes.append(f"Sorted rows by {', '.join(key)} (the file was not in that order).")
    out = ordered
    try:
        result = conform(spec.frame, out.drop(ROW))
    except DataError as exc:
        raise FileImportError(str(exc), path=name) from exc
    quality = _check(spec, result)
    imported = ImportResult(
        kind=spec.kind,
        path=name,
        frame=result,
        notes=tuple(notes),
        columns={**cmap.renames, **cmap.extras},
        quality=quality,
    )
    if warn:
        warn_quality(quality, source=name, stacklevel=4)
    return imported


def warn_quality(report: QualityReport, *, source: str, stacklevel: int = 2) -> None:
    """Emit one :class:`DataQualityWarning` if ``report`` has warnings or errors."""
    if not report.ok:
        first = report.summary().splitlines()[0]
        warnings.warn(
            f"{source}: {first} See .quality (or .quality.to_frame()) for the findings.",
            DataQualityWarning,
            stacklevel=stacklevel,
        )


def _mapping_notes(renames: dict[str, str]) -> list[str]:
    moved = [f"{s!r} -> {d}" for s, d in renames.items() if s != d]
    return [f"Mapped columns: {', '.join(moved)}."] if moved else []


def _parse_canonical(
    cells: Cells, dtype: Any, dst: str, date_format: str | None
) -> tuple[pl.Series, list[str]]:
    if dtype == pl.String:
        return parse_text(cells, upper=dst == "symbol"), []
    if dtype == pl.Float64:
        return parse_number(cells, ratio=False)
    if dtype == pl.Int64:
        return parse_number(cells, ratio=False, integer=True)
    if dtype == pl.Boolean:
        return parse_bool(cells), []
    if isinstance(dtype, pl.List):
        return parse_list(cells), []
    parsed, notes = parse_datetime(cells, date_format=date_format)
    return (parsed.dt.date() if dtype == pl.Date else parsed), notes


def _parse_extra(cells: Cells, notes: list[str]) -> pl.Series:
    if cells.values.dtype != pl.String:
        return cells.values
    is_ratio = snake_case(cells.column) in RATIO_COLUMNS
    try:
        series, more = parse_number(cells, ratio=True if is_ratio else None)
    except FileImportError:
        return clean_text(cells.values)
    if series.is_null().all():
        return clean_text(cells.values)
    notes += more
    return series


def _fill_missing(frame: pl.DataFrame, spec: KindSpec) -> pl.DataFrame:
    fills = [
        pl.lit(None, dtype=dtype).alias(col)
        for col, dtype in SCHEMAS[spec.frame].items()
        if col not in frame.columns
    ]
    return frame.with_columns(fills) if fills else frame


def _require_values(
    frame: pl.DataFrame, spec: KindSpec, path: str, renames: dict[str, str]
) -> None:
    source = {v: k for k, v in renames.items()}
    for col in (*spec.key, *spec.required):
        if col not in frame.columns or col in ("close",):
            continue
        nulls = frame[col].is_null()
        if nulls.any():
            row = int(frame.filter(nulls)[ROW][0])
            count = int(nulls.sum())
            raise FileImportError(
                f"missing value in required column {col!r}"
                + (f" ({count - 1} more)" if count > 1 else "")
                + ". Fill it in or remove the row.",
                path=path,
                row=row,
                column=source.get(col, col),
            )


def _dedupe(frame: pl.DataFrame, spec: KindSpec, path: str) -> tuple[pl.DataFrame, list[str]]:
    notes: list[str] = []
    values = [c for c in frame.columns if c != ROW]
    exact = frame.select(pl.struct(values).is_first_distinct()).to_series()
    if not exact.all():
        rows = frame.filter(~exact)[ROW].to_list()
        shown = ", ".join(map(str, rows[:10])) + (" ..." if len(rows) > 10 else "")
        notes.append(f"Dropped {len(rows)} exact duplicate row(s): row(s) {shown}.")
        frame = frame.filter(exact)
    key = list(spec.key)
    clash = frame.filter(pl.len().over(key) > 1)
    if clash.height:
        first_key = clash.sort(ROW).row(0, named=True)
        group = clash.filter(pl.all_horizontal(pl.col(k) == first_key[k] for k in key)).sort(ROW)
        a, b = group.row(0, named=True), group.row(1, named=True)
        diff = [c for c in values if c not in key and a[c] != b[c]]
        what = ", ".join(f"{k}={a[k]}" for k in key)
        detail = ", ".join(f"{c}: {a[c]!r} vs {b[c]!r}" for c in diff[:3])
        n_keys = clash.select(key).unique().height
        raise FileImportError(
            f"rows {a[ROW]} and {b[ROW]} have the same {what} but different values ({detail})"
            + (f"; {n_keys - 1} more key(s) clash" if n_keys > 1 else "")
            + ". Keep one row per key.",
            path=path,
            row=int(b[ROW]),
            column=diff[0] if diff else None,
        )
    return frame, notes


def _finish_prices(frame: pl.DataFrame, **_: Any) -> tuple[pl.DataFrame, list[str]]:
    notes: list[str] = []
    prices = [c for c in ("open", "high", "low", "close") if c in frame.columns]
    empty = frame.select(pl.all_horizontal(pl.col(c).is_null() for c in prices)).to_series()
    if empty.any():
        rows = frame.filter(empty)[ROW].to_list()
        notes.append(
            f"Dropped {len(rows)} row(s) without any price: row(s) "
            f"{', '.join(map(str, rows[:10]))}."
        )
        frame = frame.filter(~empty)
    missing = [c for c in ("open", "high", "low", "volume") if c not in frame.columns]
    if missing:
        notes.append(f"No {', '.join(missing)} column(s); left empty (null).")
    if "ts" in frame.columns and frame.height:
        times = frame["ts"].dt.time().drop_nulls().unique()
        if times.len() == 1 and times[0] != dt.time(0):
            notes.append(f"Every timestamp is at {times[0]}; stamped as daily bars (midnight).")
            frame = frame.with_columns(pl.col("ts").dt.truncate("1d"))
        elif times.len() > 1:
            notes.append("Timestamps carry different times of day; kept as intraday bars.")
    return frame, notes


def _finish_fundamentals(
    frame: pl.DataFrame, *, name: str, publication_lag: int | None, **_: Any
) -> tuple[pl.DataFrame, list[str]]:
    notes: list[str] = []
    if "published" not in frame.columns:
        if publication_lag is None:
            raise FileImportError(
                "no publication date column (published/filed/report date), so the data "
                "cannot be used point in time. Add one, or pass publication_lag=45 to "
                "assume each statement became public 45 days after its period end.",
                path=name,
            )
        if publication_lag < 0:
            raise InputError(f"publication_lag must be >= 0 days, got {publication_lag}.")
        frame = frame.with_columns(
            (pl.col("period_end") + pl.duration(days=publication_lag)).alias("published")
        )
        notes.append(f"Set published = period_end + {publication_lag} days (publication_lag).")
    elif publication_lag is not None:
        raise InputError("publication_lag applies only to files without a published column.")
    derived = []
    if "fiscal_year" not in frame.columns:
        derived.append(pl.col("period_end").dt.year().cast(pl.Int64).alias("fiscal_year"))
    if "fiscal_quarter" not in frame.columns:
        derived.append(pl.col("period_end").dt.quarter().cast(pl.Int64).alias("fiscal_quarter"))
    if derived:
        frame = frame.with_columns(derived)
        notes.append("Derived fiscal year/quarter from period_end (calendar quarters).")
    return frame, notes


def _finish_dividends(frame: pl.DataFrame, **_: Any) -> tuple[pl.DataFrame, list[str]]:
    notes: list[str] = []
    if "declared" not in frame.columns:
        # Using the ex-date makes each dividend visible later than it really was:
        # conservative for point-in-time use, never a look-ahead.
        frame = frame.with_columns(pl.col("ex_date").alias("declared"))
        notes.append("No declaration dates; used the ex-date as the declared date.")
    if "kind" not in frame.columns:
        frame = frame.with_columns(pl.lit("regular").alias("kind"))
    if "frequency" not in frame.columns:
        frame = frame.with_columns(_infer_frequency())
        notes.append("Inferred dividend frequency from the spacing of ex-dates.")
    return frame, notes


def _infer_frequency() -> pl.Expr:
    gap = pl.col("ex_date").sort().diff().dt.total_days().median().over("symbol")
    return (
        pl.when(gap.is_null())
        .then(None)
        .when(gap < 45)
        .then(pl.lit("monthly"))
        .when(gap < 135)
        .then(pl.lit("quarterly"))
        .when(gap < 270)
        .then(pl.lit("semi_annual"))
        .otherwise(pl.lit("annual"))
        .alias("frequency")
    )


def _finish_instruments(frame: pl.DataFrame, **_: Any) -> tuple[pl.DataFrame, list[str]]:
    if "is_fictional" not in frame.columns:
        frame = frame.with_columns(pl.lit(False).alias("is_fictional"))
    return frame, []


_FINISH = {
    "prices": _finish_prices,
    "fundamentals": _finish_fundamentals,
    "dividends": _finish_dividends,
    "instruments": _finish_instruments,
}


def _check(spec: KindSpec, frame: pl.DataFrame) -> QualityReport:
    if spec.kind == "prices":
        return check_bars(frame)
    if spec.kind == "fundamentals":
        return check_fundamentals(frame)
    if spec.kind == "dividends":
        return check_dividends(frame)
    return QualityReport.from_rows([], frame="instruments", rows_checked=frame.height)
