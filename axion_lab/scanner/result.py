"""Hits and ``ScanResult``: one documented row shape for every scanner and pattern.

Every detector (preset scanners, custom scanners, unusual activity, candlestick and
chart patterns, the streaming engine) produces rows of :data:`HIT_SCHEMA`:

================  ==========================================================================
``symbol``        ticker
``ts``            timestamp of the **triggering bar** (its start for intraday bars)
``scanner``       scanner or pattern name (``"gap_up"``, ``"hammer"``, ``"double_top"``)
``category``      :class:`~axion_lab.scanner.ScanCategory` value (``"gap"``, ``"pattern"``...)
``direction``     ``"bullish"``, ``"bearish"`` or ``"neutral"``
``strength``      ``"weak"``, ``"moderate"`` or ``"strong"`` from the scanner's cut-offs
``value``         the number the strength was graded on (a gap, an RSI, a z-score...)
``trend``         trend of the bars before the hit: ``"up"``, ``"down"``, ``"flat"``;
                  null without enough history (see :func:`~axion_lab.scanner.trend_context`)
``open`` ..       the triggering bar: ``open, high, low, close, volume``
``values``        the values that triggered it: list of ``{name, value}``
``points``        chart patterns only: the points that define the pattern, list of
                  ``{ts, price, label}`` (empty for everything else)
================  ==========================================================================

Rows are sorted by ``ts, symbol, scanner``. A hit never holds NaN: undefined numbers
are null and never pass a rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import polars as pl

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "HIT_COLUMNS",
    "HIT_KEY",
    "HIT_SCHEMA",
    "ScanHit",
    "ScanResult",
    "empty_hits",
    "finish_hits",
    "no_points",
    "struct_list",
]

VALUE_STRUCT: Final = pl.Struct({"name": pl.String, "value": pl.Float64})
POINT_STRUCT: Final = pl.Struct({"ts": pl.Datetime("us"), "price": pl.Float64, "label": pl.String})

HIT_SCHEMA: Final[dict[str, pl.DataType]] = {
    "symbol": pl.String(),
    "ts": pl.Datetime("us"),
    "scanner": pl.String(),
    "category": pl.String(),
    "direction": pl.String(),
    "strength": pl.String(),
    "value": pl.Float64(),
    "trend": pl.String(),
    "open": pl.Float64(),
    "high": pl.Float64(),
    "low": pl.Float64(),
    "close": pl.Float64(),
    "volume": pl.Int64(),
    "values": pl.List(VALUE_STRUCT),
    "points": pl.List(POINT_STRUCT),
}
HIT_COLUMNS: Final = tuple(HIT_SCHEMA)
HIT_KEY: Final = ("symbol", "ts", "scanner")
"""What makes a hit unique: one scanner fires at most once per symbol and bar."""

_MAX_HTML_ROWS = 25


def struct_list(*items: pl.Expr) -> pl.Expr:
    """A list column from struct expressions of one schema (``values``, ``points``).

    Through a fixed-size array: ``pl.concat_list`` of structs is ~100x slower in
    polars 2.1 (4 s for two structs over 250k rows).
    """
    return pl.concat_arr(*items).arr.to_list()


def no_points() -> pl.Expr:
    """The ``points`` value of a hit that is not a chart pattern: an empty list."""
    return pl.lit([], pl.List(POINT_STRUCT)).alias("points")


def empty_hits() -> pl.DataFrame:
    """A hit frame with no rows (and the full schema)."""
    return pl.DataFrame(schema=HIT_SCHEMA)


def finish_hits(frames: list[pl.DataFrame]) -> pl.DataFrame:
    """Concatenate hit frames into :data:`HIT_SCHEMA` order, sorted by ``ts, symbol, scanner``.

    Every detector fires at most once per bar and name, so the concatenation is
    already unique on :data:`HIT_KEY` (the streaming scanner de-duplicates across
    batches itself).
    """
    parts = [f.select(HIT_COLUMNS).cast(HIT_SCHEMA) for f in frames if f.height]  # type: ignore[arg-type]
    if not parts:
        return empty_hits()
    return pl.concat(parts).sort("ts", "symbol", "scanner")


@dataclass(frozen=True)
class ScanHit:
    """One hit as a Python object (the rows of :attr:`ScanResult.hits` are these)."""

    symbol: str
    ts: dt.datetime
    scanner: str
    category: str
    direction: str
    strength: str
    value: float | None
    trend: str | None
    open: float
    high: float
    low: float
    close: float
    volume: int
    values: dict[str, float | None] = field(default_factory=dict)
    points: tuple[tuple[dt.datetime, float, str], ...] = ()

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ScanHit:
        """Build a hit from a row of the hit frame."""
        data = dict(row)
        data["values"] = {v["name"]: v["value"] for v in row["values"] or []}
        data["points"] = tuple((p["ts"], p["price"], p["label"]) for p in row["points"] or [])
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict (timestamps as ISO strings)."""
        out = dataclasses.asdict(self)
        out["ts"] = self.ts.isoformat()
        out["points"] = [[t.isoformat(), p, lab] for t, p, lab in self.points]
        return out


@dataclass(frozen=True, eq=False)
class ScanResult:
    """What a scan returns: the hits frame plus what was scanned, when and how fast."""

    hits: pl.DataFrame
    """Rows of :data:`HIT_SCHEMA` (see the module docstring)."""
    scanners: tuple[str, ...]
    """Names of the scanners and patterns that ran."""
    universe_size: int
    start: dt.datetime | None = None
    """First bar scanned (``None`` when no bars)."""
    end: dt.datetime | None = None
    """Last bar scanned."""
    source: str = ""
    is_synthetic: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage: ``indicators``, ``detect``, ``total``."""

    def __len__(self) -> int:
        return self.hits.height

    def __iter__(self) -> Iterator[ScanHit]:
        return (ScanHit.from_row(r) for r in self.hits.iter_rows(named=True))

    @property
    def symbols(self) -> list[str]:
        """Symbols with at least one hit, sorted."""
        return sorted(self.hits["symbol"].unique().to_list())

    def to_polars(self) -> pl.DataFrame:
        """The hits as a polars frame."""
        return self.hits

    to_frame = to_polars

    def to_pandas(self) -> pd.DataFrame:
        """The hits as a pandas frame (``values`` and ``points`` as lists of dicts)."""
        return self.hits.to_pandas()

    def counts(self) -> pl.DataFrame:
        """Hits per scanner and strength: scanner, weak, moderate, strong, total."""
        if not self.hits.height:
            return pl.DataFrame(
                schema={"scanner": pl.String, **dict.fromkeys(_STRENGTHS, pl.UInt32)}
            )
        wide = self.hits.pivot(
            "strength", index="scanner", values="symbol", aggregate_function="len"
        )
        for s in ("weak", "moderate", "strong"):
            if s not in wide.columns:
                wide = wide.with_columns(pl.lit(0, pl.UInt32).alias(s))
        wide = wide.with_columns(pl.col("weak", "moderate", "strong").fill_null(0))
        return wide.select(
            "scanner",
            "weak",
            "moderate",
            "strong",
            pl.sum_horizontal("weak", "moderate", "strong").alias("total"),
        ).sort("total", "scanner", descending=[True, False])

    def filter(self, *predicates: pl.Expr, **equal: str) -> ScanResult:
        """A copy keeping hits that match, e.g. ``result.filter(strength="strong")``."""
        return dataclasses.replace(self, hits=self.hits.filter(*predicates, **equal))

    def __repr__(self) -> str:
        span = f"{self.start} .. {self.end}" if self.start else "no bars"
        return (
            f"<ScanResult {self.hits.height} hits from {len(self.scanners)} scanner(s) over "
            f"{self.universe_size} symbols, {span}>"
        )

    def _repr_html_(self) -> str:
        esc = html.escape
        cols = [c for c in HIT_COLUMNS if c not in ("values", "points", "open", "high", "low")]
        shown = self.hits.head(_MAX_HTML_ROWS).select(cols)
        head = "".join(f"<th>{esc(c)}</th>" for c in cols)
        body = "".join(
            "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
            for row in shown.iter_rows()
        )
        more = (
            f"<p>… {self.hits.height - _MAX_HTML_ROWS} more hits: use .to_frame()</p>"
            if self.hits.height > _MAX_HTML_ROWS
            else ""
        )
        warn = (
            "<p style='color:#a15c00'><b>Synthetic data:</b> every company and number here "
            "is fictional.</p>"
            if self.is_synthetic
            else ""
        )
        total = self.timings.get("total")
        timing = f" in {total * 1000:,.0f} ms" if total is not None else ""
        return (
            f"<div><b>Scan</b>: {self.hits.height:,} hits from {len(self.scanners)} scanner(s) "
            f"over {self.universe_size:,} symbols{timing}<br><small>{esc(self.source)}</small>"
            f"{warn}<table><tr>{head}</tr>{body}</table>{more}</div>"
        )


_STRENGTHS: Final = ("weak", "moderate", "strong")


def _cell(value: Any) -> str:
    if value is None:
        return "<span style='color:#999'>—</span>"
    if isinstance(value, float):
        return f"{value:,.4g}"
    return html.escape(str(value))
