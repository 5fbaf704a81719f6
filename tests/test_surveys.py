"""The members' survey in storage: single-use links, anonymous responses, abuse refused.

Each abuse (a link used twice, an unknown link, a closed survey, a flood from one browser)
is refused with its reason and leaves everything stored as it was; on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from storage import Forbidden, FrozenAssessment, InvalidValue, Store, SurveyRefused
from storage.surveys import FLOOD_LIMIT, submit_response, token_hash
from tests.test_access import ASSESSMENTS, USERS, World, fast_hasher, world  # noqa: F401 (fixtures)

pytest_plugins = ["tests.pg"]

ANSWERS = {"services": {"training": {"used": True, "value": "high", "would_pay": True, "amount": 300}}}
SOON = date.today() + timedelta(days=14)


@pytest.fixture
def draft(store: Store) -> int:
    cluster = store.create_cluster("Cluster of the survey", "ana")
    return store.start_assessment(cluster.id, "cluster-sustainability", "2.0", 2025, "ana").id


def everything(store: Store, aid: int) -> tuple:
    """What a refusal must leave untouched."""
    return store.survey(aid), store.survey_responses(aid), store.answer_data(aid), len(store.audit(aid))


def test_a_link_works_once_and_the_response_is_tied_to_no_token(store, draft):
    survey, tokens = store.open_survey(draft, SOON, 3, "ana")
    assert (survey.invitations, survey.used, survey.responses) == (3, 0, 0)
    assert len(set(tokens)) == 3 and all(len(t) >= 30 for t in tokens)
    assert store.survey_invitation(tokens[0]).assessment_id == draft
    store.submit_survey_response(tokens[0], ANSWERS, "  Acme  ", "10.0.0.1")
    assert store.survey_responses(draft) == [ANSWERS]
    info = store.survey(draft)
    assert (info.used, info.responses) == (1, 1)
    before = everything(store, draft)
    with pytest.raises(SurveyRefused) as refused:
        store.submit_survey_response(tokens[0], ANSWERS, None, "10.0.0.2")
    assert refused.value.reason == "used" and "already been used" in str(refused.value)
    with pytest.raises(SurveyRefused, match="already been used"):
        store.survey_invitation(tokens[0])
    assert everything(store, draft) == before


def test_tokens_are_kept_only_as_their_hash(store, draft):
    _, tokens = store.open_survey(draft, SOON, 2, "ana")
    from sqlalchemy import select

    from storage.evidence_models import SurveyInvitation

    with store._read() as s:
        kept = set(s.scalars(select(SurveyInvitation.token_hash)))
    assert kept == {token_hash(t) for t in tokens}
    assert not kept & set(tokens)


@pytest.mark.parametrize("token", ["", "short", "x" * 40, None, 12345678])
def test_an_unknown_link_is_refused(store, draft, token):
    store.open_survey(draft, SOON, 1, "ana")
    before = everything(store, draft)
    with pytest.raises(SurveyRefused) as refused:
        store.submit_survey_response(token, ANSWERS, None, "10.0.0.1")
    assert refused.value.reason == "unknown"
    assert everything(store, draft) == before


def test_a_closed_survey_refuses_links_it_gave(store, draft):
    _, tokens = store.open_survey(draft, SOON, 2, "ana")
    store.close_survey(store.survey(draft).id, "ana")
    before = everything(store, draft)
    for call in (
        lambda: store.survey_invitation(tokens[0]),
        lambda: store.submit_survey_response(tokens[0], ANSWERS, None, "10.0.0.1"),
        lambda: store.add_invitations(store.survey(draft).id, 1, "ana"),
    ):
        with pytest.raises(SurveyRefused) as refused:
            call()
        assert refused.value.reason == "closed"
    assert everything(store, draft) == before


def test_a_survey_closes_after_its_date_and_when_the_assessment_is_submitted(store, draft):
    _, tokens = store.open_survey(draft, date.today(), 2, "ana")
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    with pytest.raises(SurveyRefused, match="closed"):
        submit_response(store, tokens[0], ANSWERS, None, None, now=tomorrow)
    store.submit_survey_response(tokens[0], ANSWERS, None, None)  # still today: open
    store.submit(draft, "{}", 50.0, "launch", "test", "ana")
    assert not store.survey(draft).is_open()
    with pytest.raises(SurveyRefused, match="closed"):
        store.submit_survey_response(tokens[1], ANSWERS, None, None)
    assert store.survey_responses(draft) == [ANSWERS]


def test_a_flood_from_one_browser_is_refused_and_others_still_answer(store, draft):
    _, tokens = store.open_survey(draft, SOON, FLOOD_LIMIT + 2, "ana")
    for token in tokens[:FLOOD_LIMIT]:
        store.submit_survey_response(token, ANSWERS, None, "203.0.113.9")
    before = everything(store, draft)
    with pytest.raises(SurveyRefused) as refused:
        store.submit_survey_response(tokens[FLOOD_LIMIT], ANSWERS, None, "203.0.113.9")
    assert refused.value.reason == "flood"
    assert everything(store, draft) == before
    store.submit_survey_response(tokens[FLOOD_LIMIT], ANSWERS, None, "198.51.100.4")  # the link still works
    assert store.survey(draft).responses == FLOOD_LIMIT + 1


@pytest.mark.parametrize(
    ("answers", "firm", "field"),
    [({"x": float("nan")}, None, "answers"), ("text", None, "answers"), (ANSWERS, "F" * 201, "firm_name")],
)
def test_a_bad_response_is_refused_naming_the_field_and_keeps_the_link(store, draft, answers, firm, field):
    _, tokens = store.open_survey(draft, SOON, 1, "ana")
    with pytest.raises(InvalidValue, match=field):
        store.submit_survey_response(tokens[0], answers, firm, None)
    store.submit_survey_response(tokens[0], ANSWERS, None, None)
    assert store.survey(draft).responses == 1


def test_opening_needs_a_draft_a_future_date_and_a_sane_number_of_links(store, draft):
    for closes_on, count in ((date.today() - timedelta(days=1), 3), (SOON, 0), (SOON, 5000), (SOON, "3")):
        with pytest.raises(InvalidValue):
            store.open_survey(draft, closes_on, count, "ana")
    assert store.survey(draft) is None
    store.submit(draft, "{}", 50.0, "launch", "test", "ana")
    with pytest.raises(FrozenAssessment):
        store.open_survey(draft, SOON, 3, "ana")


def test_more_links_can_be_added_while_open_and_each_open_is_audited(store, draft):
    survey, _ = store.open_survey(draft, SOON, 2, "ana")
    with pytest.raises(InvalidValue, match="already open"):
        store.open_survey(draft, SOON, 2, "ana")
    more = store.add_invitations(survey.id, 3, "ana")
    assert len(more) == 3 and store.survey(draft).invitations == 5
    actions = [e.action for e in store.audit(draft)]
    assert "open_survey" in actions and "add_invitations" in actions


def test_only_the_manager_runs_a_survey_and_an_officer_never_sees_a_drafts(world):  # noqa: F811
    aid = world.ids["a_draft"]
    for username in USERS:
        view = world.as_(username)
        allowed = username in ("mia", "root")
        try:
            view.open_survey(aid, SOON, 2)
            done = True
        except Forbidden:
            done = False
        except InvalidValue:  # allowed, but mia's survey is already open
            done = True
        assert done == allowed, username
    survey = world.store.survey(aid)
    assert survey is not None and survey.invitations == 2
    for username in USERS:
        try:
            world.as_(username).survey_responses(aid)
            seen = True
        except Forbidden:
            seen = False
        assert seen == (username in ("mia", "root")), username
