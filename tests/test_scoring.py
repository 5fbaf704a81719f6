"""The engine: each question type's score, stage handling, drafts and explanations."""

from __future__ import annotations

import pytest

from scoring import Engine, result_from_json, result_to_json, score
from scoring.scales import interpolate
from tests.conftest import valid_mini

FULL = {
    "mix": {"public_baseline": 30, "fees": 50, "services": 20},
    "structure": 40,
    "portfolio": {"training": {"charged": True}, "visits": {}},
    "bodies": 3,
    "fees_charged": True,
    "fee_tiers": "tiered",
    "areas": ["training"],
    "projects": 2,
    "story": "We started in 2018.",
}

QUESTION_SCORES = [
    pytest.param("bodies", 0, 0.0, "Level 0 of 4 (None) scores 0.", id="maturity-0"),
    pytest.param("bodies", 3, 75.0, "Level 3 of 4 (Board) scores 75.", id="maturity-3"),
    pytest.param("fee_tiers", "flat", 30.0, "'Flat' scores 30.", id="single-choice"),
    pytest.param(
        "areas",
        ["training", "export"],
        100.0,
        "2 option(s) chosen, 110 points (capped at 100).",
        id="multi-capped",
    ),
    pytest.param("areas", ["export"], 60.0, "1 option(s) chosen, 60 points.", id="multi"),
    pytest.param("areas", ["none"], 0.0, "1 option(s) chosen, 0 points.", id="multi-none"),
    pytest.param("fees_charged", False, 0.0, "'no' scores 0.", id="yes-no"),
    pytest.param("projects", 2, 40.0, "2 projects scores 40 on the scale 0→0, 5→100.", id="number-scale"),
    pytest.param(
        "projects", 9, 100.0, "9 projects scores 100 on the scale 0→0, 5→100.", id="number-beyond-scale"
    ),
    pytest.param(
        "mix",
        {"public_baseline": 70, "fees": 30},
        32.5,
        "Public support for the structure 70% in the Maturity stage scores 32.5 on that stage's scale 0→100, 40→100, 60→50, 80→15, 100→0.",
        id="funding-mix",
    ),
    # Table 6 as written: charged income services weighted by uptake (25% of members counts
    # fully; half when uptake is not given), 60 of 100; services members value, free ones
    # included, 40 of 100; each part out of the mini questionnaire's core of 3 services.
    pytest.param(
        "portfolio",
        {"training": {"charged": True}, "visits": {}, "mapping": {}},
        pytest.approx(60 * 0.5 / 3 + 40 * 2 / 3),
        "Charged services that bring income (Table 6), weighted by uptake (25% of members counts fully): "
        "0.5 of 3; services members value, free ones included: 2 of 3; score 36.7.",
        id="portfolio",
    ),
    pytest.param(
        "portfolio",
        {"training": {"charged": True, "uptake": 5}},
        pytest.approx(60 * (5 / 25) / 3 + 40 * 1 / 3),
        None,
        id="portfolio-low-uptake-counts-little",
    ),
    pytest.param(
        "portfolio",
        {"training": {"charged": True, "uptake": 40}, "visits": {}},
        pytest.approx(60 * 1 / 3 + 40 * 2 / 3),
        None,
        id="portfolio-free-valued-service-adds",
    ),
    pytest.param(
        "portfolio",
        {"training": {"charged": False}},
        pytest.approx(40 / 3),
        None,
        id="portfolio-free-counts-as-valued-only",
    ),
]


@pytest.mark.parametrize(("qid", "value", "expected", "why"), QUESTION_SCORES)
def test_question_type_scores(mini, qid, value, expected, why):
    answers = {**FULL, qid: value}
    item = score(mini, valid_mini(mini, **answers)).item(qid)
    assert item.score == expected
    assert item.status == "scored"
    if why:
        assert item.explanation == why


def test_text_is_never_scored(mini):
    item = score(mini, valid_mini(mini, **FULL)).item("story")
    assert item.score is None and item.status == "not_scored"


def test_weight_zero_input_is_not_counted_but_explained(mini):
    item = score(mini, valid_mini(mini, **FULL)).item("structure")
    assert item.status == "not_scored"
    assert item.score is None


def test_missing_answers_are_left_out_not_zero(mini):
    full = score(mini, valid_mini(mini, **FULL))
    draft_answers = {k: v for k, v in FULL.items() if k != "bodies"}
    draft = score(mini, valid_mini(mini, **draft_answers))
    item = draft.item("bodies")
    assert item.status == "unanswered" and item.score is None
    assert "not counted as zero" in item.explanation
    assert "bodies" in draft.unanswered
    assert draft.completeness < full.completeness == 100.0
    # Without 'bodies' (75, weight 40) the people dimension is the mean of the rest, not dragged to zero.
    people = draft.dimension("people")
    assert people.score is not None and people.score > 0
    assert "Not counted until answered: Governance bodies" in people.explanation


def test_conditional_question_hidden_until_its_condition_holds(mini):
    answers = {**FULL, "fees_charged": False}
    result = score(mini, valid_mini(mini, **answers))
    item = result.item("fee_tiers")
    assert item.status == "hidden"
    assert "fee_tiers" not in result.unanswered
    assert any("fee_tiers" in note for note in result.notes)
    shown = score(mini, valid_mini(mini, **FULL)).item("fee_tiers")
    assert shown.status == "scored"


def test_dimension_score_is_weighted_mean_of_items(mini):
    result = score(mini, valid_mini(mini, **FULL))
    # people: bodies 75×40, fees 100×20, tiers 100×20, areas 50×10, projects 40×10 -> 79 / 100
    assert result.dimension("people").score == 79.0
    # money: mix 30% public at maturity -> 100 ×80; portfolio: training charged (uptake not
    # given: half) -> 60 × 0.5/3, training and visits valued -> 40 × 2/3: 36.67 ×20
    portfolio = 60 * 0.5 / 3 + 40 * 2 / 3
    assert result.dimension("money").score == pytest.approx((100 * 80 + portfolio * 20) / 100, abs=0.05)
    assert result.overall == pytest.approx(0.6 * result.dimension("money").score + 0.4 * 79, abs=0.05)


@pytest.mark.parametrize(
    ("founded", "expected_stage", "year_of_life"),
    [
        (2025, "launch", 1),
        (2023, "launch", 3),
        (2022, "consolidation", 4),
        (2019, "consolidation", 7),
        (2018, "maturity", 8),
    ],
)
def test_stage_is_derived_from_age(mini, founded, expected_stage, year_of_life):
    result = score(mini, valid_mini(mini, profile={"name": "X", "founded_year": founded}, **FULL))
    assert result.stage.id == expected_stage
    assert result.stage.year_of_life == year_of_life
    assert not result.stage.overridden


def test_stage_override_wins_and_says_so(mini):
    profile = {"name": "X", "founded_year": 2010, "stage_override": "launch"}
    result = score(mini, valid_mini(mini, profile=profile, **FULL))
    assert result.stage.id == "launch" and result.stage.overridden
    assert "would be Maturity" in result.stage.explanation


def test_same_answers_score_differently_by_stage(mini):
    mix = {"public_baseline": 60, "fees": 40}
    young = score(mini, valid_mini(mini, profile={"name": "X", "founded_year": 2024}, mix=mix))
    old = score(mini, valid_mini(mini, profile={"name": "X", "founded_year": 2018}, mix=mix))
    assert young.item("mix").score == 100.0
    assert old.item("mix").score == 50.0
    assert not any(f.item == "stage_check" for f in young.findings)
    assert any(f.item == "stage_check" and f.kind == "red_flag" for f in old.findings)


def test_unknown_stage_leaves_funding_unscored_and_says_why(mini):
    result = score(mini, valid_mini(mini, profile={"name": "X"}, mix={"public_baseline": 70, "fees": 30}))
    assert result.stage.id is None
    assert "founding year" in result.stage.explanation
    assert result.item("mix").score is None
    assert result.item("stage_check").status == "cannot_judge"


def test_findings_carry_lesson_source_evidence_and_recommendation(mini):
    answers = {**FULL, "mix": {"public_baseline": 85, "fees": 15}}
    result = score(mini, valid_mini(mini, **answers))
    flag = next(f for f in result.findings if f.item == "stage_check")
    assert flag.kind == "red_flag" and flag.lesson == "FUND-A" and flag.source == "002 s6.2.1"
    assert flag.title == "85% public in year 8"
    assert flag.recommendation == "Plan an exit."
    assert [e.question for e in flag.evidence] == ["mix"]
    assert flag.evidence[0].value == "Public baseline 85%, Fees 15%"


def test_findings_are_ordered_red_flags_first_then_severity(mini):
    answers = {**FULL, "mix": {"public_baseline": 85, "fees": 15}, "structure": 90, "bodies": 0}
    kinds = [(f.kind, f.severity) for f in score(mini, valid_mini(mini, **answers)).findings]
    order = {"red_flag": 0, "gap": 1, "strength": 2}
    sev = {"high": 0, "medium": 1, "low": 2}
    assert kinds == sorted(kinds, key=lambda k: (order[k[0]], sev[k[1]]))
    assert kinds[0] == ("red_flag", "high")


def test_result_records_versions_and_round_trips_as_json(mini):
    result = score(mini, valid_mini(mini, **FULL))
    assert result.questionnaire == "mini@0.1"
    assert result.engine_version
    assert result_from_json(result_to_json(result)) == result


def test_scoring_is_deterministic(mini):
    answers = valid_mini(mini, **FULL)
    engine = Engine(mini)
    assert (
        result_to_json(engine.score(answers))
        == result_to_json(engine.score(answers))
        == result_to_json(score(mini, answers))
    )


@pytest.mark.parametrize(
    ("x", "expected"),
    [(-5, 100), (0, 100), (40, 100), (50, 75), (60, 50), (70, 32.5), (100, 0), (120, 0)],
)
def test_interpolate(x, expected):
    assert interpolate([(0, 100), (40, 100), (60, 50), (80, 15), (100, 0)], x) == pytest.approx(expected)
