"""Write canonical frames to their tables and read them back in the canonical schema.

Each ``write_*`` upserts by the table's key inside a SAVEPOINT (see
:mod:`axion_lab.db.bulk`) and returns the number of rows written; the caller commits.
Each ``read_*`` returns a polars frame with exactly the columns and dtypes of
``axion_lab.data.schema.SCHEMAS``, sorted by key. From async code, run them with
``await session.run_sync(write_bars, frame)``.

Examples
--------
>>> import datetime as dt
>>> import polars as pl
>>> import sqlalchemy as sa
>>> from axion_lab.db import Base, session_scope
>>> engine = sa.create_engine("sqlite://")
>>> Base.metadata.create_all(engine)
>>> bars = pl.DataFrame({"symbol": ["ACME"], "ts": [dt.datetime(2024, 1, 2)],
...                      "open": [10.0], "high": [11.0], "low": [9.5], "close": [10.5],
...                      "volume": [1_000]})
>>> with session_scope(bind=engine) as session:
...     write_bars(session, bars)
1
>>> with session_scope(bind=engine) as session:
...     read_bars(session, "ACME").equals(bars)
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session

from axion_lab.data.schema import SCHEMAS, conform
from axion_lab.db.bulk import DEFAULT_CHUNK_SIZE, upsert_frame
from axion_lab.db.errors import database_errors
from axion_lab.db.models import DAILY, EconomicIndicator, Financial, Instrument, PriceBar
from axion_lab.exceptions import DateRangeError

__all__ = [
    "read_bars",
    "read_fundamentals",
    "read_instruments",
    "read_macro",
    "write_bars",
    "write_fundamentals",
    "write_instruments",
    "write_macro",
]

Symbols = str | Iterable[str] | None
Bound = str | dt.date | dt.datetime | None


def _table(model: Any) -> sa.Table:
    table: sa.Table = model.__table__
    return table


def _symbols(symbols: Symbols) -> list[str] | None:
    if symbols is None:
        return None
    if isinstance(symbols, str):
        return [symbols]
    return list(dict.fromkeys(symbols))


def _as_datetime(value: str | dt.date | dt.datetime, *, what: str) -> tuple[dt.datetime, bool]:
    """Parse a bound; the flag says whether it named a whole day (no time part)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None), False
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()), True
    text = value.strip()
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise DateRangeError(
            f"Invalid {what} {value!r}: use ISO format YYYY-MM-DD or YYYY-MM-DDTHH:MM."
        ) from exc
    return parsed.replace(tzinfo=None), len(text) <= 10


def _as_date(value: str | dt.date | dt.datetime, *, what: str) -> dt.date:
    return _as_datetime(value, what=what)[0].date()


def _read(session: Session, query: sa.Select[Any], schema_name: str) -> pl.DataFrame:
    with database_errors(session.get_bind().engine.url):
        rows = session.execute(query).all()
    return pl.DataFrame(rows, schema=SCHEMAS[schema_name], orient="row")


def _canonical(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    return conform(name, frame).select(list(SCHEMAS[name]))


# --- bars -------------------------------------------------------------------------------


def write_bars(
    session: Session,
    frame: pl.DataFrame,
    *,
    interval: str = DAILY,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> int:
    """Upsert a canonical ``bars`` frame; bars keyed by (symbol, interval, ts).

    ``interval`` applies to every row unless the frame has an ``interval`` column.
    """
    bars = conform("bars", frame)
    keep = [*SCHEMAS["bars"], *(["interval"] if "interval" in bars.columns else [])]
    constants = {} if "interval" in bars.columns else {"interval": interval}
    return upsert_frame(
        session, _table(PriceBar), bars.select(keep), chunk_size=chunk_size, constants=constants
    )


def read_bars(
    session: Session,
    symbols: Symbols = None,
    start: Bound = None,
    end: Bound = None,
    *,
    interval: str = DAILY,
) -> pl.DataFrame:
    """Read bars as a canonical ``bars`` frame sorted by (symbol, ts).

    ``start`` and ``end`` are inclusive; a date (or a date-only string) as ``end``
    includes that whole day. ``symbols=None`` reads every symbol.
    """
    t = _table(PriceBar)
    query = sa.select(*(t.c[name] for name in SCHEMAS["bars"])).where(t.c.interval == interval)
    wanted = _symbols(symbols)
    if wanted is not None:
        query = query.where(t.c.symbol.in_(wanted))
    if start is not None:
        query = query.where(t.c.ts >= _as_datetime(start, what="start")[0])
    if end is not None:
        stop, whole_day = _as_datetime(end, what="end")
        if whole_day:
            query = query.where(t.c.ts < stop + dt.timedelta(days=1))
        else:
            query = query.where(t.c.ts <= stop)
    return _read(session, query.order_by(t.c.symbol, t.c.ts), "bars")


# --- instruments ------------------------------------------------------------------------


def write_instruments(
    session: Session, frame: pl.DataFrame, *, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> int:
    """Upsert a canonical ``instruments`` frame by symbol (refreshes ``updated_at``)."""
    return upsert_frame(
        session, _table(Instrument), _canonical("instruments", frame), chunk_size=chunk_size
    )


def read_instruments(session: Session, symbols: Symbols = None) -> pl.DataFrame:
    """Read instruments as a canonical ``instruments`` frame sorted by symbol."""
    t = _table(Instrument)
    query = sa.select(*(t.c[name] for name in SCHEMAS["instruments"]))
    wanted = _symbols(symbols)
    if wanted is not None:
        query = query.where(t.c.symbol.in_(wanted))
    return _read(session, query.order_by(t.c.symbol), "instruments")


# --- fundamentals -----------------------------------------------------------------------


def write_fundamentals(
    session: Session, frame: pl.DataFrame, *, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> int:
    """Upsert a canonical ``fundamentals`` frame keyed by (symbol, period_end, published)."""
    return upsert_frame(
        session, _table(Financial), _canonical("fundamentals", frame), chunk_size=chunk_size
    )


def read_fundamentals(
    session: Session,
    symbols: Symbols = None,
    start: Bound = None,
    end: Bound = None,
    *,
    as_of: Bound = None,
) -> pl.DataFrame:
    """Read statements as a canonical ``fundamentals`` frame.

    ``start``/``end`` bound ``period_end`` (inclusive); ``as_of`` keeps only rows
    published on or before that date, so a backtest sees what was known then.
    """
    t = _table(Financial)
    query = sa.select(*(t.c[name] for name in SCHEMAS["fundamentals"]))
    wanted = _symbols(symbols)
    if wanted is not None:
        query = query.where(t.c.symbol.in_(wanted))
    if start is not None:
        query = query.where(t.c.period_end >= _as_date(start, what="start"))
    if end is not None:
        query = query.where(t.c.period_end <= _as_date(end, what="end"))
    if as_of is not None:
        query = query.where(t.c.published <= _as_date(as_of, what="as_of"))
    order: Sequence[sa.ColumnElement[Any]] = (t.c.symbol, t.c.period_end, t.c.published)
    return _read(session, query.order_by(*order), "fundamentals")


# --- macro ------------------------------------------------------------------------------


def write_macro(
    session: Session, frame: pl.DataFrame, *, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> int:
    """Upsert a canonical ``macro`` frame keyed by (series, date, published)."""
    return upsert_frame(
        session, _table(EconomicIndicator), _canonical("macro", frame), chunk_size=chunk_size
    )


def read_macro(
    session: Session,
    series: Symbols = None,
    start: Bound = None,
    end: Bound = None,
    *,
    as_of: Bound = None,
) -> pl.DataFrame:
    """Read macro observations as a canonical ``macro`` frame sorted by (series, date)."""
    t = _table(EconomicIndicator)
    query = sa.select(*(t.c[name] for name in SCHEMAS["macro"]))
    wanted = _symbols(series)
    if wanted is not None:
        query = query.where(t.c.series.in_(wanted))
    if start is not None:
        query = query.where(t.c.date >= _as_date(start, what="start"))
    if end is not None:
        query = query.where(t.c.date <= _as_date(end, what="end"))
    if as_of is not None:
        query = query.where(t.c.published <= _as_date(as_of, what="as_of"))
    return _read(session, query.order_by(t.c.series, t.c.date, t.c.published), "macro")
