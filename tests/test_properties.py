"""Invariants over random valid answer sets (hypothesis)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assessment.answers import check_answers
from assessment.questionnaire import Questionnaire
from assessment.questions import QuestionBase
from assessment.random_answers import random_answers
from scoring import Engine
from scoring.scales import interpolate

QUESTIONNAIRES = ["mini", "questionnaire"]
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _raw(q: Questionnaire, seed: int, answered: float) -> dict[str, Any]:
    return random_answers(q, random.Random(seed), answered=answered)


@pytest.mark.parametrize("name", QUESTIONNAIRES)
@SETTINGS
@given(seed=st.integers(0, 2**32), answered=st.floats(0, 1))
def test_every_score_stays_within_0_100(request, name, seed, answered):
    q = request.getfixturevalue(name)
    result = Engine(q).score(check_answers(q, _raw(q, seed, answered)))
    scores = [result.overall, *(d.score for d in result.dimensions), *(i.score for i in result.items)]
    assert all(s is None or 0 <= s <= 100 for s in scores)
    assert 0 <= result.completeness <= 100


def _improved(q: Questionnaire, question: QuestionBase, value: Any) -> Any:
    """A value for the same question that its own scoring rates at least as high."""
    kind = question.type  # type: ignore[attr-defined]
    if kind == "maturity":
        return min(4, value + 1)
    if kind == "single_choice":
        return max(question.choices, key=lambda c: c.score).id  # type: ignore[attr-defined]
    if kind == "multiple_choice":
        chosen = [v for v in value if not next(c for c in question.choices if c.id == v).exclusive]  # type: ignore[attr-defined]
        extra = [c.id for c in question.choices if not c.exclusive and c.id not in chosen]  # type: ignore[attr-defined]
        return chosen + extra[:1]
    if kind == "yes_no":
        return question.yes_score >= question.no_score  # type: ignore[attr-defined]
    if kind in ("number", "percentage"):
        best_x = max(question.scale, key=lambda p: p[1])[0]  # type: ignore[attr-defined]
        return best_x if interpolate(question.scale, best_x) >= interpolate(question.scale, value) else value  # type: ignore[attr-defined]
    if kind == "funding_mix":
        # Less public money for the structure, moved to a stable private source. Competitive
        # projects stay: they are a leg of diversification, not dependence (002 s6.3.2c),
        # so moving them out would make the answer worse, not better.
        public = question.dependence_ids  # type: ignore[attr-defined]
        stable = next(s.id for s in question.sources if s.stable and not s.public)  # type: ignore[attr-defined]
        moved = dict(value)
        for source in public:
            step = min(10.0, moved[source])
            moved[source] -= step
            moved[stable] += step
        return moved
    if kind == "service_portfolio":
        portfolio = {k: dict(v) for k, v in value.items()}
        for service in q.services:
            if service.brings_income and service.highly_valued:
                current = portfolio.get(service.id)
                if current is None or not current.get("charged"):
                    portfolio[service.id] = {"offered": True, "charged": True}
                    break
        return portfolio
    raise AssertionError(kind)


@pytest.mark.parametrize("name", QUESTIONNAIRES)
@SETTINGS
@given(seed=st.integers(0, 2**32), pick=st.integers(0, 10_000))
@example(seed=8, pick=1807)  # a funding mix whose competitive projects are one of its three legs
def test_improving_one_answer_never_lowers_its_dimension(request, name, seed, pick):
    q = request.getfixturevalue(name)
    engine = Engine(q)
    raw = _raw(q, seed, 1.0)
    scorable = [qid for qid, question in q.questions.items() if question.scorable and question.weight > 0]
    qid = scorable[pick % len(scorable)]
    # All else equal: questions shown only through this answer are left unanswered, since
    # revealing them adds new information rather than improving this answer.
    dependents = {
        other
        for other, question in q.questions.items()
        if question.show_if and question.show_if.question == qid
    }
    raw["answers"] = {k: v for k, v in raw["answers"].items() if k not in dependents}
    before = engine.score(check_answers(q, raw))
    better_raw = {
        **raw,
        "answers": {**raw["answers"], qid: _improved(q, q.questions[qid], raw["answers"][qid])},
    }
    after = engine.score(check_answers(q, better_raw))
    item_before, item_after = before.item(qid), after.item(qid)
    if item_before.status != "scored" or item_after.status != "scored":
        return  # hidden by a condition either way: nothing to compare
    assert item_after.score >= item_before.score - 1e-9
    dim = q.dimension_of[qid]
    if after.dimension(dim).score < before.dimension(dim).score - 0.05:
        # Only a gate may say why: a cap on this dimension that did not hold before.
        new_caps = {
            (c.gate, c.item) for c in after.caps if c.dimension == dim and c.dimension_level is not None
        }
        old_caps = {
            (c.gate, c.item) for c in before.caps if c.dimension == dim and c.dimension_level is not None
        }
        assert new_caps - old_caps, (qid, before.dimension(dim).score, after.dimension(dim).score)
        assert after.dimension(dim).uncapped >= before.dimension(dim).uncapped - 0.05
