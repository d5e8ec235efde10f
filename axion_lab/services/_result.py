"""The :class:`DataResult`: a frame plus where it came from and as of when."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final, Literal

import polars as pl

if TYPE_CHECKING:
    import pandas as pd

    from axion_lab.data.quality import QualityReport

__all__ = ["SOURCES", "DataResult", "Source"]

Source = Literal["cache", "db", "provider", "mixed"]
SOURCES: Final = ("cache", "db", "provider")


@dataclasses.dataclass(frozen=True, eq=False)
class DataResult:
    """What a :class:`~axion_lab.services.DataService` call returned, and from where.

    Attributes
    ----------
    frame
        The data (polars). Bars are canonical ``bars`` rows sorted by symbol, ts.
    source
        ``"cache"``, ``"db"`` or ``"provider"``; ``"mixed"`` when the database held
        part of the request and the provider filled the rest (see ``rows_by_source``).
    as_of
        When this answer was produced by its source (UTC). A cache hit keeps the time
        of the original read, so its age shows how stale it may be.
    provider
        The provider identity (``"sandbox-s42"``...): name plus seed or options.
    quality
        Findings of the data-quality checks run on what the provider delivered for
        this request (also stored in ``DataQualityLog``); ``None`` when nothing came
        from the provider (the checks ran when it first did).
    rows_by_source
        Rows contributed by each source, e.g. ``{"db": 230, "provider": 22}``.

    Examples
    --------
    >>> import datetime as dt, polars as pl
    >>> r = DataResult(pl.DataFrame({"symbol": ["AAA"], "close": [1.0]}), source="db",
    ...                as_of=dt.datetime(2024, 5, 1, tzinfo=dt.UTC), provider="sandbox-s42",
    ...                rows_by_source={"db": 1})
    >>> r
    <DataResult 1 rows, 1 symbols from db (sandbox-s42) as of 2024-05-01 00:00 UTC>
    >>> r.symbols
    ['AAA']
    """

    frame: pl.DataFrame
    source: Source
    as_of: dt.datetime
    provider: str
    quality: QualityReport | None = None
    rows_by_source: Mapping[str, int] = dataclasses.field(default_factory=dict)

    @property
    def symbols(self) -> list[str]:
        """Distinct symbols in the frame, sorted (empty if it has no ``symbol``)."""
        if "symbol" not in self.frame.columns:
            return []
        return sorted(self.frame["symbol"].unique().drop_nulls().to_list())

    def __len__(self) -> int:
        return self.frame.height

    def to_frame(self) -> pl.DataFrame:
        """The data as a polars frame."""
        return self.frame

    def to_pandas(self) -> pd.DataFrame:
        """The data as a pandas frame (converted here, at the edge)."""
        return self.frame.to_pandas()

    @property
    def origin(self) -> str:
        """One phrase: the source, with the row split when it is mixed."""
        if self.source != "mixed":
            return self.source
        parts = ", ".join(f"{n:,} {s}" for s, n in self.rows_by_source.items() if n)
        return f"mixed ({parts})"

    def __repr__(self) -> str:
        when = self.as_of.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        return (
            f"<DataResult {self.frame.height:,} rows, {len(self.symbols)} symbols from "
            f"{self.origin} ({self.provider}) as of {when}>"
        )

    def _repr_html_(self, max_rows: int = 10) -> str:
        head = html.escape(repr(self)[1:-1])
        quality = ""
        if self.quality is not None and len(self.quality):
            colour = "#b00020" if self.quality.has_errors else "#a15c00"
            first = self.quality.summary().splitlines()[0]
            quality = f"<p style='color:{colour}'>{html.escape(first)}</p>"
            quality += self.quality._repr_html_(max_rows=max_rows)
        table = self.frame.head(max_rows)._repr_html_()
        return f"<div><b>{head}</b>{quality}{table}</div>"
