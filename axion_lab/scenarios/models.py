"""Inputs of the scenario engines: portfolios, trades, costs, taxes and scenarios.

All frozen. Ledger money is integer cents (see :mod:`axion_lab.scenarios.config`).

Examples
--------
>>> p = Portfolio.from_positions({"AAA": 10, "BBB": 2.5}, cash_cents=100_000)
>>> p.symbols, p.shares_of("BBB"), p.cash_cents
(('AAA', 'BBB'), 2.5, 100000)
>>> ProposedTrade.buy("AAA", dollars=1500).amount_cents
150000
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import polars as pl

from axion_lab.exceptions import InputError
from axion_lab.scenarios.config import ScenarioType, TradeAction
from axion_lab.scenarios.money import dollars_to_cents

__all__ = [
    "Holding",
    "Portfolio",
    "ProposedTrade",
    "Scenario",
    "TaxLot",
    "TaxRates",
    "TradingCosts",
]

_SHARE_TOLERANCE = 1e-9


def _check_shares(value: float, what: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise InputError(f"{what} must be a finite number of shares, got {value!r}.")
    return float(value)


@dataclasses.dataclass(frozen=True)
class TaxLot:
    """Shares bought together: how many, what they cost in total (cents), and when."""

    shares: float
    cost_cents: int
    acquired: dt.date | None = None

    def __post_init__(self) -> None:
        if _check_shares(self.shares, "A tax lot's shares") <= 0:
            raise InputError(f"A tax lot needs a positive number of shares, got {self.shares}.")
        if not isinstance(self.cost_cents, int) or self.cost_cents < 0:
            raise InputError(
                f"A tax lot's cost is a non-negative integer of cents, got {self.cost_cents!r}."
            )


@dataclasses.dataclass(frozen=True)
class Holding:
    """A position: ``shares`` of ``symbol`` with optional tax lots (oldest first)."""

    symbol: str
    shares: float
    lots: tuple[TaxLot, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "symbol", str(self.symbol).strip().upper())
        if not self.symbol:
            raise InputError("A holding needs a symbol.")
        shares = _check_shares(self.shares, f"{self.symbol}: shares")
        if shares < 0:
            raise InputError(
                f"{self.symbol}: short positions are not supported (shares {shares}); "
                "enter long positions only."
            )
        object.__setattr__(self, "shares", shares)
        object.__setattr__(self, "lots", tuple(self.lots))
        if self.lots:
            total = math.fsum(lot.shares for lot in self.lots)
            if abs(total - shares) > _SHARE_TOLERANCE * max(1.0, shares):
                raise InputError(
                    f"{self.symbol}: the tax lots hold {total:g} shares but the holding has "
                    f"{shares:g}; make them agree or leave the lots out."
                )

    @classmethod
    def with_cost(
        cls, symbol: str, shares: float, cost_cents: int, acquired: dt.date | None = None
    ) -> Holding:
        """A holding bought in one lot for ``cost_cents`` in total."""
        return cls(symbol, shares, (TaxLot(shares, cost_cents, acquired),) if shares else ())

    @property
    def cost_cents(self) -> int | None:
        """Total cost basis in cents, or ``None`` when no lots were given."""
        return sum(lot.cost_cents for lot in self.lots) if self.lots else None


@dataclasses.dataclass(frozen=True)
class Portfolio:
    """Holdings (one per symbol) and cash in cents.

    Build with :meth:`from_positions`, :func:`~axion_lab.scenarios.read_portfolio`
    (CSV/Parquet) or :func:`~axion_lab.scenarios.portfolio_from_weights`. Prices
    come from the market when an engine values the portfolio.
    """

    holdings: tuple[Holding, ...]
    cash_cents: int = 0
    name: str = "Portfolio"

    def __post_init__(self) -> None:
        holdings = tuple(self.holdings)
        seen: set[str] = set()
        for h in holdings:
            if h.symbol in seen:
                raise InputError(
                    f"{h.symbol} appears twice in the portfolio; merge it into one holding."
                )
            seen.add(h.symbol)
        object.__setattr__(self, "holdings", holdings)
        if not isinstance(self.cash_cents, int) or isinstance(self.cash_cents, bool):
            raise InputError(
                f"Cash is an integer number of cents, got {self.cash_cents!r}; use "
                "dollars_to_cents() to convert dollars."
            )

    @classmethod
    def from_positions(
        cls,
        positions: Mapping[str, float],
        *,
        cash_cents: int = 0,
        name: str = "Portfolio",
    ) -> Portfolio:
        """A portfolio from ``{symbol: shares}`` (no tax lots)."""
        return cls(tuple(Holding(s, q) for s, q in positions.items()), cash_cents, name)

    @property
    def symbols(self) -> tuple[str, ...]:
        """Symbols held, in holding order."""
        return tuple(h.symbol for h in self.holdings)

    def holding(self, symbol: str) -> Holding | None:
        """The holding of ``symbol``, or ``None``."""
        key = symbol.strip().upper()
        return next((h for h in self.holdings if h.symbol == key), None)

    def shares_of(self, symbol: str) -> float:
        """Shares held of ``symbol`` (0 when not held)."""
        h = self.holding(symbol)
        return h.shares if h else 0.0

    def replace(self, **changes: object) -> Portfolio:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def to_frame(self) -> pl.DataFrame:
        """One row per holding: symbol, shares, cost basis (cents, null if unknown), lots."""
        return pl.DataFrame(
            {
                "symbol": [h.symbol for h in self.holdings],
                "shares": [h.shares for h in self.holdings],
                "cost_cents": [h.cost_cents for h in self.holdings],
                "lots": [len(h.lots) for h in self.holdings],
            },
            schema={
                "symbol": pl.String,
                "shares": pl.Float64,
                "cost_cents": pl.Int64,
                "lots": pl.Int64,
            },
        )


@dataclasses.dataclass(frozen=True)
class ProposedTrade:
    """A trade to try: ``shares`` or a dollar ``amount_cents`` of ``symbol``.

    Use :meth:`buy` / :meth:`sell`; exactly one of shares and amount is set. A
    dollar amount is turned into shares at the market price (fractional shares
    unless the analyzer is told to use whole shares).
    """

    symbol: str
    action: TradeAction
    shares: float | None = None
    amount_cents: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "symbol", str(self.symbol).strip().upper())
        object.__setattr__(self, "action", TradeAction(self.action))
        if (self.shares is None) == (self.amount_cents is None):
            raise InputError(
                f"Trade in {self.symbol}: give either shares or a dollar amount, not "
                f"{'both' if self.shares is not None else 'neither'}."
            )
        if self.shares is not None and _check_shares(self.shares, "Trade shares") <= 0:
            raise InputError(f"Trade in {self.symbol}: shares must be positive.")
        if self.amount_cents is not None and (
            not isinstance(self.amount_cents, int) or self.amount_cents <= 0
        ):
            raise InputError(
                f"Trade in {self.symbol}: the amount must be a positive integer of cents."
            )

    @classmethod
    def buy(
        cls, symbol: str, *, shares: float | None = None, dollars: float | None = None
    ) -> ProposedTrade:
        """Buy ``shares``, or shares worth ``dollars``."""
        cents = None if dollars is None else dollars_to_cents(dollars)
        return cls(symbol, TradeAction.BUY, shares, cents)

    @classmethod
    def sell(
        cls, symbol: str, *, shares: float | None = None, dollars: float | None = None
    ) -> ProposedTrade:
        """Sell ``shares``, or shares worth ``dollars``."""
        cents = None if dollars is None else dollars_to_cents(dollars)
        return cls(symbol, TradeAction.SELL, shares, cents)


@dataclasses.dataclass(frozen=True)
class TradingCosts:
    """What a trade costs: a fixed commission, a commission in bp, half the spread.

    ``spread_bps`` is the full quoted bid-ask spread; a trade crosses half of it
    (buys pay ``mid * (1 + spread/2)``, sells receive ``mid * (1 - spread/2)``).
    """

    per_trade_cents: int = 0
    commission_bps: float = 0.0
    spread_bps: float = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.per_trade_cents, int) or self.per_trade_cents < 0:
            raise InputError("per_trade_cents must be a non-negative integer of cents.")
        if self.commission_bps < 0 or self.spread_bps < 0:
            raise InputError("Commission and spread must not be negative.")


@dataclasses.dataclass(frozen=True)
class TaxRates:
    """Tax on realised gains: short-term and long-term rates, held-days threshold.

    Lots without an acquisition date are taxed at the short-term rate (the
    conservative choice). Net losses are not taxed; in a rebalancing run they are
    carried forward against later gains.
    """

    short_term: float = 0.0
    long_term: float = 0.0
    long_term_days: int = 365

    def __post_init__(self) -> None:
        for rate in (self.short_term, self.long_term):
            if not 0.0 <= rate < 1.0:
                raise InputError(f"Tax rates are fractions in [0, 1), got {rate}.")

    def rate(self, acquired: dt.date | None, sold: dt.date | None) -> float:
        """The rate for a lot acquired on ``acquired`` and sold on ``sold``."""
        if acquired is None or sold is None:
            return self.short_term
        held = (sold - acquired).days
        return self.long_term if held > self.long_term_days else self.short_term


def _frozen_map(values: Mapping[str, float] | None) -> Mapping[str, float]:
    return MappingProxyType({str(k): float(v) for k, v in (values or {}).items()})


@dataclasses.dataclass(frozen=True)
class Scenario:
    """A set of shocks and where they come from.

    Shocks (all optional):

    ``market``
        the broad equity market's total move (``-0.3`` is -30%); a holding moves by
        its beta times this.
    ``sectors``
        ``{sector: total move}``: an equity in that sector moves by
        ``beta * market + (sector move - market)`` (the sector's excess over the market
        comes on top of its beta exposure).
    ``factors``
        ``{factor: return per unit of exposure}`` on the style z-scores in
        :data:`~axion_lab.scenarios.config.FACTORS`.
    ``rates_bp`` / ``credit_bp`` / ``high_yield_bp``
        moves in the 10-year Treasury yield and investment-grade / high-yield credit
        spreads, in basis points, for bonds and bond funds (duration and convexity).
    ``names``
        ``{symbol: total move}`` that replaces the model's move for that holding.

    A historical scenario also carries the documented index levels
    (``index_peak``/``index_trough``, S&P 500 closes) that its ``market`` shock must
    reproduce, its ``start``/``end`` window and its ``sources``.
    """

    name: str
    title: str
    kind: ScenarioType = ScenarioType.CUSTOM
    market: float = 0.0
    sectors: Mapping[str, float] = dataclasses.field(default_factory=dict)
    factors: Mapping[str, float] = dataclasses.field(default_factory=dict)
    rates_bp: float = 0.0
    credit_bp: float = 0.0
    high_yield_bp: float = 0.0
    names: Mapping[str, float] = dataclasses.field(default_factory=dict)
    description: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    index_peak: float | None = None
    index_trough: float | None = None
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ScenarioType(self.kind))
        object.__setattr__(self, "sectors", _frozen_map(self.sectors))
        object.__setattr__(self, "factors", _frozen_map(self.factors))
        object.__setattr__(
            self, "names", _frozen_map({k.upper(): v for k, v in self.names.items()})
        )
        object.__setattr__(self, "sources", tuple(self.sources))
        moves = [self.market, *self.sectors.values(), *self.names.values()]
        for move in moves:
            if not math.isfinite(move) or move < -1.0:
                raise InputError(
                    f"Scenario {self.name!r}: a price move of {move:+.1%} is impossible; "
                    "moves are fractions no lower than -1 (-100%)."
                )
        if self.start and self.end and self.start > self.end:
            raise InputError(f"Scenario {self.name!r}: start {self.start} is after end {self.end}.")

    @property
    def documented_move(self) -> float | None:
        """The S&P 500 peak-to-trough move implied by the documented index levels."""
        if self.index_peak is None or self.index_trough is None:
            return None
        return self.index_trough / self.index_peak - 1.0

    def with_market(self, market: float, *, name: str | None = None) -> Scenario:
        """The same scenario with a different market shock."""
        return dataclasses.replace(self, market=market, name=name or self.name)

    @classmethod
    def custom(
        cls,
        name: str = "custom",
        *,
        market: float = 0.0,
        sectors: Mapping[str, float] | None = None,
        factors: Mapping[str, float] | None = None,
        rates_bp: float = 0.0,
        credit_bp: float = 0.0,
        high_yield_bp: float = 0.0,
        names: Mapping[str, float] | None = None,
        title: str | None = None,
        description: str = "",
    ) -> Scenario:
        """A user-built scenario (see the class docstring for each shock)."""
        return cls(
            name=name,
            title=title or name.replace("_", " ").capitalize(),
            kind=ScenarioType.CUSTOM,
            market=market,
            sectors=dict(sectors or {}),
            factors=dict(factors or {}),
            rates_bp=rates_bp,
            credit_bp=credit_bp,
            high_yield_bp=high_yield_bp,
            names=dict(names or {}),
            description=description,
        )

    def shocks(self) -> dict[str, float]:
        """Every non-zero shock, flattened (``sector:Energy``, ``factor:value``...)."""
        out: dict[str, float] = {}
        if self.market:
            out["market"] = self.market
        out.update({f"sector:{k}": v for k, v in self.sectors.items()})
        out.update({f"factor:{k}": v for k, v in self.factors.items()})
        for key in ("rates_bp", "credit_bp", "high_yield_bp"):
            value = getattr(self, key)
            if value:
                out[key] = value
        out.update({f"name:{k}": v for k, v in self.names.items()})
        return out


def merge_positions(items: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Sum shares per symbol, keeping first-seen order."""
    out: dict[str, float] = {}
    for sym, q in items:
        out[sym] = out.get(sym, 0.0) + q
    return out
