"""The results page, its review box and the HTML report in Spanish and Portuguese (issue 6).

The AEI example (examples/aei_pattern_year8.yaml) is stored as submitted, with its result
written in English; the page and the report must show it in the session's language, with
the engine's sentences of that language, and leave nothing in English but user data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace

import pytest
from markupsafe import escape  # the report's template escapes as Jinja does (&#39; for ')
from streamlit.testing.v1 import AppTest

from assessment.answers import check_answers
from reports.html import html_report
from scoring import Engine, result_from_json
from storage import Store
from tests.apptest_support import (
    APP,
    QUESTIONNAIRE,
    TIMEOUT,
    left_in_english,
    open_store,
    page_texts,
    sign_in,
)
from webapp.explain import in_language
from webapp.text import md

AEI = "Agrupación Empresarial Innovadora"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[Store]:
    monkeypatch = pytest.MonkeyPatch()
    try:
        # with the demo accounts, the demo programme: the median line and the percentiles are drawn
        yield from open_store(tmp_path_factory.mktemp("results_i18n"), monkeypatch, demo=True, accounts=True)
    finally:
        monkeypatch.undo()


def aei_id(store: Store) -> int:
    cluster = next(c for c in store.clusters() if c.name.startswith(AEI))
    return store.assessments(cluster.id)[-1].id


def results_page(store: Store, lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    sign_in(at)
    at.query_params["assessment"] = str(aei_id(store))
    at.run()
    # The language is chosen once the home page is drawn, as a user would: the home page's
    # select boxes format their options in the session's language, which AppTest reads
    # outside the run (in English) when it collects their state.
    at.session_state["lang"] = lang
    at.switch_page("webapp/pages/results.py").run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def pages(store) -> dict[str, AppTest]:
    return {lang: results_page(store, lang) for lang in ("en", "es", "pt")}


def chart_texts(at: AppTest) -> set[str]:
    """The words of the page's charts: titles, axes, ticks, legends, hover texts and notes."""
    out: set[str] = set()
    for node in at.get("plotly_chart"):
        layout = (spec := json.loads(node.proto.spec))["layout"]
        out |= {layout["title"]["text"], (layout["title"].get("subtitle") or {}).get("text", "")}
        for key, axis in layout.items():
            if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
                out |= {(axis.get("title") or {}).get("text", ""), *map(str, axis.get("ticktext", []))}
        out |= {a.get("text", "") for a in layout.get("annotations", [])}
        for trace in spec["data"]:
            out |= {str(trace.get("name", "")), str(trace.get("hovertemplate", ""))}
    return {t for t in out if t}


def all_texts(at: AppTest) -> set[str]:
    """What page_texts reads, and the expanders', download buttons' and charts' words."""
    extra = {e.label for e in at.expander} | {str(d.proto.label) for d in at.get("download_button")}
    return page_texts(at) | extra | chart_texts(at)


def engine_result(store: Store, lang: str):
    valid = check_answers(QUESTIONNAIRE, store.answer_data(aei_id(store)))
    return Engine(QUESTIONNAIRE, lang).score(valid), valid


def shown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


EXPECTED = {
    "es": {
        "metrics": {
            "Índice de sostenibilidad": "31,6 / 100",
            "Etapa": "Madurez",
            "Grado de avance": "100\u00a0%",
        },
        "subheaders": ["Siete dimensiones", "Señales de alerta (8)", "Brechas", "Descargar"],
        "folded": "Fortalezas",
        "title": "Resultados",
        "recommendation": "Recomendación.",
        "review": "Estado de la revisión: Enviada, pendiente de revisión",
        "button": "Iniciar la revisión",
        "download": "Informe (HTML, se imprime en PDF)",
        "radar": "Siete dimensiones",
    },
    "pt": {
        "metrics": {
            "Índice de sustentabilidade": "31,6 / 100",
            "Fase": "Maturidade",
            "Grau de avanço": "100%",
        },
        "subheaders": ["Sete dimensões", "Sinais de alerta (8)", "Lacunas", "Baixar"],
        "folded": "Pontos fortes",
        "title": "Resultados",
        "recommendation": "Recomendação.",
        "review": "Situação da revisão: Enviada, aguardando revisão",
        "button": "Iniciar a revisão",
        "download": "Relatório (HTML, imprime em PDF)",
        "radar": "Sete dimensões",
    },
}


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_results_page_reads_in_the_language(pages, store, lang):
    at, want = pages[lang], EXPECTED[lang]
    assert [t.value for t in at.title] == [want["title"]]
    assert {m.label: m.value for m in at.metric} == want["metrics"]
    subheaders = [s.value for s in at.subheader]
    for heading in want["subheaders"]:
        assert any(heading in s for s in subheaders), (heading, subheaders)
    # the strengths are folded under an expander, closed at first
    [strengths] = [e for e in at.expander if want["folded"] in e.label]
    assert not strengths.proto.expanded
    text = shown(at)
    assert want["recommendation"] in text and want["review"] in text.replace("**", "")
    assert want["button"] in {b.label for b in at.button}
    assert want["download"] in {str(d.proto.label) for d in at.get("download_button")}
    assert want["radar"] in chart_texts(at)
    # the red flags, their recommendations and evidence are the engine's of this language
    result, _ = engine_result(store, lang)
    red = result.findings_of("red_flag")
    assert len(red) == 8  # the AEI pattern and the public-end scenario merge into the funding finding
    for finding in red:
        assert md(finding.title) in text and md(finding.recommendation) in text
    english, _ = engine_result(store, "en")
    assert md(english.findings_of("red_flag")[0].title) not in text


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_results_page_leaves_nothing_in_english(pages, store, lang):
    name = next(c.name for c in store.clusters() if c.name.startswith(AEI))
    english, translated = all_texts(pages["en"]), all_texts(pages[lang])
    assert len(translated) > 60
    # the cluster's name (user data) in the radar legend and hover text, and lesson ids, may repeat
    leftover = [t for t in left_in_english(english, translated, {name, md(name)}) if name not in t]
    assert leftover == []


def test_english_page_is_unchanged(pages):
    at = pages["en"]
    assert {m.label: m.value for m in at.metric}["Sustainability index"] == "31.6 / 100"
    assert any(s.value.endswith("Red flags (8)") for s in at.subheader)
    assert "Seven dimensions" in chart_texts(at)


def test_a_result_is_explained_again_only_when_its_numbers_agree(store):
    stored = result_from_json(store.result_json(aei_id(store)))
    valid = check_answers(QUESTIONNAIRE, store.answer_data(aei_id(store)))
    spanish = in_language(stored, Engine(QUESTIONNAIRE, "es"), valid)
    assert spanish is not None and spanish.overall == stored.overall
    assert [f.item for f in spanish.findings] == [f.item for f in stored.findings]
    assert spanish.stage.label == "Madurez" and stored.stage.label == "Maturity"
    # a result scored under other rules is never re-explained with today's numbers
    assert in_language(replace(stored, overall=99.0), Engine(QUESTIONNAIRE, "es"), valid) is None
    older = replace(stored, engine_version="0.0.1")
    assert in_language(older, Engine(QUESTIONNAIRE, "pt"), valid) is None


REPORT = {
    "es": {
        "headings": [
            "Resultado",
            "Dimensiones",
            "Combinación de fuentes de financiación",
            "Cartera de servicios",
            "Señales de alerta (8)",
            "Brechas",
            "Fortalezas",
            "Respuestas",
        ],
        "words": [
            "Índice de sostenibilidad",
            "Madurez",
            "Recomendación:",
            "Por qué:",
            "Plan de acción",
            "Valoración de los socios",
            "enviada, versión 1",
        ],
    },
    "pt": {
        "headings": [
            "Resultado",
            "Dimensões",
            "Combinação de fontes de financiamento",
            "Portfólio de serviços",
            "Sinais de alerta (8)",
            "Lacunas",
            "Pontos fortes",
            "Respostas",
        ],
        "words": [
            "Índice de sustentabilidade",
            "Maturidade",
            "Recomendação:",
            "Por quê:",
            "Plano de ação",
            "Avaliação dos associados",
            "enviada, versão 1",
        ],
    },
}


def without_plotly(report: str) -> str:
    """The report less the inline plotly.js bundle (whose own English is not the report's)."""
    return re.sub(r"<script type=\"text/javascript\">.*?</script>", "", report, count=1, flags=re.S)


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_html_report_in_the_language(store, lang):
    result, valid = engine_result(store, lang)
    report = html_report(QUESTIONNAIRE, Engine(QUESTIONNAIRE, lang), result, valid, "submitted", 1, lang=lang)
    body = without_plotly(report)
    assert f'<html lang="{lang}">' in body
    assert report.count("Plotly.newPlot") >= 3
    for div in ("radar", "funding", "portfolio"):
        assert f'id="{div}"' in body
    headings = re.findall(r"<h2>(.*?)</h2>", body)
    for heading in REPORT[lang]["headings"]:
        assert any(h.startswith(escape(heading)) for h in headings), (heading, headings)
    for word in REPORT[lang]["words"]:  # in the text, or in a chart's JSON (non-ASCII escaped)
        assert escape(word) in body or json.dumps(word)[1:-1] in body, word
    for finding in result.findings_of("red_flag"):
        assert escape(finding.title) in body and escape(finding.recommendation) in body
    english = html_report(QUESTIONNAIRE, Engine(QUESTIONNAIRE), *engine_result(store, "en"), "submitted", 1)
    for heading in ("Red flags", "Dimensions", "Not answered yet", "Answers", "Sustainability index"):
        assert f"<h2>{heading}" not in body
    assert "<h2>Red flags (8)</h2>" in english and '<html lang="en">' in english
    for sentence in ("Dashed line", "Why:", "Recommendation:", "lesson ", "Answers for ", "Method: the"):
        assert sentence not in body, sentence


def test_html_report_needs_an_engine_of_its_language(store):
    result, valid = engine_result(store, "es")
    with pytest.raises(ValueError, match="the engine is of 'en', the report of 'es'"):
        html_report(QUESTIONNAIRE, Engine(QUESTIONNAIRE), result, valid, lang="es")


def test_html_report_plans_in_spanish(store):
    """The plans section: headings, sentences, tables, Table 6 names and the charts in Spanish."""
    from planning import Assumptions, ServicePlan, StructureInputs
    from planning.services import ServiceAdvice
    from reports.html import ReportPlan

    funding = Assumptions.model_validate(
        {
            "start_year": 2026,
            "horizon": 6,
            "budget": 2400.0,
            "mix": {"public_baseline": 50.0, "membership_fees": 50.0},
            "public_support": {"kind": "end", "end_year": 2028},
            "cost": {"structure_share": 60.0},
        }
    )
    training = QUESTIONNAIRE.service_index["training"]
    services = ServicePlan(
        items=(
            ServiceAdvice(
                service="training",
                name=training.name.en,
                action="charge",
                reason="",
                offered=True,
                charged=False,
                price=1.5,
            ),
        )
    )
    plans = [
        ReportPlan("funding_path", "Apoyo hasta 2028", funding),
        ReportPlan("service_plan", "Servicios", services),
        ReportPlan("structure_fit", "Estructura", StructureInputs(staff_fte=7, cost_per_fte=250)),
    ]
    result, valid = engine_result(store, "es")
    report = html_report(
        QUESTIONNAIRE, Engine(QUESTIONNAIRE, "es"), result, valid, "submitted", 1, plans=plans, lang="es"
    )
    body = without_plotly(report)
    assert "<h2>Planes</h2>" in body
    assert "Senda de salida de la financiación pública: Apoyo hasta 2028" in body
    assert "Los costos no quedan cubiertos en 2029, 2030, 2031" in body
    assert "<th>Año</th><th>Ingresos</th><th>Costo</th><th>Saldo</th><th>Parte pública</th>" in body
    assert escape(training.name.es) in body and "Cobrar por él" in body
    assert "Ajuste de la estructura: Estructura" in body and "mil al año frente a ingresos estables" in body
    for div in ("plan-funding-0", "plan-structure-2"):
        assert f'id="{div}"' in body
    assert "Funding exit path" not in body and "Costs are not covered" not in body


def test_review_actions_in_portuguese(store):
    """An officer's actions on the results page are labelled, and answered, in Portuguese."""
    at = results_page(store, "pt")
    at.button(key="review:start").click().run()
    assert not at.exception, at.exception
    assert "A revisão começou." in [i.value for i in at.info]
    text = shown(at).replace("**", "")
    assert "Situação da revisão: Em revisão" in text
    assert {"Devolver ao gestor", "Aceitar", "Adicionar o comentário"} <= {b.label for b in at.button}
    assert at.selectbox(key="review:comment_target").options[0] == "a avaliação inteira"
    at.text_area(key="review:comment_text").input("Quais empresas? <b>x</b>").run()
    at.button(key="review:comment").click().run()
    assert "Comentário adicionado sobre a avaliação inteira." in [i.value for i in at.info]
    assert "Quais empresas? \\<b\\>x\\</b\\>" in shown(at)


def test_a_draft_is_scored_in_the_language(store):
    vasco = next(c for c in store.clusters() if c.name.startswith("Cluster Vasco"))
    draft = store.new_version(store.assessments(vasco.id)[-1].id, "test")
    store.save_answer(draft.id, "exit_plan", 0, "test")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    sign_in(at)
    at.query_params["assessment"] = str(draft.id)
    at.run()
    at.session_state["lang"] = "es"
    at.switch_page("webapp/pages/results.py").run()
    assert not at.exception, at.exception
    assert any(w.value.startswith("Provisional: este borrador") for w in at.warning)
    assert any(s.value.endswith("Señales de alerta (1)") for s in at.subheader)
    [flag] = (
        Engine(QUESTIONNAIRE, "es")
        .score(check_answers(QUESTIONNAIRE, store.answer_data(draft.id)))
        .findings_of("red_flag")
    )
    assert md(flag.title) in shown(at)


def test_a_result_scored_under_other_rules_is_shown_as_stored(store):
    """Its numbers are never replaced by today's: the stored sentences stay, with a note why."""
    from scoring import ENGINE_VERSION, result_to_json

    vasco = next(c for c in store.clusters() if c.name.startswith("Cluster Vasco"))
    submitted = [a for a in store.assessments(vasco.id) if a.status == "submitted"][-1]
    second = store.new_version(submitted.id, "test")
    valid = check_answers(QUESTIONNAIRE, store.answer_data(second.id))
    scored = Engine(QUESTIONNAIRE).score(valid)
    older = replace(scored, overall=12.5, engine_version="0.0.1")
    store.submit(second.id, result_to_json(older), older.overall, older.stage.id, ENGINE_VERSION, "test")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    sign_in(at)
    at.query_params["assessment"] = str(second.id)
    at.run()
    at.session_state["lang"] = "pt"
    at.switch_page("webapp/pages/results.py").run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Índice de sustentabilidade"] == "12,5 / 100"
    assert any("pontuado pelo motor 0\\.0\\.1" in c.value for c in at.caption)
    assert {m.label: m.value for m in at.metric}["Fase"] == scored.stage.label  # as stored, in English


@pytest.mark.parametrize(
    ("lang", "peers", "trends", "dimension"),
    [
        (
            "es",
            "Entre los clústeres del programa",
            "Tendencias entre rondas",
            "Combinación de fuentes de financiación",
        ),
        (
            "pt",
            "Entre os clusters do programa",
            "Tendências entre rodadas",
            "Combinação de fontes de financiamento",
        ),
    ],
)
def test_percentiles_and_trends_speak_the_language(pages, lang, peers, trends, dimension):
    at = pages[lang]
    subheaders = [s.value for s in at.subheader]
    assert peers in subheaders and trends in subheaders
    [table] = [d for d in at.dataframe if "Percentil" in d.value.columns]
    assert dimension in set(table.value.iloc[:, 0])
