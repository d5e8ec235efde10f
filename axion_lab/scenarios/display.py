"""How scenario results show themselves: tables, HTML, report metadata.

Every result is a frozen dataclass deriving from :class:`ResultBase`: it names its
tables in ``TABLES`` and builds them in ``_table``; ``to_frame``/``to_pandas``
return them, ``_repr_html_`` renders a headline and the main tables. Columns
ending in ``_cents`` are shown as dollars; those listed in ``PERCENT`` as
percentages.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any, ClassVar

import polars as pl

from axion_lab.exceptions import UnknownNameError
from axion_lab.scenarios.money import format_cents

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PERCENT", "ResultBase", "format_cell", "html_table"]

PERCENT = frozenset(
    {
        "weight",
        "weight_before",
        "weight_after",
        "weight_change",
        "impact",
        "shock",
        "market",
        "sector",
        "factors",
        "rates",
        "credit",
        "single_name",
        "floor",
        "return",
        "total_return",
        "cagr",
        "volatility",
        "max_drawdown",
        "turnover",
        "dividend_yield",
        "largest_weight",
        "probability",
        "move",
        "documented_move",
        "target_weight",
        "annual_return",
        "model",
        "actual",
        "before",
        "after",
        "change",
        "market_shock",
        "contribution",
        "worst_impact",
        "achieved",
        "loss",
        "drawdown",
    }
)
_SYNTHETIC = (
    "Synthetic data: every company, ticker and number here is fictional; use it to try "
    "the tools, not to make decisions."
)


def format_cell(column: str, value: object) -> str:
    """One cell as text: cents as dollars, fractions in PERCENT as percentages."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if column.endswith("_cents") and isinstance(value, int | float):
        return format_cents(int(value))
    if column in PERCENT and isinstance(value, int | float):
        return (
            f"{value:+.2%}" if column in ("impact", "change", "weight_change") else f"{value:.2%}"
        )
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def html_table(frame: pl.DataFrame, *, caption: str = "", max_rows: int = 30) -> str:
    """A compact HTML table of ``frame`` (first ``max_rows`` rows)."""
    head = "".join(f"<th>{html.escape(c.removesuffix('_cents'))}</th>" for c in frame.columns)
    body = []
    for row in frame.head(max_rows).iter_rows(named=True):
        cells = "".join(
            f"<td style='text-align:{'left' if isinstance(v, str) else 'right'}'>"
            f"{html.escape(format_cell(c, v))}</td>"
            for c, v in row.items()
        )
        body.append(f"<tr>{cells}</tr>")
    more = (
        f"<tr><td colspan='{len(frame.columns)}'>… {frame.height - max_rows} more rows</td></tr>"
        if frame.height > max_rows
        else ""
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}{more}</tbody></table>"


class ResultBase:
    """Tables, pandas conversion and HTML for a frozen result dataclass."""

    TABLES: ClassVar[tuple[str, ...]] = ()
    KIND: ClassVar[str] = "result"
    data_label: str
    is_synthetic: bool

    def _table(self, name: str) -> pl.DataFrame:
        frame: pl.DataFrame = getattr(self, name)
        return frame

    def to_frame(self, table: str | None = None) -> pl.DataFrame:
        """One of the result's tables as a polars frame (default: the first)."""
        name = table or self.TABLES[0]
        if name not in self.TABLES:
            raise UnknownNameError.for_name(f"{self.KIND} table", name, self.TABLES)
        return self._table(name)

    def to_pandas(self, table: str | None = None) -> pd.DataFrame:
        """One of the result's tables as a pandas frame (money columns stay cents)."""
        return self.to_frame(table).to_pandas()

    def headline(self) -> str:
        """One line saying what the result is."""
        return self.KIND

    def _html_tables(self) -> list[str]:
        return [html_table(self.to_frame(self.TABLES[0]), caption=self.TABLES[0])]

    def _repr_html_(self) -> str:
        note = (
            f"<p style='color:#a15c00;font-size:smaller'>{_SYNTHETIC}</p>"
            if self.is_synthetic
            else ""
        )
        parts = "".join(self._html_tables())
        return f"<div><p><b>{html.escape(self.headline())}</b></p>{parts}{note}</div>"

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, str], dict[str, Any]]:
        # Report headers read the data provenance from this metadata.
        data = {"text/html": self._repr_html_(), "text/plain": repr(self)}
        meta = {"axion_lab": {"data_label": self.data_label, "is_synthetic": self.is_synthetic}}
        return data, meta
