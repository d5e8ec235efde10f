"""build_snapshot on the tiny hand-made market: values worked out by hand.

See ``conftest.py`` for what each symbol holds and why.
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest

from axion_lab.data import Market
from axion_lab.exceptions import UnknownNameError, UnknownSymbolError
from axion_lab.fields import FIELD_REGISTRY, build_snapshot

AS_OF = dt.date(2024, 6, 28)


def _row(snap: pl.DataFrame, symbol: str) -> dict[str, object]:
    return snap.filter(pl.col("symbol") == symbol).row(0, named=True)


def _last_close(market: Market, symbol: str, day: dt.date = AS_OF) -> float:
    bars = market.bars.filter(pl.col("symbol") == symbol, pl.col("ts").dt.date() <= day)
    return float(bars.sort("ts")["close"][-1])


def test_pe_is_price_over_ttm_eps_of_published_quarters(tiny_market: Market) -> None:
    snap = build_snapshot(tiny_market, as_of=AS_OF, fields=["price", "eps_ttm", "pe_ratio"])
    a = _row(snap, "A")
    # Q2'23..Q1'24: 1.1 + 1.2 + 1.3 + 1.4. The Q2'24 row (EPS 100) is published on
    # 2024-08-10, after the as-of date, and must not count.
    assert a["eps_ttm"] == pytest.approx(5.0)
    assert a["price"] == pytest.approx(_last_close(tiny_market, "A"))
    assert a["pe_ratio"] == pytest.approx(_last_close(tiny_market, "A") / 5.0)


def test_a_quarter_is_invisible_until_its_publication_date(tiny_market: Market) -> None:
    # Q1'24 is published on 2024-05-10: on 2024-05-01 the TTM is Q1'23..Q4'23.
    before = build_snapshot(tiny_market, as_of="2024-05-01", fields=["eps_ttm", "revenue_ttm"])
    after = build_snapshot(tiny_market, as_of="2024-05-10", fields=["eps_ttm", "revenue_ttm"])
    assert _row(before, "A")["eps_ttm"] == pytest.approx(1.0 + 1.1 + 1.2 + 1.3)
    assert _row(after, "A")["eps_ttm"] == pytest.approx(1.1 + 1.2 + 1.3 + 1.4)
    assert _row(after, "A")["revenue_ttm"] == pytest.approx(110 + 120 + 130 + 140)


def test_growth_rates_by_hand(tiny_market: Market) -> None:
    fields = ["revenue_growth_qoq", "revenue_growth_yoy", "revenue_growth_ttm", "eps_growth_yoy"]
    a = _row(build_snapshot(tiny_market, as_of=AS_OF, fields=fields), "A")
    assert a["revenue_growth_qoq"] == pytest.approx(140 / 130 - 1)
    assert a["revenue_growth_yoy"] == pytest.approx(140 / 100 - 1)
    assert a["eps_growth_yoy"] == pytest.approx(1.4 / 1.0 - 1)
    # Five quarters cannot give a TTM a year ago.
    assert a["revenue_growth_ttm"] is None


def test_per_share_history_is_restated_for_splits(tiny_market: Market) -> None:
    fields = ["price", "eps_ttm", "pe_ratio", "shares_outstanding", "sma_200", "price_vs_sma_20"]
    b = _row(build_snapshot(tiny_market, as_of=AS_OF, fields=fields), "B")
    # Three pre-split quarters of EPS 2.0 are 1.0 on today's share count, plus 1.0.
    assert b["eps_ttm"] == pytest.approx(4.0)
    assert b["pe_ratio"] == pytest.approx(50.0 / 4.0)
    assert b["shares_outstanding"] == pytest.approx(4e6)
    # As traded, the close was 100 before the split; adjusted it is 50 throughout.
    assert b["sma_200"] == pytest.approx(50.0)
    assert b["price_vs_sma_20"] == pytest.approx(0.0)


def test_split_not_yet_effective_does_not_restate(tiny_market: Market) -> None:
    b = _row(build_snapshot(tiny_market, as_of="2024-01-12", fields=["eps_ttm", "price"]), "B")
    assert b["price"] == pytest.approx(100.0)
    # Only Q2'23 and Q3'23 are published (Q4'23 on 2024-02-09): no TTM yet.
    assert b["eps_ttm"] is None


def test_dividends_by_hand(tiny_market: Market) -> None:
    fields = [
        "dividend_ttm",
        "dividend_yield",
        "forward_dividend",
        "years_of_increases",
        "dividend_cagr_3y",
        "dividend_growth_1y",
        "dividend_frequency",
        "last_ex_date",
    ]
    snap = build_snapshot(tiny_market, as_of=AS_OF, fields=fields)
    a, b, d = _row(snap, "A"), _row(snap, "B"), _row(snap, "D")
    # Aug'23, Nov'23, Feb'24, May'24 regular payments; the 5.0 special is excluded.
    assert a["dividend_ttm"] == pytest.approx(0.30 + 0.30 + 0.35 + 0.35)
    assert a["dividend_yield"] == pytest.approx(1.30 / _last_close(tiny_market, "A"))
    assert a["forward_dividend"] == pytest.approx(0.35 * 4)
    assert a["years_of_increases"] == 3  # 2021, 2022, 2023 each above the year before
    assert a["dividend_cagr_3y"] == pytest.approx((0.30 / 0.20) ** (1 / 3) - 1)
    assert a["dividend_growth_1y"] == pytest.approx(0.35 / 0.30 - 1)
    assert a["dividend_frequency"] == "quarterly"
    assert a["last_ex_date"] == dt.date(2024, 5, 15)
    # B's pre-split 1.0 payments are 0.5 on today's share count.
    assert b["dividend_ttm"] == pytest.approx(2.0)
    assert b["dividend_yield"] == pytest.approx(2.0 / 50.0)
    assert b["years_of_increases"] == 0
    assert d["dividend_ttm"] == 0.0
    assert d["forward_dividend"] is None


def test_short_interest_ratings_and_holdings_are_point_in_time(tiny_market: Market) -> None:
    fields = [
        "short_interest",
        "short_float",
        "borrow_fee",
        "short_interest_change",
        "days_to_cover",
        "analyst_rating",
        "target_price",
        "rating_change_3m",
        "target_change_3m",
        "target_upside",
        "institutional_shares",
        "institutional_holders",
        "institutional_shares_change_qoq",
        "institutional_holders_change_qoq",
        "institutional_ownership",
    ]
    a = _row(build_snapshot(tiny_market, as_of=AS_OF, fields=fields), "A")
    # The 2024-06-28 short report is published on 2024-07-10: the 06-14 one is the latest.
    assert a["short_interest"] == pytest.approx(1e6)
    assert a["short_float"] == pytest.approx(0.1)
    assert a["borrow_fee"] == pytest.approx(0.005)  # 0.5 % a year, as a fraction
    assert a["short_interest_change"] == pytest.approx(1e6 / 8e5 - 1)
    assert a["days_to_cover"] == pytest.approx(2.5)
    assert a["analyst_rating"] == pytest.approx(1.5)
    assert a["target_price"] == pytest.approx(15.0)
    assert a["rating_change_3m"] == pytest.approx(-0.5)
    assert a["target_change_3m"] == pytest.approx(0.25)
    assert a["target_upside"] == pytest.approx(15.0 / _last_close(tiny_market, "A") - 1)
    # F2's filing (2024-07-05) is after the as-of date.
    assert a["institutional_shares"] == pytest.approx(1e6)
    assert a["institutional_holders"] == 1
    assert a["institutional_shares_change_qoq"] == pytest.approx(0.25)
    assert a["institutional_holders_change_qoq"] == 0
    assert a["institutional_ownership"] == pytest.approx(0.1)


def test_index_membership_as_of_the_date(tiny_market: Market) -> None:
    now = build_snapshot(tiny_market, as_of=AS_OF, fields=["indexes"])
    then = build_snapshot(tiny_market, as_of="2023-06-30", fields=["indexes"])
    assert _row(now, "A")["indexes"] == []
    assert _row(now, "B")["indexes"] == ["IDX"]
    assert _row(then, "A")["indexes"] == ["IDX"]
    assert _row(then, "B")["indexes"] == []


def test_division_by_zero_is_null_never_inf_or_nan(tiny_market: Market) -> None:
    fields = ["pe_ratio", "pb_ratio", "roe", "debt_to_equity", "earnings_yield", "payout_ratio"]
    snap = build_snapshot(tiny_market, as_of=AS_OF, fields=fields)
    d = _row(snap, "D")  # zero EPS and zero equity
    assert d["pe_ratio"] is None
    assert d["pb_ratio"] is None
    assert d["roe"] is None
    assert d["debt_to_equity"] is None
    assert d["earnings_yield"] == 0.0  # 0 / price is a real zero
    e = _row(snap, "E")  # an ETF: no statements at all
    assert all(e[f] is None for f in fields)


def test_full_snapshot_is_typed_by_the_registry_and_has_no_nan(tiny_market: Market) -> None:
    snap = build_snapshot(tiny_market, as_of=AS_OF)
    assert snap.columns == ["symbol", *(f for f in FIELD_REGISTRY.ids if f != "symbol")]
    for f in FIELD_REGISTRY:
        assert snap.schema[f.id] == f.polars_dtype, f.id
    floats = [c for c, t in snap.schema.items() if t == pl.Float64]
    nan = snap.select(pl.sum_horizontal(pl.col(floats).is_nan().sum())).item()
    assert nan == 0
    inf = snap.select(pl.sum_horizontal(pl.col(floats).is_infinite().sum())).item()
    assert inf == 0
    assert snap["symbol"].to_list() == ["A", "B", "D", "E"]
    a = _row(snap, "A")
    assert a["years_listed"] == pytest.approx((AS_OF - dt.date(2000, 1, 3)).days / 365.25)
    assert a["last_bar_date"] == AS_OF
    assert not math.isnan(a["rsi_14"])  # type: ignore[arg-type]


def test_only_requested_columns_and_symbols(tiny_market: Market) -> None:
    snap = build_snapshot(tiny_market, fields=["PE", "close"], symbols=["b", "A"])
    assert snap.columns == ["symbol", "pe_ratio", "price"]
    assert snap["symbol"].to_list() == ["A", "B"]


def test_bad_names_raise_with_suggestions(tiny_market: Market) -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'pe_ratio'"):
        build_snapshot(tiny_market, fields=["pe_ratoi"])
    with pytest.raises(UnknownSymbolError, match="Unknown symbol 'ZZZ'"):
        build_snapshot(tiny_market, fields=["price"], symbols=["ZZZ"])
