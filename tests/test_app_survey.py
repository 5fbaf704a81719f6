"""The members' survey in the app: a member's page with no sign-in, the manager's panel, the result.

Driven through AppTest against a real SQLite store (the app tests have no PostgreSQL
variant; tests/test_surveys.py runs the storage side on both). A member answers in
Spanish through a link and the response is stored; each abuse of a link is refused with
its own message and stores nothing; a manager opens a survey, gets the links once and
sees the count; and with five responses the results page says what members say and the
index follows them.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from assessment.loading import parse_answers_text
from assessment.survey import check_response
from storage import Store
from storage.surveys import FLOOD_LIMIT
from tests.apptest_support import APP, EXAMPLES, QUESTIONNAIRE, TIMEOUT, open_store, sign_in
from webapp.views import survey as survey_page
from webapp.views import survey_panel
from webapp.views.survey import offered_services

SOON = datetime.date.today() + datetime.timedelta(days=10)
MATURE = EXAMPLES / "mature_member_financed.yaml"
SURVEY = QUESTIONNAIRE.survey


pytest_plugins = ["tests.pg"]


@pytest.fixture
def store(db_url, tmp_path, monkeypatch) -> Iterator[Store]:
    """On SQLite and on PostgreSQL (`db_url` of tests.pg), opened by the app too."""
    yield from open_store(tmp_path, monkeypatch, demo=False, url=db_url)


@pytest.fixture
def data() -> dict:
    return parse_answers_text(MATURE.read_text(), "mature.yaml")


@pytest.fixture
def draft(store, data) -> int:
    cluster = store.create_cluster("Cluster Vasco de Fundición y Forja", "test")
    info = store.start_assessment(cluster.id, QUESTIONNAIRE.id, QUESTIONNAIRE.version, data["year"], "test")
    store.import_answers(info.id, data, "test")
    return info.id


def response(data: dict, trust: int | None = None, satisfaction: int = 4) -> dict:
    """A checked response: every offered service used and valued as medium, trust as given."""
    offered = list(offered_services(QUESTIONNAIRE, data, "en"))
    services = {sid: {"used": True, "value": "medium", "would_pay": False, "amount": None} for sid in offered}
    levels = {"trust": trust} if trust is not None else {}
    raw = {"services": services, "satisfaction": satisfaction, "levels": levels}
    return check_response(SURVEY, offered, raw)


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown.replace("**", ""))


def member_page(token: str, lang: str | None = None) -> AppTest:
    """The app opened by a survey link, as a member firm's browser would: nobody signed in."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["survey"] = token
    if lang:
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def manager_page(name: str, assessment_id: int) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    sign_in(at)
    at.query_params["assessment"] = str(assessment_id)
    at.run()
    at.switch_page(f"webapp/pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def send(at: AppTest) -> AppTest:
    [button] = at.get("form_submit_button")
    button.click()
    at.run()
    assert not at.exception, at.exception
    return at


def stored(store: Store, aid: int) -> tuple:
    info = store.survey(aid)
    return store.survey_responses(aid), (info.used, info.responses) if info else None


# --- the member's page ------------------------------------------------------------------------


def test_a_member_answers_in_spanish_and_the_response_is_stored(store, draft, data):
    _, tokens = store.open_survey(draft, SOON, 3, "test")
    at = member_page(tokens[0], lang="es")
    assert [t.value for t in at.title] == ["Encuesta a los socios"]
    assert any("empresas socias" in m.value for m in at.markdown)
    assert "signin:username" not in {w.key for w in at.text_input}  # no sign-in
    # only the offered services, named in Spanish; the level questions in the questionnaire's words
    offered = offered_services(QUESTIONNAIRE, data, "es")
    shown = [m.value for m in at.markdown if m.value.startswith("**")]
    assert [plain(m) for m in shown] == list(offered.values())
    trust = at.radio(key="sv:level:trust")
    assert trust.label.startswith("¿Cuál de estas frases") and trust.options[0].startswith("Nivel 0")
    at.checkbox(key="sv:training:used").check()
    at.radio(key="sv:training:value").set_value("high")
    at.checkbox(key="sv:training:pay").check()
    at.number_input(key="sv:training:amount").set_value(250.0)
    at.radio(key="sv:satisfaction").set_value(5)
    trust.set_value(2)
    at.text_input(key="sv:firm").input("Forjas Ejemplo")
    send(at)
    assert [s.value for s in at.success] == [
        "Gracias: hemos recibido sus respuestas. Ya puede cerrar esta página."
    ]
    assert not at.get("form_submit_button")  # the form is gone
    [answer] = store.survey_responses(draft)
    assert answer["services"]["training"] == {
        "used": True,
        "value": "high",
        "would_pay": True,
        "amount": 250.0,
    }
    assert answer["services"]["trade_fairs"]["used"] is False
    assert answer["satisfaction"] == 5 and answer["levels"] == {"trust": 2}
    # opening the same link again (a reload: a new session) says it was used
    again = member_page(tokens[0], lang="es")
    assert [e.value for e in again.error] == [
        "Este enlace de la encuesta ya se ha usado: cada enlace sirve una sola vez. Gracias si fue usted."
    ]
    assert not again.get("form_submit_button")


def test_a_link_is_refused_when_unknown_used_or_closed(store, draft, data):
    _, tokens = store.open_survey(draft, SOON, 3, "test")
    store.submit_survey_response(tokens[1], response(data), None, None)
    before = stored(store, draft)
    cases = {
        "x" * 32: "This survey link is not valid",
        tokens[1]: "This survey link has already been used",
        "": "This survey link is not valid",
    }
    for token, message in cases.items():
        at = member_page(token)
        assert [e.value for e in at.error][0].startswith(message), token
        assert not at.get("form_submit_button")
    store.close_survey(draft, "test")
    at = member_page(tokens[0])
    assert at.error[0].value.startswith("This survey is closed")
    assert not at.get("form_submit_button")
    assert stored(store, draft) == before


@pytest.mark.parametrize("abuse", ["used", "closed", "flood"])
def test_sending_is_refused_when_the_link_went_bad_meanwhile(store, draft, data, monkeypatch, abuse):
    """The page was opened with a good link; by the time the member sends, it is no longer good."""
    _, tokens = store.open_survey(draft, SOON, FLOOD_LIMIT + 2, "test")
    monkeypatch.setattr(survey_page, "client_address", lambda: "203.0.113.9")
    at = member_page(tokens[0])
    at.radio(key="sv:satisfaction").set_value(2)
    if abuse == "used":  # the same link sent from another tab first
        store.submit_survey_response(tokens[0], response(data), None, "198.51.100.1")
    elif abuse == "closed":
        store.close_survey(draft, "test")
    else:  # this browser has just sent as many responses as a browser may
        for token in tokens[1 : FLOOD_LIMIT + 1]:
            store.submit_survey_response(token, response(data), None, "203.0.113.9")
    before = stored(store, draft)
    send(at)
    expected = {
        "used": "This survey link has already been used",
        "closed": "This survey is closed",
        "flood": "Too many responses have come from this browser",
    }[abuse]
    assert [e.value for e in at.error][0].startswith(expected)
    assert not at.success
    assert stored(store, draft) == before


# --- the manager's panel --------------------------------------------------------------------


def shown_links(at: AppTest) -> list[str]:
    """The links of the table the panel shows right after making them (none when hidden)."""
    return [link for frame in at.dataframe if "Link" in frame.value.columns for link in frame.value["Link"]]


def test_a_manager_opens_a_survey_sees_the_links_once_and_the_count(store, draft, data, monkeypatch):
    monkeypatch.setenv("CLUSTER_ASSESS_PUBLIC_URL", "https://survey.example.org/app/")
    at = manager_page("questionnaire", draft)
    assert "survey:count" not in {w.key for w in at.number_input}  # folded: its form is not drawn
    at.session_state[survey_panel.PANEL + "count"] = True  # the manager opens the panel
    at.run()
    count = at.number_input(key="survey:count")
    assert count.value == data["profile"]["members_total"]  # one link per member firm by default
    assert at.date_input(key="survey:closes_on").value == datetime.date.today() + datetime.timedelta(days=30)
    count.set_value(3)
    at.date_input(key="survey:closes_on").set_value(SOON)
    [button] = [b for b in at.get("form_submit_button") if b.label == "Open the survey"]
    button.click()
    at.run()
    assert not at.exception, at.exception
    info = store.survey(draft)
    assert (info.invitations, info.closes_on) == (3, SOON) and info.is_open()
    links = shown_links(at)
    assert len(links) == 3 and all(
        re.fullmatch(r"https://survey\.example\.org/app/\?survey=[\w-]+&lang=en", link) for link in links
    )
    assert any("not shown again" in w.value for w in at.warning)
    assert at.get("download_button")
    texts = [plain(m.value) for m in at.markdown]
    assert "0 responses (0 of 3 links used) — scoring uses them from 5" in texts
    # a member answers through the first link; the manager's next run counts it
    token = links[0].split("survey=")[1].split("&")[0]
    store.submit_survey_response(token, response(data), None, None)
    at.button(key="survey:hide").click().run()
    assert not shown_links(at)  # hidden: the links are not shown again
    texts = [plain(m.value) for m in at.markdown]
    assert "1 response (1 of 3 links used) — scoring uses them from 5" in texts
    at.number_input(key="survey:more").set_value(2)
    at.button(key="survey:add").click().run()
    assert store.survey(draft).invitations == 5 and len(shown_links(at)) == 2
    at.button(key="survey:close").click().run()
    assert not store.survey(draft).is_open()
    assert at.get("form_submit_button")  # a new survey may be opened


# --- the result -----------------------------------------------------------------------------


def _metric(at: AppTest) -> float:
    value = next(m.value for m in at.metric if m.label == "Sustainability index")
    return float(value.split(" / ")[0])


def test_five_responses_show_what_members_say_and_move_the_index(store, draft, data):
    _, tokens = store.open_survey(draft, SOON, 6, "test")
    plain_index = _metric(manager_page("results", draft))
    assert plain_index > 40
    for token in tokens[:4]:
        store.submit_survey_response(token, response(data, trust=0), None, None)
    at = manager_page("results", draft)
    assert "What members say" in [s.value for s in at.subheader]
    assert any(plain(c.value) == "4 of 5 responses: not used yet." for c in at.caption)
    assert _metric(at) == plain_index
    # the fifth response: the members' view stands in, and members who see no trust cap the index
    store.submit_survey_response(tokens[4], response(data, trust=0), None, None)
    at.run()
    assert not at.exception, at.exception
    content = "\n".join(plain(m.value) for m in at.markdown)
    assert "5 member firms answered the members' survey; the scores use their answers." in content
    assert "Mean satisfaction with the cluster: 4 on a scale of 1 to 5 (5 answers)." in content
    assert "the members' median level" in content and "level 0" in content
    assert _metric(at) <= 40 < plain_index


def test_a_submitted_result_keeps_what_members_said(store, draft, data):
    _, tokens = store.open_survey(draft, SOON, 5, "test")
    for token in tokens:
        store.submit_survey_response(token, response(data, trust=0), None, None)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    sign_in(at)
    at.query_params["assessment"] = str(draft)
    at.session_state["section"] = "submit"
    at.run()
    at.switch_page("webapp/pages/questionnaire.py").run()
    at.button(key="submit:go").click().run()
    assert not at.exception, at.exception
    assert store.assessment(draft).status == "submitted"
    kept = json.loads(store.result_json(draft))
    assert kept["members"]["used"] and kept["members"]["responses"] == 5 and kept["overall"] <= 40
    at = manager_page("results", draft)
    assert "What members say" in [s.value for s in at.subheader]
    assert _metric(at) == kept["overall"]
    assert any(plain(c.value) == "Members' survey: 5 responses." for c in at.caption)
    assert "survey:count" not in {w.key for w in at.number_input}  # read-only: no new survey
    assert not any("rules have changed" in c.value for c in at.caption)  # explained again, same numbers


def test_the_panel_is_folded_until_opened_and_a_survey_closes_from_it(store, draft):
    store.open_survey(draft, SOON, 3, "test")
    at = manager_page("questionnaire", draft)
    assert "survey:close" not in {b.key for b in at.button}  # folded: nothing drawn inside
    at.session_state[survey_panel.PANEL + "count"] = True  # the manager opens it, later that day
    at.run()
    assert any("0 responses (0 of 3 links used)" in plain(m.value) for m in at.markdown)
    at.button(key="survey:close").click().run()
    assert not at.exception, at.exception
    assert not store.survey(draft).is_open()
    assert [b.label for b in at.get("form_submit_button")] == [
        "Open the survey"
    ]  # still open, a new one offered
