"""All checks over a whole :class:`~axion_lab.data.Market`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from axion_lab.data.quality._bars import check_bars
from axion_lab.data.quality._report import QualityReport
from axion_lab.data.quality._statements import check_dividends, check_fundamentals

if TYPE_CHECKING:
    from axion_lab.data.market import Market

__all__ = ["check_market"]


def check_market(
    market: Market,
    *,
    max_gap_days: int = 3,
    outlier_k: float = 10.0,
    min_returns: int = 20,
    stale_run: int = 5,
) -> QualityReport:
    """Run the bars, fundamentals and dividends checks on ``market`` and combine them.

    The keyword options go to :func:`~axion_lab.data.quality.check_bars`; the
    market's splits excuse large as-traded moves on split ex-dates.
    """
    return QualityReport.combine(
        [
            check_bars(
                market.bars,
                splits=market.splits,
                max_gap_days=max_gap_days,
                outlier_k=outlier_k,
                min_returns=min_returns,
                stale_run=stale_run,
            ),
            check_fundamentals(market.fundamentals),
            check_dividends(market.dividends),
        ]
    )
