"""Factor scores: one value per symbol, date and factor (value, momentum, quality...)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from axion_lab.db.base import Base, SymbolType

__all__ = ["FactorScore"]


class FactorScore(Base):
    """A symbol's exposure to one factor on one date.

    ``value`` is the raw exposure (e.g. 12-1 month return for momentum), ``zscore``
    its cross-sectional z-score within the universe scored that day, and ``score``
    the house 0-100 integer score derived from it (scores are integers; see DESIGN).

    Examples
    --------
    >>> import datetime as dt
    >>> FactorScore(symbol="ACME", date=dt.date(2024, 6, 28), factor="momentum",
    ...             value=0.18, zscore=1.2, score=88).score
    88
    """

    __tablename__ = "factor_scores"
    __table_args__ = (
        # Ranking a universe on one factor and date is the common query.
        sa.Index(None, "date", "factor"),
        sa.CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
        {"comment": "Per-symbol factor exposures and 0-100 scores."},
    )

    symbol: Mapped[str] = mapped_column(SymbolType, primary_key=True)
    date: Mapped[dt.date] = mapped_column(sa.Date, primary_key=True)
    factor: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[float | None] = mapped_column(sa.Float)
    zscore: Mapped[float | None] = mapped_column(sa.Float)
    score: Mapped[int | None] = mapped_column(sa.SmallInteger)

    def __repr__(self) -> str:
        return f"FactorScore({self.symbol!r}, {self.date}, {self.factor!r}, score={self.score})"
