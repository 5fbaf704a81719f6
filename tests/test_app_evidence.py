"""Evidence per answer in the app (issue 12), driven through AppTest against a real store.

The manager adds a note and a link under an answered question; the officer marks an answer
verified in the review of a submitted assessment; the results page then says how much of
the index's weight is verified, in the session's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from assessment.i18n import format_percent
from scoring import result_from_json
from scoring.verification import scored_questions, verified_share
from storage import Store
from tests.apptest_support import APP, QUESTIONNAIRE, TIMEOUT, open_store, sign_in

OFFICER = "officer-demo"


pytest_plugins = ["tests.pg"]


@pytest.fixture
def store(db_url, tmp_path, monkeypatch) -> Iterator[Store]:
    """On SQLite and on PostgreSQL (`db_url` of tests.pg), opened by the app too."""
    yield from open_store(tmp_path, monkeypatch, demo=True, accounts=True, url=db_url)


def page(name: str, assessment_id: int, username: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if username is None:
        sign_in(at)
    else:
        at.session_state["signed_in"] = username
    at.query_params["assessment"] = str(assessment_id)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(f"webapp/pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def submitted(store: Store) -> int:
    """A submitted demo assessment with critical_mass answered and scored."""
    for cluster in store.clusters():
        for a in store.assessments(cluster.id):
            if a.status == "submitted" and "critical_mass" in store.answer_data(a.id)["answers"]:
                return a.id
    raise AssertionError("no submitted demo assessment")


def test_the_manager_adds_a_note_and_a_link_to_an_answer(store):
    cluster = store.create_cluster("Clúster de Prueba", "test")
    draft = store.start_assessment(cluster.id, QUESTIONNAIRE.id, QUESTIONNAIRE.version, 2025, "test")
    store.save_answer(draft.id, "critical_mass", 3, "test")
    at = page("questionnaire", draft.id, section="foundations")
    labels = [e.label for e in at.expander]
    assert "Evidence" in labels  # under the answered question, folded
    assert not any(k.startswith("ev:note:") for k in (w.key for w in at.text_area))  # drawn when opened
    at.session_state["ev:box:critical_mass"] = True
    at.run()
    at.text_area(key="ev:note:critical_mass").input("Signed list of 42 member firms").run()
    at.button(key="ev:add_note:critical_mass").click().run()
    at.text_input(key="ev:link:critical_mass").input("ftp://example.org/list").run()
    at.button(key="ev:add_link:critical_mass").click().run()
    assert any("http:// or https://" in plain(e.value) for e in at.error)
    at.text_input(key="ev:link:critical_mass").input("https://example.org/members").run()
    at.button(key="ev:add_link:critical_mass").click().run()
    assert not at.exception, at.exception
    found = store.evidence(draft.id)
    assert [(e.question_id, e.kind, e.note, e.url, e.created_by) for e in found] == [
        ("critical_mass", "note", "Signed list of 42 member firms", None, "manager"),
        ("critical_mass", "link", None, "https://example.org/members", "manager"),
    ]
    shown = [t.value for t in at.text]
    assert "Signed list of 42 member firms" in shown and "https://example.org/members" in shown
    assert at.text_area(key="ev:note:critical_mass").value == ""  # emptied after adding
    # and it goes again
    note = found[0]
    at.button(key=f"ev:delete:{note.id}").click().run()
    assert [e.kind for e in store.evidence(draft.id)] == ["link"]
    assert store.answer_data(draft.id)["answers"] == {"critical_mass": 3}  # evidence changes no answer


def test_the_officer_marks_an_answer_verified_and_the_results_show_the_verified_share(store):
    aid = submitted(store)
    store.add_file(aid, "critical_mass", "members.pdf", b"%PDF-1.4\n%%EOF\n", "manager-demo")
    at = page("results", aid, username=OFFICER)
    assert "0% of the index's weight verified (0% documented)" in [plain(c.value) for c in at.caption]
    at.session_state["ev:review"] = True
    at.run()
    assert not at.exception, at.exception
    radio = at.radio(key="ev:mark:critical_mass")
    assert radio.value == "self_declared"
    assert not radio.label.startswith("critical_mass") and "critical_mass" not in radio.label  # its title
    assert any(d.proto.label == "Download" for d in at.get("download_button"))
    radio.set_value("verified").run()
    assert not at.exception, at.exception
    assert store.marks(aid) == {"critical_mass": "verified"}
    assert store.audit(aid)[-1].actor == OFFICER
    result = result_from_json(store.result_json(aid))
    share = verified_share(
        QUESTIONNAIRE, scored_questions((i.id, i.kind, i.status) for i in result.items), store.marks(aid)
    )
    verified, documented = (format_percent(100 * v, "en", 0) for v in (share.verified, share.documented))
    expected = f"{verified} of the index's weight verified ({documented} documented)"
    captions = [plain(c.value) for c in at.caption]
    assert expected in captions, captions
    assert share.verified > 0
    # in Spanish, formatted for the locale
    at.session_state["lang"] = "es"
    at.run()
    verified, documented = (format_percent(100 * v, "es", 0) for v in (share.verified, share.documented))
    expected = f"{verified} del peso del índice verificado ({documented} documentado)"
    captions = [plain(c.value) for c in at.caption]
    assert expected in captions and not any("%%" in c for c in captions), captions


def test_an_officer_cannot_mark_a_draft_nor_sees_the_evidence_box_of_a_draft(store):
    cluster = next(c for c in store.clusters())
    draft = store.start_assessment(cluster.id, QUESTIONNAIRE.id, QUESTIONNAIRE.version, 2026, "test")
    at = page("results", draft.id, username=OFFICER)
    assert not at.get("radio") or all(not (r.key or "").startswith("ev:mark:") for r in at.radio)
