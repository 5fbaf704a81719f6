"""Answer sets: each wrong answer is named by question id; drafts are fine."""

from __future__ import annotations

import json
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.answers import AnswerChecker, ServiceUse, check_answers
from assessment.errors import AnswersError
from assessment.loading import load_answers, read_answers
from assessment.random_answers import random_answers
from tests.conftest import mini_answers

BAD_ANSWERS = [
    pytest.param({"nope": 3}, r"answers\.nope: unknown question id", id="unknown-id"),
    pytest.param(
        {"bodies": 5}, r"answers\.bodies: expected a maturity level 0, 1, 2, 3 or 4, got 5", id="level-range"
    ),
    pytest.param({"bodies": True}, r"answers\.bodies: expected a maturity level", id="level-bool"),
    pytest.param(
        {"projects": 101},
        r"answers\.projects: 101 projects is above the maximum 100 projects",
        id="number-range",
    ),
    pytest.param({"projects": 2.5}, r"answers\.projects: expected a whole number, got 2\.5", id="integer"),
    pytest.param({"projects": "many"}, r"answers\.projects: expected a number, got 'many'", id="number-type"),
    pytest.param(
        {"structure": -1}, r"answers\.structure: -1% is below the minimum 0%", id="percentage-range"
    ),
    pytest.param(
        {"mix": {"public_baseline": 60, "fees": 35}},
        r"answers\.mix: funding shares add up to 95%, not 100%",
        id="funding-sum",
    ),
    pytest.param(
        {"mix": {"public_baseline": 60, "lottery": 40}},
        r"answers\.mix\.lottery: unknown funding source 'lottery'; sources are public_baseline, fees, services",
        id="funding-unknown-source",
    ),
    pytest.param(
        {"mix": {"public_baseline": 120, "fees": -20}},
        r"answers\.mix\.public_baseline: 120% is above the maximum 100%",
        id="funding-share-range",
    ),
    pytest.param(
        {"fee_tiers": "gold"},
        r"answers\.fee_tiers: 'gold' is not a choice; choose one of flat, tiered",
        id="choice",
    ),
    pytest.param(
        {"areas": ["training", "golf"]}, r"answers\.areas\.1: 'golf' is not a choice", id="multi-choice"
    ),
    pytest.param(
        {"areas": ["training", "none"]}, r"answers\.areas: 'none' excludes every other choice", id="exclusive"
    ),
    pytest.param(
        {"areas": ["training", "training"]},
        r"answers\.areas: a choice is listed twice",
        id="duplicate-choice",
    ),
    pytest.param(
        {"fees_charged": "maybe"}, r"answers\.fees_charged: expected yes or no, got 'maybe'", id="yes-no"
    ),
    pytest.param(
        {"portfolio": {"golf_days": {"offered": True}}},
        r"answers\.portfolio\.golf_days: 'golf_days' is not a Table 6 service; give it a name",
        id="portfolio-unknown-service",
    ),
    pytest.param(
        {"portfolio": {"training": {"offered": False, "charged": True}}},
        r"answers\.portfolio\.training: a service that is not offered cannot be charged",
        id="portfolio-charged-not-offered",
    ),
    pytest.param(
        {"portfolio": {"training": {"uptake": 140}}},
        r"answers\.portfolio\.training\.uptake: 140% is above the maximum 100%",
        id="portfolio-uptake",
    ),
    pytest.param({"story": 42}, r"answers\.story: expected text, got 42", id="text"),
]


@pytest.mark.parametrize(("answers", "pattern"), BAD_ANSWERS)
def test_invalid_answer_names_question_and_problem(mini, answers, pattern):
    with pytest.raises(AnswersError) as info:
        check_answers(mini, mini_answers(**answers))
    assert re.search(pattern, str(info.value)), str(info.value)


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        ({"questionnaire": "other"}, r"questionnaire: expected 'mini', got 'other'"),
        (
            {"version": "9.9"},
            r"version: these answers are for version 9\.9; the questionnaire is version 0\.1",
        ),
        ({"year": "last"}, r"year: expected the year the answers describe"),
        ({"colour": "red"}, r"colour: unknown key"),
        (
            {"profile": {"name": "X", "founded_year": 2030}},
            r"profile\.founded_year: founded in 2030, after the year answered \(2025\)",
        ),
        ({"profile": {"name": "X", "mascot": "owl"}}, r"profile\.mascot: unknown profile field"),
        (
            {"profile": {"name": "X", "stage_override": "teen"}},
            r"profile\.stage_override: 'teen' is not a choice",
        ),
    ],
)
def test_invalid_envelope_names_field(mini, change, pattern):
    data = {**mini_answers(), **change}
    with pytest.raises(AnswersError, match=pattern):
        check_answers(mini, data)


def test_every_problem_is_reported_at_once(mini):
    with pytest.raises(AnswersError) as info:
        check_answers(mini, mini_answers(bodies=7, projects=-1, nope=1))
    assert len(info.value.problems) == 3


def test_a_draft_with_missing_answers_is_valid(mini):
    valid = check_answers(mini, mini_answers(bodies=2, fees_charged=None))
    assert dict(valid.answers) == {"bodies": 2}


def test_values_are_normalised(mini):
    valid = check_answers(
        mini,
        mini_answers(
            fees_charged="yes",
            mix={"public_baseline": 50, "fees": 50},
            portfolio={"training": {"charged": True, "uptake": 30}, "club": {"name": "Export club"}},
        ),
    )
    assert valid.answers["fees_charged"] is True
    assert valid.answers["mix"] == {"public_baseline": 50.0, "fees": 50.0, "services": 0.0}
    assert valid.answers["portfolio"] == (
        ServiceUse("training", offered=True, charged=True, uptake=30.0),
        ServiceUse("club", offered=True, charged=False, uptake=None, name="Export club"),
    )


def test_round_trip_through_file_format(mini, tmp_path):
    valid = check_answers(
        mini, mini_answers(bodies=3, areas=["training"], portfolio={"training": {"charged": True}})
    )
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(valid.to_data()))
    assert load_answers(path, mini) == valid


def test_file_errors_carry_the_line(mini):
    text = "\n".join(
        [
            "questionnaire: mini",
            'version: "0.1"',
            "year: 2025",
            "answers:",
            "  bodies: 2",
            "  projects: 900",
        ]
    )
    with pytest.raises(
        AnswersError, match=r"answers\.yaml:6: answers\.projects: 900 projects is above the maximum"
    ):
        read_answers(text, "answers.yaml", mini)


def test_broken_yaml_and_json_are_named(mini):
    with pytest.raises(AnswersError, match=r"a\.yaml:3: not valid YAML"):
        read_answers("answers:\n  bodies: [1\n", "a.yaml", mini)
    with pytest.raises(AnswersError, match=r"a\.json:1: not valid JSON"):
        read_answers("{'bodies': 1}", "a.json", mini)
    with pytest.raises(AnswersError, match=r"expected a mapping"):
        read_answers("- 1\n- 2\n", "a.yaml", mini)


def test_missing_file(mini, tmp_path):
    with pytest.raises(AnswersError, match=r"cannot read file"):
        load_answers(tmp_path / "none.yaml", mini)


def _slow_check(q, data):
    """Validate through the detailed validators only (the ones that write the messages)."""
    from assessment import answer_values as a

    catalogue = set(q.service_index)
    out = {}
    for qid, value in data["answers"].items():
        question = q.questions[qid]
        if question.type == "service_portfolio":
            out[qid] = a.portfolio_value(question, value, catalogue)
        else:
            out[qid] = a.VALIDATORS[question.type](question, value)
    profile = {k: a.profile_value(q.profile_fields[k], v) for k, v in data["profile"].items()}
    return profile, out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32))
def test_fast_validation_agrees_with_the_detailed_validators(questionnaire, seed):
    data = random_answers(questionnaire, random.Random(seed))
    fast = AnswerChecker(questionnaire).check(data)
    profile, answers = _slow_check(questionnaire, data)
    assert dict(fast.answers) == answers
    assert {k: type(v) for k, v in fast.answers.items()} == {k: type(v) for k, v in answers.items()}
    assert dict(fast.profile) == profile


# The same refusals in Spanish and Portuguese: placeholders filled, numbers and percentages
# written as each language writes them (decimal comma; "95,5 %" in Spanish, "95,5%" in Portuguese).
TRANSLATED = [
    (
        {"mix": {"public_baseline": 60, "fees": 35.5}},
        "es",
        "answers.mix: los porcentajes de financiación suman 95,5\u00a0%, no 100\u00a0%",
    ),
    (
        {"mix": {"public_baseline": 60, "fees": 35.5}},
        "pt",
        "answers.mix: os percentuais de financiamento somam 95,5%, não 100%",
    ),
    ({"structure": 140.5}, "es", "answers.structure: 140,5\u00a0% supera el máximo, 100\u00a0%"),
    ({"structure": 140.5}, "pt", "answers.structure: 140,5% está acima do máximo, 100%"),
    ({"projects": 2.5}, "es", "answers.projects: se esperaba un número entero y se recibió 2,5"),
    ({"fees_charged": "maybe"}, "pt", "answers.fees_charged: era esperado sim ou não, mas veio 'maybe'"),
    ({"nope": 3}, "es", "answers.nope: id de pregunta desconocido"),
    (
        {"portfolio": {"training": {"offered": False, "charged": True}}},
        "pt",
        "answers.portfolio.training: não é possível cobrar por um serviço que não é oferecido",
    ),
]


@pytest.mark.parametrize(("answers", "lang", "message"), TRANSLATED)
def test_a_refusal_is_worded_in_the_language_asked_for(mini, answers, lang, message):
    with pytest.raises(AnswersError) as info:
        check_answers(mini, mini_answers(**answers), lang)
    assert [str(p) for p in info.value.problems] == [message]


def test_one_answer_is_refused_in_the_language_asked_for_and_in_english_by_default(mini):
    checker = AnswerChecker(mini)
    with pytest.raises(AnswersError) as english:
        checker.check_answer("projects", 101)
    with pytest.raises(AnswersError) as spanish:
        checker.check_answer("projects", 101, "es")
    assert english.value.problems[0].message == "101 projects is above the maximum 100 projects"
    assert spanish.value.problems[0].message.startswith("101 ")
    assert "supera el máximo, 100 " in spanish.value.problems[0].message


def test_envelope_problems_follow_the_language(mini):
    data = {**mini_answers(), "version": "9.9", "profile": {"name": "X", "founded_year": 2030}}
    with pytest.raises(AnswersError) as info:
        check_answers(mini, data, "pt")
    assert [str(p) for p in info.value.problems] == [
        "version: estas respostas são da versão 9.9; o questionário é a versão 0.1",
        "profile.founded_year: fundado em 2030, depois do ano das respostas (2025)",
    ]
