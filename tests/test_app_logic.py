"""The app's pure helpers: visibility, progress, the portfolio table, comparisons, escaping, the report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape  # the report's template escapes as Jinja does (&#39; for ')

from assessment.answers import check_answers
from assessment.loading import load_answers, parse_answers_text
from programmes.peers import PeerMedians
from reports import charts, plan_charts
from reports.html import html_report
from reports.reference import index_meaning
from scoring import Engine
from scoring.compare import compare_findings, dimension_table
from scoring.funding import funding_sums_to_100
from scoring.progress import Progress, missing_items, progress, visible_questions
from webapp.editors import portfolio_frame
from webapp.logic import apply_editor_state, own_service_id, portfolio_rows, rows_to_answer
from webapp.text import md

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_visibility_follows_the_engine(questionnaire):
    engine = Engine(questionnaire)
    for path in sorted(EXAMPLES.glob("*.yaml")):
        valid = load_answers(path, questionnaire)
        shown = visible_questions(questionnaire, valid.to_data()["answers"])
        hidden = {i.id for i in engine.score(valid).items if i.status == "hidden"}
        assert {qid for qid, asked in shown.items() if not asked} == hidden, path.name


def test_conditional_question_is_shown_only_when_its_condition_holds(questionnaire):
    assert not visible_questions(questionnaire, {})["fee_tiers"]
    assert not visible_questions(questionnaire, {"membership_fees_charged": False})["fee_tiers"]
    assert visible_questions(questionnaire, {"membership_fees_charged": True})["fee_tiers"]


def test_progress_counts_only_asked_questions(questionnaire):
    overall, per = progress(questionnaire, {})
    hidden = sum(1 for q in questionnaire.questions.values() if q.show_if is not None)
    assert overall.answered == 0
    assert overall.asked == len(questionnaire.questions) - hidden
    overall, per = progress(questionnaire, {"membership_fees_charged": True, "fee_tiers": "flat"})
    assert per["funding_mix"].answered == 2
    # the exit plan and the public-end scenario are asked only once baseline public support
    # for the structure is given: a privately funded cluster has nothing to exit from
    assert per["funding_mix"].asked == len(questionnaire.dimensions[1].questions) - 2
    assert overall.asked == len(questionnaire.questions) - hidden + 2
    mix = {
        "public_baseline": 40,
        "public_projects": 0,
        "membership_fees": 60,
        "paid_services": 0,
        "private_projects": 0,
        "other_private": 0,
    }
    _, per = progress(questionnaire, {"membership_fees_charged": True, "funding_mix": mix})
    assert per["funding_mix"].asked == len(questionnaire.dimensions[1].questions)


def test_missing_items_lists_required_profile_fields_and_asked_questions(questionnaire):
    data = parse_answers_text((EXAMPLES / "draft_partial.yaml").read_text(), "draft_partial.yaml")
    missing = missing_items(questionnaire, data)
    items = [m.item for m in missing]
    assert "services_priced" in items and "critical_mass" not in items
    assert not any(i.startswith("profile.") for i in items)
    empty = missing_items(questionnaire, {"profile": {}, "answers": {}})
    assert empty[0].item == "profile.name"
    assert "fee_tiers" not in [m.item for m in empty]


def test_portfolio_rows_round_trip(questionnaire):
    data = parse_answers_text((EXAMPLES / "mature_member_financed.yaml").read_text(), "m.yaml")
    answer = data["answers"]["service_portfolio"] | {"export_club": {"name": "Export club", "charged": True}}
    rows = portfolio_rows(questionnaire, answer)
    assert len(rows) == len(questionnaire.services) + 1
    assert rows[-1]["service"] == "Export club"
    back = rows_to_answer(questionnaire, rows)
    base = {"questionnaire": questionnaire.id, "version": questionnaire.version, "year": 2025}

    def uses(portfolio):
        valid = check_answers(questionnaire, base | {"answers": {"service_portfolio": portfolio}})
        return set(valid.answers["service_portfolio"])

    assert uses(back) == uses(answer)


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({}, id="nothing-typed"),
        pytest.param({"training": {"offered": True, "uptake": 30}}, id="one-uptake"),
        pytest.param({"export_club": {"name": "Export club", "offered": True}}, id="own-service"),
    ],
)
def test_the_portfolio_table_holds_every_row_with_a_numeric_uptake(questionnaire, answer):
    rows = portfolio_rows(questionnaire, answer)
    frame = portfolio_frame(rows)
    # The editor's Uptake column must be numeric even when nothing is typed, or it would
    # take text; each row keeps its service and its typed share.
    assert str(frame["uptake"].dtype) == "float64"
    assert list(frame.columns) == list(rows[0])
    assert frame["service"].tolist() == [r["service"] for r in rows]
    typed = {r["id"]: r["uptake"] for r in rows if r["uptake"] is not None}
    shown = {i: u for i, u in zip(frame["id"], frame["uptake"], strict=True) if u == u}  # NaN != NaN
    assert shown == typed


def test_editor_state_applies_edited_cells(questionnaire):
    rows = portfolio_rows(questionnaire, {})
    edited = apply_editor_state(
        rows, {"edited_rows": {"4": {"offered": True, "uptake": 30}}, "added_rows": []}
    )
    answer = rows_to_answer(questionnaire, edited)
    assert answer == {"training": {"offered": True, "charged": False, "uptake": 30.0}}


def test_own_service_ids_are_unique():
    assert own_service_id("Export club!", []) == "own_export_club"
    assert own_service_id("Export club", ["own_export_club"]) == "own_export_club_2"


def test_funding_sum_tolerance():
    assert funding_sums_to_100({"a": 60, "b": 40.3})
    assert not funding_sums_to_100({"a": 60, "b": 30, "c": None})


def test_compare_findings_and_dimension_changes(questionnaire):
    engine = Engine(questionnaire)
    data = parse_answers_text((EXAMPLES / "aei_pattern_year8.yaml").read_text(), "aei.yaml")
    before = engine.score(check_answers(questionnaire, data))
    # the funding mix is capped by its dependence red flags: fix them with the exit plan
    mix = {
        "public_baseline": 20,
        "public_projects": 10,
        "membership_fees": 40,
        "paid_services": 20,
        "private_projects": 10,
        "other_private": 0,
    }
    better = {
        **data,
        "answers": {**data["answers"], "exit_plan": 4, "funding_mix": mix, "public_end_scenario": "reduced"},
    }
    after = engine.score(check_answers(questionnaire, better))
    changes = compare_findings(before, after)
    assert any(f.item == "exit_plan" and f.kind == "red_flag" for f in changes.resolved)
    assert any(f.item == "exit_plan" and f.kind == "strength" for f in changes.new)
    assert changes.kept
    table = dimension_table(["v1", "v2"], [before, after])
    funding = next(r for r in table if r["dimension"] == "Funding mix")
    assert funding["change"] > 0
    assert table[-1]["dimension"] == "Sustainability index"


def test_markdown_escaping_neutralises_user_text():
    text = "**bold** [link](javascript:alert(1)) <b>x</b> $x$ :red[y] # head"
    escaped = md(text)
    assert "**" not in escaped.replace("\\*", "")
    assert "\\[link\\]" in escaped and "\\<b\\>" in escaped and "\\$" in escaped and "\\:red" in escaped


def test_the_radar_draws_no_invented_reference_only_the_peers_median(questionnaire):
    result = Engine(questionnaire).score(load_answers(EXAMPLES / "aei_pattern_year8.yaml", questionnaire))
    alone = charts.radar([("AEI", result)])
    assert [t.name for t in alone.data] == ["AEI"]  # the sources give no per-dimension reference
    medians = {d.id: 50.0 + i for i, d in enumerate(questionnaire.dimensions)}
    peers = PeerMedians("Basque programme", 6, medians, 55.0)
    drawn = charts.radar([("AEI", result)], peers=peers)
    assert drawn.data[0].name == "Median of 6 other clusters in Basque programme"
    assert list(drawn.data[0].r[:-1]) == list(medians.values())
    assert "Fragile" in index_meaning(20) and "Established" in index_meaning(90)
    assert "European reference" not in index_meaning(70) + index_meaning(90)


@pytest.fixture(scope="module")
def aei_report(questionnaire):
    engine = Engine(questionnaire)
    data = parse_answers_text((EXAMPLES / "aei_pattern_year8.yaml").read_text(), "aei.yaml")
    data["profile"]["name"] = "<script>alert('x')</script> & Co"
    data["answers"]["members_would_miss"] = "<img src=x onerror=alert(1)>"
    valid = check_answers(questionnaire, data)
    return html_report(questionnaire, engine, engine.score(valid), valid, "submitted", 1)


def test_report_is_self_contained_with_its_charts(aei_report):
    assert aei_report.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script[^>]*\bsrc=", aei_report)  # no script is fetched: plotly.js is inline
    assert len(aei_report) > 3_000_000  # plotly.js inline
    for div in ("radar", "funding", "portfolio"):
        assert f'id="{div}"' in aei_report
    assert aei_report.count("Plotly.newPlot") >= 3
    assert "scatterpolar" in aei_report
    assert "@media print" in aei_report


def test_report_escapes_user_text(aei_report):
    assert "<script>alert('x')</script>" not in aei_report
    assert escape("<script>alert('x')</script> & Co") in aei_report
    assert "<img src=x" not in aei_report
    assert re.search(r"Red flags \(\d+\)", aei_report)
    assert re.search(r"<h1>&lt;script&gt;", aei_report)


WIDGETS = {
    "button",
    "checkbox",
    "data_editor",
    "download_button",
    "expander",
    "file_uploader",
    "multiselect",
    "number_input",
    "plotly_chart",
    "radio",
    "selectbox",
    "text_area",
    "text_input",
    "dataframe",
}


def test_every_widget_has_an_explicit_key():
    import ast

    missing = []
    for path in sorted((Path(__file__).resolve().parent.parent / "webapp").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WIDGETS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "st"
                and not any(k.arg in ("key", None) for k in node.keywords)
            ):
                missing.append(f"{path.name}:{node.lineno} st.{node.func.attr}")
    assert not missing, missing


@pytest.mark.parametrize(
    ("answered", "asked", "bar"),
    [
        (0, 8, "▱▱▱▱▱▱▱▱▱▱"),
        (1, 8, "▰▱▱▱▱▱▱▱▱▱"),  # round(1.25) = 1
        (1, 30, "▰▱▱▱▱▱▱▱▱▱"),  # started shows at least one block
        (4, 8, "▰▰▰▰▰▱▱▱▱▱"),
        (29, 30, "▰▰▰▰▰▰▰▰▰▱"),  # not finished never looks finished
        (8, 8, "▰▰▰▰▰▰▰▰▰▰"),
        (0, 0, "▰▰▰▰▰▰▰▰▰▰"),  # nothing asked counts as done, as `fraction` says
    ],
)
def test_progress_bar_in_text(answered, asked, bar):
    assert Progress(answered, asked).bar() == bar


# --- in the reader's language (issue 6) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "rating", "own", "progress_words"),
    [
        ("en", "medium-high", "(own service)", "5 of 8 answered"),
        ("es", "media-alta", "(servicio propio)", "5 de 8 respondidas"),
        ("pt", "média-alta", "(serviço próprio)", "5 de 8 respondidas"),
    ],
)
def test_the_pure_helpers_word_what_they_return_in_the_language_given(
    questionnaire, lang, rating, own, progress_words
):
    from assessment.ratings import rating_words

    assert rating_words("medium_high", lang) == rating
    assert rating_words("not_a_rating", lang) == "not_a_rating"
    assert Progress(5, 8).label(lang) == progress_words
    rows = portfolio_rows(questionnaire, {"own_club": {"name": "Club export", "offered": True}}, lang)
    first = questionnaire.services[0]
    assert rows[0]["service"] == first.name.get(lang)
    assert rows[-1]["service"] == "Club export" and rows[-1]["extension"] == own  # typed names stay
    # the rows read back the same answer whatever language they were drawn in
    assert rows_to_answer(questionnaire, rows) == rows_to_answer(
        questionnaire, portfolio_rows(questionnaire, {"own_club": {"name": "Club export", "offered": True}})
    )
    missing = missing_items(questionnaire, {"profile": {}, "answers": {}}, lang)
    labels = {m.item: m.label for m in missing}
    assert labels["profile.country"] == questionnaire.profile_fields["country"].label.get(lang)
    assert labels["critical_mass"] == questionnaire.questions["critical_mass"].text.get(lang)


@pytest.mark.parametrize(
    ("lang", "index_row", "fragile", "stage"),
    [
        ("en", "Sustainability index", "Fragile:", "Launch (year 2 of life): public money"),
        ("es", "Índice de sostenibilidad", "Frágil:", "Lanzamiento (año 2 de vida): ahora se espera"),
        ("pt", "Índice de sustentabilidade", "Frágil:", "Lançamento (ano 2 de vida): agora se espera"),
    ],
)
def test_comparison_and_reading_aids_in_the_language(questionnaire, lang, index_row, fragile, stage):
    from reports.reference import stage_meaning

    valid = load_answers(EXAMPLES / "aei_pattern_year8.yaml", questionnaire)
    result = Engine(questionnaire, lang).score(valid)
    rows = dimension_table(["v1", "v2"], [result, result], lang)
    assert rows[-1]["dimension"] == index_row and rows[-1]["change"] == 0
    assert rows[0]["dimension"] == questionnaire.dimensions[0].title.get(lang)
    assert index_meaning(10, lang).startswith(fragile)
    launch = next(s for s in questionnaire.stages if s.id == "launch")
    assert stage_meaning("launch", launch.label.get(lang), 2, lang).startswith(stage)


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_chart_labels_show_one_percent_sign_and_locale_decimals(questionnaire, lang):
    question = next(q for q in questionnaire.questions.values() if q.type == "funding_mix")
    shares = {"public_baseline": 37.5, "public_projects": 12.5, "membership_fees": 50}
    pie = charts.funding_pie(question, shares, lang)
    texts = list(pie.data[0].text)
    assert texts[0] == {"en": "37.5%", "es": "37,5\xa0%", "pt": "37,5%"}[lang]
    spec = pie.to_json()
    assert "%%" not in spec and "0000" not in "".join(texts)


def test_the_report_opens_with_the_cluster_profile(aei_report):
    head = aei_report[: aei_report.index("<h2>")]
    for text in (
        "Country",
        "Spain",
        "Number of member organisations",
        "31",
        "Annual budget",
        "290 thousands (EUR)",
    ):
        assert escape(text) in head, text
    assert "Completeness" in head and "2018" in head


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_year_axes_are_never_grouped(lang):
    from planning import Assumptions, project

    a = Assumptions(
        start_year=2029,
        horizon=5,
        budget=1000,
        mix={"public_baseline": 60, "membership_fees": 30, "paid_services": 10},
        public_support={"kind": "taper", "pct_per_year": 20},
        cost={"structure_cost": 500},
    )
    p = project(a)
    labels = {s: s for s in a.mix}
    for fig in (
        plan_charts.funding_path(p, labels, "Base", lang=lang),
        plan_charts.public_share_path({"Base": p}, lang=lang),
    ):
        axis = fig.layout.xaxis
        assert axis.tickformat == "d" and axis.hoverformat == "d"  # 2031, never 2.031
        assert fig.layout.separators.startswith(",")  # while amounts keep the decimal comma


def test_the_funding_chart_never_clips_its_row_labels(questionnaire):
    question = next(q for q in questionnaire.questions.values() if q.type == "funding_mix")
    shares = {"public_baseline": 40, "public_projects": 10, "membership_fees": 50}
    fig = charts.funding_benchmark(
        question, shares, "maturity", "Maturity", None, cluster_label="This cluster, 2025"
    )
    assert fig.layout.yaxis.automargin is True
