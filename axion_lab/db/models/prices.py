"""Price bars: OHLCV per symbol, interval and timestamp (the canonical ``bars`` frame).

Partitioning
------------
The primary key is ``(symbol, interval, ts)``: it is the natural key of a bar and,
because it contains ``ts``, PostgreSQL accepts it on a table declared
``PARTITION BY RANGE (ts)`` (a partitioned table's unique constraints must include
the partition key). The initial migration creates a plain table so that inserts work
with no partitions to manage; a deployment with hundreds of millions of bars can
convert it to yearly range partitions without changing the model or any query. The
extra ``(symbol, ts)`` index on PostgreSQL serves reads that do not filter on
``interval`` and is inherited by every partition.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from axion_lab.db.base import Base, SymbolType, dialect_only

__all__ = ["DAILY", "PriceBar"]

DAILY = "1d"


class PriceBar(Base):
    """One OHLCV bar, as traded (not split-adjusted).

    ``ts`` is naive exchange-local time; daily bars stamp midnight of the session
    date. ``interval`` is ``"1d"`` for daily bars, else e.g. ``"1m"``, ``"1h"``.

    Examples
    --------
    >>> import datetime as dt
    >>> bar = PriceBar(symbol="ACME", interval="1d", ts=dt.datetime(2024, 1, 2),
    ...                open=10.0, high=11.0, low=9.5, close=10.5, volume=1_000)
    >>> bar.close
    10.5
    """

    __tablename__ = "price_bars"
    __table_args__ = (
        dialect_only(sa.Index(None, "symbol", "ts"), "postgresql"),
        {"comment": "OHLCV bars as traded (canonical frame 'bars'); prices in quote currency."},
    )

    symbol: Mapped[str] = mapped_column(SymbolType, primary_key=True)
    interval: Mapped[str] = mapped_column(
        sa.String(8), primary_key=True, default=DAILY, server_default=DAILY
    )
    ts: Mapped[dt.datetime] = mapped_column(sa.DateTime, primary_key=True)
    open: Mapped[float | None] = mapped_column(sa.Float)
    high: Mapped[float | None] = mapped_column(sa.Float)
    low: Mapped[float | None] = mapped_column(sa.Float)
    close: Mapped[float | None] = mapped_column(sa.Float)
    volume: Mapped[int | None] = mapped_column(sa.BigInteger)

    def __repr__(self) -> str:
        return f"PriceBar({self.symbol!r}, {self.interval!r}, {self.ts!s}, close={self.close})"
