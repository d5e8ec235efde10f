"""Index member lists (online or from the sandbox) and :func:`build_universe`."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Final, Literal

import polars as pl

from axion_lab.exceptions import InputError, UnknownNameError
from axion_lab.universe._etfs import EQUITY_ETFS
from axion_lab.universe._symbols import SHARE_CLASS_SEPARATOR, normalize_symbol
from axion_lab.universe._wikipedia import fetch_constituents

if TYPE_CHECKING:
    import httpx
    import pandas as pd

    from axion_lab.data.market import Market

__all__ = [
    "SANDBOX_INDEXES",
    "Universe",
    "build_universe",
    "fetch_sp400_tickers",
    "fetch_sp500_tickers",
]

Offline = Literal["sandbox"] | None
#: Which fictional sandbox index stands in for which real one, offline.
SANDBOX_INDEXES: Final = {"sp500": "AX500", "sp400": "AX400"}
SOURCES: Final = ("sp500", "sp400", "etfs")
_MEMBER_SCHEMA: Final[dict[str, pl.DataType]] = {
    "symbol": pl.String(),
    "name": pl.String(),
    "sector": pl.String(),
    "source": pl.String(),
}


def _members(
    index: str,
    *,
    offline: Offline,
    transport: httpx.BaseTransport | None,
    market: Market | None,
    class_separator: str,
) -> pl.DataFrame:
    if offline not in (None, "sandbox"):
        raise InputError(f"offline must be None or 'sandbox', got {offline!r}.")
    if offline == "sandbox" or market is not None:
        return _sandbox_members(index, market)
    raw = fetch_constituents(index, transport=transport)
    return (
        raw.with_columns(
            pl.col("symbol").map_elements(
                lambda s: normalize_symbol(s, class_separator=class_separator),
                return_dtype=pl.String,
            ),
            pl.lit(index).alias("source"),
        )
        .select(list(_MEMBER_SCHEMA))
        .unique("symbol", keep="first", maintain_order=True)
    )


def _sandbox_members(index: str, market: Market | None) -> pl.DataFrame:
    if market is None:
        from axion_lab.data import load_market

        market = load_market("sandbox")
    symbols = market.universe(asset_class=None, index=SANDBOX_INDEXES[index])
    return (
        market.instruments.filter(pl.col("symbol").is_in(symbols))
        .select("symbol", "name", "sector", pl.lit(SANDBOX_INDEXES[index]).alias("source"))
        .sort("symbol")
    )


def fetch_sp500_tickers(
    *,
    offline: Offline = None,
    transport: httpx.BaseTransport | None = None,
    market: Market | None = None,
    class_separator: str = SHARE_CLASS_SEPARATOR,
) -> list[str]:
    """Current S&P 500 members from Wikipedia, share classes as ``BRK-B``.

    Online only when called. ``offline="sandbox"`` (or passing a ``market``) returns
    the members of that market's fictional ``AX500`` index instead, with no network.

    Raises
    ------
    ServiceUnavailableError
        Wikipedia is unreachable; the message says how to use the sandbox instead.

    Examples
    --------
    >>> from axion_lab.universe import fetch_sp500_tickers
    >>> members = fetch_sp500_tickers(offline="sandbox")   # fictional AX500, no network
    >>> len(members) > 0
    True
    """
    return _members(
        "sp500",
        offline=offline,
        transport=transport,
        market=market,
        class_separator=class_separator,
    )["symbol"].to_list()


def fetch_sp400_tickers(
    *,
    offline: Offline = None,
    transport: httpx.BaseTransport | None = None,
    market: Market | None = None,
    class_separator: str = SHARE_CLASS_SEPARATOR,
) -> list[str]:
    """Current S&P MidCap 400 members; as :func:`fetch_sp500_tickers` (sandbox: ``AX400``)."""
    return _members(
        "sp400",
        offline=offline,
        transport=transport,
        market=market,
        class_separator=class_separator,
    )["symbol"].to_list()


@dataclasses.dataclass(frozen=True)
class Universe:
    """A list of symbols with where each came from (``source``), name and sector.

    ``symbol in universe`` normalises ``symbol`` first (``"brk.b"`` finds ``BRK-B``).
    """

    members: pl.DataFrame
    class_separator: str = SHARE_CLASS_SEPARATOR

    @property
    def symbols(self) -> list[str]:
        """The symbols, in order."""
        return self.members["symbol"].to_list()

    def __len__(self) -> int:
        return self.members.height

    def __iter__(self) -> Iterator[str]:
        return iter(self.symbols)

    def __contains__(self, symbol: object) -> bool:
        if not isinstance(symbol, str):
            return False
        try:
            wanted = normalize_symbol(symbol, class_separator=self.class_separator)
        except InputError:
            return False
        return wanted in set(self.symbols)

    def to_frame(self) -> pl.DataFrame:
        """Members as a polars frame (symbol, name, sector, source)."""
        return self.members

    def to_pandas(self) -> pd.DataFrame:
        """Members as a pandas frame."""
        return self.members.to_pandas()

    def __repr__(self) -> str:
        counts = self.members.group_by("source", maintain_order=True).len()
        parts = ", ".join(f"{r['len']} {r['source']}" for r in counts.iter_rows(named=True))
        return f"<Universe {len(self)} symbols ({parts})>"

    def _repr_html_(self) -> str:
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(v or ''))}</td>" for v in r) + "</tr>"
            for r in self.members.head(20).rows()
        )
        more = f"<p>... {len(self) - 20} more</p>" if len(self) > 20 else ""
        head = "".join(f"<th>{c}</th>" for c in self.members.columns)
        return (
            f"<div><b>{html.escape(repr(self))}</b><table><tr>{head}</tr>{rows}</table>{more}</div>"
        )


def build_universe(
    sources: Sequence[str] = ("sp500",),
    *,
    extra: Iterable[str] = (),
    exclude: Iterable[str] = (),
    offline: Offline = None,
    transport: httpx.BaseTransport | None = None,
    market: Market | None = None,
    class_separator: str = SHARE_CLASS_SEPARATOR,
) -> Universe:
    """Combine index members, equity ETFs and your own tickers into one :class:`Universe`.

    Parameters
    ----------
    sources
        Any of ``"sp500"``, ``"sp400"`` (online, or the sandbox's AX500/AX400 with
        ``offline="sandbox"``) and ``"etfs"`` (:data:`EQUITY_ETFS`, never online).
    extra
        More tickers to add (normalised; source ``"extra"``).
    exclude
        Tickers to drop (normalised the same way).

    A symbol listed by several sources is kept once, under the first source.

    Examples
    --------
    >>> from axion_lab.universe import build_universe
    >>> u = build_universe(["etfs"], extra=["brk.b"], exclude=["SPY"])
    >>> len(u), "BRK-B" in u, "SPY" in u
    (18, True, False)
    """
    if isinstance(sources, str):
        sources = [sources]
    parts: list[pl.DataFrame] = []
    for source in sources:
        if source not in SOURCES:
            raise UnknownNameError.for_name("universe source", source, SOURCES)
        if source == "etfs":
            parts.append(
                pl.DataFrame(
                    {"symbol": list(EQUITY_ETFS), "name": list(EQUITY_ETFS.values())}
                ).with_columns(
                    pl.lit(None, pl.String).alias("sector"), pl.lit("etfs").alias("source")
                )
            )
        else:
            parts.append(
                _members(
                    source,
                    offline=offline,
                    transport=transport,
                    market=market,
                    class_separator=class_separator,
                )
            )
    added = [normalize_symbol(s, class_separator=class_separator) for s in extra]
    if added:
        parts.append(
            pl.DataFrame({"symbol": added}).with_columns(
                pl.lit(None, pl.String).alias("name"),
                pl.lit(None, pl.String).alias("sector"),
                pl.lit("extra").alias("source"),
            )
        )
    dropped = {normalize_symbol(s, class_separator=class_separator) for s in exclude}
    members = (
        pl.concat([p.cast(dict(_MEMBER_SCHEMA.items())) for p in parts])
        if parts
        else pl.DataFrame(schema=_MEMBER_SCHEMA)
    )
    members = members.unique("symbol", keep="first", maintain_order=True).filter(
        ~pl.col("symbol").is_in(list(dropped))
    )
    return Universe(members, class_separator=class_separator)
