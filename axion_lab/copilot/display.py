"""Stream an answer into a notebook cell: the text grows as it arrives, then the result.

Examples
--------
>>> from axion_lab.copilot import CopilotConfig, CopilotEngine
>>> from axion_lab.copilot.display import stream_to_cell
>>> import contextlib, io
>>> engine = CopilotEngine(CopilotConfig(offline=True))
>>> with contextlib.redirect_stdout(io.StringIO()):  # in a notebook the text streams into the cell
...     response = stream_to_cell(engine.stream("Market?"))
>>> response.offline
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from axion_lab.copilot.engine import AnswerStream
    from axion_lab.copilot.models import AnalysisResponse

__all__ = ["stream_to_cell"]


def stream_to_cell(stream: AnswerStream) -> AnalysisResponse:
    """Show ``stream``'s text in the cell as it arrives, then the checked response.

    Outside IPython (a plain script) it only consumes the stream.
    """
    from IPython import get_ipython
    from IPython.display import Markdown, display

    if get_ipython() is None:
        for _ in stream:
            pass
        return stream.response
    handle = display(Markdown("*Thinking…*"), display_id=True)  # type: ignore[no-untyped-call]
    parts: list[str] = []
    for delta in stream:
        parts.append(delta)
        if handle is not None:
            handle.update(Markdown("".join(parts)))  # type: ignore[no-untyped-call]
    response = stream.response
    if handle is not None:
        handle.update(response)
    return response
