"""Turn messy cell text into typed columns, with errors that name file, row and column.

Every parser takes the raw column (String from a CSV, any dtype from Parquet),
the 1-based file rows of its cells, the source column name and the file path, and
returns the typed column plus notes saying what was coerced.

Missing-value tokens (case-insensitive, after trimming): ``""``, ``NA``, ``N/A``,
``#N/A``, ``-``, ``--``, ``null``, ``None``, ``nan``, ``nil``.
"""

from __future__ import annotations

import dataclasses
from typing import Final

import polars as pl

from axion_lab.exceptions import FileImportError

__all__ = ["MISSING_TOKENS", "Cells", "parse_bool", "parse_list", "parse_number", "parse_text"]

MISSING_TOKENS: Final = ("", "na", "n/a", "#n/a", "-", "--", "null", "none", "nan", "nil")

_CURRENCY = r"[$€£¥₹]|\b(?:USD|EUR|GBP|JPY|CAD|CHF)\b"
_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$"


@dataclasses.dataclass(frozen=True)
class Cells:
    """One raw column with its provenance, for error messages."""

    values: pl.Series
    rows: pl.Series
    column: str
    path: str

    def fail(self, mask: pl.Series, what: str, advice: str = "") -> FileImportError:
        """Error for the first cell where ``mask`` is true, counting the others."""
        hits = mask.fill_null(False)
        idx = int(hits.arg_true()[0])
        total = int(hits.sum())
        more = ""
        if total > 1:
            others = self.rows.filter(hits)[1:6].to_list()
            more = f" ({total - 1} more in this column, e.g. row(s) {', '.join(map(str, others))})"
        value = self.values[idx]
        return FileImportError(
            f"{what} {value!r}{more}.{(' ' + advice) if advice else ''}",
            path=self.path,
            row=int(self.rows[idx]),
            column=self.column,
        )

    def wrong_dtype(self, expected: str) -> FileImportError:
        """Error for a typed (Parquet) column of the wrong dtype."""
        return FileImportError(
            f"has type {self.values.dtype}; expected {expected}. Cast it before saving, "
            "or save the file as CSV.",
            path=self.path,
            column=self.column,
        )


def clean_text(values: pl.Series) -> pl.Series:
    """Trimmed text with missing-value tokens as null."""
    text = values.cast(pl.String).str.strip_chars()
    return (
        pl.select(pl.when(text.str.to_lowercase().is_in(MISSING_TOKENS)).then(None).otherwise(text))
        .to_series()
        .alias(values.name)
    )


def parse_text(cells: Cells, *, upper: bool = False) -> pl.Series:
    """Trimmed strings (upper case for tickers); missing tokens become null."""
    if cells.values.dtype not in (pl.String, pl.Categorical, pl.Null) and not isinstance(
        cells.values.dtype, pl.Enum
    ):
        raise cells.wrong_dtype("text")
    text = clean_text(cells.values)
    return text.str.to_uppercase() if upper else text


def parse_number(
    cells: Cells,
    *,
    ratio: bool | None = False,
    integer: bool = False,
) -> tuple[pl.Series, list[str]]:
    """Numbers from text: thousands separators, currency symbols, ``(1.5)`` negatives.

    ``ratio=True``: ``"3.5%"`` means 0.035 and plain numbers are fractions already.
    ``ratio=False``: a ``%`` is an error. ``ratio=None``: a ratio only if every
    value carries ``%``.
    """
    raw = cells.values
    notes: list[str] = []
    if raw.dtype.is_numeric() or raw.dtype == pl.Null:
        out = raw.cast(pl.Float64)
    elif raw.dtype == pl.String:
        text = clean_text(raw)
        present = text.is_not_null()
        plain = text.cast(pl.Float64, strict=False)
        if plain.null_count() == text.null_count():
            # Fast path: every present value is already a plain number.
            return _finish_number(plain.alias(cells.column), cells, integer, notes)
        frame = pl.DataFrame({"t": text}).with_columns(
            pl.col("t").str.contains(r"^\(.*\)$").alias("paren"),
            pl.col("t").str.ends_with("%").alias("pct"),
            pl.col("t").str.contains(_CURRENCY).alias("cur"),
        )
        body = frame.select(
            pl.col("t").str.replace_all(_CURRENCY, "").str.replace_all(r"[\s()%]", "").alias("b")
        ).to_series()
        has_comma = body.str.contains(",").fill_null(False)
        good_comma = body.str.contains(_THOUSANDS).fill_null(False)
        if (has_comma & ~good_comma).any():
            raise cells.fail(
                has_comma & ~good_comma,
                "not a number:",
                "Commas are read as thousands separators (1,234.50); convert decimal commas "
                "to points.",
            )
        value = body.str.replace_all(",", "").cast(pl.Float64, strict=False)
        bad = present & value.is_null()
        if bad.any():
            raise cells.fail(bad, "not a number:")
        pct = frame["pct"].fill_null(False)
        if pct.any():
            all_pct = bool((pct | ~present).all())
            if ratio is False or (ratio is None and not all_pct):
                raise cells.fail(
                    pct,
                    "percent value",
                    "This column is not a ratio; write plain numbers."
                    if ratio is False
                    else "Either every value or none in this column should carry '%'.",
                )
            value = pl.select(pl.when(pct).then(value / 100.0).otherwise(value)).to_series()
            notes.append(f"'{cells.column}': read {int(pct.sum())} percent value(s) as fractions.")
        if has_comma.any():
            notes.append(f"'{cells.column}': removed thousands separators.")
        if frame["cur"].fill_null(False).any():
            notes.append(f"'{cells.column}': removed currency symbols.")
        paren = frame["paren"].fill_null(False)
        if paren.any():
            value = pl.select(pl.when(paren).then(-value).otherwise(value)).to_series()
            notes.append(f"'{cells.column}': read {int(paren.sum())} (parenthesised) negatives.")
        out = value
    else:
        raise cells.wrong_dtype("a number")
    return _finish_number(out.alias(cells.column), cells, integer, notes)


def _finish_number(
    out: pl.Series, cells: Cells, integer: bool, notes: list[str]
) -> tuple[pl.Series, list[str]]:
    if integer:
        fractional = out.is_not_null() & (out != out.round(0))
        if fractional.any():
            notes.append(f"'{cells.column}': rounded {int(fractional.sum())} fractional value(s).")
        out = out.round(0).cast(pl.Int64)
    return out, notes


def parse_bool(cells: Cells) -> pl.Series:
    """Booleans from true/false, yes/no, 1/0 (any case)."""
    raw = cells.values
    if raw.dtype == pl.Boolean:
        return raw
    text = clean_text(raw.cast(pl.String)).str.to_lowercase()
    mapping = {
        "true": True,
        "yes": True,
        "y": True,
        "1": True,
        "false": False,
        "no": False,
        "n": False,
        "0": False,
    }
    out = text.replace_strict(mapping, default=None, return_dtype=pl.Boolean)
    bad = text.is_not_null() & out.is_null()
    if bad.any():
        raise cells.fail(bad, "not a true/false value:")
    return out


def parse_list(cells: Cells) -> pl.Series:
    """Lists of strings from ``"A;B"`` or ``"A|B"`` cells."""
    raw = cells.values
    if isinstance(raw.dtype, pl.List):
        return raw.cast(pl.List(pl.String))
    text = clean_text(raw.cast(pl.String))
    return text.str.replace_all(r"\s*[;|]\s*", ";").str.split(";")
