"""HTML for the copilot's records: one renderer each, shared by cells, the panel and reports.

Examples
--------
>>> from axion_lab.copilot.render import table_html
>>> table_html([{"symbol": "ACME", "price": 12.5}]).count("<tr>")
2
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from axion_lab.copilot.ideas import TradeIdea
    from axion_lab.copilot.models import AnalysisResponse, CopilotSession, ToolCallRecord

__all__ = [
    "idea_card",
    "markdown_html",
    "response_html",
    "session_html",
    "table_html",
    "tool_call_html",
]


def _cell(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return f"<td>{'' if value is None else value}</td>"
    if isinstance(value, float):
        text = f"{value:.6g}" if math.isfinite(value) else ""
        return f"<td style='text-align:right'>{text}</td>"
    if isinstance(value, int):
        return f"<td style='text-align:right'>{value}</td>"
    if isinstance(value, list | tuple):
        return f"<td>{html.escape(', '.join(map(str, value)))}</td>"
    return f"<td>{html.escape(str(value))}</td>"


def table_html(rows: Sequence[dict[str, Any]], max_rows: int = 50) -> str:
    """A plain HTML table of ``rows`` (dicts sharing keys), at most ``max_rows`` shown."""
    if not rows:
        return "<p><i>no rows</i></p>"
    cols = list(rows[0])
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(_cell(r.get(c)) for c in cols) + "</tr>" for r in rows[:max_rows]
    )
    more = f"<p><i>{len(rows) - max_rows} more rows</i></p>" if len(rows) > max_rows else ""
    return (
        f"<table class='axion-table'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        + more
    )


def markdown_html(text: str) -> str:
    """Markdown to HTML when ``markdown-it-py`` is installed, else escaped preformatted text."""
    try:
        from markdown_it import MarkdownIt
    except ImportError:  # the plain rendering is still readable
        return f"<pre style='white-space:pre-wrap'>{html.escape(text)}</pre>"
    rendered: str = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    return rendered


def tool_call_html(record: ToolCallRecord) -> str:
    """A tool call as an expandable step: id, tool, parameters, source, as-of and data."""
    import json

    params = html.escape(json.dumps(record.parameters, default=str))
    when = f", as of {record.as_of.isoformat()}" if record.as_of else ""
    head = f"<b>[{record.id}]</b> <code>{html.escape(record.tool)}</code>({params})"
    if record.is_error:
        body = f"<p style='color:#b00020'>{html.escape(record.error or '')}</p>"
    else:
        facts = {k: v for k, v in record.data.items() if not isinstance(v, dict | list)}
        body = (
            f"<p>{html.escape(record.summary)}<br><small>source: "
            f"{html.escape(record.source or 'n/a')}{when}</small></p>"
            + (table_html([facts]) if facts else "")
            + (table_html(list(record.rows)) if record.rows else "")
        )
    return f"<details><summary>{head}</summary>{body}</details>"


def idea_card(idea: TradeIdea) -> str:
    """A trade idea as a card, warnings in amber."""
    colour = "#1b7f3b" if idea.direction.value == "long" else "#b00020"
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in idea.warnings)
    return (
        "<div style='border:1px solid #ccc;border-radius:6px;padding:8px;margin:4px 0'>"
        f"<b style='color:{colour}'>{idea.direction.value.upper()} {html.escape(idea.symbol)}</b>"
        f" &middot; risk {idea.risk_score}/100 &middot; {html.escape(idea.horizon.label)}<br>"
        f"entry {idea.entry:g} &middot; target {idea.target:g} &middot; stop {idea.stop:g}"
        f" &middot; reward/risk {idea.reward_to_risk:g}<br>"
        f"<p>{html.escape(idea.thesis)}</p>"
        f"<small>supported by {html.escape(', '.join(idea.supporting) or 'nothing cited')}; "
        "advice only, nothing is executed</small>"
        + (f"<ul style='color:#a15c00'>{warnings}</ul>" if warnings else "")
        + "</div>"
    )


def response_html(response: AnalysisResponse) -> str:
    """An answer: the text, its notices and number check, steps and ideas."""
    label = (
        "<p><b>Offline: no language model was used.</b></p>"
        if response.offline
        else f"<p><small>model {html.escape(response.model)}</small></p>"
    )
    notices = "".join(f"<p style='color:#a15c00'>⚠ {html.escape(n)}</p>" for n in response.notices)
    steps = "".join(tool_call_html(c) for c in response.tool_calls)
    ideas = "".join(idea_card(i) for i in response.ideas)
    return (
        f"<div>{label}{markdown_html(response.check.annotate(response.text))}{notices}"
        f"{response.check._repr_html_()}"
        + (f"<h4>Steps</h4>{steps}" if steps else "")
        + (f"<h4>Ideas</h4>{ideas}" if ideas else "")
        + "</div>"
    )


def session_html(session: CopilotSession) -> str:
    """A one-paragraph summary of a session."""
    cost = session.cost_usd
    spend = f", about ${cost:.4f} (estimate)" if cost is not None else ""
    return (
        f"<div><b>{html.escape(session.title)}</b> ({session.id[:8]}): "
        f"{len(session.answers)} answer(s), {len(session.tool_calls)} tool call(s), "
        f"{len(session.ideas)} idea(s); {session.usage.input_tokens:,} input and "
        f"{session.usage.output_tokens:,} output tokens{spend}.</div>"
    )
