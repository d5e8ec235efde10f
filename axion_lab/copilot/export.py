"""A session as a report notebook: the conversation, tool results as tables, ideas.

The notebook needs no kernel to read: questions and answers are Markdown cells,
tool results are HTML tables in Markdown cells, and a closing cell lists the usage
and its estimated cost. ``html=True`` also writes an HTML page beside it with
nbconvert.

Examples
--------
>>> import tempfile, pathlib
>>> from axion_lab.copilot.models import CopilotSession
>>> from axion_lab.copilot.export import session_to_notebook
>>> path = session_to_notebook(CopilotSession(title="Empty"),
...                            pathlib.Path(tempfile.mkdtemp()) / "s.ipynb")
>>> path.suffix
'.ipynb'
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from axion_lab.copilot.render import idea_card, tool_call_html
from axion_lab.exceptions import CopilotError

if TYPE_CHECKING:
    from axion_lab.copilot.models import CopilotSession

__all__ = ["session_to_notebook"]

# The engine's notice summarising flagged numbers; the flagged list says it in full.
_NOT_SUPPORTED = "are not supported by the tool results"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" for line in text.splitlines()) or ">"


def session_to_notebook(session: CopilotSession, path: str | Path, *, html: bool = False) -> Path:
    """Write ``session`` as an ``.ipynb`` report at ``path``; return the path.

    With ``html`` an ``.html`` file is written beside it (nbconvert, no execution).
    """
    import nbformat

    out = Path(path)
    if out.suffix != ".ipynb":
        raise CopilotError(f"A notebook report needs an .ipynb path, got {out.name!r}.")
    nb: Any = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cells = nb.cells
    md = cast("Callable[[str], Any]", nbformat.v4.new_markdown_cell)
    profile = (
        f"Risk tolerance **{session.risk_tolerance.value}**, style **{session.style.value}**"
        + (f", model `{session.model}`" if session.model else "")
        + "."
    )
    if not session.portfolio.is_empty:
        holdings = ", ".join(f"{h['symbol']} {h['weight']:g}" for h in session.portfolio.holdings())
        profile += f" Portfolio: {holdings}."
    cells.append(md(f"# {session.title}\n\n{profile}\n\nSession `{session.id}`."))
    by_id = {c.id: c for c in session.tool_calls}
    for n, answer in enumerate(session.answers, start=1):
        cells.append(md(f"## Question {n}\n\n{_quote(answer.question)}"))
        label = "*Offline: no language model was used.*\n\n" if answer.offline else ""
        cells.append(md(f"### Answer\n\n{label}{answer.text}"))
        if answer.flagged or answer.notices:
            items = [f"- ⚠ unsupported number: {f}" for f in answer.flagged]
            items += [f"- {x}" for x in answer.notices if _NOT_SUPPORTED not in x]
            cells.append(md("### Checks\n\n" + "\n".join(items)))
        steps = [by_id[i] for i in answer.tool_call_ids if i in by_id]
        if steps:
            cells.append(md("### Tool results\n\n" + "\n".join(tool_call_html(s) for s in steps)))
    if session.ideas:
        cells.append(md("## Trade ideas\n\n" + "\n".join(idea_card(i) for i in session.ideas)))
    cost = session.cost_usd
    cells.append(
        md(
            "## Usage\n\n"
            f"{session.usage.requests} model call(s), {session.usage.input_tokens:,} input "
            f"tokens ({session.usage.cache_read_input_tokens:,} read from the prompt cache), "
            f"{session.usage.output_tokens:,} output tokens"
            + (f"; estimated cost ${cost:.4f} (list prices, an estimate)." if cost else ".")
        )
    )
    for i, cell in enumerate(cells):
        cell.id = f"copilot-{i}"
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(out))  # type: ignore[no-untyped-call]
    if html:
        _write_html(nb, out.with_suffix(".html"), session.title)
    return out


def _write_html(nb: Any, path: Path, title: str) -> None:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter()  # type: ignore[no-untyped-call]
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    path.write_text(str(body), encoding="utf-8")
