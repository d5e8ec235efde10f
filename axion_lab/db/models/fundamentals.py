"""Quarterly financial statements, point in time (the canonical ``fundamentals`` frame)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from axion_lab.db.base import Base, SymbolType

__all__ = ["Financial"]


class Financial(Base):
    """One quarter's statement items for a symbol, as published on ``published``.

    The key is ``(symbol, period_end, published)``: a restatement is a new row with
    a later ``published`` date, so point-in-time queries see what was known then.
    Flow items (revenue, net income, cash flows) are for the quarter; stock items
    (assets, debt, equity) at ``period_end``; amounts in the reporting currency
    (market data, so float, not ledger cents); ``shares_outstanding`` is the diluted
    weighted average.

    Examples
    --------
    >>> import datetime as dt
    >>> Financial(symbol="ACME", period_end=dt.date(2024, 3, 31),
    ...           published=dt.date(2024, 5, 2), revenue=1.5e9).revenue
    1500000000.0
    """

    __tablename__ = "financials"
    __table_args__ = (
        sa.Index(None, "published"),
        {"comment": "Quarterly statements, point in time (canonical frame 'fundamentals')."},
    )

    symbol: Mapped[str] = mapped_column(SymbolType, primary_key=True)
    period_end: Mapped[dt.date] = mapped_column(sa.Date, primary_key=True)
    published: Mapped[dt.date] = mapped_column(sa.Date, primary_key=True)
    fiscal_year: Mapped[int | None] = mapped_column(sa.Integer)
    fiscal_quarter: Mapped[int | None] = mapped_column(sa.Integer)
    revenue: Mapped[float | None] = mapped_column(sa.Float)
    cost_of_revenue: Mapped[float | None] = mapped_column(sa.Float)
    gross_profit: Mapped[float | None] = mapped_column(sa.Float)
    operating_income: Mapped[float | None] = mapped_column(sa.Float)
    ebitda: Mapped[float | None] = mapped_column(sa.Float)
    interest_expense: Mapped[float | None] = mapped_column(sa.Float)
    net_income: Mapped[float | None] = mapped_column(sa.Float)
    eps: Mapped[float | None] = mapped_column(sa.Float)
    total_assets: Mapped[float | None] = mapped_column(sa.Float)
    total_liabilities: Mapped[float | None] = mapped_column(sa.Float)
    current_assets: Mapped[float | None] = mapped_column(sa.Float)
    current_liabilities: Mapped[float | None] = mapped_column(sa.Float)
    cash: Mapped[float | None] = mapped_column(sa.Float)
    inventory: Mapped[float | None] = mapped_column(sa.Float)
    total_debt: Mapped[float | None] = mapped_column(sa.Float)
    shareholders_equity: Mapped[float | None] = mapped_column(sa.Float)
    operating_cash_flow: Mapped[float | None] = mapped_column(sa.Float)
    capex: Mapped[float | None] = mapped_column(sa.Float)
    free_cash_flow: Mapped[float | None] = mapped_column(sa.Float)
    dividends_paid: Mapped[float | None] = mapped_column(sa.Float)
    share_buybacks: Mapped[float | None] = mapped_column(sa.Float)
    shares_outstanding: Mapped[float | None] = mapped_column(sa.Float)

    def __repr__(self) -> str:
        return (
            f"Financial({self.symbol!r}, period_end={self.period_end}, published={self.published})"
        )
