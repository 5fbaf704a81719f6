"""No page or report, in any language, shows a question id, a lesson code, "%%" or a raw float.

Walks every page each role can open (the questionnaire section by section) in English,
Spanish and Portuguese on the demo data, and the HTML and text reports of every example,
collecting every text shown (labels, help, captions, tables' column names, the sidebar).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from assessment.loading import load_answers
from reports.html import html_report
from reports.text import text_report
from scoring import Engine
from storage import Store
from tests.apptest_support import QUESTIONNAIRE, open_store
from tests.conftest import EXAMPLES
from tests.test_app_language import MANAGER, all_texts, opened
from webapp.views.sections import sections

OFFICER, ADMIN = "officer-demo", "admin"
LANGS = ("en", "es", "pt")
IDS = sorted(
    {q for q in QUESTIONNAIRE.questions if "_" in q} | {f.id for f in QUESTIONNAIRE.profile if "_" in f.id},
    key=len,
    reverse=True,
)
CODES = sorted((lesson.id for lesson in QUESTIONNAIRE.lessons), key=len, reverse=True)
LEAKS = re.compile(
    r"\b(?:" + "|".join(map(re.escape, IDS + CODES)) + r")\b"  # an id or a code
    r"|%%"  # a percent sign doubled by a format string
    r"|\b\d+\.\d{4,}\b"  # a float printed as Python prints it (three decimals are a Spanish thousand)
)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[Store]:
    monkeypatch = pytest.MonkeyPatch()
    try:
        yield from open_store(tmp_path_factory.mktemp("walk"), monkeypatch, demo=True, accounts=True)
    finally:
        monkeypatch.undo()


def shown(username: str, lang: str, page: str, assessment_id: int | None = None, section: str | None = None):
    at = opened(lang, page, assessment_id, section, username)
    raw, headers = set(), set()
    for frame in at.get("dataframe"):
        config = json.loads(frame.proto.columns or "{}")
        for column in map(str, frame.value.columns):
            raw.add(column)
            if not config.get(column, {}).get("hidden"):
                headers.add(config.get(column, {}).get("label") or column)  # what the table's header shows
    return (all_texts(at) - raw) | headers


def leaks(texts) -> list[str]:
    return sorted({f"{m.group(0)!r} in {t[:120]!r}" for t in texts for m in LEAKS.finditer(t)})


@pytest.fixture(scope="module")
def draft(store):
    cluster_id = store.user(MANAGER).clusters[0]
    submitted = store.assessments(cluster_id)[-1]
    return submitted, store.new_version(submitted.id, MANAGER)


@pytest.mark.parametrize("lang", LANGS)
def test_the_managers_pages_show_no_internal_name(store, draft, lang):
    submitted, new = draft
    found = set()
    for section in sections(QUESTIONNAIRE):
        found |= shown(MANAGER, lang, "questionnaire", new.id, section)
    for page in ("home", "results", "planning", "method", "compare"):
        found |= shown(MANAGER, lang, page, new.id)
    found |= shown(MANAGER, lang, "results", submitted.id)
    assert leaks(found) == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_officers_and_administrators_pages_show_no_internal_name(store, draft, lang):
    submitted, _ = draft
    found = set()
    for page in ("portfolio", "clusters", "bulk_import", "method"):
        found |= shown(OFFICER, lang, page)
    found |= shown(OFFICER, lang, "results", submitted.id)
    found |= shown(ADMIN, lang, "admin")
    assert leaks(found) == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_reports_show_no_internal_name(example, lang):
    answers = load_answers(example, QUESTIONNAIRE)
    engine = Engine(QUESTIONNAIRE, lang)
    result = engine.score(answers)
    text = text_report(result, lang, questionnaire=QUESTIONNAIRE)
    page = html_report(QUESTIONNAIRE, engine, result, answers, lang=lang)
    visible = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", page, flags=re.S)
    assert leaks(text.splitlines()) == []
    assert leaks(visible.splitlines()) == []


def test_the_walk_catches_a_leak():
    assert leaks(["Give either structure_share or structure_cost", "50.0000%%", "BAS-MASS"]) != []
    assert len(leaks(["members_sme_share", "0.33333", "x %% y", "320.000 EUR"])) == 3
