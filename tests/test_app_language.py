"""The app in English, Spanish and Portuguese: the language picker, the language kept per user,
and the manager's pages (sign-in, home, questionnaire, method, compare) with no English left.

A real store on a tmp SQLite file with the demo clusters and accounts (issue 6).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

import storage.accounts
from storage import Store
from tests.apptest_support import APP, QUESTIONNAIRE, TIMEOUT, left_in_english, open_store, page_texts

PASSWORD = "-demo-password"
MANAGER = "manager-aei_pattern_year8"
# Words written the same in English and in a translation, by the glossary (not text left over).
SAME_WORD = {"pt": {"Cluster"}, "es": set()}
# Column ids of the tables: the user reads the column labels the page gives them, never these.
COLUMN_IDS = {
    "id",
    "service",
    "extension",
    "financial_contribution",
    "member_valuation",
    "offered",
    "charged",
    "uptake",
    "dimension",
    "change",
    "when",
    "who",
    "action",
    "field",
    "old",
    "new",
}


@pytest.fixture
def store(tmp_path, monkeypatch) -> Iterator[Store]:
    yield from open_store(tmp_path, monkeypatch, demo=True, accounts=True)


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest, kind: str) -> list[str]:
    return [plain(str(e.value)) for e in at.get(kind)]


def form_sign_in(username: str, at: AppTest | None = None) -> AppTest:
    at = at or AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.text_input(key="signin:username").input(username)
    at.text_input(key="signin:password").input(username + PASSWORD)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def opened(
    lang: str,
    page: str | None = None,
    assessment_id: int | None = None,
    section: str | None = None,
    username: str = MANAGER,
) -> AppTest:
    """The app signed in as `username` (the manager), in `lang`, at a page (as a link would open it)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["signed_in"] = username
    at.session_state["lang"] = lang
    if assessment_id is not None:
        at.query_params["assessment"] = str(assessment_id)
    if section is not None:
        at.session_state["section"] = section
    at.run()
    if page is not None:
        at.switch_page(f"webapp/pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def all_texts(at: AppTest) -> set[str]:
    """`page_texts`, and what it leaves out: the sidebar, download buttons, expanders, progress bars, help."""
    found = page_texts(at)
    for kind in ("caption", "markdown"):
        found |= {str(e.value) for e in at.sidebar.get(kind)}
    found |= {str(w.label) for w in at.sidebar.get("selectbox")} | {
        str(b.label) for b in at.sidebar.get("button")
    }
    found |= {b.label for b in at.get("download_button")} | {e.label for e in at.get("expander")}
    found |= {str(p.proto.text) for p in at.get("progress")}
    for kind in ("number_input", "text_input", "selectbox", "multiselect", "radio"):
        found |= {str(w.help) for w in at.get(kind) if getattr(w, "help", None)}
        found |= {str(w.placeholder) for w in at.get(kind) if getattr(w, "placeholder", None)}
    return {t for t in found if t.strip()}


def english_left(lang: str, data: set[str], **where) -> list[str]:
    """The page's texts that read the same in English and in `lang` (besides user data)."""
    english = all_texts(opened("en", **where))
    translated = all_texts(opened(lang, **where))
    assert english != translated
    return left_in_english(english, translated, data | SAME_WORD[lang] | COLUMN_IDS)


def aei(store: Store):
    """The manager's cluster and its latest (submitted) assessment."""
    cluster_id = store.user(MANAGER).clusters[0]
    return store.cluster(cluster_id), store.assessments(cluster_id)[-1]


def draft_of(store: Store):
    cluster, submitted = aei(store)
    return cluster, store.new_version(submitted.id, MANAGER)


# --- the picker and the language kept per user -------------------------------------------------


def test_the_sign_in_page_offers_each_language_in_its_own_name(store):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    picker = at.selectbox(key="lang:picker")
    assert picker.options == ["English", "Español", "Português"]
    assert picker.label == "Language" and [t.value for t in at.title] == ["Sign in"]
    picker.select("es").run()
    assert at.session_state["lang"] == "es"
    assert [t.value for t in at.title] == ["Iniciar sesión"]
    assert at.text_input(key="signin:username").label == "Nombre de usuario"
    assert at.button[0].label == "Iniciar sesión"
    at.selectbox(key="lang:picker").select("pt").run()
    assert [t.value for t in at.title] == ["Entrar"]
    assert at.text_input(key="signin:password").label == "Senha"


def test_a_language_chosen_before_signing_in_is_kept_for_the_user(store):
    assert store.user(MANAGER).language is None
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.selectbox(key="lang:picker").select("pt").run()
    at = form_sign_in(MANAGER, at)
    assert at.session_state["lang"] == "pt"
    assert store.user(MANAGER).language == "pt"
    assert at.sidebar.selectbox(key="lang:picker").value == "pt"
    assert any(c.startswith("Conectado como") for c in texts(at.sidebar, "caption"))


def test_switching_the_language_on_the_questionnaire_changes_the_page_and_is_remembered(store):
    cluster, draft = draft_of(store)
    at = opened("en", "questionnaire", draft.id, section="foundations")
    assert [t.value for t in at.title] == ["Questionnaire"]
    english_label = at.radio(key="q:critical_mass").label
    at.sidebar.selectbox(key="lang:picker").select("es").run()
    assert not at.exception, at.exception
    assert at.session_state["lang"] == "es"
    assert [t.value for t in at.title] == ["Cuestionario"]
    spanish_label = at.radio(key="q:critical_mass").label
    assert spanish_label != english_label and spanish_label.startswith("1.")
    assert store.user(MANAGER).language == "es"
    # the widget keys stay: an answer given in Spanish is saved like any other
    at.radio(key="q:critical_mass").set_value(3).run()
    assert store.answer_data(draft.id)["answers"]["critical_mass"] == 3
    assert at.radio(key="q:critical_mass").value == 3

    # signing out keeps the page in Spanish; signing in again (a new visit) speaks Spanish
    at.sidebar.button(key="signout").click().run()
    assert [t.value for t in at.title] == ["Iniciar sesión"]
    again = form_sign_in(MANAGER)
    assert again.session_state["lang"] == "es"
    assert [t.value for t in again.title][0] == "Autoevaluación de la sostenibilidad del clúster"
    assert cluster.name in again.selectbox(key="home:open_cluster").options


def test_at_sign_in_the_session_takes_the_users_language(store):
    storage.accounts.set_language(store, MANAGER, "pt")
    at = form_sign_in(MANAGER)
    assert at.session_state["lang"] == "pt"
    assert at.sidebar.selectbox(key="lang:picker").value == "pt"
    assert at.button(key="home:start").label == "Começar a avaliação"
    # another account with no language keeps the one the session has
    other = form_sign_in("manager-captured_by_few")
    assert (
        other.session_state.get("lang", "en") == "en"
        and store.user("manager-captured_by_few").language is None
    )


def test_page_titles_in_the_navigation_follow_the_language(store):
    at = opened("es")
    assert [t.value for t in at.title][0] == "Autoevaluación de la sostenibilidad del clúster"
    at.switch_page("webapp/pages/method.py").run()
    assert [t.value for t in at.title] == ["Método y fuentes"]


# --- the manager's pages in Spanish and Portuguese --------------------------------------------


@pytest.mark.parametrize(
    ("lang", "title", "start", "year"),
    [
        (
            "es",
            "Autoevaluación de la sostenibilidad del clúster",
            "Empezar la evaluación",
            "Año que describen las respuestas",
        ),
        (
            "pt",
            "Autoavaliação da sustentabilidade do cluster",
            "Começar a avaliação",
            "Ano que as respostas descrevem",
        ),
    ],
)
def test_home_in_spanish_and_portuguese(store, lang, title, start, year):
    cluster, _ = aei(store)
    at = opened(lang)
    assert [t.value for t in at.title] == [title]
    assert at.button(key="home:start").label == start
    assert at.number_input(key="home:year").label == year
    assert english_left(lang, {cluster.name}) == []


@pytest.mark.parametrize(
    ("lang", "section", "expected"),
    [
        ("es", "profile", ["Perfil del clúster", "Año que describen las respuestas *"]),
        ("pt", "profile", ["Perfil do cluster", "Ano que as respostas descrevem *"]),
        ("es", "funding_mix", ["(% de los ingresos, pública)", "(% de los ingresos, privada)"]),
        ("pt", "funding_mix", ["(% das receitas, pública)", "(% das receitas, privada)"]),
        ("es", "value_offer", ["Añadir servicio"]),
        ("pt", "value_offer", ["Adicionar serviço"]),
        ("es", "submit", ["Revisar y enviar", "**Archivo de respuestas**", "Enviar la evaluación"]),
        ("pt", "submit", ["Revisar e enviar", "**Arquivo de respostas**", "Enviar a avaliação"]),
    ],
)
def test_the_questionnaire_in_spanish_and_portuguese(store, lang, section, expected):
    cluster, draft = draft_of(store)
    store.save_answer(draft.id, "critical_mass", None, "test")
    at = opened(lang, "questionnaire", draft.id, section=section)
    shown = set(page_texts(at)) | {plain(t) for t in page_texts(at)}
    shown |= {b.label for b in at.button} | {n.label for n in at.number_input}
    for text in expected:
        assert any(text in s for s in shown), (text, sorted(shown))
    assert (
        english_left(lang, {cluster.name}, page="questionnaire", assessment_id=draft.id, section=section)
        == []
    )


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_a_dimensions_questions_levels_and_help_come_in_the_language(store, lang):
    _, draft = draft_of(store)
    at = opened(lang, "questionnaire", draft.id, section="foundations")
    question = QUESTIONNAIRE.questions["critical_mass"]
    radio = at.radio(key="q:critical_mass")
    assert plain(radio.label).endswith(question.text.get(lang))
    levels = {lv.value: lv.label.get(lang) for lv in question.levels}
    word = {"es": "Nivel", "pt": "Nível"}[lang]
    assert radio.options == [f"{word} {v}: {label}" for v, label in levels.items()]
    dim = QUESTIONNAIRE.dimensions[0]
    assert [s.value for s in at.subheader] == [f"1. {dim.title.get(lang)}"]
    # the "why we ask" box: its label in the language, and the lesson's fact when opened
    why = {"es": "Por qué lo preguntamos", "pt": "Por que perguntamos"}[lang]
    assert any(e.label.startswith(why) for e in at.expander)
    # progress in the sidebar, in words of the language
    total = {"es": "Total:", "pt": "Total:"}[lang]
    assert any(p.text.startswith(total) for p in at.sidebar.get("progress"))


@pytest.mark.parametrize(("lang", "title"), [("es", "Método y fuentes"), ("pt", "Método e fontes")])
def test_method_in_spanish_and_portuguese(store, lang, title):
    at = opened(lang, "method")
    assert [t.value for t in at.title] == [title]
    assert english_left(lang, set(), page="method") == []


@pytest.mark.parametrize(
    ("lang", "title", "new"),
    [("es", "Comparar en el tiempo", "Nuevos"), ("pt", "Comparar ao longo do tempo", "Novas")],
)
def test_compare_in_spanish_and_portuguese(store, lang, title, new):
    cluster, draft = draft_of(store)
    store.save_answer(draft.id, "critical_mass", 4, "test")
    at = opened(lang, "compare", draft.id)
    assert [t.value for t in at.title] == [title]
    assert any(m.startswith(f"**{new}**") for m in texts(at, "markdown"))
    assert english_left(lang, {cluster.name}, page="compare", assessment_id=draft.id) == []


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_the_funding_pie_names_the_sources_in_the_language(store, lang):
    _, draft = draft_of(store)
    at = opened(lang, "questionnaire", draft.id, section="funding_mix")
    [chart] = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    question = next(q for q in QUESTIONNAIRE.questions.values() if q.type == "funding_mix")
    shares = store.answer_data(draft.id)["answers"][question.id]
    named = [s.label.get(lang) for s in question.sources if shares.get(s.id)]
    assert spec["data"][0]["labels"] == named and named != [
        s.label.en for s in question.sources if shares.get(s.id)
    ]


def test_a_result_submitted_in_spanish_is_stored_in_english(store):
    _, draft = draft_of(store)
    at = opened("es", "questionnaire", draft.id, section="submit")
    at.button(key="submit:go").click().run()
    assert not at.exception, at.exception
    assert store.assessment(draft.id).status == "submitted"
    stored = json.loads(store.result_json(draft.id))
    assert [d["title"] for d in stored["dimensions"]] == [d.title.en for d in QUESTIONNAIRE.dimensions]
    assert [t.value for t in at.title] == ["Resultados"]  # the results page, in the session's language
