"""Fictional company names and tickers.

Names are built from syllables ("Cor" + "vane" -> "Corvane Systems"); tickers are
drawn from the name's letters, 2-5 long, unique, and never one of the best-known
real tickers in :data:`REAL_TICKERS`, so sandbox output cannot be mistaken for a
quote of a real security.
"""

from __future__ import annotations

from typing import Final

import numpy as np

__all__ = ["REAL_TICKERS", "company_names", "make_ticker"]

# The best-known real US tickers (stocks and ETFs) a fictional ticker must not reuse.
REAL_TICKERS: Final = frozenset(
    [
        "AAPL",
        "MSFT",
        "AMZN",
        "GOOG",
        "GOOGL",
        "META",
        "TSLA",
        "NVDA",
        "BRK",
        "BRKA",
        "BRKB",
        "JPM",
        "JNJ",
        "PG",
        "UNH",
        "HD",
        "MA",
        "DIS",
        "PYPL",
        "BAC",
        "VZ",
        "ADBE",
        "CMCSA",
        "NFLX",
        "KO",
        "NKE",
        "MRK",
        "PFE",
        "PEP",
        "INTC",
        "CSCO",
        "XOM",
        "CVX",
        "WMT",
        "ABT",
        "CRM",
        "ABBV",
        "TMO",
        "ACN",
        "COST",
        "AVGO",
        "MCD",
        "MDT",
        "NEE",
        "DHR",
        "LLY",
        "TXN",
        "HON",
        "UNP",
        "QCOM",
        "LIN",
        "PM",
        "BMY",
        "ORCL",
        "AMGN",
        "SBUX",
        "IBM",
        "LOW",
        "GS",
        "MS",
        "BLK",
        "AMD",
        "INTU",
        "CAT",
        "GE",
        "MMM",
        "BA",
        "RTX",
        "LMT",
        "DE",
        "SPGI",
        "PLD",
        "AMT",
        "CCI",
        "EQIX",
        "CB",
        "MO",
        "GILD",
        "CVS",
        "CI",
        "ELV",
        "ISRG",
        "BKNG",
        "ADP",
        "SYK",
        "ZTS",
        "TGT",
        "MDLZ",
        "CL",
        "EL",
        "FIS",
        "FISV",
        "CME",
        "ICE",
        "AXP",
        "USB",
        "PNC",
        "TFC",
        "SCHW",
        "WFC",
        "COP",
        "EOG",
        "SLB",
        "OXY",
        "KMI",
        "WMB",
        "DUK",
        "SO",
        "AEP",
        "EXC",
        "SRE",
        "XEL",
        "ED",
        "NEM",
        "FCX",
        "DOW",
        "DD",
        "APD",
        "ECL",
        "SHW",
        "UPS",
        "FDX",
        "CSX",
        "NSC",
        "WM",
        "EMR",
        "ETN",
        "ITW",
        "GD",
        "NOC",
        "GM",
        "UBER",
        "LYFT",
        "ABNB",
        "SNAP",
        "PINS",
        "SQ",
        "SHOP",
        "ZM",
        "DOCU",
        "CRWD",
        "SNOW",
        "PLTR",
        "COIN",
        "RBLX",
        "HOOD",
        "AMAT",
        "MU",
        "LRCX",
        "KLAC",
        "ADI",
        "NOW",
        "PANW",
        "TEAM",
        "WDAY",
        "DDOG",
        "NET",
        "MRNA",
        "REGN",
        "VRTX",
        "BIIB",
        "HUM",
        "ANTM",
        "TSM",
        "ASML",
        "BABA",
        "JD",
        "BIDU",
        "NIO",
        "SONY",
        "TM",
        "BP",
        "SHEL",
        "RIO",
        "BHP",
        "VALE",
        "SAP",
        "NVO",
        "AZN",
        "GSK",
        "UL",
        "SPY",
        "QQQ",
        "IWM",
        "DIA",
        "VTI",
        "VOO",
        "IVV",
        "EEM",
        "EFA",
        "GLD",
        "SLV",
        "TLT",
        "HYG",
        "LQD",
        "XLK",
        "XLF",
        "XLE",
        "XLV",
        "XLY",
        "XLP",
        "XLI",
        "XLB",
        "XLU",
        "XLRE",
        "XLC",
        "VNQ",
        "VIG",
        "SCHD",
        "ARKK",
        "BND",
        "AGG",
        "GDX",
        "SMH",
        "SOXX",
        "IEF",
        "SHY",
        "VYM",
        "DVY",
        "USO",
        "UNG",
        "BTC",
        "ETH",
    ]
)

_ONSETS: Final = [
    "b",
    "bl",
    "br",
    "c",
    "cl",
    "cr",
    "d",
    "dr",
    "f",
    "fl",
    "fr",
    "g",
    "gl",
    "gr",
    "h",
    "j",
    "k",
    "kr",
    "l",
    "m",
    "n",
    "p",
    "pl",
    "pr",
    "qu",
    "r",
    "s",
    "sc",
    "sk",
    "sl",
    "st",
    "str",
    "t",
    "tr",
    "th",
    "v",
    "w",
    "z",
]
_VOWELS: Final = ["a", "e", "i", "o", "u", "a", "e", "o", "ae", "ai", "ea", "io", "ou"]
_CODAS: Final = ["n", "r", "l", "s", "x", "nt", "rn", "st", "rk", "nd", "m", "v", "th"]
_ENDINGS: Final = [
    "ane",
    "ex",
    "ion",
    "ara",
    "ova",
    "ium",
    "ent",
    "ix",
    "or",
    "era",
    "ant",
    "eon",
    "ata",
    "yx",
    "ell",
    "ine",
    "une",
    "ar",
    "on",
    "is",
]


def _word(rng: np.random.Generator) -> str:
    parts = [
        _ONSETS[rng.integers(len(_ONSETS))],
        _VOWELS[rng.integers(len(_VOWELS))],
        _CODAS[rng.integers(len(_CODAS))] if rng.random() < 0.7 else "",
        _ONSETS[rng.integers(len(_ONSETS))] if rng.random() < 0.45 else "",
        _ENDINGS[rng.integers(len(_ENDINGS))],
    ]
    word = "".join(parts)
    return word[:1].upper() + word[1:]


def company_names(rng: np.random.Generator, suffixes: list[tuple[str, ...]]) -> list[str]:
    """One unique pronounceable name per entry of ``suffixes`` (the sector's suffixes).

    Examples
    --------
    >>> from axion_lab.data.sandbox.config import stream
    >>> names = company_names(stream(1, "doc"), [("Systems",), ("Foods",)])
    >>> len(set(names)) == 2 and names[0].endswith("Systems")
    True
    """
    seen: set[str] = set()
    out: list[str] = []
    for options in suffixes:
        while True:
            stem = _word(rng)
            if 5 <= len(stem) <= 11 and stem not in seen:
                break
        seen.add(stem)
        out.append(f"{stem} {options[rng.integers(len(options))]}")
    return out


def make_ticker(name: str, taken: set[str], rng: np.random.Generator) -> str:
    """A 2-5 letter ticker from the letters of ``name``, unique within ``taken``.

    The result is added to ``taken``.

    Examples
    --------
    >>> from axion_lab.data.sandbox.config import stream
    >>> taken: set[str] = set()
    >>> t = make_ticker("Corvane Systems", taken, stream(1, "doc"))
    >>> 2 <= len(t) <= 5 and t.isalpha() and t.isupper() and t in taken
    True
    """
    letters = "".join(ch for ch in name.upper() if ch.isalpha())
    first, rest = letters[0], letters[1:]
    consonants = "".join(ch for ch in rest if ch not in "AEIOU")
    simple = (
        letters[:4],
        letters[:3],
        first + consonants[:3],
        first + consonants[:2],
        letters[:5],
        first + consonants[:4],
    )
    for cand in simple:
        if 2 <= len(cand) <= 5 and cand not in taken and cand not in REAL_TICKERS:
            taken.add(cand)
            return cand
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    while True:
        size = int(rng.integers(2, 5))
        picks = rng.integers(0, len(alphabet), size)
        cand = first + "".join(alphabet[i] for i in picks)
        if cand not in taken and cand not in REAL_TICKERS:
            taken.add(cand)
            return cand
