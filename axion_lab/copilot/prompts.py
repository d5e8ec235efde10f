"""Prompts from Jinja2 templates in ``templates/prompts/``, and the number formats they use.

The system prompt is two blocks: the fixed instructions (``system.md.j2``) and the
session context (``context.md.j2``: data, profile, portfolio, tools). With prompt
caching on, the last system block carries ``cache_control``, so the API caches the
prefix of tools plus system prompt across the turns of a tool loop and across
questions of a session; only the messages after it are processed afresh.

Number formats (``pct``, ``money``, ``num``) render values the way the number
checker reads them back, so offline answers verify by construction.

Examples
--------
>>> from axion_lab.copilot.prompts import money, pct, num
>>> pct(0.23456), pct(-0.0321, 2), money(1_234_000_000), money(12.5), num(14.237)
('23.5%', '-3.21%', '$1.23bn', '$12.50', '14.24')
>>> pct(None)
'n/a'
"""

from __future__ import annotations

import math
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from axion_lab.copilot.config import CopilotConfig
from axion_lab.exceptions import CopilotError

if TYPE_CHECKING:
    import jinja2

    from axion_lab.copilot.models import AnalysisRequest, MarketContext, PortfolioContext

__all__ = ["PromptBuilder", "money", "num", "pct", "prompts_dir"]

_REPO_ROOT: Final = Path(__file__).resolve().parents[2]
_MISSING: Final = "n/a"


def prompts_dir() -> Path:
    """The folder of prompt templates (the repository's ``templates/prompts``)."""
    folder = _REPO_ROOT / "templates" / "prompts"
    if not (folder / "system.md.j2").is_file():
        raise CopilotError(
            f"The copilot's prompt templates are missing from {folder}; install from a "
            "checkout with `pip install -e .` or pass PromptBuilder(templates=...)."
        )
    return folder


def _finite(value: Any) -> float | None:
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def pct(value: Any, decimals: int = 1) -> str:
    """A fraction as a percent: ``0.23456`` -> ``'23.5%'``; missing -> ``'n/a'``."""
    x = _finite(value)
    return _MISSING if x is None else f"{x * 100:.{decimals}f}%"


def money(value: Any, decimals: int = 2) -> str:
    """An amount in dollars with a k/m/bn/tn suffix from a thousand up."""
    x = _finite(value)
    if x is None:
        return _MISSING
    sign = "-" if x < 0 else ""
    a = abs(x)
    for scale, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if a >= scale:
            return f"{sign}${a / scale:.{decimals}f}{suffix}"
    return f"{sign}${a:.{decimals}f}"


def num(value: Any, decimals: int = 2) -> str:
    """A plain number with thousands separators."""
    x = _finite(value)
    return _MISSING if x is None else f"{x:,.{decimals}f}"


class PromptBuilder:
    """Renders the copilot's prompts from templates.

    Parameters
    ----------
    templates
        The template folder; default :func:`prompts_dir`.
    """

    def __init__(self, templates: str | Path | None = None) -> None:
        self.templates = Path(templates) if templates is not None else prompts_dir()

    @cached_property
    def env(self) -> jinja2.Environment:
        """The Jinja2 environment (strict: an undefined name is an error)."""
        import jinja2

        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.templates)),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=False,  # noqa: S701 - Markdown for a model, never served as HTML
        )
        env.filters.update(pct=pct, money=money, num=num)
        return env

    def render(self, name: str, **values: Any) -> str:
        """Render template ``name`` with ``values``."""
        import jinja2

        try:
            return self.env.get_template(name).render(**values).strip() + "\n"
        except jinja2.TemplateNotFound as exc:
            raise CopilotError(f"No prompt template {name!r} in {self.templates}.") from exc
        except jinja2.UndefinedError as exc:
            raise CopilotError(f"Prompt template {name!r} needs a value: {exc}") from exc

    def system(
        self,
        config: CopilotConfig,
        market: MarketContext,
        portfolio: PortfolioContext | None,
        *,
        tools: list[str],
        pending: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """The system prompt as text blocks; the last is a cache breakpoint if enabled."""
        values = {
            "market": market,
            "risk_tolerance": config.risk_tolerance,
            "style": config.style,
            "portfolio": portfolio,
            "tools": tools,
            "pending": pending or [],
        }
        blocks: list[dict[str, Any]] = [
            {"type": "text", "text": self.render("system.md.j2", **values)},
            {"type": "text", "text": self.render("context.md.j2", **values)},
        ]
        if config.prompt_caching:
            blocks[-1]["cache_control"] = {"type": "ephemeral"}
        return blocks

    def user(self, request: AnalysisRequest) -> str:
        """The user turn for ``request``."""
        return self.render("request.md.j2", request=request)
