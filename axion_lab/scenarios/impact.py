"""Propagate a scenario's shocks to each holding, driver by driver.

For a holding with beta ``b``, sector ``s``, factor z-scores ``z``, and (bonds and
bond funds) modified duration ``D``, convexity ``C`` and credit share ``k``::

    market  = b * M                       (equities, funds, anything not a bond)
    sector  = S[s] - M                    if the scenario moves sector s
    factors = sum_f z_f * F_f
    rates   = -D * dy + C/2 * dy**2       dy = rates_bp / 10,000
    credit  = -D * (dy + ds) + C/2 * (dy + ds)**2 - rates
                                          ds = k * (credit_bp or high_yield_bp) / 10,000
    single_name = N[symbol] - model       a single-name shock replaces the model move
    floor   = what keeps the total at -100% or above (a price cannot go negative)

``impact`` is the sum; ``pnl_cents`` is ``value_cents * impact`` rounded half to
even. Cash does not move. Every driver but ``floor`` is linear in ``M`` for a given
scenario, which is what makes reverse stress tests solvable in closed form.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from axion_lab.scenarios.config import FACTORS
from axion_lab.scenarios.models import Scenario

__all__ = ["DRIVERS", "propagate"]

DRIVERS = ("market", "sector", "factors", "rates", "credit", "single_name", "floor")


def propagate(positions: pl.DataFrame, scenario: Scenario) -> pl.DataFrame:
    """Per-holding impact of ``scenario``.

    ``positions`` needs: symbol, value_cents, beta, sector (nullable), duration
    (nullable), convexity (nullable), credit, credit_share and the factor columns.
    Returns them with one column per driver, ``impact`` and ``pnl_cents``.
    """
    m = scenario.market
    dy = scenario.rates_bp / 10_000.0
    is_bond = pl.col("duration").is_not_null()
    dur = pl.col("duration").fill_null(0.0)
    conv = pl.coalesce(pl.col("convexity"), dur * dur)
    spread = pl.when(pl.col("credit") == "hy").then(scenario.high_yield_bp / 10_000.0).when(
        pl.col("credit") == "ig"
    ).then(scenario.credit_bp / 10_000.0).otherwise(0.0) * pl.col("credit_share").fill_null(0.0)
    sector_move = (
        pl.col("sector").replace_strict(
            dict(scenario.sectors), default=None, return_dtype=pl.Float64
        )
        if scenario.sectors
        else pl.lit(None, dtype=pl.Float64)
    )
    factor_terms = [
        pl.col(f).fill_null(0.0) * scenario.factors[f] for f in FACTORS if f in scenario.factors
    ]
    rates = -dur * dy + 0.5 * conv * dy * dy
    total_yield = pl.lit(dy) + spread
    frame = positions.with_columns(
        pl.when(is_bond).then(0.0).otherwise(pl.col("beta").fill_null(1.0) * m).alias("market"),
        pl.when(is_bond | sector_move.is_null())
        .then(0.0)
        .otherwise(sector_move - m)
        .alias("sector"),
        (pl.sum_horizontal(factor_terms) if factor_terms else pl.lit(0.0)).alias("factors"),
        pl.when(is_bond).then(rates).otherwise(0.0).alias("rates"),
        pl.when(is_bond)
        .then(-dur * total_yield + 0.5 * conv * total_yield * total_yield - rates)
        .otherwise(0.0)
        .alias("credit"),
    ).with_columns(
        (
            pl.col("market")
            + pl.col("sector")
            + pl.col("factors")
            + pl.col("rates")
            + pl.col("credit")
        ).alias("_model")
    )
    names = dict(scenario.names)
    override = (
        pl.col("symbol").replace_strict(names, default=None, return_dtype=pl.Float64)
        if names
        else pl.lit(None, dtype=pl.Float64)
    )
    frame = frame.with_columns(
        pl.when(override.is_not_null())
        .then(override - pl.col("_model"))
        .otherwise(0.0)
        .alias("single_name")
    ).with_columns((pl.col("_model") + pl.col("single_name")).alias("_raw"))
    frame = frame.with_columns(
        (pl.col("_raw").clip(lower_bound=-1.0) - pl.col("_raw")).alias("floor"),
        pl.col("_raw").clip(lower_bound=-1.0).alias("impact"),
    ).drop("_model", "_raw")
    pnl = np.round(frame["value_cents"].to_numpy().astype(float) * frame["impact"].to_numpy())
    return frame.with_columns(pl.Series("pnl_cents", pnl.astype(np.int64)))
