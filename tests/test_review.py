"""The review workflow: submitted → in review → accepted, or returned with comments and revised.

Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

import storage.accounts
from storage import Forbidden, InvalidTransition, InvalidValue, NotSubmitted, Store, UserStore

pytest_plugins = ["tests.pg"]

Q, V = "cluster-sustainability", "1.1"
PASSWORD = "correct horse battery"
RESULT = ('{"overall": 50}', 50.0, "consolidation", "1")


@pytest.fixture(autouse=True)
def fast_hasher(monkeypatch):
    monkeypatch.setattr(
        storage.accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )


@pytest.fixture
def people(store: Store) -> dict[str, UserStore]:
    north = store.create_cluster("North cluster", "setup")
    south = store.create_cluster("South cluster", "setup")
    store.create_programme("north", "North")
    store.create_programme("south", "South")
    store.assign_cluster(north.id, "north")
    store.assign_cluster(south.id, "south")
    store.create_user("mia", PASSWORD, "manager", clusters=[north.id])
    store.create_user("olga", PASSWORD, "officer", programme="north")
    store.create_user("sam", PASSWORD, "officer", programme="south")
    store.create_user("root", PASSWORD, "admin")
    return {name: store.as_user(store.user(name)) for name in ("mia", "olga", "sam", "root")}


def submit_one(mia: UserStore) -> int:
    [cluster] = mia.clusters()
    draft = mia.start_assessment(cluster.id, Q, V, 2025)
    mia.save_answer(draft.id, "critical_mass", 2)
    mia.save_profile(draft.id, "staff_fte", 3)
    return mia.submit(draft.id, *RESULT).id


def test_returned_revised_resubmitted_and_accepted(store, people):
    mia, olga = people["mia"], people["olga"]
    first = submit_one(mia)
    assert mia.review_status(first) == "submitted"

    olga.start_review(first)
    assert olga.review_status(first) == mia.review_status(first) == "in_review"
    typed = '  <b>Why</b> only 2?\n Évidence & "sources", please.  '
    olga.comment(first, typed, "critical_mass")
    olga.return_assessment(first, "See the comment on critical mass.")
    assert mia.review_status(first) == "returned"

    seen = mia.comments(first)
    assert [(c.author, c.question_id, c.body) for c in seen] == [
        ("olga", "critical_mass", typed),  # kept exactly as typed
        ("olga", None, "See the comment on critical mass."),
    ]
    assert all(c.assessment_id == first and c.created_at.tzinfo is not None for c in seen)

    second = mia.new_version(first)
    assert second.status == "draft" and mia.previous_version(second.id) == first
    assert mia.previous_version(first) is None
    assert mia.review_status(second.id) == "draft"
    mia.save_answer(second.id, "critical_mass", 3)
    mia.submit(second.id, *RESULT)
    assert olga.review_status(second.id) == "submitted" and olga.comments(second.id) == []
    olga.start_review(second.id)
    olga.accept(second.id)
    assert mia.review_status(second.id) == "accepted"
    assert mia.review_status(first) == "returned"

    steps = [(e.actor, e.action, e.field, e.old, e.new) for e in store.audit(first) if e.action != "save"]
    assert steps == [
        ("mia", "start", None, None, {"questionnaire": Q, "version": V, "year": 2025, "number": 1}),
        ("mia", "submit", None, None, {"overall": 50.0, "stage": "consolidation", "engine_version": "1"}),
        ("olga", "review", "review.status", "submitted", "in_review"),
        ("olga", "comment", "answers.critical_mass", None, typed),
        ("olga", "review", "review.status", "in_review", "returned"),
        ("olga", "comment", "comment", None, "See the comment on critical mass."),
    ]
    assert all(e.at.tzinfo is not None for e in store.audit(first))
    later = [
        (e.actor, e.action, e.new) for e in store.audit(second.id) if e.action in ("new_version", "review")
    ]
    assert later == [
        ("mia", "new_version", {"assessment": second.id, "number": 2}),
        ("olga", "review", "in_review"),
        ("olga", "review", "accepted"),
    ]


@pytest.mark.parametrize(
    ("steps", "then", "old", "new"),
    [
        ((), "accept", "submitted", "accepted"),
        ((), "return_assessment", "submitted", "returned"),
        (("start_review",), "start_review", "in_review", "in_review"),
        (("start_review", "accept"), "return_assessment", "accepted", "returned"),
        (("start_review", "return_assessment"), "accept", "returned", "accepted"),
        (("start_review", "return_assessment"), "start_review", "returned", "in_review"),
    ],
)
def test_the_workflow_refuses_other_moves(store, people, steps, then, old, new):
    olga = people["olga"]
    a = submit_one(people["mia"])
    for step in steps:
        getattr(olga, step)(a)
    before = store.audit(a)
    with pytest.raises(
        InvalidTransition, match=f"assessment {a} is {old.replace('_', ' ')}: it cannot become"
    ):
        getattr(olga, then)(a)
    assert store.audit(a) == before and olga.review_status(a) == old


def test_only_officers_of_the_programme_and_admins_review(store, people):
    a = submit_one(people["mia"])
    for name in ("mia", "sam"):
        for call in (
            lambda u: u.start_review(a),
            lambda u: u.comment(a, "Nice"),
            lambda u: u.accept(a),
            lambda u: u.return_assessment(a, "No"),
        ):
            with pytest.raises(Forbidden, match=f"user {name} may not review assessment {a}"):
                call(people[name])
    with pytest.raises(Forbidden, match=f"user sam may not read assessment {a}"):
        people["sam"].comments(a)
    root = people["root"]
    root.start_review(a)
    root.comment(a, "Admin note")
    root.accept(a)
    assert store.review_status(a) == "accepted"
    assert [c.author for c in store.comments(a)] == ["root"]


def test_drafts_cannot_be_reviewed_and_comments_must_say_something(store, people):
    [cluster] = people["mia"].clusters()
    draft = people["mia"].start_assessment(cluster.id, Q, V, 2025)
    with pytest.raises(NotSubmitted, match=f"assessment {draft.id} is a draft"):
        people["root"].start_review(draft.id)
    with pytest.raises(NotSubmitted):
        people["root"].comment(draft.id, "Too early")
    a = submit_one(people["mia"])
    olga = people["olga"]
    for body in ("", "   \n", None):
        with pytest.raises(InvalidValue, match="comment"):
            olga.comment(a, body)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="question id"):
        olga.comment(a, "On what?", " padded ")
    with pytest.raises(InvalidValue, match="comment"):
        olga.return_assessment(a, "  ")
    assert store.comments(a) == [] and store.review_status(a) == "submitted"
