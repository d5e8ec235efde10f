"""The number checker: every figure in an answer must come from a cited tool result.

:func:`extract_numbers` finds the numbers in a text: percents (``23.5%``, ``4 pp``,
``15 bps``), currency (``$1,234.50``), plain numbers, multiples (``1.5x``), with
``k``/``m``/``bn``/``tn`` (or ``thousand``/``million``/``billion``/``trillion``)
suffixes, negatives (``-3.2%``, ``−3.2%``) and thousands separators. Years
(1900-2100 written bare), dates (``2024-06-28``, ``06/28/2024``, ``June 28, 2024``),
citation ids (``[T3]``), identifiers (``rsi_14``, ``Q2``, ``FY2024``), durations that
label a figure (``52-week``, ``3 months``, ``RSI(14)``) and list markers (``1.`` at a
line start) are not numbers to check.

:func:`check_answer` compares each number with the numbers of the tool results
cited in the same sentence (``[T1]``, ``[T1, T3]``), else in the same paragraph.
A number matches a result value when it is that value **as rendered**: a number
written with ``d`` decimals matches anything within half a unit of its last digit,
scaled by its suffix, so ``23.5%`` matches a fraction ``0.23456`` and ``$1.2bn``
matches ``1_234_000_000``. A percent matches a fraction (x 100) or a value already
on a 0-100 scale. An unsigned number also matches a negative value ("fell 3.2%"
for ``-0.032``).

Each number gets a status: ``verified`` (in a cited result), ``uncited`` (in some
result, but its sentence cites another or none) or ``unsupported`` (in no result).
The last two are **flagged** and shown to the user.

Examples
--------
>>> from axion_lab.copilot.checker import check_answer, extract_numbers
>>> [m.value for m in extract_numbers("Revenue rose 12.5% to $1.2bn in 2024 [T1].")]
[12.5, 1200000000.0]
>>> from axion_lab.copilot.models import ToolCallRecord
>>> t1 = ToolCallRecord(id="T1", tool="get_quote", parameters={}, summary="",
...                     data={"growth": 0.12456, "revenue": 1_234_000_000.0})
>>> report = check_answer("Revenue rose 12.5% to $1.2bn [T1], margin 41% [T1].", [t1])
>>> [(m.text, m.status) for m in report.mentions]
[('12.5%', 'verified'), ('$1.2bn', 'verified'), ('41%', 'unsupported')]
"""

from __future__ import annotations

import dataclasses
import html
import math
import re
from collections.abc import Iterable, Sequence
from typing import Final, Literal

import polars as pl

from axion_lab.copilot.models import ToolCallRecord

__all__ = [
    "CITATION",
    "CheckReport",
    "NumberCheck",
    "NumberMention",
    "check_answer",
    "citations_in",
    "extract_numbers",
]

Status = Literal["verified", "uncited", "unsupported"]
Kind = Literal["percent", "bps", "currency", "multiple", "plain"]

CITATION: Final = re.compile(r"\[\s*(T\d+(?:\s*[,;]\s*T\d+)*)\s*\]")
_ID: Final = re.compile(r"T\d+")

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATES: Final = re.compile(
    r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\b"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    rf"|\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}(?:,?\s+\d{{4}})?\b"
    rf"|\b{_MONTHS}\s+\d{{4}}\b"
)
# Durations label a figure ("52-week high", "3 months", "RSI(14)"); they are not data.
_DURATIONS: Final = re.compile(
    r"\b\d+(?:-|\s)(?:trading\s)?(?:day|week|month|year|session|quarter)s?\b"
    r"|(?<=[A-Za-z])\(\d+(?:,\s?\d+)*\)"
)
_LIST_MARKER: Final = re.compile(r"^[ \t>]*(?:[-*+][ \t]+)?\d+[.)](?=\s)", re.MULTILINE)

_SCALES: Final = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mm": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trillion": 1e12,
}
_NUMBER: Final = re.compile(
    r"(?<![\w.,/$€£])"
    r"(?P<sign>[-−–+](?=[$€£]?\d|\.\d))?"
    r"(?P<cur>[$€£])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<unit>\s?(?:%|percent\b|per\s?cent\b|pp\b|bps\b|bp\b|basis points\b)"
    r"|[x×](?![\w])"
    r"|\s?(?:thousand|million|billion|trillion)\b"
    r"|\s?(?:k|K|m|M|mn|mm|bn|B|b|tn|T|t)\b)?"
)
# A sign must follow a space, an opening bracket or the start, so "10-20" is a range.
_SIGN_OK: Final = re.compile(r"(?:^|[\s(:=])$")


@dataclasses.dataclass(frozen=True)
class NumberMention:
    """A number found in a text, with how it was written."""

    text: str
    start: int
    end: int
    value: float
    kind: Kind
    decimals: int
    scale: float
    signed: bool

    @property
    def half_unit(self) -> float:
        """Half of the last written digit's unit, in the mention's value units."""
        return 0.5 * 10.0 ** (-self.decimals) * self.scale


@dataclasses.dataclass(frozen=True)
class NumberCheck:
    """A mention, the citations it was checked against, and the verdict."""

    mention: NumberMention
    cited: tuple[str, ...]
    status: Status
    found_in: tuple[str, ...]

    @property
    def text(self) -> str:
        """The number as written."""
        return self.mention.text

    @property
    def flagged(self) -> bool:
        """True unless a cited tool result supports the number."""
        return self.status != "verified"

    @property
    def reason(self) -> str:
        """Why the number is flagged (empty when verified)."""
        if self.status == "verified":
            return ""
        if self.status == "uncited":
            where = ", ".join(self.found_in)
            cited = ", ".join(self.cited) or "no tool result"
            return f"appears in {where} but the sentence cites {cited}"
        cited = ", ".join(self.cited)
        return f"not in the cited results ({cited})" if cited else "cites no tool result"


@dataclasses.dataclass(frozen=True)
class CheckReport:
    """The verdict on every number of an answer."""

    mentions: tuple[NumberCheck, ...]
    unknown_citations: tuple[str, ...] = ()

    @property
    def flagged(self) -> list[NumberCheck]:
        """The numbers no cited tool result supports."""
        return [m for m in self.mentions if m.flagged]

    @property
    def ok(self) -> bool:
        """True when every number is verified and every citation exists."""
        return not self.flagged and not self.unknown_citations

    def summary(self) -> str:
        """One line: how many numbers were checked and flagged."""
        n, bad = len(self.mentions), len(self.flagged)
        text = f"{n} number{'s' * (n != 1)} checked, {bad} flagged"
        if self.unknown_citations:
            text += f"; unknown citations: {', '.join(self.unknown_citations)}"
        return text + "."

    def to_frame(self) -> pl.DataFrame:
        """One row per number: text, value, kind, cited, status, reason."""
        return pl.DataFrame(
            {
                "text": [m.text for m in self.mentions],
                "value": [m.mention.value for m in self.mentions],
                "kind": [m.mention.kind for m in self.mentions],
                "cited": [", ".join(m.cited) for m in self.mentions],
                "status": [m.status for m in self.mentions],
                "reason": [m.reason for m in self.mentions],
            },
            schema={
                "text": pl.String,
                "value": pl.Float64,
                "kind": pl.String,
                "cited": pl.String,
                "status": pl.String,
                "reason": pl.String,
            },
        )

    def annotate(self, text: str, marker: str = "⚠") -> str:
        """``text`` with ``marker`` after every flagged number."""
        out = text
        for m in sorted(self.flagged, key=lambda c: c.mention.end, reverse=True):
            out = out[: m.mention.end] + marker + out[m.mention.end :]
        return out

    def _repr_html_(self) -> str:
        if not self.flagged:
            return f"<p>✔ {html.escape(self.summary())}</p>"
        items = "".join(
            f"<li><b>{html.escape(m.text)}</b>: {html.escape(m.reason)}</li>" for m in self.flagged
        )
        return (
            f"<div style='color:#a15c00'><b>⚠ {html.escape(self.summary())}</b>"
            f"<ul>{items}</ul></div>"
        )


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _is_year(m: re.Match[str]) -> bool:
    num = m.group("num")
    return (
        m.group("unit") is None
        and m.group("cur") is None
        and m.group("sign") is None
        and len(num) == 4
        and num.isdigit()
        and 1900 <= int(num) <= 2100
    )


def extract_numbers(text: str) -> list[NumberMention]:
    """The numbers of ``text`` to check, in order (see the module docstring)."""
    masked = _blank(text, (m.span() for m in CITATION.finditer(text)))
    masked = _blank(masked, (m.span() for m in _DATES.finditer(masked)))
    masked = _blank(masked, (m.span() for m in _DURATIONS.finditer(masked)))
    masked = _blank(masked, (m.span() for m in _LIST_MARKER.finditer(masked)))
    out: list[NumberMention] = []
    for m in _NUMBER.finditer(masked):
        if _is_year(m):
            continue
        sign = m.group("sign")
        if sign and not _SIGN_OK.search(masked[: m.start()]):
            sign = None
        num = m.group("num")
        decimals = len(num.split(".", 1)[1]) if "." in num else 0
        unit = (m.group("unit") or "").strip().lower()
        scale = 1.0
        kind: Kind = "currency" if m.group("cur") else "plain"
        if unit in ("%", "pp") or unit.startswith("per"):
            kind = "percent"
        elif unit in ("bps", "bp", "basis points"):
            kind = "bps"
        elif unit in ("x", "×"):
            kind = "multiple"
        elif unit:
            scale = _SCALES[unit]
        value = float(num.replace(",", "")) * scale
        if sign in ("-", "−", "–"):
            value = -value
        start = m.start() if sign else m.start("cur") if m.group("cur") else m.start("num")
        out.append(
            NumberMention(
                text=text[start : m.end()].strip(),
                start=start,
                end=m.end(),
                value=value,
                kind=kind,
                decimals=decimals,
                scale=scale,
                signed=sign is not None,
            )
        )
    return out


def citations_in(text: str) -> list[str]:
    """Tool result ids cited in ``text`` (``[T1]``, ``[T1, T2]``), in order, unique."""
    ids = [i for m in CITATION.finditer(text) for i in _ID.findall(m.group(1))]
    return list(dict.fromkeys(ids))


def _matches(mention: NumberMention, values: Sequence[float]) -> bool:
    tol = mention.half_unit * (1 + 1e-9) + 1e-12
    targets = [mention.value]
    if mention.kind == "percent":
        targets = [mention.value / 100, mention.value]
        tols = [tol / 100, tol]
    elif mention.kind == "bps":
        targets = [mention.value / 10_000, mention.value]
        tols = [tol / 10_000, tol]
    else:
        tols = [tol]
    for x in values:
        for target, t in zip(targets, tols, strict=True):
            if abs(x - target) <= t or (not mention.signed and abs(abs(x) - target) <= t):
                return True
    return False


def _segments(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, paragraph)`` of every sentence; lines and table rows split too."""
    out: list[tuple[int, int, int]] = []
    para = 0
    pos = 0
    for line in text.splitlines(keepends=True):
        if not line.strip():
            para += 1
        start = pos
        for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z*#(\[-])", line):
            out.append((start, pos + m.start(), para))
            start = pos + m.end()
        out.append((start, pos + len(line), para))
        pos += len(line)
    return out


def check_answer(text: str, records: Sequence[ToolCallRecord]) -> CheckReport:
    """Check every number of ``text`` against the cited ``records`` (see module docs)."""
    by_id = {r.id: r for r in records if not r.is_error}
    numbers = {rid: [v for v in r.numbers() if math.isfinite(v)] for rid, r in by_id.items()}
    cited_all = citations_in(text)
    known = {r.id for r in records}
    unknown = tuple(c for c in cited_all if c not in known)
    segments = _segments(text)
    para_cites: dict[int, list[str]] = {}
    seg_cites: list[list[str]] = []
    for a, b, para in segments:
        cites = citations_in(text[a:b])
        seg_cites.append(cites)
        para_cites.setdefault(para, []).extend(cites)
    checks: list[NumberCheck] = []
    for mention in extract_numbers(text):
        idx = next(
            (i for i, (a, b, _) in enumerate(segments) if a <= mention.start < b),
            len(segments) - 1,
        )
        cited = seg_cites[idx] if idx >= 0 and seg_cites[idx] else []
        if not cited and idx >= 0:
            cited = list(dict.fromkeys(para_cites.get(segments[idx][2], [])))
        hits = tuple(rid for rid in cited if rid in numbers and _matches(mention, numbers[rid]))
        status: Status
        if hits:
            status, found = "verified", hits
        else:
            found = tuple(rid for rid, vals in numbers.items() if _matches(mention, vals))
            status = "uncited" if found else "unsupported"
        checks.append(NumberCheck(mention, tuple(cited), status, found))
    return CheckReport(tuple(checks), unknown)
