"""The verified share of the index's weight (scoring.verification): within 0..1, and 1 when all is verified."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.verification import VerifiedShare, scored_questions, verified_share

LEVELS = st.sampled_from(["self_declared", "documented", "verified", "unknown"])


def _ids(q):
    return sorted(q.questions)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_shares_stay_within_0_and_1_and_verified_never_exceeds_documented(questionnaire, data):
    ids = _ids(questionnaire)
    scored = data.draw(st.lists(st.sampled_from([*ids, "some_check", "not_a_question"]), unique=True))
    marks = data.draw(st.dictionaries(st.sampled_from([*ids, "not_a_question"]), LEVELS))
    share = verified_share(questionnaire, scored, marks)
    assert 0.0 <= share.verified <= share.documented <= 1.0
    assert share.weight >= 0.0


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_it_is_1_when_every_scored_item_is_verified(questionnaire, data):
    weighted = [q.id for d in questionnaire.dimensions for q in d.questions if d.weight * q.weight > 0]
    scored = data.draw(st.lists(st.sampled_from(weighted), min_size=1, unique=True))
    share = verified_share(questionnaire, scored, {i: "verified" for i in scored})
    assert share.verified == pytest.approx(1.0) and share.documented == pytest.approx(1.0)


def test_each_question_weighs_its_dimension_weight_times_its_own(questionnaire):
    d0, d1 = questionnaire.dimensions[0], questionnaire.dimensions[1]
    a = next(q for q in d0.questions if q.weight > 0)
    b = next(q for q in d1.questions if q.weight > 0)
    share = verified_share(questionnaire, [a.id, b.id], {a.id: "verified", b.id: "documented"})
    wa, wb = d0.weight * a.weight, d1.weight * b.weight
    assert share == VerifiedShare(pytest.approx(wa / (wa + wb)), pytest.approx(1.0), pytest.approx(wa + wb))


def test_nothing_scored_gives_zero_shares(questionnaire):
    assert verified_share(questionnaire, [], {}) == VerifiedShare(0.0, 0.0, 0.0)


def test_only_scored_questions_count():
    items = [("q1", "question", "scored"), ("c1", "check", "scored"), ("q2", "question", "unanswered")]
    assert scored_questions(items) == ["q1"]
