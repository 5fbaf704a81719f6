"""The stories of the method review (issue 10), one answers file per case in tests/cases/.

Each case is a cluster an officer could fund on; the table says what the index must do
with it: which gate holds it down, which findings must fire and which must not.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from assessment.answers import check_answers
from assessment.loading import load_answers
from scoring import Engine
from scoring.result import Result
from tests.conftest import EXAMPLES

CASES = Path(__file__).parent / "cases"

Pattern = tuple[str, str, str]  # (kind, lesson, item); "" matches any

# (file, index at most, gates that must hold, findings required, findings forbidden)
TABLE: list[tuple[str, float | None, set[str], list[Pattern], list[Pattern]]] = [
    (
        "year18_public65_two_high_flags.yaml",
        60.0,
        {"high_red_flag"},
        [("red_flag", "FUND-DEPENDENCE", "funding_against_stage"), ("red_flag", "MGT-COST-INCOME-FIT", "")],
        [("strength", "FUND-SHIFT-PRIVATE", "")],
    ),
    ("no_critical_mass_no_trust.yaml", 40.0, {"no_critical_mass", "no_trust"}, [], []),
    (
        "projects_are_not_dependence.yaml",
        None,
        set(),
        [("strength", "FUND-DIVERSIFY", "funding_sources_spread")],
        [("red_flag", "FUND-DEPENDENCE", ""), ("gap", "FUND-EU-BENCHMARK", "")],
    ),
    (
        "secretariat_by_design.yaml",
        None,
        set(),
        [("gap", "FUND-DEPENDENCE", "funding_against_stage")],
        [("red_flag", "FUND-DEPENDENCE", "")],
    ),
    (
        "fully_private.yaml",
        None,
        set(),
        [],
        [("red_flag", "FUND-DEPENDENCE", ""), ("gap", "FUND-EXIT-PLAN", "")],
    ),
    ("launch_fully_public.yaml", None, set(), [], [("strength", "FUND-PUBLIC-EARLY", "")]),
    (
        "year1_no_projects.yaml",
        None,
        set(),
        [],
        [("red_flag", "STR-PROJECT-FOCUS", ""), ("red_flag", "GOV-END-IN-ITSELF", "")],
    ),
    ("small_even_cluster.yaml", None, set(), [], [("red_flag", "GOV-CAPTURE", "")]),
]


def _matches(result: Result, pattern: Pattern) -> bool:
    kind, lesson, item = pattern
    return any(
        f.kind == kind and (not lesson or f.lesson == lesson) and (not item or item in (f.item, *f.also))
        for f in result.findings
    )


@pytest.fixture(scope="module")
def engine(questionnaire) -> Engine:
    return Engine(questionnaire)


def _score(engine: Engine, questionnaire, path: Path) -> Result:
    return engine.score(load_answers(path, questionnaire))


@pytest.mark.parametrize(
    ("name", "at_most", "gates", "required", "forbidden"), TABLE, ids=[t[0] for t in TABLE]
)
def test_case(engine, questionnaire, name, at_most, gates, required, forbidden):
    result = _score(engine, questionnaire, CASES / name)
    assert 0 <= result.overall <= 100
    if at_most is not None:
        assert result.overall <= at_most
        assert result.uncapped_overall > at_most, "the case should score high without its gates"
        assert result.holding_down(), "the result must name what holds the index down"
    assert gates <= {c.gate for c in result.caps}
    if not gates:
        assert not result.holding_down()
    for pattern in required:
        assert _matches(result, pattern), pattern
    for pattern in forbidden:
        assert not _matches(result, pattern), pattern


def test_a_draft_is_provisional_with_its_range(engine, questionnaire):
    result = _score(engine, questionnaire, EXAMPLES / "draft_partial.yaml")
    assert result.provisional and result.short_dimensions
    low, high = result.overall_range
    assert low <= result.overall <= high and low < high


def test_dropping_weak_answers_makes_the_index_provisional_not_better(engine, questionnaire):
    data = yaml.safe_load((EXAMPLES / "argentina_consolidation.yaml").read_text())
    full = engine.score(check_answers(questionnaire, data))
    weak = sorted(
        (i for i in full.items if i.kind == "question" and i.score is not None and i.weight),
        key=lambda i: i.score,
    )[:10]
    dropped = copy.deepcopy(data)
    for item in weak:
        dropped["answers"].pop(item.id, None)
    partial = engine.score(check_answers(questionnaire, dropped))
    assert partial.overall_range is not None
    assert partial.overall_range[0] < full.overall
    assert partial.provisional or partial.overall <= full.overall + 3


def test_one_fact_is_one_finding(engine, questionnaire):
    result = _score(engine, questionnaire, EXAMPLES / "aei_pattern_year8.yaml")
    dependence = [
        f
        for f in result.findings
        if f.item in ("funding_against_stage", "aei_collapse_pattern", "public_end_scenario")
    ]
    assert len(dependence) == 1
    assert {dependence[0].item, *dependence[0].also} >= {"funding_against_stage", "aei_collapse_pattern"}


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_action_plan_is_the_biggest_gains_from_red_flags_and_gaps(engine, questionnaire, example):
    result = _score(engine, questionnaire, EXAMPLES / example)
    assert len(result.actions) <= 5
    gains = [a.gain for a in result.actions]
    assert gains == sorted(gains, reverse=True)
    assert all(g > 0 for g in gains)
    fixable = {(f.item, f.lesson) for f in result.findings if f.kind != "strength"}
    assert all((a.item, a.lesson) in fixable for a in result.actions)
    assert len({a.item for a in result.actions}) == len(result.actions)


def test_generic_index_holds_no_programme_criteria(questionnaire):
    assert "basque_programme_criteria" not in {c.id for c in questionnaire.checks}
    weights = {q.id: q.weight for q in questionnaire.questions.values()}
    assert weights["turnover_share_gdp"] == 0 and weights["value_chain_coverage"] == 0


def test_basque_programme_has_its_first_criterion(questionnaire):
    from programmes.criteria import PROGRAMMES_DIR, load_programme

    programme = load_programme(PROGRAMMES_DIR / "basque-cluster-programme.yaml", questionnaire)
    ids = {c.id for c in programme.criteria}
    assert {"ris3_alignment", "internationalisation_innovation", "critical_mass", "value_chain"} <= ids


def test_free_valued_service_never_lowers_value_offer(engine, questionnaire):
    data = yaml.safe_load((EXAMPLES / "argentina_consolidation.yaml").read_text())
    before = engine.score(check_answers(questionnaire, data)).dimension("value_offer").score
    more = copy.deepcopy(data)
    more["answers"]["service_portfolio"]["manager_visits"] = {"offered": True, "charged": False, "uptake": 80}
    more["answers"]["service_portfolio"]["member_connections"] = {
        "offered": True,
        "charged": False,
        "uptake": 60,
    }
    after = engine.score(check_answers(questionnaire, more)).dimension("value_offer").score
    assert after >= before


def test_low_uptake_counts_little(engine, questionnaire):
    data = yaml.safe_load((EXAMPLES / "young_public_launch.yaml").read_text())
    base = engine.score(check_answers(questionnaire, data)).item("service_portfolio").score
    more = copy.deepcopy(data)
    more["answers"]["service_portfolio"]["training"] = {"offered": True, "charged": True, "uptake": 5}
    after = engine.score(check_answers(questionnaire, more)).item("service_portfolio").score
    assert after - base < 10


def test_small_team_can_avoid_both_too_broad_and_missing(engine, questionnaire):
    data = yaml.safe_load((EXAMPLES / "young_public_launch.yaml").read_text())
    data["profile"]["staff_fte"] = 1.5
    data["answers"]["service_portfolio"] = {
        s: {"offered": True, "charged": True, "uptake": 30}
        for s in ("training", "project_management", "trade_fairs")
    }
    result = engine.score(check_answers(questionnaire, data))
    outcomes = result.item("portfolio_against_table6")
    titles = {
        f.lesson for f in result.findings if f.item == "portfolio_against_table6" and f.kind != "strength"
    }
    assert "VAL-TOO-BROAD" not in titles and "VAL-PAYING-PORTFOLIO" not in titles, outcomes


def test_caps_that_hold_together_are_one_step_of_the_action_plan(engine, questionnaire):
    # Two high red flags cap the draft's funding mix at 40: fixing either alone gains
    # nothing, so the plan offers them as one step, with the gain of fixing both.
    result = _score(engine, questionnaire, EXAMPLES / "draft_partial.yaml")
    step = next(a for a in result.actions if a.item == "exit_plan")
    assert step.together == ("public_end_scenario",)
    assert step.gain > 0
    assert all(a.item != "public_end_scenario" for a in result.actions)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_action_plan_is_short_ranked_and_sourced(engine, questionnaire, path):
    result = _score(engine, questionnaire, path)
    assert len(result.actions) <= 5
    gains = [a.gain for a in result.actions]
    assert gains == sorted(gains, reverse=True) and all(g > 0 for g in gains)
    for action in result.actions:
        assert action.lesson and action.source and action.recommendation
        assert action.kind in ("red_flag", "gap")


# Answers that contradict each other, written into the mature example: (changes, check that fires)
CONTRADICTIONS = [
    (
        {
            "members_willingness_to_pay": 3,
            "membership_fees_charged": False,
            "funding_mix": {
                "public_baseline": 30,
                "public_projects": 30,
                "membership_fees": 0,
                "paid_services": 0,
                "private_projects": 30,
                "other_private": 10,
            },
        },
        "willingness_without_charging",
    ),
    (
        {
            "funding_mix": {
                "public_baseline": 30,
                "public_projects": 30,
                "membership_fees": 0,
                "paid_services": 30,
                "private_projects": 10,
                "other_private": 0,
            }
        },
        "fees_charged_without_income",
    ),
    ({"exit_plan": 4, "public_end_scenario": "close"}, "exit_plan_without_survival"),
    ({"trust_among_members": 4, "joint_projects": 0}, "trust_without_projects"),
]


def _mature_with(changes: dict) -> dict:
    data = yaml.safe_load((EXAMPLES / "mature_member_financed.yaml").read_text())
    data["answers"].update(changes)
    return data


@pytest.mark.parametrize(("changes", "check"), CONTRADICTIONS, ids=[c[1] for c in CONTRADICTIONS])
def test_answers_that_contradict_each_other_are_a_gap_to_check(engine, questionnaire, changes, check):
    result = engine.score(check_answers(questionnaire, _mature_with(changes)))
    [gap] = [f for f in result.findings if f.item == check]
    assert gap.kind == "gap" and gap.title.startswith("Answers disagree")
    assert {e.question for e in gap.evidence} == {
        c.question for c in next(k for k in questionnaire.checks if k.id == check).all_of
    }
    assert result.item(check).weight == 0  # shown to be checked, never scored


def test_consistent_answers_raise_no_contradiction(engine, questionnaire):
    result = engine.score(check_answers(questionnaire, _mature_with({})))
    assert not [f for f in result.findings if f.title.startswith("Answers disagree")]


def test_a_cluster_hosted_by_a_chamber_under_an_agreement_is_not_heavier_than_it_needs(engine, questionnaire):
    # The hybrid model of Colombia (003): initiatives grow inside chambers of commerce.
    hosted = engine.score(check_answers(questionnaire, _mature_with({"lean_structure": "host_agreed"})))
    assert not [f for f in hosted.findings if f.item == "lean_structure" and f.kind != "strength"]
    loose = engine.score(check_answers(questionnaire, _mature_with({"lean_structure": "host_shared"})))
    assert [f for f in loose.findings if f.item == "lean_structure" and f.lesson == "MGT-LEAN"]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_submit_floor_is_the_engines_provisional_rule(engine, questionnaire, path):
    from scoring.progress import short_of_floor

    valid = load_answers(path, questionnaire)
    result = engine.score(valid)
    data = valid.to_data()
    assert tuple(short_of_floor(questionnaire, data["answers"])) == result.short_dimensions
    assert bool(result.short_dimensions) == result.provisional
