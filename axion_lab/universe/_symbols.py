"""Ticker normalisation between data sources.

Share classes are written differently by each source: Wikipedia and TradingView
``BRK.B``, Yahoo ``BRK-B``, Bloomberg ``BRK/B``. Axion Lab's convention is a
hyphen (``BRK-B``): it survives URLs, file names and CSV round-trips, and it is
what Yahoo-style files use. Pass ``class_separator="."`` for TradingView style.
"""

from __future__ import annotations

import re
from typing import Final

from axion_lab.exceptions import InputError

__all__ = ["SHARE_CLASS_SEPARATOR", "normalize_symbol"]

SHARE_CLASS_SEPARATOR: Final = "-"
_CLASS_MARK = re.compile(r"\s*[./\- ]\s*")
_VALID = re.compile(r"^[A-Z0-9][A-Z0-9.\-]*$")


def normalize_symbol(raw: str, *, class_separator: str = SHARE_CLASS_SEPARATOR) -> str:
    """Upper-case ``raw``, trim it and write share classes with ``class_separator``.

    Examples
    --------
    >>> normalize_symbol(" brk.b ")
    'BRK-B'
    >>> normalize_symbol("BF/B", class_separator=".")
    'BF.B'
    >>> normalize_symbol("MSFT")
    'MSFT'
    """
    if class_separator not in ("-", "."):
        raise InputError(f"class_separator must be '-' or '.', got {class_separator!r}.")
    text = _CLASS_MARK.sub(class_separator, raw.strip().upper())
    if not _VALID.match(text):
        raise InputError(f"{raw!r} is not a ticker symbol.")
    return text
