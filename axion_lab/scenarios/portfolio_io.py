"""Portfolios from files, from target weights, and ready-made examples.

A holdings file (CSV/TSV or Parquet, read by :mod:`axion_lab.data.files`) has one
row per holding or per tax lot:

==============  ===========================================  =========
column          also accepted                                required
==============  ===========================================  =========
symbol          ticker, security                             yes
shares          quantity, qty, units, position               yes
cost_basis      cost, total_cost, book_value                 no (total cost of the row, $)
cost_per_share  avg_cost, average_cost, price_paid, unit_cost  no
acquired        date, purchase_date, acquired_date, open_date  no
==============  ===========================================  =========

Rows of the same symbol are tax lots of one holding. A row whose symbol is
``CASH`` (or ``$CASH``) holds cash: its dollars are in ``shares`` or
``cost_basis``. Numbers may carry ``$`` and thousands separators; every error
names the file, row and column.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "holdings.csv"
>>> _ = path.write_text("Ticker,Qty,Cost\\nabc,10,\\"$1,000.50\\"\\nCASH,250.25,\\n")
>>> p = read_portfolio(path)
>>> p.symbols, p.holding("ABC").cost_cents, p.cash_cents
(('ABC',), 100050, 25025)
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import polars as pl

from axion_lab.data.files._dates import parse_datetime
from axion_lab.data.files._read import ROW, RawTable, read_table
from axion_lab.data.files._spec import normalise_header
from axion_lab.data.files._values import Cells, parse_number, parse_text
from axion_lab.data.market import DateLike, Market
from axion_lab.exceptions import FileImportError, InputError, UnknownNameError, UnknownSymbolError
from axion_lab.scenarios.models import Holding, Portfolio, TaxLot
from axion_lab.scenarios.money import dollars_to_cents, trade_cents
from axion_lab.scenarios.risk import resolve_as_of

__all__ = [
    "EXAMPLE_PORTFOLIOS",
    "example_portfolio",
    "portfolio_from_weights",
    "read_portfolio",
    "read_portfolio_text",
]

_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "symbol": ("symbol", "ticker", "security"),
    "shares": ("shares", "quantity", "qty", "units", "position"),
    "cost_basis": ("costbasis", "cost", "totalcost", "bookvalue"),
    "cost_per_share": ("costpershare", "avgcost", "averagecost", "pricepaid", "unitcost"),
    "acquired": ("acquired", "date", "purchasedate", "acquireddate", "opendate"),
}
_CASH: Final = ("CASH", "$CASH")

# Sandbox ETFs and Treasuries: portfolios that exist in the default market.
EXAMPLE_PORTFOLIOS: Final[Mapping[str, Mapping[str, float]]] = {
    "balanced": {
        "AXLG": 0.35,
        "AXMD": 0.10,
        "AXSM": 0.05,
        "AXAG": 0.30,
        "AXIG": 0.10,
        "AXAU": 0.05,
    },
    "growth": {"AXGR": 0.40, "SXIT": 0.25, "AXLG": 0.25, "AXSM": 0.10},
    "income": {"AXDV": 0.30, "SXUT": 0.15, "SXRE": 0.10, "AXIG": 0.20, "AXHY": 0.15, "UST31": 0.10},
    "tech_heavy": {"SXIT": 0.50, "SXCM": 0.20, "AXGR": 0.20, "AXLG": 0.10},
}


def _map_header(header: list[str], path: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for h in header:
        norm = normalise_header(h)
        for canon, aliases in _ALIASES.items():
            if norm in aliases and canon not in found:
                found[canon] = h
    for need in ("symbol", "shares"):
        if need not in found:
            raise FileImportError(
                f"no {need!r} column (also accepted: {', '.join(_ALIASES[need][1:])}); "
                f"the file has {header}.",
                path=path,
            )
    return found


def read_portfolio(
    path: str | Path, *, name: str | None = None, market: Market | None = None
) -> Portfolio:
    """Read a holdings file into a :class:`Portfolio` (see the module docstring).

    With ``market``, every symbol is checked and an unknown one is reported with
    its row and the closest tickers.
    """
    return _from_table(read_table(path), name or Path(path).stem, market)


def read_portfolio_text(
    text: str, *, name: str = "Portfolio", market: Market | None = None
) -> Portfolio:
    """Like :func:`read_portfolio`, from CSV text (errors name ``<text>`` and the row).

    >>> read_portfolio_text("symbol,shares\\nAAA,5\\n").symbols
    ('AAA',)
    """
    if not text.strip():
        raise FileImportError(
            "is empty; enter a header line and one line per holding.", path="<text>"
        )
    try:
        frame = pl.read_csv(io.StringIO(text.strip() + "\n"), infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise FileImportError(
            f"could not be read as CSV ({str(exc).splitlines()[0]}).", path="<text>"
        ) from exc
    frame = frame.rename({c: c.strip() for c in frame.columns})
    rows = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    return _from_table(RawTable(rows, "<text>", ()), name, market)


def _from_table(table: RawTable, name: str, market: Market | None) -> Portfolio:
    cols = _map_header(table.header, table.path)
    frame, rows = table.frame, table.frame[ROW]

    def cells(canon: str) -> Cells:
        return Cells(frame[cols[canon]], rows, cols[canon], table.path)

    symbols = parse_text(cells("symbol"), upper=True)
    if symbols.null_count():
        raise cells("symbol").fail(
            symbols.is_null(), "missing symbol:", "Every row needs a ticker."
        )
    shares, _ = parse_number(cells("shares"))
    if shares.null_count():
        raise cells("shares").fail(shares.is_null(), "missing share count:")
    negative = shares < 0
    if negative.any():
        raise cells("shares").fail(
            negative, "negative share count", "Short positions are not supported."
        )
    cost = per_share = acquired = None
    if "cost_basis" in cols:
        cost = parse_number(cells("cost_basis"))[0]
    if "cost_per_share" in cols:
        per_share = parse_number(cells("cost_per_share"))[0]
    if "acquired" in cols:
        acquired = parse_datetime(cells("acquired"))[0].dt.date()
    if market is not None:
        known = set(market.symbols)
        bad = ~symbols.is_in(list(known)) & ~symbols.is_in(list(_CASH))
        if bad.any():
            i = int(bad.arg_true()[0])
            err = UnknownSymbolError.for_name("symbol", str(symbols[i]), market.symbols)
            raise FileImportError(
                str(err), path=table.path, row=int(rows[i]), column=cols["symbol"]
            ) from err
    cash = 0
    lots: dict[str, list[TaxLot]] = {}
    totals: dict[str, float] = {}
    no_basis: set[str] = set()
    for i in range(frame.height):
        sym, q = str(symbols[i]), float(shares[i])
        row_cost = None if cost is None or cost[i] is None else float(cost[i])
        if sym in _CASH:
            cash += dollars_to_cents(row_cost if row_cost is not None and q == 0 else q)
            continue
        if row_cost is None and per_share is not None and per_share[i] is not None:
            row_cost = None if q == 0 else trade_cents(q, float(per_share[i])) / 100
        totals[sym] = totals.get(sym, 0.0) + q
        if q == 0:
            continue
        if row_cost is None:
            no_basis.add(sym)
            continue
        when = None if acquired is None else acquired[i]
        lots.setdefault(sym, []).append(TaxLot(q, dollars_to_cents(row_cost), when))
    holdings = []
    for sym, q in totals.items():
        if q <= 0:
            continue
        # A holding with some rows lacking a cost has no usable basis at all.
        keep = () if sym in no_basis else tuple(sorted(lots.get(sym, []), key=_lot_order))
        holdings.append(Holding(sym, q, keep))
    return Portfolio(tuple(holdings), cash, name)


def _lot_order(lot: TaxLot) -> dt.date:
    return lot.acquired or dt.date.min


def portfolio_from_weights(
    market: Market,
    weights: Mapping[str, float],
    *,
    value_cents: int = 100_000_000,
    as_of: DateLike | None = None,
    name: str = "Portfolio",
    whole_shares: bool = False,
) -> Portfolio:
    """Buy ``weights`` of ``value_cents`` at the closes of ``as_of``; the rest is cash.

    >>> from axion_lab import load_market
    >>> p = portfolio_from_weights(load_market(), {"AXLG": 0.6, "AXAG": 0.4},
    ...                            value_cents=1_000_000, whole_shares=True)
    >>> p.cash_cents >= 0 and len(p.holdings) == 2
    True
    """
    total = sum(weights.values())
    if any(w < 0 for w in weights.values()) or total > 1.0 + 1e-9:
        raise InputError(
            f"Weights must be non-negative and sum to at most 1 (they sum to {total:.4f})."
        )
    syms = market.resolve_symbols(list(weights))
    day = resolve_as_of(market, as_of)
    last = (
        market.bars.filter(pl.col("symbol").is_in(syms), pl.col("ts").dt.date() <= day)
        .sort("ts")
        .group_by("symbol")
        .agg(pl.col("close").last())
    )
    prices = dict(last.iter_rows())
    holdings = []
    spent = 0
    for sym, w in zip(syms, weights.values(), strict=True):
        price = prices.get(sym)
        if price is None:
            raise InputError(f"{sym} has no price on or before {day}; pick a later date.")
        q = w * value_cents / 100 / price
        q = math.floor(q) if whole_shares else q
        if q <= 0:
            continue
        cost = trade_cents(q, price)
        spent += cost
        holdings.append(Holding(sym, float(q), (TaxLot(float(q), cost, day),)))
    return Portfolio(tuple(holdings), value_cents - spent, name)


def example_portfolio(
    market: Market,
    kind: str = "balanced",
    *,
    value_cents: int = 100_000_000,
    as_of: DateLike | None = None,
) -> Portfolio:
    """One of :data:`EXAMPLE_PORTFOLIOS`, bought at ``as_of`` (sandbox symbols)."""
    if kind not in EXAMPLE_PORTFOLIOS:
        raise UnknownNameError.for_name("example portfolio", kind, EXAMPLE_PORTFOLIOS)
    return portfolio_from_weights(
        market,
        EXAMPLE_PORTFOLIOS[kind],
        value_cents=value_cents,
        as_of=as_of,
        name=kind.replace("_", " ").capitalize(),
        whole_shares=True,
    )
