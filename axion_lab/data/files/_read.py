"""Read a CSV or Parquet file into a raw frame with the file row of every record.

CSV cells are read as text (nothing inferred) so that every value is parsed by our
own rules and every error can name its row. The ``_row`` column is the 1-based
line in the file counting the header as line 1 (blank lines keep their numbers);
for Parquet it is the 1-based record number.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from typing import Final

import polars as pl

from axion_lab.exceptions import FileImportError

__all__ = ["CSV_SUFFIXES", "PARQUET_SUFFIXES", "RawTable", "read_table"]

CSV_SUFFIXES: Final = (".csv", ".tsv", ".txt")
PARQUET_SUFFIXES: Final = (".parquet", ".pq")
_SEPARATORS: Final = (",", ";", "\t", "|")
ROW = "_row"


@dataclasses.dataclass(frozen=True)
class RawTable:
    """The cells of one file, untyped for CSV; ``_row`` holds file row numbers."""

    frame: pl.DataFrame
    path: str
    notes: tuple[str, ...]

    @property
    def header(self) -> list[str]:
        """The file's column names, in order."""
        return [c for c in self.frame.columns if c != ROW]


def read_table(path: str | Path) -> RawTable:
    """Read ``path`` (CSV/TSV/TXT or Parquet) into a :class:`RawTable`.

    Raises
    ------
    FileImportError
        Missing, unreadable or empty file, unsupported extension, or content that
        is not valid CSV/Parquet.
    """
    p = Path(path).expanduser()
    name = str(path)
    if not p.exists():
        raise FileImportError("no such file. Check the path and the working directory.", path=name)
    if not p.is_file():
        raise FileImportError("is a directory, not a file.", path=name)
    suffix = p.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return _read_parquet(p, name)
    if suffix in CSV_SUFFIXES:
        return _read_csv(p, name)
    hint = " Save it as CSV (File > Save As > CSV UTF-8)." if suffix in (".xls", ".xlsx") else ""
    raise FileImportError(
        f"unsupported file type {suffix or '(no extension)'!r}; use one of "
        f"{', '.join(CSV_SUFFIXES + PARQUET_SUFFIXES)}.{hint}",
        path=name,
    )


def _read_bytes(p: Path, name: str) -> bytes:
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FileImportError(f"cannot be read ({exc.strerror}).", path=name) from exc
    if not data.strip():
        raise FileImportError("is empty.", path=name)
    return data


def _read_csv(p: Path, name: str) -> RawTable:
    data = _read_bytes(p, name)
    notes: list[str] = []
    bom = b"\xef\xbb\xbf"
    if data.startswith(bom):
        data = data[len(bom) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows writes cp1252; it decodes any byte, so it is the last resort.
        text = data.decode("cp1252", errors="replace")
        data = text.encode("utf-8")
        notes.append("The file is not UTF-8; read it as Windows-1252 (cp1252).")
    first_line = text.lstrip().splitlines()[0]
    separator = max(_SEPARATORS, key=first_line.count)
    if first_line.count(separator) == 0:
        separator = ","
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            separator=separator,
            infer_schema=False,
            raise_if_empty=True,
        )
    except pl.exceptions.PolarsError as exc:
        detail = str(exc).strip().splitlines()[0]
        raise FileImportError(
            f"could not be read as CSV ({detail}). Check that every line has the same number "
            "of fields and that quotes are balanced.",
            path=name,
        ) from exc
    if frame.height == 0:
        raise FileImportError("has a header but no data rows.", path=name)
    frame = frame.rename({c: c.strip() for c in frame.columns})
    return RawTable(
        frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64)),
        name,
        tuple(notes),
    )


def _read_parquet(p: Path, name: str) -> RawTable:
    _read_bytes(p, name)
    try:
        frame = pl.read_parquet(p)
    except pl.exceptions.PolarsError as exc:
        detail = str(exc).strip().splitlines()[0]
        raise FileImportError(f"is not a valid Parquet file ({detail}).", path=name) from exc
    except OSError as exc:
        raise FileImportError(f"is not a valid Parquet file ({exc}).", path=name) from exc
    if frame.height == 0:
        raise FileImportError("has no rows.", path=name)
    return RawTable(
        frame.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64)), name, ()
    )
