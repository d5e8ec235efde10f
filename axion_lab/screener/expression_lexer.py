"""Tokenizer of the custom-formula language.

A hand-written scanner over the formula text: every character is either part of a
token it recognises or an :class:`~axion_lab.exceptions.ExpressionError` that points
at it. Nothing here (or anywhere in the formula language) hands user text to
``eval``, ``exec`` or Python's ``ast``.

Tokens
------
- numbers: ``1``, ``1.5``, ``.5``, ``1e-3``, ``1_000``; a ``%`` written right after
  a number divides it by 100 (``5%`` is ``0.05``); a ``k``, ``m``, ``b`` or ``t``
  written right after a number scales it by a thousand, million, billion or trillion
  (``market_cap > 2b``)
- strings: ``"Energy"`` or ``'Energy'``; ``\\"``, ``\\'`` and ``\\\\`` are the only escapes
- identifiers: ``[A-Za-z_][A-Za-z0-9_]*``, or any name between backticks
  (```52w_high```)
- keywords (any case): ``and or not in true false``; ``&&``, ``||`` and ``!`` are
  spellings of ``and``, ``or`` and ``not``
- operators: ``+ - * / ^`` (``**`` is ``^``), ``< <= > >= == !=`` (``=`` is ``==``,
  ``<>`` is ``!=``), ``( ) [ ] ,``

Examples
--------
>>> [t.value for t in tokenize("pe_ratio <= 1_500 AND sector = 'Energy'")]
['pe_ratio', '<=', 1500.0, 'and', 'sector', '==', 'Energy', '']
>>> tokenize("5% + 2b")[0].value, tokenize("5% + 2b")[2].value
(0.05, 2000000000.0)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from axion_lab.exceptions import ExpressionError

__all__ = ["KEYWORDS", "MAX_LENGTH", "Token", "TokenKind", "tokenize"]

MAX_LENGTH = 2_000
"""Longest formula accepted, in characters: formulas are typed by people, and a cap
keeps a pasted megabyte from costing a parse."""

TokenKind = Literal["number", "string", "name", "keyword", "op", "end"]

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})

# Longest spelling first, so "<=" wins over "<"; values are the canonical operators.
_OPERATORS: tuple[tuple[str, str], ...] = (
    ("**", "^"),
    ("<=", "<="),
    (">=", ">="),
    ("==", "=="),
    ("!=", "!="),
    ("<>", "!="),
    ("&&", "and"),
    ("||", "or"),
    ("+", "+"),
    ("-", "-"),
    ("*", "*"),
    ("/", "/"),
    ("^", "^"),
    ("<", "<"),
    (">", ">"),
    ("=", "=="),
    ("(", "("),
    (")", ")"),
    ("[", "["),
    ("]", "]"),
    (",", ","),
    ("!", "not"),
)
_KEYWORD_OPERATORS = frozenset({"and", "or", "not"})

_DIGITS = r"[0-9](?:_?[0-9])*"
_NUMBER = re.compile(
    rf"(?:{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS})(?:[eE][+-]?{_DIGITS})?", re.ASCII
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}
_ESCAPES = {"\\": "\\", '"': '"', "'": "'"}
_HINTS = {
    "&": "write 'and' (or '&&')",
    "|": "write 'or' (or '||')",
    "~": "write 'not'",
    ".": "formulas have no attribute access; numbers need a digit before or after '.'",
    "%": "'%' only follows a number, as in 5%",
}


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, canonical value, offset and the text it was read from."""

    kind: TokenKind
    value: str | float
    pos: int
    text: str

    def is_op(self, *values: str) -> bool:
        """Whether this is an operator or keyword-operator among ``values``."""
        return self.kind in ("op", "keyword") and self.value in values


def tokenize(text: str, *, max_length: int = MAX_LENGTH) -> list[Token]:
    """Split ``text`` into tokens, ending with one ``"end"`` token.

    Raises
    ------
    ExpressionError
        At the offending character: an unknown character, a malformed number, an
        unterminated string or name, or text longer than ``max_length``.
    """
    if len(text) > max_length:
        raise ExpressionError(
            f"The formula is too long ({len(text):,} characters; the limit is {max_length:,}).",
            expression=text[: max_length + 20] + "...",
            position=max_length,
        )
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
        elif ch in "0123456789" or (ch == "." and i + 1 < n and text[i + 1] in "0123456789"):
            token, i = _read_number(text, i)
            tokens.append(token)
        elif ch in "\"'":
            token, i = _read_string(text, i)
            tokens.append(token)
        elif ch == "`":
            end = text.find("`", i + 1)
            if end < 0:
                raise _error("This `name` is never closed; add a closing backtick.", text, i)
            if end == i + 1:
                raise _error("Empty name between backticks.", text, i)
            tokens.append(Token("name", text[i + 1 : end], i, text[i : end + 1]))
            i = end + 1
        elif (match := _NAME.match(text, i)) is not None:
            word = match.group()
            lower = word.lower()
            if lower in KEYWORDS:
                tokens.append(Token("keyword", lower, i, word))
            else:
                tokens.append(Token("name", word, i, word))
            i = match.end()
        else:
            for spelling, value in _OPERATORS:
                if text.startswith(spelling, i):
                    kind: TokenKind = "keyword" if value in _KEYWORD_OPERATORS else "op"
                    tokens.append(Token(kind, value, i, spelling))
                    i += len(spelling)
                    break
            else:
                hint = _HINTS.get(ch, "remove it or check the formula's syntax")
                raise _error(f"Unexpected character {ch!r}: {hint}.", text, i)
    tokens.append(Token("end", "", n, ""))
    return tokens


def _read_number(text: str, start: int) -> tuple[Token, int]:
    match = _NUMBER.match(text, start)
    if match is None:  # pragma: no cover - the caller checked for a digit
        raise _error("Malformed number.", text, start)
    end = match.end()
    value = float(match.group().replace("_", ""))
    if end < len(text) and text[end] == "%":
        value /= 100.0
        end += 1
    elif end < len(text) and text[end].lower() in _SCALE:
        after = end + 1
        if after >= len(text) or text[after] not in _NAME_CHARS:
            value *= _SCALE[text[end].lower()]
            end = after
    if end < len(text) and (text[end] in _NAME_CHARS or text[end] == "."):
        raise _error(
            f"Malformed number {text[start : end + 1]!r}: a number cannot run into a name "
            "(thousands separators are written 1_000, scales as 2k, 5m, 1b, 3t).",
            text,
            start,
        )
    if not math.isfinite(value):
        raise _error("This number is too large.", text, start)
    return Token("number", value, start, text[start:end]), end


def _read_string(text: str, start: int) -> tuple[Token, int]:
    quote = text[start]
    chars: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == quote:
            return Token("string", "".join(chars), start, text[start : i + 1]), i + 1
        if ch == "\\":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if nxt not in _ESCAPES:
                raise _error(
                    "Unknown escape in text: only \\\", \\' and \\\\ are allowed.", text, i
                )
            chars.append(_ESCAPES[nxt])
            i += 2
            continue
        chars.append(ch)
        i += 1
    raise _error(f"This text is never closed; add a closing {quote}.", text, start)


def _error(message: str, text: str, position: int) -> ExpressionError:
    return ExpressionError(message, expression=text, position=position)
