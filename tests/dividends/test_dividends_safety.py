"""The safety score: hand-worked factors, contributions adding up, cuts, track record."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from axion_lab.data import Market
from axion_lab.dividends import SafetyAnalyzer, SafetyRating
from axion_lab.dividends.safety import find_cuts, score_market

D = dt.date


def test_hand_worked_score(tiny: Market) -> None:
    report = SafetyAnalyzer(tiny).analyze("AAA", track_record=False)
    # TTM (four identical quarters): net income 400, FCF 500, dividends 200 (paid is
    # negative in the statements; its size counts), operating income 800, interest 80,
    # EBITDA 1000, debt 500.
    # earnings payout 200/400 = 0.5 -> (0.5-1.0)/(0.4-1.0) = 0.8333 of 25 = 20.83
    # fcf payout 0.4 <= 0.5 -> 20; coverage 10x -> 10; leverage 0.5x -> 15
    # stability (no variation) -> 10; streak 1 year -> 1/25 of 15 = 0.6; Utilities -> 5
    # total 81.43 -> 81; whole points 20+20+10+15+10+0+5 = 80, the extra point goes to
    # the largest remainder (earnings payout, .83).
    assert report.contributions("AAA") == {
        "earnings_payout": 21,
        "fcf_payout": 20,
        "interest_coverage": 10,
        "leverage": 15,
        "earnings_stability": 10,
        "streak": 0,
        "sector": 5,
    }
    row = report.scores.row(0, named=True)
    assert (row["score"], row["rating"]) == (81, "very_safe")
    assert row["missing"] == []


def test_missing_factors_get_half_points(tiny: Market) -> None:
    # CCC has no statements: the four statement factors (and stability) earn half.
    report = SafetyAnalyzer(tiny).analyze("CCC", track_record=False)
    points = report.contributions("CCC")
    assert points["earnings_payout"] in (12, 13)
    assert points["leverage"] in (7, 8)
    assert sum(points.values()) == report.scores["score"][0]
    assert set(report.scores["missing"][0]) == {
        "earnings_payout",
        "fcf_payout",
        "interest_coverage",
        "leverage",
        "earnings_stability",
    }


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, SafetyRating.VERY_SAFE),
        (79, SafetyRating.SAFE),
        (40, SafetyRating.BORDERLINE),
        (39, SafetyRating.UNSAFE),
        (0, SafetyRating.CUT_RISK),
    ],
)
def test_bands(score: int, band: SafetyRating) -> None:
    assert SafetyRating.from_score(score) is band


def _q(symbol: str, day: dt.date, amount: float) -> dict[str, object]:
    return {
        "symbol": symbol,
        "declared": day - dt.timedelta(days=14),
        "ex_date": day,
        "record_date": day + dt.timedelta(days=1),
        "pay_date": day + dt.timedelta(days=14),
        "amount": amount,
        "frequency": "quarterly",
        "kind": "regular",
    }


def test_find_cuts_is_split_aware() -> None:
    days = [D(2022, 3, 15), D(2022, 6, 15), D(2022, 9, 15), D(2022, 12, 15), D(2023, 3, 15)]
    rows = (
        [_q("CUT", d, a) for d, a in zip(days, [1.0, 1.0, 1.0, 1.0, 0.8], strict=True)]
        + [_q("SPL", d, a) for d, a in zip(days, [1.0, 1.0, 1.0, 0.5, 0.5], strict=True)]
        + [_q("STOP", d, 1.0) for d in days[:2]]
        + [_q("NOISE", d, a) for d, a in zip(days, [1.0, 1.0, 0.95, 1.0, 0.92], strict=True)]
    )
    splits = pl.DataFrame(
        {
            "symbol": ["SPL"],
            "announced": [D(2022, 11, 1)],
            "ex_date": [D(2022, 12, 1)],
            "ratio": [2.0],
        }
    )
    cuts = find_cuts(
        pl.DataFrame(rows),
        splits,
        ["CUT", "SPL", "STOP", "NOISE"],
        D(2022, 6, 30),
        end=D(2024, 1, 1),
    )
    # CUT: 1.00 -> 0.80 is 20% down; SPL: 0.50 after a 2-for-1 is flat; STOP: nothing
    # within a year; NOISE: never more than 10% below the previous payment.
    assert dict(cuts.select("symbol", "how").iter_rows()) == {
        "CUT": "cut",
        "SPL": None,
        "STOP": "suspended",
        "NOISE": None,
    }


@pytest.mark.slow
def test_track_record_is_measured_point_in_time_and_shown(market: Market) -> None:
    analyzer = SafetyAnalyzer(market)
    day = D(2019, 12, 31)
    record = analyzer.track_record([day])
    # The scores at the date are those of the bundle as of that date (no look-ahead) ...
    expected = score_market(market.as_of(day)).select("symbol", "score", "rating")
    observed = record.observations.select("symbol", "score", "rating")
    assert observed.sort("symbol").equals(expected.sort("symbol"))
    # ... and each outcome is read from what happened in the following year.
    outcomes = find_cuts(
        market.dividends, market.splits, expected["symbol"].to_list(), day, end=market.end
    )
    assert (
        record.observations.select("symbol", "cut")
        .sort("symbol")
        .equals(outcomes.select("symbol", "cut").sort("symbol"))
    )
    # Every band is listed with observations, cuts and their ratio.
    by_band = record.by_band
    assert by_band["rating"].to_list() == [r.value for r in SafetyRating]
    assert by_band["observations"].sum() == record.observations.height > 300
    with_obs = by_band.filter(pl.col("observations") > 0)
    assert (with_obs["cut_rate"] == with_obs["cuts"] / with_obs["observations"]).all()
    # Shown beside each score.
    report = analyzer.analyze(expected["symbol"].head(50).to_list(), track_record=record)
    assert report.scores["band_cut_rate"].null_count() == 0
    html = report._repr_html_()
    assert "Track record by band" in html
    assert "band_cut_rate" in html
