"""Frozen results of a file import: one file (:class:`ImportResult`) or a whole market."""

from __future__ import annotations

import dataclasses
import html
from typing import TYPE_CHECKING

import polars as pl

from axion_lab.data.quality import QualityReport

if TYPE_CHECKING:
    import pandas as pd

    from axion_lab.data.market import Market

__all__ = ["FilesImport", "ImportResult"]


@dataclasses.dataclass(frozen=True, eq=False)
class ImportResult:
    """One imported file: the canonical frame, what was cleaned, and quality findings.

    Attributes
    ----------
    kind
        ``"prices"``, ``"fundamentals"``, ``"dividends"`` or ``"instruments"``.
    path
        The file as given.
    frame
        The canonical frame (``bars`` for prices), extra user columns kept after
        the canonical ones.
    notes
        What was done to the data, in plain words: columns mapped and ignored,
        duplicates dropped, rows sorted, values coerced.
    columns
        Source column -> canonical or extra column name.
    quality
        Findings of the data-quality checks (nothing was removed because of them).
    """

    kind: str
    path: str
    frame: pl.DataFrame
    notes: tuple[str, ...]
    columns: dict[str, str]
    quality: QualityReport

    def to_frame(self) -> pl.DataFrame:
        """The canonical frame."""
        return self.frame

    def to_pandas(self) -> pd.DataFrame:
        """The canonical frame as pandas."""
        return self.frame.to_pandas()

    def summary(self) -> str:
        """What was imported and cleaned, then the quality summary."""
        symbols = self.frame["symbol"].n_unique() if "symbol" in self.frame.columns else 0
        lines = [f"{self.kind} from {self.path}: {self.frame.height:,} rows, {symbols} symbol(s)."]
        lines += [f"  - {n}" for n in self.notes]
        lines.append(self.quality.summary())
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<ImportResult {self.kind} {self.path!r}: {self.frame.height:,} rows, "
            f"{len(self.notes)} note(s), {len(self.quality)} quality finding(s)>"
        )

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (
            f"<div><b>{html.escape(self.kind)}</b> from <code>{html.escape(self.path)}</code>: "
            f"{self.frame.height:,} rows<ul>{notes}</ul>{self.quality._repr_html_()}"
            f"{self.frame.head(10)._repr_html_()}</div>"
        )


@dataclasses.dataclass(frozen=True, eq=False)
class FilesImport:
    """A market built from user files, with every file's result and all findings."""

    market: Market
    results: dict[str, ImportResult]
    notes: tuple[str, ...]

    @property
    def quality(self) -> QualityReport:
        """The quality findings of every file, combined."""
        return QualityReport.combine(r.quality for r in self.results.values())

    def summary(self) -> str:
        """Every file's summary, then market-level notes."""
        parts = [r.summary() for r in self.results.values()]
        parts += [f"- {n}" for n in self.notes]
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return "".join(r._repr_html_() for r in self.results.values())
