"""The officer's and administrator's pages in Spanish and Portuguese (issue 6).

The portfolio (filters, table headers, charts, the programme's criteria, exports), compare
clusters (radar and findings table), bulk import (the report per file) and the users and
programmes page, each rendered in en, es and pt on the demo store: a few exact strings in
each language, and nothing left in English but user data, ids and numbers. A bulk import from
a Portuguese session still stores its result in English, as the app's submit does.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from scoring import result_from_json
from storage import Store
from tests.apptest_support import (
    APP,
    EXAMPLES,
    QUESTIONNAIRE,
    TIMEOUT,
    left_in_english,
    open_store,
    page_texts,
    portfolio_table,
)

OFFICER = "officer-demo"
ADMIN = "admin"
LANGS = ("en", "es", "pt")
# Words spelled the same in English and in the language (the glossary keeps "cluster" in Portuguese).
SAME_WORDS = {"es": {"Sector"}, "pt": {"Cluster", "Clusters", "cluster"}}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[Store]:
    monkeypatch = pytest.MonkeyPatch()
    try:
        yield from open_store(tmp_path_factory.mktemp("officer_i18n"), monkeypatch, demo=True, accounts=True)
    finally:
        monkeypatch.undo()


def page(username: str, name: str, lang: str) -> AppTest:
    """`name`'s page signed in as `username`, in `lang` (chosen once the first page is drawn, as a user would)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["signed_in"] = username
    at.run()
    at.session_state["lang"] = lang
    at.switch_page(f"webapp/pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def chart_texts(at: AppTest) -> set[str]:
    """Titles, axis titles and legend names of the page's charts."""
    out: set[str] = set()
    for node in at.get("plotly_chart"):
        spec = json.loads(node.proto.spec)
        layout = spec["layout"]
        out.add((layout.get("title") or {}).get("text", ""))
        for key, axis in layout.items():
            if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
                out.add((axis.get("title") or {}).get("text", ""))
        out.add(((layout.get("legend") or {}).get("title") or {}).get("text", ""))
        out |= {str(trace.get("name", "")) for trace in spec["data"]}
    return {t for t in out if t}


def all_texts(at: AppTest) -> set[str]:
    """What page_texts reads, with the table headers as shown, download labels, expanders and charts."""
    headers = {
        str(c["label"])
        for frame in at.main.get("dataframe")
        for c in json.loads(frame.proto.columns or "{}").values()
        if isinstance(c, dict) and c.get("label")
    }
    downloads = {str(d.proto.label) for d in at.get("download_button")}
    return page_texts(at) | headers | downloads | {e.label for e in at.expander} | chart_texts(at)


def user_data(store: Store, at: AppTest, lang: str) -> set[str]:
    """What may read the same in every language: names, places, sectors, ids, the tables' column ids."""
    data = {c.name for c in store.clusters()} | SAME_WORDS[lang]
    for frame in at.main.get("dataframe"):
        data |= {str(c) for c in frame.value.columns}
        for column in ("cluster", "country", "region", "sector", "username", "programme", "name", "file"):
            if column in frame.value.columns:
                data |= {str(v) for v in frame.value[column]}
    data |= {o for w in at.main.get("multiselect") for o in map(str, w.options or ())}
    return data


@pytest.fixture(scope="module")
def portfolios(store) -> dict[str, AppTest]:
    return {lang: page(OFFICER, "portfolio", lang) for lang in LANGS}


PORTFOLIO = {
    "es": {
        "title": "Cartera",
        "labels": {"Buscar por nombre", "Ordenar por", "Estado de la revisión", "Criterios del programa"},
        "headers": {"Clúster", "Índice", "Etapa", "Señales de alerta", "Criterios cumplidos"},
        "charts": {
            "Puntuaciones por dimensión: clústeres por tramo",
            "Señales de alerta más frecuentes (por lección)",
        },
        "downloads": {"Cartera (CSV)", "Hallazgos (CSV)", "Cartera y hallazgos (Excel)"},
        "expander": "Criterios de Programa de apoyo a los clústeres del País Vasco",
    },
    "pt": {
        "title": "Carteira",
        "labels": {"Buscar por nome", "Ordenar por", "Situação da revisão", "Critérios do programa"},
        "headers": {"Cluster", "Índice", "Fase", "Sinais de alerta", "Critérios atendidos"},
        "charts": {
            "Pontuações por dimensão: clusters por faixa",
            "Sinais de alerta mais frequentes (por lição)",
        },
        "downloads": {"Carteira (CSV)", "Constatações (CSV)", "Carteira e constatações (Excel)"},
        "expander": "Critérios de Programa de apoio a clusters do País Basco",
    },
}


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_the_portfolio_reads_in_the_language(portfolios, lang):
    at, want = portfolios[lang], PORTFOLIO[lang]
    texts = all_texts(at)
    assert [t.value for t in at.title] == [want["title"]]
    assert want["labels"] <= texts
    assert want["headers"] <= texts
    assert want["charts"] <= texts
    assert want["downloads"] <= texts
    assert [e.label for e in at.expander] == [want["expander"]]
    # the review status of every row and the stage filter's options in words of the language
    statuses = set(portfolio_table(at).value["status"])
    assert statuses == {"Enviada, pendiente de revisión" if lang == "es" else "Enviada, aguardando revisão"}
    stages = set(at.multiselect(key="pf:stage").options)
    assert stages <= (
        {"Lanzamiento", "Consolidación", "Madurez"}
        if lang == "es"
        else {"Lançamento", "Consolidação", "Maturidade"}
    )


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_the_portfolio_leaves_nothing_in_english(store, portfolios, lang):
    english, translated = all_texts(portfolios["en"]), all_texts(portfolios[lang])
    assert len(translated) > 40
    assert left_in_english(english, translated, user_data(store, portfolios[lang], lang)) == []


def test_the_portfolio_keeps_its_english(portfolios):
    at = portfolios["en"]
    assert [t.value for t in at.title] == ["Portfolio"]
    assert {"Search by name", "Sort by", "Portfolio (CSV)", "Red flags"} <= all_texts(at)
    assert set(portfolio_table(at).value["status"]) == {"Submitted, waiting for review"}


def compare(store: Store, lang: str) -> AppTest:
    at = page(OFFICER, "clusters", lang)
    latest = [a.id for c in store.clusters() for a in store.assessments(c.id)[-1:] if a.status == "submitted"]
    at.multiselect(key="cmp:clusters").set_value(latest[:3]).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def comparisons(store) -> dict[str, AppTest]:
    return {lang: compare(store, lang) for lang in LANGS}


@pytest.mark.parametrize(
    ("lang", "title", "radar", "headers", "severity"),
    [
        (
            "es",
            "Comparar clústeres",
            "Dimensiones de los clústeres elegidos",
            ["Tipo", "Lección", "Hallazgo"],
            "importancia",
        ),
        (
            "pt",
            "Comparar clusters",
            "Dimensões dos clusters escolhidos",
            ["Tipo", "Lição", "Constatação"],
            "importância",
        ),
    ],
)
def test_compare_clusters_reads_in_the_language(store, comparisons, lang, title, radar, headers, severity):
    at = comparisons[lang]
    assert [t.value for t in at.title] == [title]
    assert radar in chart_texts(at)
    findings = at.dataframe[1].value
    assert list(findings.columns[:3]) == headers
    cells = {v for col in findings.columns[3:] for v in findings[col] if v}
    assert cells and all(severity in v for v in cells)
    english, translated = all_texts(comparisons["en"]), all_texts(at)
    data = user_data(store, at, lang) | set(findings.columns[3:]) | set(findings[headers[1]])
    assert left_in_english(english, translated, data) == []
    # the findings' titles are the engine's of the language, not the stored English ones
    assert not set(findings[headers[2]]) & set(comparisons["en"].dataframe[1].value["Finding"])


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buffer.getvalue()


def bulk(store: Store, lang: str, name: str) -> AppTest:
    good = (
        (EXAMPLES / "young_public_launch.yaml")
        .read_text(encoding="utf-8")
        .replace("name:", f"name: {name}", 1)
    )
    content = _zip({"good.yaml": good, "broken.yaml": "questionnaire: [unclosed\n", "notes.txt": "hello"})
    at = page(OFFICER, "bulk_import", lang)
    at.get("file_uploader")[0].set_value(("answers.zip", content, "application/zip")).run()
    at.button(key="imp:go").click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("lang", "columns", "outcomes", "summary", "skipped"),
    [
        (
            "es",
            ["archivo", "resultado", "clúster", "añadido como", "evaluación", "problemas"],
            ["importado", "rechazado", "omitido"],
            "1 importados, 1 rechazados, 1 omitidos, 0 duplicados",
            "no es un archivo de respuestas (.yaml, .yml o .json); omitido",
        ),
        (
            "pt",
            ["arquivo", "resultado", "cluster", "adicionado como", "avaliação", "problemas"],
            ["importado", "rejeitado", "ignorado"],
            "1 importados, 1 rejeitados, 1 ignorados, 0 duplicados",
            "não é um arquivo de respostas (.yaml, .yml ou .json); ignorado",
        ),
    ],
)
def test_bulk_import_reports_in_the_language_and_stores_english(
    store, lang, columns, outcomes, summary, skipped
):
    at = bulk(store, lang, f"Importado {lang}")
    report = at.dataframe[0].value
    assert list(report.columns) == columns
    assert list(report[columns[1]]) == outcomes
    assert report[columns[3]].iloc[0] == ("clúster nuevo" if lang == "es" else "novo cluster")
    assert skipped in report[columns[5]].iloc[2]
    assert summary in [w.value for w in at.warning]
    english = bulk(store, "en", f"Imported en {lang}")
    assert left_in_english(all_texts(english), all_texts(at), user_data(store, at, lang)) == []
    # what is stored was scored in English, like a submit from the questionnaire
    aid = int(report[columns[4]].iloc[0])
    stored = result_from_json(store.result_json(aid))
    titles = {d.title for d in stored.dimensions}
    assert titles == {d.title.en for d in QUESTIONNAIRE.dimensions}


@pytest.fixture(scope="module")
def admins(store) -> dict[str, AppTest]:
    return {lang: page(ADMIN, "admin", lang) for lang in LANGS}


@pytest.mark.parametrize(
    ("lang", "title", "subheaders", "role"),
    [
        (
            "es",
            "Usuarios y programas",
            ["Cuentas", "Crear una cuenta", "Desactivar una cuenta"],
            "Técnico del programa",
        ),
        (
            "pt",
            "Usuários e programas",
            ["Contas", "Criar uma conta", "Desativar uma conta"],
            "Técnico do programa",
        ),
    ],
)
def test_users_and_programmes_read_in_the_language(store, admins, lang, title, subheaders, role):
    at = admins[lang]
    assert [t.value for t in at.title] == [title]
    assert subheaders == [s.value for s in at.subheader][:3]
    users = at.dataframe[0].value.set_index("username")
    assert users.loc[OFFICER, "role"] == role
    assert users.loc[OFFICER, "scope"].startswith("programa ")
    data = user_data(store, at, lang) | {str(v) for v in users["scope"]} | set(users.index)
    assert left_in_english(all_texts(admins["en"]), all_texts(at), data) == []
