"""Economic indicators in long format (the canonical ``macro`` frame)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from axion_lab.db.base import Base

__all__ = ["EconomicIndicator"]


class EconomicIndicator(Base):
    """One observation of a macro series, as released on ``published``.

    ``series`` is e.g. ``policy_rate``, ``treasury_10y``, ``cpi``, ``unemployment``
    (percent, except ``cpi``, an index level). A revision is a new row with a later
    ``published`` date, as for statements.

    Examples
    --------
    >>> import datetime as dt
    >>> EconomicIndicator(series="cpi", date=dt.date(2024, 5, 1),
    ...                   published=dt.date(2024, 6, 12), value=313.2).series
    'cpi'
    """

    __tablename__ = "economic_indicators"
    __table_args__ = (
        sa.Index(None, "published"),
        {"comment": "Macro series observations, point in time (canonical frame 'macro')."},
    )

    series: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    date: Mapped[dt.date] = mapped_column(sa.Date, primary_key=True)
    published: Mapped[dt.date] = mapped_column(sa.Date, primary_key=True)
    value: Mapped[float | None] = mapped_column(sa.Float)

    def __repr__(self) -> str:
        return f"EconomicIndicator({self.series!r}, {self.date}, value={self.value})"
