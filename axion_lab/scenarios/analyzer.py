"""Stress tests: shocks, historical replays and reverse stress tests of a portfolio.

Examples
--------
>>> from axion_lab import load_market
>>> from axion_lab.scenarios import ScenarioAnalyzer, Portfolio
>>> market = load_market()
>>> stocks = market.universe(index="AX500")[:4]
>>> p = Portfolio.from_positions({s: 100 for s in stocks}, cash_cents=1_000_000)
>>> sa = ScenarioAnalyzer(market)
>>> sa.run(p, "gfc_2008").impact < 0
True
>>> rs = sa.reverse_stress(p, loss=0.10)
>>> round(sa.run(p, rs.result.scenario).impact, 6)
-0.1
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Sequence

import polars as pl

from axion_lab.data.market import DateLike, Market, to_date
from axion_lab.exceptions import DateRangeError, InputError
from axion_lab.scenarios.config import DEFAULT_LOOKBACK_DAYS, DEFAULT_MARKET_PROXY, FACTORS
from axion_lab.scenarios.impact import propagate
from axion_lab.scenarios.models import Portfolio, Scenario
from axion_lab.scenarios.presets import PREDEFINED_SCENARIOS, get_scenario
from axion_lab.scenarios.profile import PortfolioProfile, profile_portfolio
from axion_lab.scenarios.results import (
    ReplayResult,
    ReverseStressResult,
    ScenarioComparison,
    ScenarioResult,
)
from axion_lab.scenarios.risk import price_panel
from axion_lab.scenarios.whatif import RiskContext

__all__ = ["ScenarioAnalyzer"]

_BISECTION_STEPS = 60


class ScenarioAnalyzer:
    """Apply scenarios to portfolios as of a date.

    Parameters
    ----------
    market
        The data bundle, e.g. ``load_market()``.
    as_of
        Prices, betas and exposures as of this date (default: the last session).
    lookback_days
        Sessions of history behind betas and volatilities.
    market_proxy
        The index that stands for "the market" (default ``AX500``).
    """

    def __init__(
        self,
        market: Market,
        *,
        as_of: DateLike | None = None,
        lookback_days: int = DEFAULT_LOOKBACK_DAYS,
        market_proxy: str = DEFAULT_MARKET_PROXY,
        context: RiskContext | None = None,
    ) -> None:
        self.context = context or RiskContext(
            market, as_of=as_of, lookback_days=lookback_days, market_proxy=market_proxy
        )
        self.market = self.context.market

    # --- shocks -------------------------------------------------------------------
    def profile(self, portfolio: Portfolio) -> PortfolioProfile:
        """Value and describe ``portfolio`` as of the analyzer's date."""
        return profile_portfolio(portfolio, self.context.model(portfolio.symbols))

    def positions(self, portfolio: Portfolio) -> tuple[pl.DataFrame, int]:
        """Per-holding value, weight and exposures; and the total value in cents."""
        model = self.context.model(portfolio.symbols)
        prof = profile_portfolio(portfolio, model)
        ex = model.exposures.select(
            "symbol", "sector", "convexity", "credit", "credit_share", *FACTORS
        )
        frame = prof.positions.select(
            "symbol", "name", "group", "value_cents", "weight", "beta", "duration"
        ).join(ex, on="symbol", how="left")
        return frame, prof.total_cents

    def run(self, portfolio: Portfolio, scenario: str | Scenario) -> ScenarioResult:
        """Apply one scenario (a name from ``PREDEFINED_SCENARIOS`` or a ``Scenario``)."""
        sc = get_scenario(scenario)
        frame, total = self.positions(portfolio)
        return self._result(portfolio, sc, frame, total)

    def _result(
        self, portfolio: Portfolio, sc: Scenario, frame: pl.DataFrame, total: int
    ) -> ScenarioResult:
        return ScenarioResult(
            scenario=sc,
            portfolio_name=portfolio.name,
            as_of=self.context.as_of,
            total_cents=total,
            holdings=propagate(frame, sc),
            data_label=self.context.data_label,
            is_synthetic=self.context.is_synthetic,
        )

    def run_many(
        self, portfolio: Portfolio, scenarios: Iterable[str | Scenario] | None = None
    ) -> ScenarioComparison:
        """Apply several scenarios (default: every predefined one) and compare them."""
        chosen = [get_scenario(s) for s in (scenarios or PREDEFINED_SCENARIOS.values())]
        frame, total = self.positions(portfolio)
        return ScenarioComparison(
            portfolio_name=portfolio.name,
            results=tuple(self._result(portfolio, s, frame, total) for s in chosen),
            data_label=self.context.data_label,
            is_synthetic=self.context.is_synthetic,
        )

    # --- reverse stress -------------------------------------------------------------
    def reverse_stress(
        self, portfolio: Portfolio, loss: float, *, base: str | Scenario | None = None
    ) -> ReverseStressResult:
        """The market shock (with ``base``'s other shocks, if given) that loses ``loss``.

        Under the beta model the portfolio's impact is ``a + b * M`` in the market
        shock ``M``, so ``M = (-loss - a) / b`` is solved in closed form and
        checked by applying it. If the -100% floor of some holding makes the
        relation non-linear there, bisection on ``M`` in ``[-1, 0]`` takes over
        (the loss only grows as the market falls when every beta is non-negative).
        """
        if not 0.0 < loss < 1.0:
            raise InputError(f"loss is a fraction in (0, 1), e.g. 0.2 for -20%; got {loss}.")
        sc = get_scenario(base) if base is not None else Scenario.custom("reverse_stress")
        frame, total = self.positions(portfolio)

        def impact(m: float) -> float:
            res = self._result(portfolio, sc.with_market(m), frame, total)
            values = res.holdings["value_cents"].cast(pl.Float64)
            return float((values * res.holdings["impact"]).sum()) / total if total else 0.0

        a = impact(0.0)
        b = impact(1.0) - a  # exact slope where no floor binds
        beta = b
        if b <= 0:
            raise InputError(
                f"{portfolio.name} does not lose money when the market falls (portfolio beta "
                f"{b:.2f}); a market shock cannot produce a {loss:.0%} loss."
            )
        m = (-loss - a) / b
        method = "closed form"
        if m > 0:
            raise InputError(
                f"{portfolio.name} already loses {-a:.2%} from the scenario's other shocks, "
                f"more than {loss:.0%}, before any market move."
            )
        if m < -1.0 or not math.isclose(impact(m), -loss, abs_tol=1e-9):
            worst = impact(-1.0)
            if worst > -loss:
                raise InputError(
                    f"Even a -100% market move loses only {-worst:.2%} of {portfolio.name}; "
                    f"no market shock loses {loss:.0%}."
                )
            lo, hi = -1.0, 0.0  # impact(lo) <= -loss < impact(hi)
            for _ in range(_BISECTION_STEPS):
                mid = (lo + hi) / 2
                if impact(mid) <= -loss:
                    lo = mid
                else:
                    hi = mid
            m, method = lo, "bisection"
        name = f"reverse_stress_{round(loss * 100)}"
        scenario = dataclasses.replace(
            sc.with_market(m, name=name), title=f"Market {m:+.1%} (loses {loss:.0%})"
        )
        return ReverseStressResult(
            loss=loss,
            market_shock=m,
            portfolio_beta=beta,
            method=method,
            result=self._result(portfolio, scenario, frame, total),
            data_label=self.context.data_label,
            is_synthetic=self.context.is_synthetic,
        )

    # --- historical replay --------------------------------------------------------
    def replay(
        self,
        portfolio: Portfolio,
        window: str | Scenario | DateLike,
        end: DateLike | None = None,
    ) -> ReplayResult:
        """Run today's weights through the market's actual path over a window.

        ``window`` is a scenario with a ``start``/``end`` inside the market's history
        (e.g. ``"covid_2020"``), or a start date with ``end``. Holdings with no data
        at the window's start are replayed through a proxy: the instrument of the
        same sector (else asset class) with data then whose beta is closest; the
        result's ``proxies`` table says which.
        """
        title, start, stop, sc = self._window(window, end)
        frame, total = self.positions(portfolio)
        weights = dict(frame.select("symbol", "weight").iter_rows())
        cash_w = portfolio.cash_cents / total if total else 0.0
        closes = price_panel(self.market, list(weights), start, stop)
        first = closes.row(0, named=True)
        need = [s for s in weights if first[s] is None]
        proxies = self._proxies(need, frame, start, stop) if need else {}
        if proxies:
            extra = price_panel(self.market, sorted(set(proxies.values())), start, stop)
            closes = closes.drop(need).join(
                extra.select("date", *(pl.col(p).alias(s) for s, p in proxies.items())),
                on="date",
                how="left",
            )
        closes = closes.with_columns(pl.exclude("date").forward_fill())
        rel = closes.select("date", *((pl.col(s) / pl.col(s).first()).alias(s) for s in weights))
        value = rel.select(
            "date",
            (pl.sum_horizontal(pl.col(s) * w for s, w in weights.items()) + cash_w).alias("value")
            if weights
            else pl.lit(1.0).alias("value"),
        ).with_columns((pl.col("value") / pl.col("value").cum_max() - 1.0).alias("drawdown"))
        last = rel.row(-1, named=True)
        holdings = (
            frame.select("symbol", "name", "weight")
            .with_columns(
                pl.col("symbol")
                .replace_strict(proxies, default=None, return_dtype=pl.String)
                .alias("proxy"),
                pl.col("symbol")
                .replace_strict({s: last[s] - 1.0 for s in weights}, return_dtype=pl.Float64)
                .alias("return"),
            )
            .with_columns((pl.col("weight") * pl.col("return")).alias("contribution"))
        )
        proxy_rows = (
            frame.filter(pl.col("symbol").is_in(list(proxies)))
            .select("symbol", "group", "beta")
            .with_columns(
                pl.col("symbol").replace_strict(proxies, return_dtype=pl.String).alias("proxy"),
                pl.lit(f"no data on {start}").alias("reason"),
            )
        )
        predicted = self._result(portfolio, sc, frame, total).impact if sc else None
        return ReplayResult(
            title=title,
            portfolio_name=portfolio.name,
            start=start,
            end=stop,
            total_return=float(value["value"][-1]) - 1.0,
            max_drawdown=float(value["drawdown"].min() or 0.0),  # type: ignore[arg-type]
            predicted=predicted,
            holdings=holdings.sort("contribution"),
            path=value,
            proxies=proxy_rows,
            data_label=self.context.data_label,
            is_synthetic=self.context.is_synthetic,
        )

    def replayable(self) -> list[str]:
        """Predefined scenarios whose window lies inside the market's history."""
        return [
            s.name
            for s in PREDEFINED_SCENARIOS.values()
            if s.start and s.end and self.market.start <= s.start and s.end <= self.market.end
        ]

    def _window(
        self, window: str | Scenario | DateLike, end: DateLike | None
    ) -> tuple[str, dt.date, dt.date, Scenario | None]:
        sc: Scenario | None = None
        if isinstance(window, Scenario) or (isinstance(window, str) and not window[:4].isdigit()):
            sc = get_scenario(window)
            if sc.start is None or sc.end is None:
                raise InputError(
                    f"Scenario {sc.name!r} has no historical window; replay needs one. Use "
                    "run() to apply it as a shock."
                )
            start, stop, title = sc.start, sc.end, sc.title
        else:
            if end is None:
                raise InputError("replay(portfolio, start, end): give an end date too.")
            start, stop = to_date(window, what="start"), to_date(end, what="end")
            title = f"{start}..{stop}"
        if not (self.market.start <= start and stop <= self.market.end) or start >= stop:
            raise DateRangeError(
                f"The window {start}..{stop} is not inside this market's history "
                f"({self.market.start}..{self.market.end}). Replayable here: "
                f"{', '.join(self.replayable()) or 'none'}; apply the others as shocks with run()."
            )
        days = self.market.trading_days.filter(self.market.trading_days.is_between(start, stop))
        if len(days) < 2:
            raise DateRangeError(f"The window {start}..{stop} has fewer than two sessions.")
        return title, start, stop, sc

    def _proxies(
        self, need: Sequence[str], frame: pl.DataFrame, start: dt.date, stop: dt.date
    ) -> dict[str, str]:
        inst = self.market.instruments
        info = frame.select("symbol", "sector", "beta").join(
            inst.select("symbol", "asset_class"), on="symbol", how="left"
        )
        out: dict[str, str] = {}
        for sym, sector, beta, asset in info.filter(pl.col("symbol").is_in(list(need))).iter_rows():
            pool = inst.filter(
                (pl.col("sector") == sector) if sector else (pl.col("asset_class") == asset),
                pl.col("symbol") != sym,
            )["symbol"].to_list()
            listed = self._listed(pool, start, stop)
            if not listed:
                fallback = self.context.market_proxy
                if fallback not in self.market.symbols:
                    raise DateRangeError(
                        f"{sym} has no data on {start} and nothing similar does; "
                        "choose a later window."
                    )
                out[sym] = fallback
                continue
            betas = self.context.model(listed).column("beta")
            out[sym] = min(listed, key=lambda c: (abs(betas[c] - beta), c))
        return out

    def _listed(self, pool: list[str], start: dt.date, stop: dt.date) -> list[str]:
        if not pool:
            return []
        firsts = (
            self.market.bars.filter(pl.col("symbol").is_in(pool))
            .group_by("symbol")
            .agg(
                pl.col("ts").min().dt.date().alias("first"),
                pl.col("ts").max().dt.date().alias("last"),
            )
            .filter(pl.col("first") <= start, pl.col("last") >= stop)
        )
        return sorted(firsts["symbol"].to_list())
