"""The members' survey in a real browser: a member firm answers through its link, the manager sees it.

A demo manager's draft (the mature member-financed cluster) has a survey with four
responses already, one short of the minimum: the results say "4 of 5 responses: not used
yet". In a second browser context, with no account, a member firm opens its link, picks
Spanish, answers (no trust among members, level 0) and sends. The manager reloads the
results: the members' block now says the scores use the five responses, and the index,
capped by the failed trust precondition, has changed.
"""

from __future__ import annotations

import datetime
import re

import pytest

from assessment.loading import parse_answers_text
from assessment.survey import check_response
from storage import Store, demo_accounts, load_demo
from tests.apptest_support import EXAMPLES, QUESTIONNAIRE
from tests.browser_support import browser_page, idle, serve, sign_in
from webapp.views.survey import offered_services

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MANAGER = "manager-mature_member_financed"
PASSWORD = MANAGER + "-demo-password"


def _response(data: dict) -> dict:
    offered = list(offered_services(QUESTIONNAIRE, data, "en"))
    services = {sid: {"used": True, "value": "medium", "would_pay": False, "amount": None} for sid in offered}
    return check_response(
        QUESTIONNAIRE.survey, offered, {"services": services, "satisfaction": 3, "levels": {"trust": 0}}
    )


@pytest.fixture
def server(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'browser.db'}"
    data = parse_answers_text((EXAMPLES / "mature_member_financed.yaml").read_text(), "mature.yaml")
    with Store(db_url) as store:
        load_demo(store, EXAMPLES, QUESTIONNAIRE)
        demo_accounts(store)
        cluster = next(c for c in store.clusters() if c.name == data["profile"]["name"])
        draft = store.start_assessment(
            cluster.id, QUESTIONNAIRE.id, QUESTIONNAIRE.version, data["year"], MANAGER
        )
        store.import_answers(draft.id, data, MANAGER)
        soon = datetime.date.today() + datetime.timedelta(days=14)
        _survey, tokens = store.open_survey(draft.id, soon, 5, MANAGER)
        for token in tokens[:4]:
            store.submit_survey_response(token, _response(data), None, "192.0.2.10")
    with serve(db_url, tmp_path) as url:
        yield url, db_url, draft.id, tokens[4]


def _index(page) -> str:
    return page.get_by_test_id("stMetricValue").first.inner_text()


def test_a_member_answers_in_spanish_and_the_managers_results_change(server, chromium_path, tmp_path):
    from playwright.sync_api import expect

    url, db_url, draft_id, token = server
    with browser_page(chromium_path) as manager:
        manager.goto(f"{url}/results?assessment={draft_id}")
        sign_in(manager, MANAGER, PASSWORD)
        expect(manager.get_by_role("heading", name="What members say")).to_be_visible()
        expect(manager.get_by_text("4 of 5 responses: not used yet.")).to_be_visible()
        before = _index(manager)

        # a member firm, in a browser of its own with no account, opens its link
        member = manager.context.browser.new_context(viewport={"width": 1400, "height": 1000})
        page = member.new_page()
        page.goto(f"{url}/?survey={token}")
        expect(page.get_by_role("heading", name="Members' survey")).to_be_visible()
        page.get_by_role("combobox", name="Language").click()
        page.get_by_role("option", name="Español", exact=True).click()
        idle(page)
        expect(page.get_by_role("heading", name="Encuesta a los socios")).to_be_visible()
        expect(page.get_by_role("button", name="Iniciar sesión")).to_have_count(0)
        training = page.locator(".st-key-survey-service-training")
        training.get_by_text("Su empresa lo usó en el último año").click()
        training.get_by_text("Alto", exact=True).click()
        page.get_by_text("Satisfecha", exact=True).click()
        page.get_by_text(re.compile(r"^Nivel 0: ")).first.click()
        page.get_by_label("Nombre de su empresa (opcional)").fill("Forjas Ejemplo")
        page.get_by_role("button", name="Enviar").click()
        idle(page)
        expect(page.get_by_text("Gracias: hemos recibido sus respuestas.", exact=False)).to_be_visible()
        expect(page.get_by_role("button", name="Enviar")).to_have_count(0)
        page.screenshot(path=str(tmp_path / "survey-sent.png"))
        # the same link again: used
        page.reload()
        expect(page.get_by_text("Este enlace de la encuesta ya se ha usado", exact=False)).to_be_visible()
        member.close()

        # the manager reloads the results: the five responses are used now
        manager.reload()  # still signed in: the session cookie
        manager.wait_for_url(re.compile(rf"assessment={draft_id}\b"))
        expect(
            manager.get_by_text("5 member firms answered the members' survey; the scores use their answers.")
        ).to_be_visible()
        expect(manager.get_by_text("the members' median level", exact=False).first).to_be_visible()
        after = _index(manager)
        manager.screenshot(path=str(tmp_path / "results-members.png"))
        assert after != before
        assert float(after.split(" / ")[0]) <= 40 < float(before.split(" / ")[0])
    with Store(db_url) as store:
        assert len(store.survey_responses(draft_id)) == 5
