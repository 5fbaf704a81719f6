"""The officer's review queue on the portfolio page (AppTest, the demo store and accounts, SQLite).

The demo officer sees "To review (7)" with the decision columns first; after every demo
submission was decided, a newly submitted assessment of a new cluster of the programme is
first; Accept and Return on a selected row change the status in the store with no "Start the
review" step (and the audit has both steps); a manager never sees the queue.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from assessment.answers import check_answers
from assessment.loading import parse_answers_text
from scoring import Engine, result_to_json
from storage import Store
from tests.apptest_support import APP, EXAMPLES, QUESTIONNAIRE, TIMEOUT, keyed_table, open_store

OFFICER = "officer-demo"
MANAGER = "manager-aei_pattern_year8"
NEW = "Clúster Nuevo de Prueba"


@pytest.fixture
def store(tmp_path, monkeypatch) -> Iterator[Store]:
    yield from open_store(tmp_path, monkeypatch, demo=True, accounts=True)


def signed_in(username: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["signed_in"] = username
    at.run()
    if lang != "en":  # chosen once the first page is drawn, as a user would
        at.session_state["lang"] = lang
        at.run()
    assert not at.exception, at.exception
    return at


def queue(at: AppTest):
    """The queue table as shown (the assessment ids kept in a hidden column)."""
    return keyed_table(at, f"rq:table:{at.session_state['rq:round']}").value


def select(at: AppTest, position: int) -> AppTest:
    """Select one row of the queue, as a click on it does (AppTest cannot click a table)."""
    key = f"rq:table:{at.session_state['rq:round']}"
    at.session_state[key] = {"selection": {"rows": [position], "columns": [], "cells": []}}
    return at.run()


def decide_every_demo_submission(store: Store) -> None:
    """Accept all demo submissions but one, returned: nothing of the demo waits any more."""
    ids = [store.assessments(c.id)[-1].id for c in store.clusters()]
    for aid in ids:
        store.set_review_status(aid, "in_review", "setup")
        store.set_review_status(aid, "returned" if aid == ids[0] else "accepted", "setup")


def submit_a_new_cluster(store: Store) -> int:
    """A manager adds a cluster to programme demo and submits its first assessment, as the app does."""
    newbie = store.as_user(store.user(MANAGER))
    cluster = newbie.create_cluster(NEW, programme="demo")
    data = parse_answers_text((EXAMPLES / "young_public_launch.yaml").read_text(encoding="utf-8"), "x.yaml")
    data["profile"]["name"] = NEW
    draft = newbie.start_assessment(cluster.id, data["questionnaire"], data["version"], int(data["year"]))
    newbie.import_answers(draft.id, data)
    result = Engine(QUESTIONNAIRE).score(check_answers(QUESTIONNAIRE, data))
    newbie.submit(draft.id, result_to_json(result), result.overall, result.stage.id, result.engine_version)
    return draft.id


def test_the_officer_sees_what_waits_oldest_first_with_the_decision_columns(store):
    at = signed_in(OFFICER)
    assert [t.value for t in at.title] == ["Portfolio"]
    assert at.subheader[0].value == "To review (7)"
    shown = queue(at)
    assert len(shown) == 7 and set(shown["status"]) == {"Submitted, waiting for review"}
    submitted = {a.id: a.submitted_at for c in store.clusters() for a in store.assessments(c.id)}
    assert [submitted[int(a)] for a in shown["assessment_id"]] == sorted(submitted.values())
    order = list(keyed_table(at, "rq:table:0").proto.column_order)
    assert order[:8] == [
        "cluster", "overall", "stage", "completeness", "budget", "members", "status", "submitted_at",
    ]  # fmt: skip
    assert all(v.endswith("%") for v in shown["completeness"])
    assert "Nothing waits for review." not in [i.value for i in at.info]


def test_a_newly_submitted_cluster_is_first_and_accept_needs_no_start(store):
    decide_every_demo_submission(store)
    at = signed_in(OFFICER)
    assert at.subheader[0].value == "To review (0)"
    assert "Nothing waits for review." in [i.value for i in at.info]
    new_id = submit_a_new_cluster(store)

    at = signed_in(OFFICER)
    assert at.subheader[0].value == "To review (1)"
    first = queue(at).iloc[0]
    assert first["cluster"] == NEW and int(first["assessment_id"]) == new_id
    # with the decided ones shown too, the new one is still first, then returned, then accepted
    at.checkbox(key="rq:all").check().run()
    statuses = list(queue(at)["status"])
    assert statuses[0] == "Submitted, waiting for review"
    assert statuses[1] == "Returned to the manager with comments" and set(statuses[2:]) == {"Accepted"}
    at.checkbox(key="rq:all").uncheck().run()

    at = select(at, 0)
    assert not at.exception, at.exception
    assert store.review_status(new_id) == "submitted"
    at.button(key="rq:accept").click().run()
    assert not at.exception, at.exception
    assert store.review_status(new_id) == "accepted"
    steps = [(e.actor, e.old, e.new) for e in store.audit(new_id) if e.action == "review"]
    assert steps == [(OFFICER, "submitted", "in_review"), (OFFICER, "in_review", "accepted")]
    assert [s.value for s in at.success] == [f"Accepted: {NEW}."]
    assert at.subheader[0].value == "To review (0)"  # the queue is read again


def test_return_from_the_queue_with_a_comment_and_open(store):
    at = signed_in(OFFICER)
    at = select(at, 1)
    chosen = int(queue(at).iloc[1]["assessment_id"])
    at.text_area(key="rq:comment").input("Please add the members' survey.").run()
    at.button(key="rq:return").click().run()
    assert not at.exception, at.exception
    assert store.review_status(chosen) == "returned"
    assert [c.body for c in store.comments(chosen)] == ["Please add the members' survey."]
    assert at.subheader[0].value == "To review (6)"
    assert chosen not in {int(a) for a in queue(at)["assessment_id"]}
    assert "rq:accept" not in [b.key for b in at.button]  # the decision cleared the selection
    # "Open" leads to the full result and its review
    at = select(at, 0)
    opened = int(queue(at).iloc[0]["assessment_id"])
    at.button(key="rq:open").click().run()
    assert [t.value for t in at.title] == ["Results"]
    assert at.query_params["assessment"] == str(opened)


def test_the_queue_reads_in_spanish(store):
    at = signed_in(OFFICER, "es")
    assert at.subheader[0].value == "Por revisar (7)"
    shown = queue(at)
    assert set(shown["status"]) == {"Enviada, pendiente de revisión"}
    assert all(v.endswith("\u00a0%") for v in shown["completeness"])  # "100 %", the Spanish way
    assert all("," in v and "." not in v for v in shown["overall"])  # "31,6"
    assert all("." not in y and "," not in y for y in shown["year"])  # years never grouped


def test_a_manager_never_sees_the_queue(store):
    at = signed_in(MANAGER)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("webapp/pages/portfolio.py")  # a manager has no portfolio page at all
    for name in ("home", "results"):
        at.switch_page(f"webapp/pages/{name}.py").run()
        assert not at.exception, at.exception
        assert not [s for s in at.subheader if s.value.startswith("To review")]
        assert not [d for d in at.dataframe if "-rq:table:" in str(d.proto.id)]
    assert "rq:round" not in at.session_state


def test_an_administrator_sees_the_queue(store):
    at = signed_in("admin")
    at.switch_page("webapp/pages/portfolio.py").run()
    assert not at.exception, at.exception
    assert at.subheader[0].value == "To review (7)" and len(queue(at)) == 7
