"""``ScreenResult``: the matches of a screen, its funnel, timing and provenance.

A frozen object that renders itself in a notebook (``_repr_html_``) and converts at
the edge: :meth:`~ScreenResult.to_polars`, :meth:`~ScreenResult.to_pandas`,
:meth:`~ScreenResult.to_csv` and :meth:`~ScreenResult.to_excel`.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from axion_lab.fields import FIELD_REGISTRY

if TYPE_CHECKING:
    import pandas as pd

    from axion_lab.overview.plots import InlineFigure
    from axion_lab.screener.models import Screen

__all__ = ["FunnelStep", "ScreenResult"]

_MAX_HTML_ROWS = 25


@dataclass(frozen=True)
class FunnelStep:
    """One filter of the funnel: how many symbols passed it alone and cumulatively."""

    label: str
    passed: int
    """Symbols passing this filter and every filter before it."""
    alone: int
    """Symbols of the universe passing this filter on its own."""


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """List columns joined with ", " (CSV and Excel cannot hold lists)."""
    lists = [c for c, t in frame.schema.items() if isinstance(t, pl.List)]
    return frame.with_columns(pl.col(c).list.join(", ") for c in lists)


def _cell(value: Any, column: str) -> str:
    if value is None:
        return "<span style='color:#999'>—</span>"
    unit = FIELD_REGISTRY.get(column).unit if column in FIELD_REGISTRY else ""
    if isinstance(value, float):
        if unit == "fraction":
            return f"{value:.2%}"
        if unit == "money" and abs(value) >= 1e6:
            return f"{value / 1e9:,.2f}B" if abs(value) >= 1e9 else f"{value / 1e6:,.1f}M"
        return f"{value:,.2f}"
    if isinstance(value, list):
        return html.escape(", ".join(map(str, value)))
    return html.escape(str(value))


@dataclass(frozen=True, eq=False)
class ScreenResult:
    """What :meth:`ScreenerEngine.run` returns."""

    screen: Screen
    frame: pl.DataFrame
    """Matching rows with the requested columns, sorted and limited."""
    matched: int
    """Matches before ``limit``."""
    universe_size: int
    funnel: tuple[FunnelStep, ...]
    as_of: dt.date | None
    source: str
    """Where the data came from, e.g. ``'Sandbox: synthetic market ... as of 2024-06-28'``."""
    is_synthetic: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent per stage: ``snapshot``, ``filter``, ``total``."""

    def __len__(self) -> int:
        return self.frame.height

    @property
    def symbols(self) -> list[str]:
        """Matching symbols in result order."""
        return self.frame["symbol"].to_list()

    def to_polars(self) -> pl.DataFrame:
        """The matches as a polars frame."""
        return self.frame

    to_frame = to_polars

    def to_pandas(self) -> pd.DataFrame:
        """The matches as a pandas frame indexed by symbol."""
        return self.frame.to_pandas().set_index("symbol")

    def funnel_frame(self) -> pl.DataFrame:
        """The funnel as a frame: step, filter, passed, alone."""
        return pl.DataFrame(
            {
                "step": list(range(1, len(self.funnel) + 1)),
                "filter": [s.label for s in self.funnel],
                "passed": [s.passed for s in self.funnel],
                "alone": [s.alone for s in self.funnel],
            },
            schema={"step": pl.Int64, "filter": pl.String, "passed": pl.Int64, "alone": pl.Int64},
        )

    def plot_funnel(self) -> InlineFigure:
        """The funnel as horizontal bars (see :func:`~.result_plots.plot_funnel`)."""
        from axion_lab.screener.result_plots import plot_funnel

        return plot_funnel(self)

    def plot(self, x: str | None = None, y: str | None = None) -> InlineFigure:
        """The matches over two numeric columns (see :func:`~.result_plots.plot_matches`)."""
        from axion_lab.screener.result_plots import plot_matches

        return plot_matches(self, x, y)

    def to_csv(self, path: str | Path) -> Path:
        """Write the matches to CSV (list columns joined with commas); return the path."""
        out = Path(path)
        _flat(self.frame).write_csv(out)
        return out

    def to_excel(self, path: str | Path) -> Path:
        """Write matches, funnel and screen details to an .xlsx workbook (openpyxl)."""
        import pandas as pd

        out = Path(path)
        about = pd.DataFrame(
            {
                "item": ["screen", "universe", "as_of", "source", "matched", "universe_size"],
                "value": [
                    self.screen.name,
                    self.screen.universe.describe(),
                    self.as_of.isoformat() if self.as_of else "",
                    self.source,
                    str(self.matched),
                    str(self.universe_size),
                ],
            }
        )
        with pd.ExcelWriter(out, engine="openpyxl") as writer:
            _flat(self.frame).to_pandas().to_excel(writer, sheet_name="matches", index=False)
            self.funnel_frame().to_pandas().to_excel(writer, sheet_name="funnel", index=False)
            about.to_excel(writer, sheet_name="screen", index=False)
        return out

    def __repr__(self) -> str:
        when = self.as_of.isoformat() if self.as_of else "latest"
        return (
            f"<ScreenResult {self.screen.name!r}: {self.matched} of {self.universe_size} "
            f"match as of {when}; {self.source}>"
        )

    def _repr_html_(self) -> str:
        esc = html.escape
        when = self.as_of.isoformat() if self.as_of else "latest"
        warn = (
            "<p style='color:#a15c00'><b>Synthetic data:</b> every company and number here "
            "is fictional.</p>"
            if self.is_synthetic
            else ""
        )
        funnel = "".join(
            f"<tr><td>{i}</td><td>{esc(s.label)}</td><td style='text-align:right'>{s.passed:,}"
            f"</td><td style='text-align:right;color:#777'>{s.alone:,}</td></tr>"
            for i, s in enumerate(self.funnel, 1)
        )
        shown = self.frame.head(_MAX_HTML_ROWS)
        head = "".join(f"<th>{esc(c)}</th>" for c in shown.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{_cell(v, c)}</td>" for c, v in row.items()) + "</tr>"
            for row in shown.iter_rows(named=True)
        )
        more = (
            f"<p>… {self.frame.height - _MAX_HTML_ROWS} more rows: use .to_polars()</p>"
            if self.frame.height > _MAX_HTML_ROWS
            else ""
        )
        total = self.timings.get("total")
        timing = f" in {total * 1000:,.0f} ms" if total is not None else ""
        return (
            f"<div><b>{esc(self.screen.name)}</b>: {self.matched:,} of "
            f"{self.universe_size:,} ({esc(self.screen.universe.describe())}) as of {when}"
            f"{timing}<br><small>{esc(self.source)}</small>{warn}"
            "<details><summary>Funnel</summary><table><tr><th>#</th><th>filter</th>"
            f"<th>passed</th><th>alone</th></tr>{funnel}</table></details>"
            f"<table><tr>{head}</tr>{body}</table>{more}</div>"
        )
