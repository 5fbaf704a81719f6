"""The questionnaire keeps its place in a real browser: through answers, a language switch and a reload.

A manager fills in three sections one after another; after every answer, after switching
to Spanish and after reloading the page, the section being filled is still the one shown
(never the profile), a reload keeps the manager signed in and brings back the question last
answered, and the browser never reaches a host other than the app's.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from assessment.loading import parse_answers_text
from storage import Store
from tests.apptest_support import QUESTIONNAIRE
from tests.browser_support import browser_page, idle, serve, sign_in
from tests.conftest import EXAMPLES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MANAGER, PASSWORD = "maria", "a-password-for-tests"
LOCAL = {"127.0.0.1", "localhost", None}


@pytest.fixture
def draft_server(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'browser.db'}"
    data = parse_answers_text((EXAMPLES / "draft_partial.yaml").read_text(), "draft.yaml")
    with Store(db_url) as store:
        cluster = store.create_cluster(data["profile"]["name"], "setup")
        draft = store.start_assessment(
            cluster.id, data["questionnaire"], str(data["version"]), data["year"], "s"
        )
        store.import_answers(draft.id, {**data, "answers": {}}, "setup")  # the profile only
        store.create_user(MANAGER, PASSWORD, "manager", [cluster.id])
    with serve(db_url, tmp_path) as url:
        yield url, draft.id


def section(page, pattern: str):
    return page.get_by_role("radio", name=re.compile(pattern))


def go_to(page, pattern: str) -> None:
    page.get_by_text(re.compile(pattern)).first.click()
    idle(page)


def answer(page, option: str, nth: int) -> None:
    page.get_by_text(re.compile(rf"^{option}")).nth(nth).click()
    idle(page)


def test_the_section_stays_put_through_answers_a_language_switch_and_a_reload(draft_server, chromium_path):
    from playwright.sync_api import expect

    url, draft_id = draft_server
    with browser_page(chromium_path) as page:
        outside: list[str] = []  # the app must never make the browser reach another host
        page.on("request", lambda r: outside.append(r.url) if urlsplit(r.url).hostname not in LOCAL else None)
        page.goto(f"{url}/questionnaire?assessment={draft_id}")
        sign_in(page, MANAGER, PASSWORD)
        expect(page.get_by_role("heading", name="Questionnaire")).to_be_visible()

        # section 1: three answers in a row, the section never changes
        go_to(page, r"^1\. Foundations")
        for nth in range(3):
            answer(page, "Level 2:", nth)
            expect(section(page, r"^1\. Foundations")).to_be_checked()
        expect(page.get_by_text("Last saved:", exact=False)).to_be_visible()

        # section 2 by the Next button, an answer, then Spanish
        page.get_by_role("button", name=re.compile(r"^2\. .*→")).click()
        idle(page)
        expect(section(page, r"^2\. ")).to_be_checked()
        page.get_by_role("combobox", name="Language").click()
        page.get_by_role("option", name="Español", exact=True).click()
        idle(page)
        expect(page.get_by_role("heading", name="Cuestionario")).to_be_visible()
        expect(section(page, r"^2\. ")).to_be_checked()

        # section 3, one answer, then a reload: still signed in, still on section 3
        go_to(page, r"^3\. ")
        expect(section(page, r"^3\. ")).to_be_checked()
        last = [
            q for q in QUESTIONNAIRE.dimensions[2].questions if q.type == "maturity" and q.show_if is None
        ][-1]
        page.locator(f".st-key-q-{last.id}").get_by_text(re.compile(r"^Nivel 2:")).click()
        idle(page)
        expect(section(page, r"^3\. ")).to_be_checked()
        page.mouse.wheel(0, -20000)  # back to the top before the reload
        idle(page)
        page.reload()
        idle(page)
        expect(page.get_by_role("button", name="Iniciar sesión", exact=True)).to_have_count(0)
        expect(page.get_by_role("heading", name="Cuestionario")).to_be_visible()
        expect(section(page, r"^3\. ")).to_be_checked()
        expect(page.locator(f".st-key-q-{last.id}")).to_be_in_viewport()  # back at the last answer

        # signing out ends it: a reload shows the sign-in form again
        page.get_by_role("button", name="Cerrar sesión").click()
        idle(page)
        page.reload()
        idle(page)
        expect(page.get_by_role("button", name=re.compile(r"^(Sign in|Iniciar sesión)$"))).to_be_visible()
        assert outside == []
