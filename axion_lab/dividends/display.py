"""How dividend results look in a notebook: compact HTML tables, money as dollars.

Columns ending in ``_cents`` are shown as dollars (``$1,234.56``), ``yield`` and
rate columns as percentages, dates as ISO text. Results call :func:`result_html`
from their ``_repr_html_``.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence

import polars as pl

from axion_lab.dividends.money import format_cents

__all__ = ["SYNTHETIC_NOTE", "cell_text", "frame_html", "result_html"]

SYNTHETIC_NOTE = (
    "Synthetic data: every company, ticker and number here is fictional; "
    "use it to try the tools, not to make decisions."
)
_PERCENT_HINTS = ("yield", "cagr", "growth", "rate", "payout", "cut_rate", "share")


def cell_text(column: str, value: object) -> str:
    """Text of one cell, formatted by its column name."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if column.endswith("_cents") and isinstance(value, int):
        return format_cents(value)
    if isinstance(value, float):
        if any(h in column for h in _PERCENT_HINTS) and "shares" not in column:
            return f"{value:.2%}"
        return f"{value:,.4f}" if abs(value) < 100 else f"{value:,.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def frame_html(frame: pl.DataFrame, *, max_rows: int = 15, caption: str = "") -> str:
    """An HTML table of the first ``max_rows`` rows, formatted by column name."""
    esc = html.escape
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td style='text-align:right'>{esc(cell_text(c, v))}</td>"
            for c, v in zip(frame.columns, row, strict=True)
        )
        + "</tr>"
        for row in frame.head(max_rows).iter_rows()
    )
    more = (
        f"<p style='margin:2px 0;color:#666'>… {frame.height - max_rows:,} more rows; "
        "see <code>to_frame()</code>.</p>"
        if frame.height > max_rows
        else ""
    )
    cap = f"<caption style='text-align:left'>{esc(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}"


def result_html(
    title: str,
    lines: Sequence[str],
    tables: Sequence[tuple[str, pl.DataFrame]],
    *,
    synthetic: bool = False,
    max_rows: int = 15,
) -> str:
    """A titled block: summary lines (plain text), then captioned tables."""
    esc = html.escape
    warning = (
        f"<p style='color:#9a6700;margin:4px 0'>⚠ {esc(SYNTHETIC_NOTE)}</p>" if synthetic else ""
    )
    body = "".join(f"<p style='margin:2px 0'>{esc(line)}</p>" for line in lines)
    tabs = "".join(frame_html(f, caption=c, max_rows=max_rows) for c, f in tables)
    return (
        f"<div class='axion-dividends'><p style='margin:4px 0'><b>{esc(title)}</b></p>"
        f"{warning}{body}{tabs}</div>"
    )
