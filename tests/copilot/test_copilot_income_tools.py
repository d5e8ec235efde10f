"""drip_simulation, dividend_safety, portfolio_summary and run_scan: through the real SDK,
against the loopback Messages API, checked against direct engine calls and by hand."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from loopback import LoopbackAPI, reply, text_message, tool_message

from axion_lab.copilot import CopilotEngine, check_answer
from axion_lab.copilot.models import ToolCallRecord
from axion_lab.copilot.tools_income import usd
from axion_lab.data import Market

Engine = Callable[..., CopilotEngine]

DRIP = {
    "symbol": "PAYR",
    "amount_cents": 1_000_000,
    "years": 5,
    "monthly_contribution_cents": 10_000,
}


def _results(body: dict) -> list[dict]:
    return [b for b in body["messages"][-1]["content"] if b["type"] == "tool_result"]


def test_new_tools_run_through_the_sdk_record_and_check(
    online: LoopbackAPI, make_payer_engine: Engine, payer_market: Market
) -> None:
    from axion_lab.dividends import DRIPSimulator, SafetyAnalyzer
    from axion_lab.scenarios import ScenarioAnalyzer, portfolio_from_weights

    # Independent references: the engines called directly with the same inputs.
    price = float(payer_market.bars.filter(symbol="PAYR")["close"][-1])
    ref = DRIPSimulator(payer_market).forward(
        f"PAYR:{1_000_000 / 100 / price!r}", years=5, monthly_contribution=100
    )
    drip_cents = ref.final("drip")["value_cents"]
    drip_text = f"${usd(drip_cents):,.2f}"
    online.script = [
        reply(
            tool_message(
                ("tu_1", "drip_simulation", DRIP),
                ("tu_2", "dividend_safety", {"symbols": ["PAYR", "cutr", "GROW"]}),
            )
        ),
        reply(
            tool_message(
                (
                    "tu_3",
                    "portfolio_summary",
                    {
                        "holdings": [
                            {"symbol": "PAYR", "weight": 0.6},
                            {"symbol": "CUTR", "weight": 0.4},
                        ]
                    },
                )
            )
        ),
        reply(
            text_message(
                f"Reinvesting PAYR's dividends ends at {drip_text} [T1]. "
                "PAYR scores 88 and CUTR 11 [T2]; half of cut-risk names cut (50%) [T2].\n\n"
                "The portfolio's HHI is 0.52 [T3]. "
                "It would also double by 2030 to $987,654.32 [T1]."
            )
        ),
    ]
    response = make_payer_engine(stream=False).ask("Income from PAYR?", analysis_type="stock")

    t1, t2, t3 = response.tool_calls
    assert [t1.id, t2.id, t3.id] == ["T1", "T2", "T3"]
    assert [t.tool for t in (t1, t2, t3)] == [
        "drip_simulation",
        "dividend_safety",
        "portfolio_summary",
    ]
    assert not any(t.is_error for t in (t1, t2, t3)), [t.error for t in (t1, t2, t3)]
    assert t1.parameters == DRIP
    assert all(t.as_of == payer_market.end for t in (t1, t2, t3))
    assert t1.source.startswith("Dividend test market")
    assert "DRIPSimulator.forward" in t1.source

    # drip_simulation: the engine's cents, and the same amounts in dollars.
    assert t1.data["drip_final_value_cents"] == drip_cents
    assert t1.data["cash_final_value_cents"] == ref.final("cash")["value_cents"]
    assert t1.data["drip_final_value_usd"] == drip_cents / 100
    assert t1.data["invested_usd"] == 10_000.0
    assert [r["strategy"] for r in t1.rows] == ["drip", "cash"]
    assert t1.rows[0]["contributions_cents"] == 60 * 10_000  # 5 years of $100 a month
    assert t1.rows[0]["income_usd"] == ref.final("drip")["income_cents"] / 100

    # dividend_safety: scores and factor points as the engine has them; GROW pays nothing.
    report = SafetyAnalyzer(payer_market).analyze(["PAYR", "CUTR"])
    by_symbol = {r["symbol"]: r for r in t2.rows}
    assert set(by_symbol) == {"PAYR", "CUTR"}
    assert t2.data["unscored"] == ["GROW"]
    for sym in ("PAYR", "CUTR"):
        points = {k: by_symbol[sym][f"pts_{k}"] for k in report.contributions(sym)}
        assert points == report.contributions(sym)
        assert sum(points.values()) == by_symbol[sym]["score"]
    assert (by_symbol["PAYR"]["rating"], by_symbol["CUTR"]["rating"]) == ("very_safe", "cut_risk")
    # Hand-worked track record: scored at 2020-12-31 and 2021-12-31, CUTR is cut_risk both
    # times and cut once (mid 2021, from 0.40 to 0.10); PAYR never cut.
    assert by_symbol["CUTR"]["band_cut_rate"] == 0.5
    assert by_symbol["PAYR"]["band_cut_rate"] == 0.0
    bands = {b["rating"]: b for b in t2.data["track_record"]}
    assert (bands["cut_risk"]["observations"], bands["cut_risk"]["cuts"]) == (2, 1)

    # portfolio_summary: the scenarios engine's profile of the same portfolio.
    prof = ScenarioAnalyzer(payer_market).profile(
        portfolio_from_weights(payer_market, {"PAYR": 0.6, "CUTR": 0.4})
    )
    assert t3.data["hhi"] == pytest.approx(prof.hhi)
    assert t3.data["beta"] == pytest.approx(prof.beta)
    assert t3.data["volatility"] == pytest.approx(prof.volatility)
    assert t3.data["expected_income_cents"] == prof.income_cents
    assert t3.data["expected_income_usd"] == prof.income_cents / 100
    assert {s["group"] for s in t3.data["sectors"]} == {"Utilities", "Energy"}
    assert [r["symbol"] for r in t3.rows] == ["PAYR", "CUTR"]  # largest weight first

    # What went back to the model: the same record, tied to its tool_use id.
    sent = _results(online.requests[1].body)
    assert [b["tool_use_id"] for b in sent] == ["tu_1", "tu_2"]
    assert json.loads(sent[0]["content"])["data"]["drip_final_value_usd"] == drip_cents / 100

    # The checker: the DRIP figure in dollars verifies against T1; the invented one is flagged.
    status = {m.text: m.status for m in response.check.mentions}
    assert status[drip_text] == "verified"
    assert status["88"] == status["11"] == status["50%"] == status["0.52"] == "verified"
    assert status["$987,654.32"] == "unsupported"
    assert [m.text for m in response.check.flagged] == ["$987,654.32"]
    assert any("$987,654.32" in n for n in response.notices)


def test_dollars_in_an_answer_match_the_usd_rendering_not_raw_cents() -> None:
    both = ToolCallRecord(
        "T1", "drip_simulation", {}, "", data={"value_cents": 123456, "value_usd": usd(123456)}
    )
    cents_only = ToolCallRecord("T1", "drip_simulation", {}, "", data={"value_cents": 123456})
    assert check_answer("It ends at $1,234.56 [T1].", [both]).ok
    assert check_answer("It ends at $1.23k [T1].", [both]).ok
    # Cents are never rescaled by the checker: only the dollar field makes $1,234.56 true.
    assert not check_answer("It ends at $1,234.56 [T1].", [cents_only]).ok
    assert not check_answer("It ends at $1,234.57 [T1].", [both]).ok


def test_invalid_parameters_go_back_to_the_model_as_errors(
    online: LoopbackAPI, make_payer_engine: Engine
) -> None:
    online.script = [
        reply(
            tool_message(
                ("tu_1", "drip_simulation", {"symbol": "PAYR"}),
                ("tu_2", "dividend_safety", {"symbols": []}),
                (
                    "tu_3",
                    "portfolio_summary",
                    {
                        "holdings": [
                            {"symbol": "PAYR", "shares": 10},
                            {"symbol": "CUTR", "weight": 0.5},
                        ]
                    },
                ),
                (
                    "tu_4",
                    "drip_simulation",
                    {"symbol": "PAYR", "amount_cents": 100, "fractional": False},
                ),
                ("tu_5", "run_scan", {"scanners": ["gap_upp"]}),
            )
        ),
        reply(text_message("I will fix my inputs.")),
    ]
    response = make_payer_engine(stream=False).ask("Go")
    assert all(c.is_error for c in response.tool_calls)
    sent = _results(online.requests[1].body)
    assert [b["tool_use_id"] for b in sent] == ["tu_1", "tu_2", "tu_3", "tu_4", "tu_5"]
    assert all(b["is_error"] is True for b in sent)
    errors = [json.loads(b["content"])["error"] for b in sent]
    assert "a symbol needs amount_cents" in errors[0]
    assert "symbols" in errors[1]
    assert "at least 1" in errors[1]
    assert "every holding in shares, or every holding by weight" in errors[2]
    assert "buys no whole share of PAYR" in errors[3]  # $1.00 at about $47
    assert "Did you mean 'gap_up'?" in errors[4]


def test_run_scan_matches_the_scanner_engine(
    online: LoopbackAPI, make_engine: Engine, tiny_market: Market
) -> None:
    from axion_lab.scanner import ScannerEngine

    expected = ScannerEngine(tiny_market).scan(
        ["new_high", "rsi_overbought"], symbols=["ACME", "BOLT"]
    )
    online.script = [
        reply(
            tool_message(
                (
                    "tu_1",
                    "run_scan",
                    {
                        "scanners": ["new_high", "rsi_overbought"],
                        "symbols": ["ACME", "BOLT"],
                        "limit": 1,
                    },
                )
            )
        ),
        reply(text_message("Done.")),
    ]
    (call,) = make_engine(stream=False).ask("Any setups?").tool_calls
    assert not call.is_error, call.error
    total = expected.hits.height
    assert total >= 1  # ACME rises 0.1 a session: a new high on the last bar
    assert call.data["hits_total"] == total
    assert call.data["truncated"] is (total > 1)
    assert len(call.rows) == 1
    assert {(r["symbol"], r["scanner"]) for r in call.rows} <= set(
        expected.hits.select("symbol", "scanner").iter_rows()
    )
    assert call.as_of == tiny_market.end
    assert ("Showing the first 1 of" in call.summary) is (total > 1)
