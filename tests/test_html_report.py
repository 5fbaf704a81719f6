"""The HTML report from its Jinja template: escaped by default, plotly.js once, every example renders.

The report is what a programme officer prints and files, so a typed name must never run as
markup, a missing variable must fail rather than print nothing, and the templates must come
with the package wherever it is installed.
"""

from __future__ import annotations

import importlib.resources
import re
from pathlib import Path

import pytest
from jinja2 import PackageLoader, StrictUndefined, UndefinedError
from markupsafe import escape

from assessment.answers import check_answers
from assessment.loading import load_answers, parse_answers_text
from assessment.questionnaire import Questionnaire
from planning import Assumptions, ServicePlan, StructureInputs
from planning.services import ServiceAdvice
from reports import templating
from reports.html import ReportPlan, html_report, plotly_js
from reports.html_parts import lean_template
from scoring import Engine
from tests.conftest import EXAMPLES, ROOT

LANGS = ("en", "es", "pt")
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
RAW = (SCRIPT, ATTRIBUTE, "<img src=x")


def _report(questionnaire: Questionnaire, data: dict, lang: str, plans: tuple[ReportPlan, ...] = ()) -> str:
    valid = check_answers(questionnaire, data)
    engine = Engine(questionnaire, lang)
    return html_report(
        questionnaire, engine, engine.score(valid), valid, "submitted", 1, plans=plans, lang=lang
    )


def _example(name: str = "aei_pattern_year8") -> dict:
    return parse_answers_text((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"), f"{name}.yaml")


def _plans(name: str) -> tuple[ReportPlan, ...]:
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
    services = ServicePlan(
        items=(
            ServiceAdvice(
                service="training",
                name="Training",
                action="charge",
                reason="",
                offered=True,
                charged=False,
                price=1.5,
                uptake=40.0,
            ),
        )
    )
    return (
        ReportPlan("funding_path", name, funding),
        ReportPlan("service_plan", name, services),
        ReportPlan("structure_fit", name, StructureInputs(staff_fte=7, cost_per_fte=250)),
    )


def _body(report: str) -> str:
    """The report less plotly.js, whose own code holds markup-like strings of its own."""
    bundle = str(plotly_js())
    assert report.count(bundle) == 1
    return report.replace(bundle, "")


# --- (a) escaped by default -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("payload", [SCRIPT, ATTRIBUTE])
def test_typed_text_is_escaped_everywhere_it_is_shown(questionnaire, lang, payload):
    data = _example()
    data["profile"]["name"] = f"Cluster {payload}"
    data["profile"]["region"] = payload
    data["answers"]["members_would_miss"] = payload
    data["answers"]["service_portfolio"]["own_export_club"] = {"name": payload, "offered": True}
    report = _report(questionnaire, data, lang, _plans(f"Plan {payload}"))
    body = _body(report)
    for raw in RAW:
        assert raw not in body, raw
    shown, name = escape(payload), escape(f"Cluster {payload}")
    assert f"<h1>{name}</h1>" in body and f"<title>{name}" in body
    assert f"<br>{shown}</div>" in body  # the region, in the profile
    assert f"<td>{shown}</td>" in body  # the text answer, in the answers table
    assert f"{shown}.</p>" in body  # the cluster's own service, under Table 6
    assert len(re.findall(rf"<h3>[^<]*{re.escape(escape('Plan ' + payload))}</h3>", body)) == 3  # plan names
    # No element was opened by the text: the only scripts are plotly.js and one per chart.
    assert len(re.findall(r"<script\b", body)) == 1 + body.count("Plotly.newPlot")
    assert not re.search(r"<img\b", body)


def test_plotly_json_keeps_typed_markup_inert(questionnaire):
    """A name inside a chart is data in plotly's JSON, where "<" is written \\u003c."""
    data = _example()
    data["profile"]["name"] = SCRIPT
    body = _body(_report(questionnaire, data, "en"))
    charts = re.findall(r"Plotly\.newPlot\((.*?)\)\s*\};", body, re.S)
    assert charts and all("<" not in c for c in charts)


# --- (b) plotly.js once, lean charts --------------------------------------------------------------


@pytest.mark.parametrize("with_plans", [False, True])
def test_plotly_js_is_inline_exactly_once_however_many_charts(questionnaire, with_plans):
    report = _report(questionnaire, _example(), "en", _plans("Scenario") if with_plans else ())
    charts = report.count("Plotly.newPlot")
    assert charts == (6 if with_plans else 3)
    assert report.count(str(plotly_js())) == 1
    assert report.count("plotly.js v") == 1  # the bundle's banner
    assert not re.search(r"<script[^>]*\bsrc=", report)  # nothing fetched: offline


def test_report_without_answers_still_has_plotly_once(questionnaire):
    """The radar is drawn even for a result without answers (the app's stored result of an old draft)."""
    valid = check_answers(questionnaire, _example())
    engine = Engine(questionnaire)
    report = html_report(questionnaire, engine, engine.score(valid), None)
    assert report.count("Plotly.newPlot") == 1 and report.count(str(plotly_js())) == 1
    assert "<h2>Answers</h2>" not in report and 'class="profile"' not in report


def test_each_chart_carries_a_lean_template_not_plotly_default(questionnaire):
    body = _body(_report(questionnaire, _example(), "en", _plans("Scenario")))
    # plotly's default template brings 3-D scenes, maps, ternary axes and colour scales to every chart
    for key in ('"scene"', '"geo"', '"ternary"', '"colorscale"', '"heatmap"', '"surface"'):
        assert key not in body, key
    assert body.count('"template"') == body.count("Plotly.newPlot")
    assert len(str(lean_template().to_plotly_json())) < 2_000
    assert not re.search(r"\d\.\d{5,}", body)  # plotted numbers are rounded


# --- (c) every example renders in every language -----------------------------------------------

HEADINGS = {
    "es": ("Resultado", "Dimensiones", "Señales de alerta (", "Brechas (", "Fortalezas (", "Respuestas"),
    "pt": ("Resultado", "Dimensões", "Sinais de alerta (", "Lacunas (", "Pontos fortes (", "Respostas"),
    "en": ("Result", "Dimensions", "Red flags (", "Gaps (", "Strengths (", "Answers"),
}
ENGLISH_ONLY = ("Result", "Dimensions", "Answers", "Not answered yet", "Funding mix", "Service portfolio")


def test_the_environment_is_strict_and_escapes():
    env = templating.environment()
    assert env.undefined is StrictUndefined and env.autoescape is True
    assert templating.environment() is env  # built once per process
    with pytest.raises(UndefinedError):
        templating.render("report.html.j2", lang="en")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_every_example_renders_with_its_headings_in_the_language(questionnaire, example, lang):
    answers = load_answers(EXAMPLES / f"{example}.yaml", questionnaire)
    engine = Engine(questionnaire, lang)
    report = html_report(questionnaire, engine, engine.score(answers), answers, lang=lang)
    body = _body(report)
    assert body.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in body
    assert body.rstrip().endswith("</footer></body></html>")
    headings = re.findall(r"<h2>(.*?)</h2>", body)
    for heading in HEADINGS[lang]:
        assert any(h.startswith(str(escape(heading))) for h in headings), (heading, headings)
    if lang != "en":
        for english in ENGLISH_ONLY:
            assert f"<h2>{english}</h2>" not in body, english
    assert "{" not in re.sub(
        r"<script.*?</script>|<style>.*?</style>", "", body, flags=re.S
    )  # no placeholder left


def test_sections_keep_their_order(questionnaire):
    data = _example("draft_partial")
    data["profile"]["name"] = "Order"
    body = _body(_report(questionnaire, data, "en", _plans("Scenario")))
    marks = [
        "<h1>Order</h1>",
        'class="profile"',
        "<h2>Result</h2>",
        "Provisional index",
        "<h2>Action plan</h2>",
        "<h2>Dimensions</h2>",
        'id="radar"',
        "<h2>Funding mix</h2>",
        "<h2>Service portfolio</h2>",
        "<h2>Red flags (",
        "<h2>Gaps (",
        "<h2>Strengths (",
        "<h2>Plans</h2>",
        'id="plan-funding-0"',
        "<h2>Not answered yet</h2>",
        "<h2>Answers</h2>",
        "<footer>",
        "<em>Clusters and Cluster Policy</em>",
    ]
    at = [body.index(m) for m in marks]
    assert at == sorted(at), [m for m, a, b in zip(marks, at, sorted(at), strict=True) if a != b]


# --- (d) the templates come with the package ------------------------------------------------------


def test_templates_are_read_through_the_package_not_the_working_directory(
    monkeypatch, tmp_path, questionnaire
):
    folder = importlib.resources.files("reports") / "templates"
    assert (folder / "report.html.j2").is_file() and (folder / "report.css").is_file()
    monkeypatch.chdir(tmp_path)  # nothing called templates here
    templating.environment.cache_clear()
    try:
        env = templating.environment()
        assert isinstance(env.loader, PackageLoader)
        template = env.get_template("report.html.j2")
        assert Path(template.filename) == Path(str(folder / "report.html.j2"))
        assert Path(template.filename).is_relative_to(ROOT / "reports")
        answers = load_answers(EXAMPLES / "draft_partial.yaml", questionnaire)
        engine = Engine(questionnaire)
        assert "<h2>Dimensions</h2>" in html_report(questionnaire, engine, engine.score(answers), answers)
    finally:
        templating.environment.cache_clear()


def test_no_template_turns_escaping_off():
    """Only plotly's own markup is Markup (made in Python); no template marks text as safe."""
    folder = importlib.resources.files("reports") / "templates"
    for entry in folder.iterdir():
        text = entry.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|\{%-?\s*autoescape", text), entry.name
    sources = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "reports").glob("*.py")}
    made = {name for name, text in sources.items() if "Markup(" in text}
    assert made == {"html.py", "html_parts.py"}, made
