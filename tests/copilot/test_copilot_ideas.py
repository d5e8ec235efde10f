"""Trade ideas: validation, suitability for the profile, and the propose_trade_idea tool."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from loopback import LoopbackAPI, reply, text_message, tool_message

from axion_lab.copilot import CopilotEngine, TradeIdea, assess_suitability
from axion_lab.exceptions import InputError, UnknownNameError

IDEA = {
    "symbol": "ACME",
    "direction": "long",
    "thesis": "Steady uptrend [T1].",
    "entry": 130.0,
    "target": 150.0,
    "stop": 120.0,
    "horizon": "medium_term",
    "risk_score": 45,
    "supporting": ["T1"],
}


def test_valid_idea_and_its_derived_numbers() -> None:
    idea = TradeIdea(**{**IDEA, "symbol": " acme ", "supporting": ("T1",)})
    assert idea.symbol == "ACME"
    assert idea.direction.value == "long"
    assert idea.reward_to_risk == 2.0
    assert idea.upside == pytest.approx(20 / 130)
    assert idea.downside == pytest.approx(10 / 130)
    assert TradeIdea.from_dict(idea.to_dict()) == idea


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"target": 125.0}, "A long idea needs target > entry > stop"),
        ({"stop": 135.0}, "A long idea needs target > entry > stop"),
        ({"direction": "short"}, "A short idea needs target < entry < stop"),
        ({"risk_score": 101}, "risk_score must be between 0 and 100, got 101"),
        ({"risk_score": -1}, "risk_score must be between 0 and 100"),
        ({"risk_score": 50.5}, "whole number"),
        ({"entry": 0.0}, "entry must be a positive price"),
        ({"thesis": "  "}, "needs a thesis"),
    ],
)
def test_invalid_ideas_are_clear_errors(changes: dict, match: str) -> None:
    with pytest.raises(InputError, match=match):
        TradeIdea(**{**IDEA, **changes})


def test_unknown_direction_suggests() -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'long'"):
        TradeIdea(**{**IDEA, "direction": "lomg"})


def test_suitability_follows_the_profile() -> None:
    idea = TradeIdea(**IDEA)
    assert assess_suitability(idea, "moderate", "balanced") == ()
    conservative = assess_suitability(idea, "conservative", "momentum")
    assert conservative == ("Risk score 45 is above 40, the most a conservative profile takes.",)
    short = TradeIdea(
        **{
            **IDEA,
            "direction": "short",
            "target": 100.0,
            "stop": 160.0,
            "horizon": "short_term",
            "supporting": [],
        }
    )
    warnings = assess_suitability(short, "moderate", "value")
    assert any("does not short" in w for w in warnings)
    assert any("wider than the 20%" in w for w in warnings)  # 30/130 = 23.1 %
    assert any("unusual for a value style" in w for w in warnings)
    assert any("cites no tool result" in w for w in warnings)
    assert assess_suitability(short, "aggressive", "momentum")[-1].startswith("The idea cites")


def test_model_proposes_ideas_through_the_tool(
    online: LoopbackAPI, make_engine: Callable[..., CopilotEngine]
) -> None:
    bad = {**IDEA, "target": 110.0}
    online.script = [
        reply(tool_message(("tu_1", "get_quote", {"symbols": ["ACME"]}))),
        reply(tool_message(("tu_2", "propose_trade_idea", bad))),
        reply(tool_message(("tu_3", "propose_trade_idea", IDEA))),
        reply(text_message("One idea: long ACME [T1].")),
    ]
    engine = make_engine(stream=False, risk_tolerance="conservative")
    response = engine.ask("Any ideas?")
    (idea,) = response.ideas
    assert idea.symbol == "ACME"
    assert idea.supporting == ("T1",)
    assert idea.warnings == ("Risk score 45 is above 40, the most a conservative profile takes.",)
    # The invalid idea went back to the model as an error it can fix.
    rejected = online.requests[2].body["messages"][-1]["content"][0]
    assert rejected["is_error"] is True
    assert "target > entry > stop" in rejected["content"]
    accepted = online.requests[3].body["messages"][-1]["content"][0]
    assert "not executed" in accepted["content"]
    assert "Suitability warnings" in accepted["content"]
    assert "propose_trade_idea" in [t["name"] for t in online.requests[0].body["tools"]]
