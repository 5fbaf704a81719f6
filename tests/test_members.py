"""Scoring with the members' survey: their uptake, valuation and levels stand in for the manager's.

Table-driven over stories a programme officer would recognise: a manager who overstates
uptake, a Table 6 "highly valued" service the members shrug at, trust the members do not
see (a failed precondition that must cap the index), and a free service members would pay
for. Below the minimum number of responses nothing changes but the count.
"""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.loading import load_answers
from assessment.survey import SurveyAnswerError, check_response
from scoring import Engine, result_from_json, result_to_json
from scoring.members import apply_members, score_with_members
from tests.conftest import EXAMPLES

MATURE = EXAMPLES / "mature_member_financed.yaml"


def response(used=(), high=(), medium=(), pay=(), trust=None, cooperation=None, satisfaction=4, amount=None):
    services = {}
    for sid in set(used) | set(high) | set(medium) | set(pay):
        value = "high" if sid in high else "medium" if sid in medium else None
        services[sid] = {
            "used": sid in used,
            "value": value,
            "would_pay": sid in pay,
            "amount": amount if sid in pay else None,
        }
    levels = {k: v for k, v in (("trust", trust), ("cooperation", cooperation)) if v is not None}
    return {"services": services, "satisfaction": satisfaction, "levels": levels}


@pytest.fixture(scope="module")
def engine(questionnaire) -> Engine:
    return Engine(questionnaire)


@pytest.fixture(scope="module")
def mature(questionnaire):
    return load_answers(MATURE, questionnaire)


def dimension(result, dim_id):
    return next(d.score for d in result.dimensions if d.id == dim_id)


def test_below_the_minimum_only_the_count_is_reported(engine, mature):
    plain = engine.score(mature)
    few = [response(used=(), high=()) for _ in range(engine.questionnaire.survey.min_responses - 1)]
    result = score_with_members(engine, mature, few)
    assert result.members.responses == len(few) and not result.members.used
    assert result.overall == plain.overall and result.members.disagreements == ()


def test_overstated_uptake_is_named_and_lowers_the_value_offer(engine, mature):
    plain = engine.score(mature)
    # The manager says 55% use training; 3 of 14 members did.
    members = [response(used=("training",), high=("training",)) for _ in range(3)]
    members += [response(used=("manager_visits",), high=("manager_visits",)) for _ in range(11)]
    result = score_with_members(engine, mature, members)
    assert result.members.used and result.members.responses == 14
    assert any("training" in d.lower() and "3 of 14" in d for d in result.members.disagreements)
    assert dimension(result, "value_offer") < dimension(plain, "value_offer")


def test_a_table6_highly_valued_service_members_shrug_at_is_named(engine, mature):
    members = [response(used=("training",), medium=("training",)) for _ in range(4)]
    members += [response(used=("training",), high=("training",)) for _ in range(2)]
    result = score_with_members(engine, mature, members)
    assert any("Table 6 rates" in d and "2 of 6" in d for d in result.members.disagreements)


def test_members_who_see_no_trust_fail_the_precondition_and_cap_the_index(engine, mature):
    plain = engine.score(mature)
    members = [response(trust=0, cooperation=0) for _ in range(6)]
    result = score_with_members(engine, mature, members)
    assert any("level 4" in d and "level 0" in d for d in result.members.disagreements)
    assert result.overall <= 40 < plain.overall
    assert any(c.overall_level == 40 for c in result.holding_down())


def test_a_free_service_members_would_pay_for_is_pointed_out(engine, mature):
    members = [
        response(used=("manager_visits",), pay=("manager_visits",), amount=a)
        for a in (100, 200, 300, 400, 500)
    ]
    result = score_with_members(engine, mature, members)
    assert any("would pay" in d and "5 of 5" in d and "300" in d for d in result.members.disagreements)


def test_agreeing_members_change_nothing_they_confirm(engine, mature):
    data = copy.deepcopy(mature)
    _, same, reading = apply_members(
        engine.questionnaire, data, [response(trust=4, cooperation=4) for _ in range(5)]
    )
    assert same.answers["trust_among_members"] == 4 and not any("level" in d for d in reading.disagreements)


def test_the_reading_survives_the_stored_json(engine, mature):
    result = score_with_members(engine, mature, [response(trust=1) for _ in range(5)])
    again = result_from_json(result_to_json(result))
    assert again.members == result.members
    assert result_from_json(result_to_json(engine.score(mature))).members is None


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_the_disagreements_speak_the_results_language(questionnaire, mature, lang):
    result = score_with_members(Engine(questionnaire, lang), mature, [response(trust=0) for _ in range(5)])
    assert result.members.disagreements
    assert not any("you answered" in d.lower() or "median of" in d for d in result.members.disagreements)
    assert any(("nivel" if lang == "es" else "nível") in d for d in result.members.disagreements)


CHOICE = st.sampled_from([None, "high", "medium", "medium_low"])
SERVICE = st.fixed_dictionaries(
    {
        "used": st.booleans(),
        "value": CHOICE,
        "would_pay": st.booleans(),
        "amount": st.none() | st.floats(0, 5000),
    }
)
RESPONSE = st.fixed_dictionaries(
    {
        "services": st.dictionaries(st.sampled_from(["training", "manager_visits", "trade_fairs"]), SERVICE),
        "satisfaction": st.none() | st.integers(1, 5),
        "levels": st.fixed_dictionaries({"trust": st.integers(0, 4), "cooperation": st.integers(0, 4)}),
    }
)


@settings(max_examples=40, deadline=None)
@given(st.lists(RESPONSE, max_size=12))
def test_scores_stay_within_0_and_100_whatever_members_say(engine, mature, responses):
    result = score_with_members(engine, mature, responses)
    assert result.overall is None or 0.0 <= result.overall <= 100.0
    assert all(d.score is None or 0.0 <= d.score <= 100.0 for d in result.dimensions)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"services": {"unknown": {"used": True}}}, "services.unknown"),
        ({"services": {"training": {"used": "yes"}}}, "services.training"),
        ({"services": {"training": {"used": True, "value": "great"}}}, "services.training.value"),
        ({"services": {"training": {"would_pay": True, "amount": -5}}}, "services.training.amount"),
        ({"satisfaction": 9}, "satisfaction"),
        ({"levels": {"trust": 7}}, "levels.trust"),
        ({"levels": {"mood": 2}}, "levels.mood"),
        ({"other": 1}, "other"),
    ],
)
def test_a_response_that_does_not_fit_names_its_field(questionnaire, data, field):
    with pytest.raises(SurveyAnswerError) as refused:
        check_response(questionnaire.survey, ["training", "manager_visits"], data)
    assert refused.value.field == field


def test_a_fitting_response_is_kept_in_the_stored_shape(questionnaire):
    kept = check_response(
        questionnaire.survey,
        ["training", "manager_visits"],
        {
            "services": {"training": {"used": True, "value": "high", "would_pay": True, "amount": 250}},
            "levels": {"trust": 3},
        },
    )
    assert kept["services"]["manager_visits"] == {
        "used": False,
        "value": None,
        "would_pay": False,
        "amount": None,
    }
    assert kept["services"]["training"]["amount"] == 250.0 and kept["levels"] == {"trust": 3}
