"""HTML for the signal result objects: a title, a note and a capped table.

Money columns (``*_cents``) are shown as dollars; everything is escaped.

Examples
--------
>>> import polars as pl
>>> html = html_table(pl.DataFrame({"symbol": ["A"], "entry_cents": [12345]}), title="T")
>>> "$123.45" in html and "<b>T</b>" in html
True
"""

from __future__ import annotations

import html
from typing import Any

import polars as pl

from axion_lab.signals.money import format_cents

__all__ = ["html_table"]

_MAX_ROWS = 25


def _cell(value: Any, column: str) -> str:
    if value is None:
        return "<span style='color:#999'>—</span>"
    if column.endswith("_cents") and isinstance(value, int):
        return format_cents(value)
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.2f}"
    if isinstance(value, list | tuple):
        return html.escape("; ".join(map(str, value)))
    return html.escape(str(value))


def html_table(
    frame: pl.DataFrame, *, title: str, note: str = "", max_rows: int = _MAX_ROWS
) -> str:
    """A titled HTML table of the first ``max_rows`` rows of ``frame``."""
    shown = frame.head(max_rows)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in shown.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(v, c)}</td>" for c, v in row.items()) + "</tr>"
        for row in shown.iter_rows(named=True)
    )
    more = (
        f"<p>… {frame.height - max_rows} more rows: use .to_frame()</p>"
        if frame.height > max_rows
        else ""
    )
    small = f"<br><small>{html.escape(note)}</small>" if note else ""
    return (
        f"<div><b>{html.escape(title)}</b>{small}<table><tr>{head}</tr>{body}</table>{more}</div>"
    )
