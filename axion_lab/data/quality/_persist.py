"""Persist quality findings: a thin function over a database session.

The checks are pure; storing their findings is the caller's choice (the data
service calls this after a load). ``axion_lab.db`` is imported lazily so the
checks never need the database layer (or SQLAlchemy) to run.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from axion_lab.data.quality._report import QualityReport
from axion_lab.exceptions import InputError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["save_quality_report"]

_PROVIDER_MAX = 32  # width of DataQualityLog.provider


def save_quality_report(
    session: Session,
    report: QualityReport,
    *,
    provider: str | None = None,
    source: str | None = None,
    checked_at: dt.datetime | None = None,
) -> int:
    """Add one ``DataQualityLog`` row per finding to ``session``; return how many.

    The caller owns the transaction: rows are added and flushed, not committed.
    ``start``/``end`` of each finding and ``source`` (e.g. a file path) go to the
    row's JSON metadata; ``count`` to ``affected_rows``.

    Examples
    --------
    >>> import polars as pl, sqlalchemy as sa
    >>> from sqlalchemy.orm import Session
    >>> from axion_lab.db import Base, DataQualityLog
    >>> from axion_lab.data.quality import check_dividends, save_quality_report
    >>> engine = sa.create_engine("sqlite://")
    >>> Base.metadata.create_all(engine)
    >>> report = check_dividends(pl.DataFrame({"symbol": ["AAA"], "ex_date": [None],
    ...                                        "amount": [-1.0]}))
    >>> with Session(engine) as session:
    ...     save_quality_report(session, report, provider="files")
    ...     session.scalars(sa.select(DataQualityLog.check)).all()
    1
    ['non_positive_amount']
    """
    if provider is not None and len(provider) > _PROVIDER_MAX:
        raise InputError(
            f"provider {provider!r} is longer than {_PROVIDER_MAX} characters; "
            "put long descriptions in source=."
        )
    from axion_lab.db.models import DataQualityLog

    when = checked_at or dt.datetime.now(dt.UTC)
    rows = [
        DataQualityLog(
            checked_at=when,
            frame=f["frame"],
            check=f["check"],
            severity=f["severity"],
            symbol=f["symbol"],
            provider=provider,
            message=f["message"],
            affected_rows=f["count"],
            extra_metadata=_metadata(f, source),
        )
        for f in report.findings.iter_rows(named=True)
    ]
    session.add_all(rows)
    session.flush()
    return len(rows)


def _metadata(finding: dict[str, Any], source: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {
        key: finding[key].isoformat() for key in ("start", "end") if finding[key] is not None
    }
    if source is not None:
        meta["source"] = source
    return meta
