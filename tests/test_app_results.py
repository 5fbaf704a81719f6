"""The results, compare and method pages, driven through AppTest against a real store with the demo data."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from assessment.answers import check_answers
from scoring import ENGINE_VERSION, Engine, result_to_json
from storage import Store
from tests.apptest_support import APP, EXAMPLES, QUESTIONNAIRE, TIMEOUT, open_store, sign_in
from webapp.text import md


@pytest.fixture
def store(tmp_path, monkeypatch) -> Iterator[Store]:
    yield from open_store(tmp_path, monkeypatch, demo=True)


def assessment_of(store: Store, name_start: str):
    cluster = next(c for c in store.clusters() if c.name.startswith(name_start))
    return store.assessments(cluster.id)[-1]


def page(name: str, assessment_id: int | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    sign_in(at)
    if assessment_id is not None:
        at.query_params["assessment"] = str(assessment_id)
    at.run()
    if name != "home":
        at.switch_page(f"webapp/pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def charts(at: AppTest) -> dict[str, dict]:
    """Plotly figures on the page by their element id's key part."""
    out = {}
    for node in at.get("plotly_chart"):
        spec = json.loads(node.proto.spec)
        out[spec["layout"]["title"]["text"]] = spec
    return out


def texts(at: AppTest) -> list[str]:
    """The page's Markdown as it reads: bold markers and backslash escapes removed."""
    return [plain(m.value.replace("**", "")) for m in at.markdown]


def test_results_of_the_aei_example_show_the_radar_and_the_red_flags(store):
    aei = assessment_of(store, "Agrupación Empresarial Innovadora")
    at = page("results", aei.id)
    result = _fresh(store, aei.id)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Sustainability index"] == f"{result.overall:.1f} / 100" and metrics["Stage"] == "Maturity"
    assert any(t.startswith("What the index means. Fragile") for t in texts(at))
    # the gates that hold the index down are said before anything else
    [held] = [w.value for w in at.warning if "held at" in w.value]
    assert "Public money still pays for the structure" in plain(held)
    figures = charts(at)
    radar = figures["Seven dimensions"]
    assert [t["name"] for t in radar["data"]] == [aei.cluster_name]  # no invented reference line
    assert any(title.startswith("Public share 80%") for title in figures)
    assert "Service portfolio on Table 6 (002 s6.2.2)" in figures
    subheaders = [s.value for s in at.subheader]
    assert subheaders.index("Action plan") < subheaders.index("Seven dimensions")
    assert subheaders.index("Download") < subheaders.index("Seven dimensions")
    red = len(result.findings_of("red_flag"))
    assert any(s.endswith(f"Red flags ({red})") for s in subheaders)
    content = "\n".join(texts(at))
    assert "Public money still pays for the structure: 62% of income in year 8 (Maturity)" in content
    assert f"1. {result.actions[0].title}" in content
    assert "Recommendation." in "\n".join(texts(at))
    assert {"download:report", "download:result", "download:answers_yaml", "download:answers_json"} <= {
        d.key for d in at.download_button
    }


def _fresh(store: Store, assessment_id: int):
    from assessment.answers import check_answers

    return Engine(QUESTIONNAIRE).score(check_answers(QUESTIONNAIRE, store.answer_data(assessment_id)))


def test_the_radar_draws_the_programme_median_with_five_other_submissions(tmp_path, monkeypatch):
    [store] = list(open_store(tmp_path, monkeypatch, demo=True, accounts=True))
    aei = assessment_of(store, "Agrupación Empresarial Innovadora")
    at = page("results", aei.id)
    radar = charts(at)["Seven dimensions"]
    assert radar["data"][0]["name"].startswith("Median of ") and radar["data"][0]["line"]["dash"] == "dash"
    assert any("Dashed line: the median" in plain(c.value) for c in at.caption)


def test_a_draft_shows_its_index_as_provisional_with_its_range(store):
    partial = assessment_of(store, "Clúster del Mueble")
    draft = store.new_version(partial.id, "test")
    at = page("results", draft.id)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Sustainability index"].endswith("(provisional)")
    low, high = _fresh(store, draft.id).overall_range
    assert any(f"from {low:g} to {high:g}" in plain(w.value) for w in at.warning), [
        w.value for w in at.warning
    ]


def test_a_finding_opens_the_questionnaire_at_its_question(store):
    aei = assessment_of(store, "Agrupación Empresarial Innovadora")
    at = page("results", aei.id)
    at.button(key="finding:0:funding_mix").click().run()
    assert any(t.value == "Questionnaire" for t in at.title)
    assert at.radio(key="nav:section:en").value == "funding_mix"
    assert any("rests on this question" in i.value for i in at.info)
    assert at.query_params["assessment"] == str(aei.id)
    assert at.number_input(key="q:funding_mix:public_baseline").value == 62


def test_a_draft_is_scored_provisionally(store):
    draft = store.new_version(assessment_of(store, "Cluster Vasco").id, "test")
    store.save_answer(draft.id, "exit_plan", 0, "test")
    at = page("results", draft.id)
    assert any(w.value.startswith("Provisional") for w in at.warning)
    assert any(s.endswith("Red flags (1)") for s in (x.value for x in at.subheader))
    assert "Past the launch years without an exit plan from public support" in "\n".join(texts(at))


def test_cluster_names_are_shown_as_text(store):
    cluster = store.create_cluster("Cluster **X** <img src=x onerror=alert(1)> [link](http://x)", "test")
    info = store.start_assessment(cluster.id, QUESTIONNAIRE.id, QUESTIONNAIRE.version, 2025, "test")
    store.save_profile(info.id, "name", cluster.name, "test")
    for name in ("results", "questionnaire", "home"):
        at = page(name, info.id)
        rendered = [m.value for m in at.markdown if "img" in m.value]
        assert rendered, name
        for value in rendered:
            assert md(cluster.name) in value
            assert "\\<img" in value and "\\*\\*X\\*\\*" in value and "\\]\\(http" in value


def test_compare_shows_what_moved_per_dimension_and_finding(store):
    first = assessment_of(store, "Agrupación Empresarial Innovadora")
    second = store.new_version(first.id, "test")
    store.save_answer(second.id, "exit_plan", 4, "test")
    store.save_answer(second.id, "public_end_scenario", "reduced", "test")
    mix = {
        "public_baseline": 20,
        "public_projects": 10,
        "membership_fees": 40,
        "paid_services": 20,
        "private_projects": 10,
        "other_private": 0,
    }
    store.save_answer(second.id, "funding_mix", mix, "test")
    data = store.answer_data(second.id)
    from assessment.answers import check_answers

    result = Engine(QUESTIONNAIRE).score(check_answers(QUESTIONNAIRE, data))
    store.submit(second.id, result_to_json(result), result.overall, result.stage.id, ENGINE_VERSION, "test")
    at = page("compare", second.id)
    assert at.selectbox(key="compare:cluster").value == first.cluster_id
    assert at.multiselect(key="compare:versions").value == [first.id, second.id]
    [table] = [d for d in at.dataframe if "change" in d.value.columns]
    rows = table.value.set_index("dimension")
    assert rows.loc["Funding mix", "change"] > 0
    assert rows.loc["Foundations", "change"] == 0
    radar = charts(at)["Dimensions over time"]
    assert len(radar["data"]) == 2  # the two versions, no invented reference
    content = "\n".join(texts(at))
    assert "Past the launch years without an exit plan" in content.split("Resolved (")[1]
    assert "An approved exit plan" in content.split("New (")[1]


def test_compare_needs_two_versions(store):
    only = assessment_of(store, "Cluster Vasco")
    at = page("compare", only.id)
    assert any("one assessment so far" in i.value for i in at.info)


def test_method_page_lists_dimensions_lessons_and_sources(store):
    at = page("method")
    labels = [e.label for e in at.expander]
    assert len([label for label in labels if "weight" in label]) == len(QUESTIONNAIRE.dimensions)
    lessons = [d for d in at.dataframe if "Lesson" in d.value.columns]
    ids = {lesson for d in lessons for lesson in d.value["Lesson"]}
    assert ids == {lesson.id for lesson in QUESTIONNAIRE.lessons}
    assert "002 s6.2.1 Figure 1" in {s for d in lessons for s in d.value["Source"]}
    [table6] = [d for d in at.dataframe if "Paying core" in d.value.columns]
    assert len(table6.value) == len(QUESTIONNAIRE.services)


def test_html_report_built_for_the_open_assessment_contains_the_charts(store):
    """The report the download button serves (built by the same function, from the stored result)."""
    from assessment.answers import check_answers
    from reports.html import html_report
    from scoring import result_from_json

    aei = assessment_of(store, "Agrupación Empresarial Innovadora")
    data = store.answer_data(aei.id)
    valid = check_answers(QUESTIONNAIRE, data)
    result = result_from_json(store.result_json(aei.id))
    report = html_report(QUESTIONNAIRE, Engine(QUESTIONNAIRE), result, valid, aei.status, aei.number)
    assert report.count("Plotly.newPlot") >= 3
    assert "Agrupación Empresarial Innovadora del Mueble de La Manchuela" in report
    assert "Public money still pays for the structure: 62% of income in year 8 (Maturity)" in report
    assert "Action plan" in report and report.index("Action plan") < report.index('id="radar"')


def test_demo_data_loads_on_first_run_unless_disabled(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.setenv("CLUSTER_ASSESS_DEMO", "1")
    at = page("home")
    assert len(at.selectbox(key="home:open_cluster").options) == len(list(EXAMPLES.glob("*.yaml")))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("CLUSTER_ASSESS_DEMO", "0")
    at = page("home")
    assert "home:open_cluster" not in {s.key for s in at.selectbox}


def test_a_result_of_an_older_engine_stays_readable_with_a_note(store):
    """A result submitted before the gates (engine 1.x, no caps, no action plan) still opens."""
    aei = assessment_of(store, "Agrupación Empresarial Innovadora")
    stored = json.loads(store.result_json(aei.id))
    for field in ("uncapped_overall", "caps", "provisional", "overall_range", "short_dimensions", "actions"):
        stored.pop(field, None)
    stored["engine_version"] = "1.9.0"
    stored["overall"] = 26.4
    import sqlalchemy as sa

    from storage.db import make_engine
    from storage.models import Result as ResultRow

    engine = make_engine(store.url)
    with engine.begin() as c:
        c.execute(
            sa.update(ResultRow)
            .where(ResultRow.assessment_id == aei.id)
            .values(result_json=json.dumps(stored))
        )
    engine.dispose()
    at = page("results", aei.id)
    assert {m.label: m.value for m in at.metric}["Sustainability index"] == "26.4 / 100"
    assert any("scored by engine 1.9.0" in plain(c.value) for c in at.caption)


def _as_manager(store: Store, username: str) -> tuple[AppTest, int]:
    cluster_id = store.user(username).clusters[0]
    latest = store.assessments(cluster_id)[-1]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["signed_in"] = username
    at.query_params["assessment"] = str(latest.id)
    at.run()
    at.switch_page("webapp/pages/results.py").run()
    assert not at.exception, at.exception
    return at, cluster_id


def test_a_manager_sees_the_percentiles_among_the_demo_programme_naming_no_other_cluster(
    tmp_path, monkeypatch
):
    [store] = list(open_store(tmp_path, monkeypatch, demo=True, accounts=True))
    at, own = _as_manager(store, "manager-aei_pattern_year8")
    subheaders = [s.value for s in at.subheader]
    assert "Among the programme's clusters" in subheaders
    [table] = [d for d in at.dataframe if "Percentile" in d.value.columns]
    rows = table.value
    titles = {d.title.get("en") for d in QUESTIONNAIRE.dimensions}
    assert list(rows.columns) == ["Dimension", "Percentile"]
    assert rows["Dimension"].iloc[0] == "Sustainability index" and set(rows["Dimension"].iloc[1:]) == titles
    assert rows["Percentile"].between(0, 100).all()
    captions = "\n".join(plain(c.value) for c in at.caption)
    assert "all 6 of its other clusters" in captions and "Maturity stage" in captions
    others = [c.name for c in store.clusters() if c.id != own]
    shown = "\n".join([*texts(at), captions, *(str(v) for v in rows.to_numpy().ravel())])
    assert not any(name in shown for name in others)
    # one submitted round: the trends say there is no trend yet, with a chart per indicator
    assert "Trends over rounds" in subheaders
    assert "One submitted round so far (2025): a trend needs a second one." in captions
    assert {"Private share of income", "Member organisations", "Membership fee income",
            "Income per staff member"} <= set(charts(at))  # fmt: skip


def test_nothing_is_said_of_the_programme_without_five_other_clusters(store):
    aei = assessment_of(store, "Agrupación Empresarial Innovadora")  # no programme: no accounts made
    at = page("results", aei.id)
    assert "Among the programme's clusters" not in [s.value for s in at.subheader]


def test_a_second_round_with_fewer_members_warns(store):
    cluster = next(c for c in store.clusters() if c.name.startswith("Cluster Vasco"))
    (v1,) = store.assessments(cluster.id)
    v2 = store.new_version(v1.id, "ana")
    data = store.answer_data(v2.id)
    data["year"] = 2026
    data["profile"]["members_total"] = 100
    store.import_answers(v2.id, data, "ana")
    result = Engine(QUESTIONNAIRE).score(check_answers(QUESTIONNAIRE, data))
    store.submit(v2.id, result_to_json(result), result.overall, result.stage.id, result.engine_version, "ana")
    at = page("results", v2.id)
    warnings = [plain(w.value) for w in at.warning]
    assert "Members fell from 112 in 2025 to 100 in 2026" in "\n".join(warnings)
    members = charts(at)["Member organisations"]
    assert members["data"][0]["x"] == [2025, 2026] and members["layout"]["xaxis"]["tickformat"] == "d"
