"""A portfolio valued and described: weights, exposures, risk, income, concentration.

Position values are integer cents (``trade_cents(shares, price)``: one rounding per
position, half to even); weights are floats of the total including cash.
"""

from __future__ import annotations

import dataclasses
import html
import math

import polars as pl

from axion_lab.scenarios.config import FACTORS
from axion_lab.scenarios.models import Portfolio
from axion_lab.scenarios.money import format_cents, trade_cents
from axion_lab.scenarios.risk import RiskModel

__all__ = ["CASH", "PortfolioProfile", "profile_portfolio"]

CASH = "CASH"
TOP_N = 5
_CLASS_LABELS = {
    "etf": "ETF",
    "bond": "Bond",
    "equity": "Equity",
    "crypto": "Crypto",
    "forex": "Forex",
    "future": "Future",
    "index": "Index",
}


@dataclasses.dataclass(frozen=True, eq=False)
class PortfolioProfile:
    """A snapshot of one portfolio as of a date.

    ``positions``: symbol, name, group (sector, else asset class), asset_class,
    shares, price, value_cents, weight, beta, volatility, duration,
    income_cents (expected annual dividends from the trailing 12 months).
    """

    name: str
    as_of: str
    total_cents: int
    cash_cents: int
    positions: pl.DataFrame
    beta: float
    volatility: float
    duration: float
    income_cents: int
    hhi: float
    factors: dict[str, float]

    @property
    def dividend_yield(self) -> float:
        """Expected annual dividend income over total value."""
        return self.income_cents / self.total_cents if self.total_cents else math.nan

    @property
    def effective_positions(self) -> float:
        """``1 / HHI``: how many equal positions would be as concentrated."""
        return 1.0 / self.hhi if self.hhi > 0 else math.nan

    def sector_weights(self) -> pl.DataFrame:
        """Weight per group (sector, or asset class for non-equities), cash included."""
        groups = self.positions.group_by("group").agg(pl.col("weight").sum())
        if self.cash_cents:
            groups = pl.concat(
                [groups, pl.DataFrame({"group": [CASH], "weight": [self._cash_weight()]})]
            )
        return groups.sort("weight", descending=True)

    def _cash_weight(self) -> float:
        return self.cash_cents / self.total_cents if self.total_cents else 0.0

    def top_positions(self, n: int = TOP_N) -> pl.DataFrame:
        """The ``n`` largest positions by weight."""
        return (
            self.positions.sort("weight", descending=True)
            .head(n)
            .select("symbol", "name", "weight", "value_cents")
        )

    def summary(self) -> dict[str, float | int]:
        """The headline numbers as one flat mapping."""
        top = float(self.positions["weight"].max() or 0.0) if self.positions.height else 0.0  # type: ignore[arg-type]
        return {
            "total_cents": self.total_cents,
            "cash_cents": self.cash_cents,
            "holdings": self.positions.height,
            "beta": self.beta,
            "volatility": self.volatility,
            "duration": self.duration,
            "income_cents": self.income_cents,
            "dividend_yield": self.dividend_yield,
            "hhi": self.hhi,
            "effective_positions": self.effective_positions,
            "largest_weight": top,
        }

    def _repr_html_(self) -> str:
        from axion_lab.scenarios.display import html_table

        table = self.positions.select(
            "symbol", "name", "group", "shares", "price", "value_cents", "weight", "beta"
        ).sort("weight", descending=True)
        return f"<div><p><b>{html.escape(self.describe())}</b></p>{html_table(table)}</div>"

    def describe(self) -> str:
        """One line for humans."""
        return (
            f"{self.name}: {format_cents(self.total_cents)} in {self.positions.height} holdings "
            f"(cash {format_cents(self.cash_cents)}), beta {self.beta:.2f}, "
            f"volatility {self.volatility:.1%}, yield {self.dividend_yield:.2%}"
        )


def profile_portfolio(portfolio: Portfolio, risk: RiskModel) -> PortfolioProfile:
    """Value ``portfolio`` with ``risk``'s prices and describe it."""
    risk.require(portfolio.symbols)
    shares = {h.symbol: h.shares for h in portfolio.holdings}
    ex = risk.exposures.filter(pl.col("symbol").is_in(list(shares)))
    values = {s: trade_cents(shares[s], p) for s, p in ex.select("symbol", "price").iter_rows()}
    income = {s: trade_cents(shares[s], d) for s, d in ex.select("symbol", "dps").iter_rows()}
    total = sum(values.values()) + portfolio.cash_cents
    positions = ex.select(
        "symbol",
        "name",
        pl.coalesce(
            "sector",
            pl.col("asset_class").replace_strict(_CLASS_LABELS, default=pl.col("asset_class")),
        ).alias("group"),
        "asset_class",
        pl.col("symbol").replace_strict(shares, return_dtype=pl.Float64).alias("shares"),
        "price",
        pl.col("symbol").replace_strict(values, return_dtype=pl.Int64).alias("value_cents"),
        "beta",
        "volatility",
        "duration",
        pl.col("symbol").replace_strict(income, return_dtype=pl.Int64).alias("income_cents"),
        *FACTORS,
    ).with_columns((pl.col("value_cents") / total if total else pl.lit(0.0)).alias("weight"))
    weights = dict(positions.select("symbol", "weight").iter_rows())
    invested = positions["weight"].sum()
    hhi = float(((positions["weight"] / invested) ** 2).sum()) if invested else 0.0
    factors = {f: float((positions["weight"] * positions[f]).sum()) for f in FACTORS}
    duration = float((positions["weight"] * positions["duration"].fill_null(0.0)).sum())
    return PortfolioProfile(
        name=portfolio.name,
        as_of=risk.as_of.isoformat(),
        total_cents=total,
        cash_cents=portfolio.cash_cents,
        positions=positions.drop(list(FACTORS)),
        beta=float((positions["weight"] * positions["beta"]).sum()),
        volatility=risk.portfolio_volatility(weights),
        duration=duration,
        income_cents=sum(income.values()),
        hhi=hhi,
        factors=factors,
    )
