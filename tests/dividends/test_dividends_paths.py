"""Forward DRIP paths: the vectorised engine equals the plain loop; deterministic cases."""

from __future__ import annotations

import numpy as np
import pytest

from axion_lab.data import Market
from axion_lab.dividends import DRIPSimulator
from axion_lab.dividends.drip_paths import PathInputs, simulate_path, simulate_paths


@pytest.mark.parametrize("fractional", [True, False])
def test_vectorised_paths_equal_the_plain_loop(fractional: bool) -> None:
    inp = PathInputs(
        price=37.5,
        shares=120,
        dps=0.41,
        pay_months=tuple(t % 3 == 1 for t in range(120)),
        mu=0.07,
        sigma=0.25,
        dividend_growth=0.06,
        contribution_cents=25_000,
        tax_rate=0.15,
        foreign_rate=0.10,
        fractional=fractional,
    )
    z = np.random.default_rng(7).standard_normal((64, 120))
    fast = simulate_paths(inp, z)
    for i in range(0, 64, 9):
        ref = simulate_path(inp, z[i].tolist())
        np.testing.assert_allclose(fast.price[i], ref["price"], rtol=1e-12)
        # Cents are whole numbers; equal to the cent on every month.
        assert np.array_equal(fast.drip_value_cents[i], np.array(ref["drip_value_cents"]))
        assert np.array_equal(fast.cash_value_cents[i], np.array(ref["cash_value_cents"]))


def test_flat_price_forward_by_hand() -> None:
    # $10 flat (no drift, no noise), 100 shares, $0.25 a quarter paid in months 3, 6, 9, 12,
    # no tax. Month 3: 100 x 0.25 = 2500c -> 2.5 sh; month 6: 102.5 x 0.25 -> 2562.5 ->
    # rint half-even 2562c -> 2.562 sh; month 9: 105.062 x 0.25 = 26.2655 -> 2627c;
    # month 12: 107.689 x 0.25 = 26.92225 -> 2692c -> 110.381 sh.
    inp = PathInputs(
        price=10.0,
        shares=100,
        dps=0.25,
        mu=0.0,
        sigma=0.0,
        pay_months=tuple(t % 3 == 2 for t in range(12)),
    )
    out = simulate_paths(inp, np.zeros((1, 12)))
    assert out.drip_income_cents[0, [2, 5, 8, 11]].tolist() == [2500, 2562, 2627, 2692]
    assert out.drip_shares[0, -1] == pytest.approx(110.381)
    assert out.drip_value_cents[0, -1] == 110381
    assert out.cash_value_cents[0, -1] == 100_000 + 4 * 2500


def test_monte_carlo_bands_are_ordered(tiny: Market) -> None:
    mc = DRIPSimulator(tiny).monte_carlo(
        "AAA:100", years=5, paths=2_000, volatility=0.2, dividend_growth=0.03, seed=1
    )
    bands = mc.to_frame()
    assert bands.height == 5 * 2 * 2  # years x strategies x metrics
    assert (bands["p5"] <= bands["p25"]).all()
    assert (bands["p25"] <= bands["p50"]).all()
    assert (bands["p50"] <= bands["p75"]).all()
    assert (bands["p75"] <= bands["p95"]).all()
    final = dict(
        mc.final()
        .filter(mc.final()["metric"] == "value_cents")
        .select("strategy", "p50")
        .iter_rows()
    )
    assert final["drip"] > final["cash"]  # same paths: reinvesting compounds
    again = DRIPSimulator(tiny).monte_carlo(
        "AAA:100", years=5, paths=2_000, volatility=0.2, dividend_growth=0.03, seed=1
    )
    assert again.bands.equals(mc.bands)  # seeded: reproducible


def test_forward_is_deterministic_and_checks_input(tiny: Market) -> None:
    run = DRIPSimulator(tiny).forward(
        "AAA:100", years=2, price_growth=0.0, dividend_growth=0.0, account="tax_free"
    )
    # Price flat at $5.00; quarterly 0.14 from the last ex-date month (November): payments
    # in Feb, May, Aug, Nov. The first: 100 x 0.14 = 1400c -> 2.8 shares at $5.
    drip = run.timeline.filter(run.timeline["strategy"] == "drip")
    assert drip["income_cents"].to_list()[:4] == [0, 1400, 0, 0]
    assert drip["shares"][1] == pytest.approx(102.8)
    taxed = DRIPSimulator(tiny).forward("AAA:100", years=1, price_growth=0.0, dividend_growth=0.0)
    # Taxable at 15%: 1400 - 210 = 1190c -> 2.38 shares.
    assert taxed.timeline["shares"][1] == pytest.approx(102.38)
    with pytest.raises(ValueError, match="years"):
        DRIPSimulator(tiny).forward("AAA:1", years=0)
