"""The :class:`QualityReport`: findings of the data-quality checks, as a frozen result.

A finding is one row: which ``frame`` and ``symbol`` it concerns, the ``check`` that
raised it, a ``severity`` (``info`` < ``warning`` < ``error``), the date range it
covers (``start``/``end``), how many rows or days it involves (``count``) and a
plain-language ``message``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

import polars as pl

from axion_lab.exceptions import DataQualityError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FINDINGS_SCHEMA", "QualityReport", "Severity", "finding"]


class Severity(StrEnum):
    """How much a finding matters. ``error`` means the data is wrong, not just odd."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


_RANK: Final = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}

FINDINGS_SCHEMA: Final[dict[str, pl.DataType]] = {
    "frame": pl.String(),
    "symbol": pl.String(),
    "check": pl.String(),
    "severity": pl.String(),
    "start": pl.Date(),
    "end": pl.Date(),
    "count": pl.Int64(),
    "message": pl.String(),
}


def finding(
    frame: str,
    check: str,
    severity: Severity,
    message: str,
    *,
    symbol: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    count: int = 1,
) -> dict[str, Any]:
    """One finding as a row dict (the checks build lists of these)."""
    return {
        "frame": frame,
        "symbol": symbol,
        "check": check,
        "severity": str(severity),
        "start": start,
        "end": end,
        "count": count,
        "message": message,
    }


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


@dataclasses.dataclass(frozen=True)
class QualityReport:
    """Findings of the data-quality checks on one or more frames.

    Build one with :func:`~axion_lab.data.quality.check_bars` (or the fundamentals
    and dividends checks); combine several with :meth:`combine`. Findings are only
    reported: nothing is removed from the data.

    Examples
    --------
    >>> import datetime as dt, polars as pl
    >>> from axion_lab.data.quality import check_bars
    >>> bars = pl.DataFrame({
    ...     "symbol": ["AAA", "AAA"],
    ...     "ts": [dt.datetime(2024, 1, 2), dt.datetime(2024, 1, 3)],
    ...     "open": [10.0, 10.0], "high": [9.0, 10.5], "low": [9.5, 9.8],
    ...     "close": [9.6, 10.2], "volume": [100, 200],
    ... })
    >>> report = check_bars(bars)
    >>> report.ok
    False
    >>> report.to_frame()["check"].to_list()
    ['high_below_low']
    """

    findings: pl.DataFrame
    rows_checked: int = 0
    frames_checked: tuple[str, ...] = ()

    @classmethod
    def from_rows(
        cls, rows: Sequence[dict[str, Any]], *, frame: str, rows_checked: int
    ) -> QualityReport:
        """Build a report from finding dicts (see :func:`finding`)."""
        clean = [{**r, "start": _as_date(r["start"]), "end": _as_date(r["end"])} for r in rows]
        findings = pl.DataFrame(clean, schema=FINDINGS_SCHEMA, orient="row")
        return cls(_sorted(findings), rows_checked=rows_checked, frames_checked=(frame,))

    @classmethod
    def empty(cls) -> QualityReport:
        """A report with no findings and nothing checked."""
        return cls(pl.DataFrame(schema=FINDINGS_SCHEMA))

    @classmethod
    def combine(cls, reports: Iterable[QualityReport]) -> QualityReport:
        """One report holding the findings of all ``reports``."""
        parts = list(reports)
        if not parts:
            return cls.empty()
        frames: tuple[str, ...] = tuple(dict.fromkeys(f for r in parts for f in r.frames_checked))
        return cls(
            _sorted(pl.concat([r.findings for r in parts])),
            rows_checked=sum(r.rows_checked for r in parts),
            frames_checked=frames,
        )

    # --- queries ----------------------------------------------------------------
    def __len__(self) -> int:
        return self.findings.height

    def count(self, severity: Severity | str) -> int:
        """Number of findings of exactly ``severity``."""
        return self.findings.filter(pl.col("severity") == str(Severity(severity))).height

    @property
    def ok(self) -> bool:
        """True when there are no warnings and no errors (info findings are fine)."""
        return self.count(Severity.WARNING) == 0 and self.count(Severity.ERROR) == 0

    @property
    def has_errors(self) -> bool:
        """True when any finding is an error."""
        return self.count(Severity.ERROR) > 0

    def at_least(self, severity: Severity | str) -> pl.DataFrame:
        """Findings of ``severity`` or worse."""
        floor = _RANK[Severity(severity)]
        keep = [str(s) for s, rank in _RANK.items() if rank >= floor]
        return self.findings.filter(pl.col("severity").is_in(keep))

    def checks(self) -> list[str]:
        """Names of the checks that found something, sorted."""
        return sorted(self.findings["check"].unique().to_list())

    def raise_for_errors(self) -> None:
        """Raise :class:`~axion_lab.exceptions.DataQualityError` if there are errors."""
        errors = self.at_least(Severity.ERROR)
        if errors.height:
            first = errors.row(0, named=True)
            raise DataQualityError(
                f"{errors.height} data-quality error(s); the first: "
                f"[{first['frame']}/{first['check']}] {first['message']} "
                "See report.to_frame() for all findings."
            )

    # --- output -----------------------------------------------------------------
    def summary(self) -> str:
        """A few lines: counts per severity, then per check.

        Examples
        --------
        >>> from axion_lab.data.quality import QualityReport
        >>> print(QualityReport.empty().summary())
        Data quality: no findings (0 rows checked).
        """
        if not len(self):
            return f"Data quality: no findings ({self.rows_checked:,} rows checked)."
        parts = [
            f"{self.count(s)} {s}{'s' if self.count(s) != 1 else ''}"
            for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            if self.count(s)
        ]
        lines = [f"Data quality: {', '.join(parts)} ({self.rows_checked:,} rows checked)."]
        per_check = (
            self.findings.group_by("frame", "check", "severity")
            .agg(pl.len().alias("n"), pl.col("symbol").n_unique().alias("symbols"))
            .sort("frame", "check")
        )
        for r in per_check.iter_rows(named=True):
            lines.append(
                f"  {r['severity']:<7} {r['frame']}.{r['check']}: {r['n']} finding(s) "
                f"in {r['symbols']} symbol(s)"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_frame(self) -> pl.DataFrame:
        """The findings as a polars frame (columns of ``FINDINGS_SCHEMA``)."""
        return self.findings

    def to_pandas(self) -> pd.DataFrame:
        """The findings as a pandas frame."""
        return self.findings.to_pandas()

    def _repr_html_(self, max_rows: int = 50) -> str:
        colours = {"error": "#b00020", "warning": "#a15c00", "info": "#555"}
        head = f"<b>{html.escape(self.summary().splitlines()[0])}</b>"
        if not len(self):
            return f"<div>{head}</div>"
        cols = ["frame", "symbol", "check", "severity", "start", "end", "count", "message"]
        header = "".join(f"<th>{c}</th>" for c in cols)
        body = []
        for r in self.findings.head(max_rows).iter_rows(named=True):
            colour = colours.get(r["severity"], "#000")
            cells = "".join(
                f"<td style='color:{colour}'>{html.escape('' if r[c] is None else str(r[c]))}</td>"
                if c == "severity"
                else f"<td>{html.escape('' if r[c] is None else str(r[c]))}</td>"
                for c in cols
            )
            body.append(f"<tr>{cells}</tr>")
        more = (
            f"<p>... {len(self) - max_rows} more; see <code>report.to_frame()</code>.</p>"
            if len(self) > max_rows
            else ""
        )
        return f"<div>{head}<table><tr>{header}</tr>{''.join(body)}</table>{more}</div>"


def _sorted(findings: pl.DataFrame) -> pl.DataFrame:
    rank = pl.col("severity").replace_strict(
        {str(k): v for k, v in _RANK.items()}, return_dtype=pl.Int8
    )
    return findings.sort(
        rank, "frame", "symbol", "check", "start", descending=[True] + [False] * 4, nulls_last=True
    )
