"""Index constituents from Wikipedia's public tables, through an injectable transport.

Only called on request (never at import). Tests pass an ``httpx.MockTransport``
that serves a saved page; production uses httpx's default transport.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import polars as pl

from axion_lab.exceptions import InputError, ProviderError, ServiceUnavailableError

if TYPE_CHECKING:
    import httpx

__all__ = ["CONSTITUENT_PAGES", "fetch_constituents", "parse_constituents"]

CONSTITUENT_PAGES: Final = {
    "sp500": "https://en.wikipedia.org/wiki/List_of_S%26P_500_companies",
    "sp400": "https://en.wikipedia.org/wiki/List_of_S%26P_400_companies",
}
_USER_AGENT: Final = "axion-lab/0.1 (research workbench; +https://github.com/axion-lab)"

# Header text (lower case) -> our column; the first header that matches wins.
_HEADERS: Final = {
    "symbol": ("symbol", "ticker symbol", "ticker"),
    "name": ("security", "company", "name"),
    "sector": ("gics sector", "sector"),
    "industry": ("gics sub-industry", "gics sub industry", "sub-industry", "industry"),
}


def fetch_constituents(
    index: str,
    *,
    transport: httpx.BaseTransport | None = None,
    timeout: float | None = None,
) -> pl.DataFrame:
    """Download and parse the constituents table of ``index`` (``"sp500"``/``"sp400"``).

    Returns raw symbols as written on the page (``BRK.B``), with name, sector and
    industry.

    Raises
    ------
    ServiceUnavailableError
        The page could not be fetched (offline, timeout, HTTP error).
    ProviderError
        The page was fetched but has no recognisable constituents table.
    """
    if index not in CONSTITUENT_PAGES:
        raise InputError(f"Unknown index {index!r}; use one of {sorted(CONSTITUENT_PAGES)}.")
    import httpx

    from axion_lab.config import get_settings

    url = CONSTITUENT_PAGES[index]
    try:
        with httpx.Client(
            transport=transport,
            timeout=timeout or get_settings().http_timeout,
            follow_redirects=True,
            headers={"User-Agent": _USER_AGENT},
        ) as client:
            response = client.get(url)
            response.raise_for_status()
    except httpx.HTTPError as exc:
        raise ServiceUnavailableError(
            f"Could not fetch the {index.upper()} constituents from {url} "
            f"({type(exc).__name__}: {exc}). Without internet, use the sandbox's members "
            f"with offline='sandbox' (fictional AX500/AX400 indexes), or pass your own "
            "tickers to build_universe(extra=[...])."
        ) from exc
    return parse_constituents(response.text, source=url)


def parse_constituents(page: str, *, source: str = "page") -> pl.DataFrame:
    """Parse the first table with a Symbol/Ticker header in ``page`` (HTML text).

    Prefers the table with ``id="constituents"``, as Wikipedia marks it.

    Examples
    --------
    >>> html = ("<table id='constituents'><tr><th>Symbol</th><th>Security</th></tr>"
    ...         "<tr><td><a>BRK.B</a></td><td>Berkshire Hathaway</td></tr></table>")
    >>> parse_constituents(html).rows()
    [('BRK.B', 'Berkshire Hathaway', None, None)]
    """
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(page)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ProviderError(f"{source} is not an HTML page: {exc}") from exc
    tables = doc.xpath("//table[@id='constituents']") + doc.xpath("//table")
    for table in tables:
        rows = table.xpath(".//tr")
        if not rows:
            continue
        header = [_text(c).lower() for c in rows[0].xpath("./th|./td")]
        where = {col: _find(header, names) for col, names in _HEADERS.items()}
        sym_at = where["symbol"]
        if sym_at is None:
            continue
        records = []
        for row in rows[1:]:
            cells = [_text(c) for c in row.xpath("./th|./td")]
            if len(cells) <= sym_at or not cells[sym_at]:
                continue
            records.append(
                {
                    col: (cells[i] if i is not None and i < len(cells) else None)
                    for col, i in where.items()
                }
            )
        if records:
            return pl.DataFrame(records, schema={c: pl.String for c in _HEADERS})
    raise ProviderError(
        f"No constituents table (a table with a Symbol column) found in {source}; the page "
        "layout may have changed. Use offline='sandbox' or pass your own tickers."
    )


def _text(cell: object) -> str:
    content = cell.text_content()  # type: ignore[attr-defined]
    return " ".join(str(content).split())


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None
