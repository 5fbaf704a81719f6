"""The language picker in a real browser: Spanish chosen on the sign-in page, the questionnaire and
the results in Spanish, then Portuguese from the sidebar, kept for the next visit (issue 6).

`streamlit run` on an SQLite file holding the example clusters as submitted assessments and
their managers' accounts, driven by Chromium through Playwright.
"""

from __future__ import annotations

import re

import pytest

from storage import Store, demo_accounts, load_demo
from tests.apptest_support import EXAMPLES, QUESTIONNAIRE
from tests.browser_support import (
    browser_page,
    idle,
    serve,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MANAGER = "manager-aei_pattern_year8"
PASSWORD = MANAGER + "-demo-password"


@pytest.fixture
def demo_server(tmp_path):
    db = tmp_path / "browser.db"
    with Store(f"sqlite:///{db}") as store:
        load_demo(store, EXAMPLES, QUESTIONNAIRE)
        demo_accounts(store)
    with serve(f"sqlite:///{db}", tmp_path) as url:
        yield url, f"sqlite:///{db}"


def _pick(page, label: str, language: str) -> None:
    """Choose a language in the picker (a select box labelled `label` in the current language)."""
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=language, exact=True).click()
    idle(page)


def _sign_in(page, username_label: str, password_label: str, button: str) -> None:
    field = page.get_by_label(username_label, exact=True)
    field.fill(MANAGER)
    field.press("Enter")
    idle(page)
    page.get_by_label(password_label, exact=True).fill(PASSWORD)
    page.get_by_role("button", name=button, exact=True).click()
    idle(page)


def test_spanish_then_portuguese_on_the_questionnaire_and_the_results(demo_server, chromium_path, tmp_path):
    from playwright.sync_api import expect

    url, db_url = demo_server
    question = QUESTIONNAIRE.questions["critical_mass"]
    with browser_page(chromium_path) as page:
        page.goto(url)
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        _pick(page, "Language", "Español")
        expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
        _sign_in(page, "Nombre de usuario", "Contraseña", "Iniciar sesión")
        expect(
            page.get_by_role("heading", name="Autoevaluación de la sostenibilidad del clúster")
        ).to_be_visible()
        page.screenshot(path=str(tmp_path / "home-es.png"))

        # the questionnaire of the manager's submitted assessment, in Spanish
        page.get_by_role("button", name="Ver sus respuestas").click()
        page.wait_for_url(re.compile(r"assessment=\d+"))
        expect(page.get_by_role("heading", name="Cuestionario")).to_be_visible()
        page.get_by_text("1. Fundamentos", exact=False).first.click()
        idle(page)
        expect(page.get_by_text(question.text.get("es"), exact=False).first).to_be_visible()
        expect(page.get_by_text(f"Nivel 3: {question.levels[3].label.get('es')}").first).to_be_visible()

        # the results, in Spanish: headings and the engine's findings
        page.get_by_role("link", name="Resultados y revisión").click()
        idle(page)
        expect(page.get_by_role("heading", name="Resultados")).to_be_visible()
        expect(page.get_by_role("heading", name="Siete dimensiones")).to_be_visible()
        expect(page.get_by_text(re.compile(r"Señales de alerta \(\d+\)")).first).to_be_visible()
        page.screenshot(path=str(tmp_path / "results-es.png"), full_page=True)

        # Portuguese from the sidebar: the page and the navigation change at once
        _pick(page, "Idioma", "Português")
        expect(page.get_by_role("heading", name="Resultados")).to_be_visible()
        expect(page.get_by_role("heading", name="Sete dimensões")).to_be_visible()
        expect(page.get_by_role("link", name="Questionário")).to_be_visible()
        page.get_by_role("link", name="Questionário").click()
        idle(page)
        expect(page.get_by_role("heading", name="Questionário")).to_be_visible()
        page.screenshot(path=str(tmp_path / "questionnaire-pt.png"))
    with Store(db_url) as store:
        assert store.user(MANAGER).language == "pt"
