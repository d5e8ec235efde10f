"""How a :class:`~axion_lab.overview.MarketOverview` looks in a notebook or report.

Formatting lives here, at the pandas edge: returns as signed percentages coloured
green/red, counts with thousands separators, one compact HTML summary.
"""

from __future__ import annotations

import html
import math
from collections.abc import Hashable
from typing import TYPE_CHECKING

import polars as pl

from axion_lab.exceptions import UnknownNameError
from axion_lab.overview.config import PERIOD_LABELS, TABLES

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

    from axion_lab.overview.models import MarketOverview

__all__ = ["SYNTHETIC_NOTE", "format_return", "styled", "summary_html"]

SYNTHETIC_NOTE = (
    "Synthetic data: every company, ticker and number here is fictional "
    "(generated offline); use it to try the tools, not to make decisions."
)
_UP, _DOWN = "#1a7f37", "#cf222e"


def format_return(value: object) -> str:
    """A decimal return as a signed percentage; ``None``/NaN as an en dash.

    Examples
    --------
    >>> format_return(0.01234), format_return(-0.5), format_return(None)
    ('+1.23%', '-50.00%', '–')
    """
    if not isinstance(value, float | int) or math.isnan(value):
        return "–"
    return f"{value:+.2%}"


def _colour(value: object) -> str:
    if not isinstance(value, float) or math.isnan(value):
        return ""
    return f"color: {_UP}" if value > 0 else f"color: {_DOWN}" if value < 0 else ""


def _performance(ov: MarketOverview) -> pl.DataFrame:
    ew = ov.returns_table("equal")
    cw = ov.returns_table("cap").drop("stocks")
    return ew.rename({p: f"EW {p}" for p in PERIOD_LABELS}).join(
        cw.rename({p: f"CW {p}" for p in PERIOD_LABELS}), on="group", maintain_order="left"
    )


def styled(ov: MarketOverview, table: str = "performance") -> Styler:
    """A pandas ``Styler`` of one table with readable headers and formats."""
    if table not in TABLES:
        raise UnknownNameError.for_name("overview table", table, TABLES)
    group_title = ov.group_by.capitalize()
    if table == "performance":
        frame = _performance(ov).rename({"group": group_title, "stocks": "Stocks"})
        returns: list[Hashable] = [c for c in frame.columns if c[:3] in ("EW ", "CW ")]
        caption = (
            f"Returns to {ov.as_of} (EW equal weight, CW cap weight; split-adjusted, price only)"
        )
    elif table in ("gainers", "losers"):
        frame = ov.to_frame(table).rename(
            {
                "symbol": "Symbol",
                "name": "Name",
                "group": group_title,
                "start_close": f"Close {ov.window_start}",
                "end_close": f"Close {ov.as_of}",
                "return": "Return",
            }
        )
        returns = ["Return"]
        caption = f"Top {table} from {ov.window_start} to {ov.as_of} (split-adjusted)"
    elif table == "breadth":
        frame = ov.breadth.tail(10).sort("date", descending=True)
        frame = frame.rename(
            {
                c: c.replace("pct_above_ma", "% above MA")
                if c.startswith("pct_above_ma")
                else c.replace("_", " ").capitalize().replace("Ad line", "A/D line")
                for c in frame.columns
            }
        )
        returns = []
        caption = "Breadth, last 10 sessions (% above MA: share of stocks above the average)"
    elif table == "universe":
        frame = ov.universe.rename({"dimension": "Dimension", "value": "Value", "count": "Count"})
        returns = []
        caption = f"Instruments in the universe ({ov.total_label})"
    else:  # cumulative: the last value of each line
        frame = (
            ov.cumulative.sort("date")
            .group_by("group", maintain_order=True)
            .last()
            .rename({"group": group_title, "cumulative_return": "Return", "date": "Date"})
        )
        returns = ["Return"]
        caption = f"Equal-weight return from {ov.window_start}"
    # Dates as ISO text: pandas would show them as midnight timestamps.
    pdf = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d")).to_pandas()
    floats: list[Hashable] = [
        c for c in pdf.columns if pdf[c].dtype.kind == "f" and c not in returns
    ]
    styler = (
        pdf.style.hide(axis="index")
        .format(format_return, subset=returns)
        .format("{:,.2f}", subset=floats, na_rep="–")
        .map(_colour, subset=returns)
        .set_caption(caption)
    )
    return styler


def _row(cells: list[str], tag: str = "td") -> str:
    return "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>"


def summary_html(ov: MarketOverview) -> str:
    """A compact HTML summary: headline, warning, equal-weight returns, movers, breadth."""
    esc = html.escape
    ew = ov.returns_table("equal")
    head = _row([esc(ov.group_by.capitalize()), "Stocks", *PERIOD_LABELS], "th")
    body = "".join(
        _row(
            [
                f"<b>{esc(r['group'])}</b>" if r["group"] == ov.total_label else esc(r["group"]),
                str(r["stocks"]),
                *(
                    f"<span style='{_colour(r[p])}'>{format_return(r[p])}</span>"
                    for p in PERIOD_LABELS
                ),
            ]
        )
        for r in ew.iter_rows(named=True)
    )
    movers, losers = (
        " · ".join(
            f"{esc(r['symbol'])} {format_return(r['return'])}"
            for r in frame.head(3).iter_rows(named=True)
        )
        for frame in (ov.gainers, ov.losers)
    )
    last = ov.breadth.tail(1).row(0, named=True) if ov.breadth.height else {}
    breadth = ""
    if last:
        above = [
            f"{c.removeprefix('pct_above_ma')}d MA {last[c]:.0f}%"
            for c in ov.breadth.columns
            if c.startswith("pct_above_ma") and last[c] is not None
        ]
        breadth = (
            f"<p style='margin:4px 0'>Breadth on {last['date']}: {last['advancers']} up, "
            f"{last['decliners']} down; above {', '.join(above) or 'MA: n/a'}; "
            f"{last['new_highs']} new highs, {last['new_lows']} new lows.</p>"
        )
    warning = (
        f"<p style='color:#9a6700;margin:4px 0'>⚠ {esc(SYNTHETIC_NOTE)}</p>"
        if ov.is_synthetic
        else ""
    )
    return (
        "<div class='axion-overview'>"
        f"<p style='margin:4px 0'><b>{esc(ov.title)}</b> · {ov.stocks:,} stocks · "
        f"window {ov.window_start}..{ov.as_of} · {esc(ov.data_label)}</p>{warning}"
        f"<table><caption style='text-align:left'>Equal-weight returns</caption>"
        f"<thead>{head}</thead><tbody>{body}</tbody></table>"
        f"<p style='margin:4px 0'>Top gainers: {movers or '–'}<br>Top losers: {losers or '–'}</p>"
        f"{breadth}</div>"
    )
