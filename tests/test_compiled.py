"""The compiled forms scoring runs on give exactly what the models they come from say.

Issue 15 compiled the questionnaire into closures and tables for speed; these tests hold
each compiled piece to its reference (conditions to `Condition.holds`, scales to
`interpolate`) and the fast `evaluate` to the explained `score`.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.answers import AnswerChecker
from assessment.base import Condition, compile_condition
from assessment.questionnaire import Questionnaire
from assessment.random_answers import random_answers
from scoring import Engine
from scoring.scales import compile_scale, interpolate

SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 105),
    st.floats(-5, 105, allow_nan=False),
    st.sampled_from(["a", "b", "yes", ""]),
    st.lists(st.sampled_from(["a", "b", "c"]), max_size=3),
    st.tuples(st.sampled_from(["a", "b"])),
    st.dictionaries(
        st.sampled_from(["part", "other"]), st.one_of(st.none(), st.floats(-5, 105), st.booleans())
    ),
)
operators = st.one_of(
    st.fixed_dictionaries(
        {"equals": st.one_of(st.booleans(), st.sampled_from(["a", "yes"]), st.floats(0, 100))}
    ),
    st.fixed_dictionaries({"in": st.lists(st.sampled_from(["a", "b", "c"]), min_size=1)}),
    st.fixed_dictionaries({"at_least": st.floats(0, 100)}),
    st.fixed_dictionaries({"at_most": st.floats(0, 100)}),
    st.fixed_dictionaries({"includes": st.sampled_from(["a", "b"])}),
)


@SETTINGS
@given(operator=operators, part=st.sampled_from([None, "part"]), value=values)
def test_a_compiled_condition_holds_exactly_when_the_condition_does(operator, part, value):
    condition = Condition.model_validate({"question": "q", "part": part, **operator})
    assert compile_condition(condition)(value) == condition.holds(value)


@SETTINGS
@given(
    xs=st.lists(st.floats(-50, 150, allow_nan=False), min_size=2, max_size=5, unique=True),
    ys=st.lists(st.floats(0, 100), min_size=5, max_size=5),
    x=st.floats(-100, 200, allow_nan=False),
)
def test_a_compiled_scale_gives_the_same_floats_as_interpolate(xs, ys, x):
    points = list(zip(sorted(xs), ys, strict=False))
    assert compile_scale(points)(x) == interpolate(points, x)


def _numbers(engine: Engine, answers: Any) -> dict[str, Any]:
    """What `evaluate` decides, in a form to compare with the explained result."""
    ev = engine.evaluate(answers)
    fired = sorted(ev.fired)
    return {
        "overall": ev.overall,
        "dimensions": dict(ev.dimensions),
        "items": {item_id: ev.scores.get(item_id) for item_id in ev.scores},
        "findings": [(f[4].kind, f[4].lesson, f[5]) for f in fired],
        "raised_by": {f[5] for f in fired},
        "stage": ev.stage.id,
        "completeness": ev.completeness,
    }


def _explained(engine: Engine, answers: Any) -> dict[str, Any]:
    result = engine.score(answers)
    return {
        "overall": result.overall,
        "dimensions": {d.id: d.score for d in result.dimensions},
        "items": {i.id: i.score for i in result.items if i.score is not None},
        "findings": sorted((f.kind, f.lesson, f.item) for f in result.findings),
        "raised_by": {f.item for f in result.findings} | {item for f in result.findings for item in f.also},
        "stage": result.stage.id,
        "completeness": result.completeness,
    }


@pytest.mark.parametrize("name", ["mini", "questionnaire"])
@SETTINGS
@given(seed=st.integers(0, 2**32), answered=st.floats(0, 1))
def test_evaluate_and_the_explained_result_agree(request, name, seed, answered):
    q: Questionnaire = request.getfixturevalue(name)
    engine = Engine(q)
    answers = AnswerChecker(q).check(random_answers(q, random.Random(seed), answered=answered))
    fast, explained = _numbers(engine, answers), _explained(engine, answers)
    # The result merges findings of one topic into one (the others' items in `also`):
    # every finding it shows fired, and every item that fired is shown.
    assert set(explained.pop("findings")) <= set(fast.pop("findings"))
    assert fast == explained


def test_evaluate_and_the_explained_result_agree_on_1000_random_sets(questionnaire):
    engine, checker = Engine(questionnaire), AnswerChecker(questionnaire)
    rng = random.Random(15)
    for _ in range(1000):
        answers = checker.check(random_answers(questionnaire, rng, answered=rng.choice([1.0, rng.random()])))
        fast, explained = _numbers(engine, answers), _explained(engine, answers)
        assert set(explained.pop("findings")) <= set(fast.pop("findings"))
        assert fast == explained


def test_an_engine_reuses_the_tables_compiled_for_the_same_questionnaire_and_language(questionnaire, mini):
    first, again = Engine(questionnaire), Engine(questionnaire)
    assert again._plans is first._plans  # compiled once
    assert Engine(questionnaire, "es")._plans is not first._plans
    assert Engine(mini)._plans is not first._plans
    copy = questionnaire.model_copy()
    assert Engine(copy)._plans is not first._plans  # another object: compiled anew
