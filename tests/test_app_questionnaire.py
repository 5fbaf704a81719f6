"""The questionnaire and home pages, driven through Streamlit's AppTest against a real store.

Every test gets its own SQLite file (DATABASE_URL) with no demo data; the app opens its
own Store on it and the test checks what was saved through a second Store on the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from assessment.answers import check_answers
from scoring import Engine
from storage import Store
from tests.apptest_support import APP, EXAMPLES, QUESTIONNAIRE, TIMEOUT, open_store, sign_in


@pytest.fixture
def store(tmp_path, monkeypatch) -> Iterator[Store]:
    yield from open_store(tmp_path, monkeypatch, demo=False)


@pytest.fixture
def draft(store):
    cluster = store.create_cluster("Clúster de Prueba", "test")
    info = store.start_assessment(cluster.id, QUESTIONNAIRE.id, QUESTIONNAIRE.version, 2025, "test")
    store.save_profile(info.id, "name", "Clúster de Prueba", "test")
    return info


def page(name: str, assessment_id: int | None = None, section: str | None = None) -> AppTest:
    """An app opened at a page (as a link would), with the assessment in the URL."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    sign_in(at)
    if assessment_id is not None:
        at.query_params["assessment"] = str(assessment_id)
    if section is not None:
        at.session_state["section"] = section
    at.run()
    if name != "home":
        at.switch_page(f"webapp/pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def answers(store: Store, assessment_id: int) -> dict:
    return store.answer_data(assessment_id)["answers"]


def plain(markdown: str) -> str:
    """Markdown as it reads on screen: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def errors(at: AppTest) -> list[str]:
    return [plain(e.value) for e in at.error]


def keys(widgets) -> set[str]:
    return {w.key for w in widgets}


# --- answering ----------------------------------------------------------------------------


def test_each_answer_is_saved_as_it_is_given(store, draft):
    at = page("questionnaire", draft.id, section="foundations")
    at.radio(key="q:critical_mass").set_value(3).run()
    assert answers(store, draft.id) == {"critical_mass": 3}
    at.multiselect(key="q:related_activities").set_value(["suppliers", "training"]).run()
    at.number_input(key="q:turnover_share_gdp").set_value(0.4).run()
    assert answers(store, draft.id) == {
        "critical_mass": 3,
        "related_activities": ["suppliers", "training"],
        "turnover_share_gdp": 0.4,
    }
    entries = store.audit(draft.id)
    assert entries[-1].actor == "manager" and entries[-1].field == "answers.turnover_share_gdp"


def test_a_link_resumes_the_draft_after_a_reload_or_restart(store, draft):
    at = page("questionnaire", draft.id, section="foundations")
    at.radio(key="q:critical_mass").set_value(2).run()
    assert at.query_params["assessment"] == str(draft.id)
    # a new session (a reload, another browser, a restarted server) with the same link
    again = page("questionnaire", draft.id, section="foundations")
    assert again.radio(key="q:critical_mass").value == 2
    assert again.query_params["assessment"] == str(draft.id)


def test_clearing_an_answer_deletes_it(store, draft):
    store.save_answer(draft.id, "turnover_share_gdp", 0.5, "test")
    at = page("questionnaire", draft.id, section="foundations")
    assert at.number_input(key="q:turnover_share_gdp").value == 0.5
    at.number_input(key="q:turnover_share_gdp").set_value(None).run()
    assert "turnover_share_gdp" not in answers(store, draft.id)


def test_progress_counts_answered_over_asked_questions(store, draft):
    at = page("questionnaire", draft.id, section="funding_mix")
    hidden = sum(1 for q in QUESTIONNAIRE.questions.values() if q.show_if is not None)
    asked = len(QUESTIONNAIRE.questions) - hidden
    assert at.progress[0].text == f"0 of {asked} questions answered"
    at.radio(key="q:membership_fees_charged").set_value(True).run()
    # two conditional questions are now asked, one question is answered
    assert at.progress[0].text == f"1 of {asked + 2} questions answered"
    funding = next(p for p in at.progress if p.text.startswith("Funding mix:"))
    # the exit plan and the public-end scenario wait for baseline public support to be given
    assert funding.text == "Funding mix: 1 of 6 answered"
    assert funding.value == 100 // 6  # a whole percent, not rounded up to look further along
    assert [p.text for p in at.sidebar.progress] == [f"All: 1 of {asked + 2} answered"]
    by_dimension = at.sidebar.markdown[-1].value
    assert "Funding mix: 1/6  \n  `▰▰▱▱▱▱▱▱▱▱`" in by_dimension
    assert by_dimension.count("/") == len(QUESTIONNAIRE.dimensions)


def test_conditional_questions_appear_when_their_condition_is_met(store, draft):
    at = page("questionnaire", draft.id, section="funding_mix")
    assert "q:fee_tiers" not in keys(at.radio)
    at.radio(key="q:membership_fees_charged").set_value(True).run()
    assert "q:fee_tiers" in keys(at.radio)
    assert "q:fee_collection_rate" in keys(at.number_input)
    at.radio(key="q:fee_tiers").set_value("by_size").run()
    at.radio(key="q:membership_fees_charged").set_value(False).run()
    assert "q:fee_tiers" not in keys(at.radio)
    assert answers(store, draft.id)["fee_tiers"] == "by_size"  # kept, not lost; not scored while hidden


def test_funding_shares_not_adding_up_show_an_error_and_keep_the_other_answers(store, draft):
    at = page("questionnaire", draft.id, section="funding_mix")
    at.radio(key="q:membership_fees_charged").set_value(True).run()
    at.number_input(key="q:funding_mix:public_baseline").set_value(60).run()
    at.number_input(key="q:funding_mix:membership_fees").set_value(30).run()
    assert any("90%, not 100%" in e and "10% left to allocate" in e for e in errors(at))
    saved = answers(store, draft.id)
    assert "funding_mix" not in saved and saved["membership_fees_charged"] is True
    # the typed shares survive a trip to another section and back
    at.radio(key="nav:section:en").set_value("value_offer").run()
    at.radio(key="nav:section:en").set_value("funding_mix").run()
    assert at.number_input(key="q:funding_mix:public_baseline").value == 60
    assert at.number_input(key="q:funding_mix:membership_fees").value == 30
    at.number_input(key="q:funding_mix:paid_services").set_value(10).run()
    assert not errors(at)
    assert answers(store, draft.id)["funding_mix"] == {
        "public_baseline": 60.0,
        "public_projects": 0.0,
        "membership_fees": 30.0,
        "paid_services": 10.0,
        "private_projects": 0.0,
        "other_private": 0.0,
    }
    assert at.get("plotly_chart"), "the live pie of the mix"
    assert any("Public share 60%" in s.value for s in at.success)


def test_a_number_out_of_range_is_refused_next_to_its_field(store, draft):
    store.save_answer(draft.id, "joint_projects", 2, "test")
    store.save_answer(draft.id, "months_to_first_project", 12, "test")
    at = page("questionnaire", draft.id, section="strategy")
    at.number_input(key="q:months_to_first_project").set_value(5000).run()
    [message] = errors(at)
    assert "above the maximum" in message
    assert answers(store, draft.id)["months_to_first_project"] == 12
    assert answers(store, draft.id)["joint_projects"] == 2
    at.number_input(key="q:months_to_first_project").set_value(9).run()
    assert not errors(at)
    assert answers(store, draft.id)["months_to_first_project"] == 9


def test_exclusive_choice_is_refused_with_the_reason(store, draft):
    at = page("questionnaire", draft.id, section="value_offer")
    at.multiselect(key="q:service_areas").set_value(["rdi", "none"]).run()
    assert any("excludes every other choice" in e for e in errors(at))
    assert "service_areas" not in answers(store, draft.id)


def test_service_portfolio_table_saves_offered_charged_and_uptake(store, draft):
    at = page("questionnaire", draft.id, section="value_offer")
    [editor] = at.data_editor
    table = editor.value
    assert list(table["service"])[: len(QUESTIONNAIRE.services)] == [
        s.name.en for s in QUESTIONNAIRE.services
    ]
    for column in ("extension", "financial_contribution", "member_valuation", "offered", "charged", "uptake"):
        assert column in table.columns
    training = [s.id for s in QUESTIONNAIRE.services].index("training")
    at.session_state["q:service_portfolio"] = {
        "edited_rows": {training: {"offered": True, "charged": True, "uptake": 40}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert answers(store, draft.id)["service_portfolio"] == {
        "training": {"offered": True, "charged": True, "uptake": 40.0}
    }
    # charged but not offered is refused, and the saved portfolio stays
    fairs = [s.id for s in QUESTIONNAIRE.services].index("trade_fairs")
    at.session_state["q:service_portfolio"] = {
        "edited_rows": {training: {"offered": True, "charged": True, "uptake": 40}, fairs: {"charged": True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert any("cannot be charged" in e for e in errors(at))
    assert set(answers(store, draft.id)["service_portfolio"]) == {"training"}


def test_a_service_of_the_clusters_own_is_added_as_a_row(store, draft):
    at = page("questionnaire", draft.id, section="value_offer")
    at.text_input(key="q:service_portfolio:new").input("Export club").run()
    at.button(key="q:service_portfolio:add").click().run()
    portfolio = answers(store, draft.id)["service_portfolio"]
    assert portfolio == {"own_export_club": {"name": "Export club", "offered": True, "charged": False}}
    [editor] = at.data_editor
    assert list(editor.value["service"])[-1] == "Export club"
    assert at.text_input(key="q:service_portfolio:new").value == ""


def test_profile_and_year_are_saved_and_checked_together(store, draft):
    at = page("questionnaire", draft.id, section="profile")
    at.text_input(key="p:country").input("Colombia").run()
    at.number_input(key="p:founded_year").set_value(2030).run()
    assert any("after the year answered" in e for e in errors(at))
    at.number_input(key="p:founded_year").set_value(2019).run()
    at.number_input(key="p:members_total").set_value(48).run()
    at.number_input(key="a:year").set_value(2024).run()
    data = store.answer_data(draft.id)
    assert data["year"] == 2024
    assert data["profile"] | {} == {
        "name": "Clúster de Prueba",
        "country": "Colombia",
        "founded_year": 2019,
        "members_total": 48,
    }
    at.number_input(key="a:year").set_value(2015).run()
    assert any("after the year answered" in e for e in errors(at))
    assert store.answer_data(draft.id)["year"] == 2024


def test_every_question_has_an_input_with_its_key_and_lessons(store, draft):
    store.save_answer(draft.id, "membership_fees_charged", True, "test")
    store.save_answer(draft.id, "ris3_exists", True, "test")
    mix = {
        "public_baseline": 40,
        "public_projects": 10,
        "membership_fees": 30,
        "paid_services": 20,
        "private_projects": 0,
        "other_private": 0,
    }
    store.save_answer(draft.id, "funding_mix", mix, "test")
    seen: set[str] = set()
    for dim in QUESTIONNAIRE.dimensions:
        at = page("questionnaire", draft.id, section=dim.id)
        found = {
            w.key for kind in ("radio", "multiselect", "number_input", "text_area") for w in getattr(at, kind)
        }
        found |= {e.key for e in at.data_editor}
        seen |= {k.split(":")[1] for k in found if k and k.startswith("q:")}
        labels = [e.label for e in at.expander]
        for q in dim.questions:
            sources = {QUESTIONNAIRE.lesson_index[lesson].source for lesson in q.lessons}
            # the "why we ask" box names the source sections, never the lessons' codes
            assert any(all(s in label for s in sources) for label in labels), q.id
            assert not any(lesson in label for label in labels for lesson in q.lessons), q.id
    assert seen == set(QUESTIONNAIRE.questions)


# --- submitting --------------------------------------------------------------------------------


def test_a_draft_short_of_the_completeness_floor_cannot_be_submitted(store, draft):
    store.save_answer(draft.id, "critical_mass", 3, "test")
    at = page("questionnaire", draft.id, section="submit")
    [warning] = [w.value for w in at.warning if "not answered yet" in w.value]
    # 5 required profile fields, 57 questions (the exit plan and public-end scenario are not asked
    # until baseline public support is given)
    assert warning.startswith("62 items are not answered yet")
    assert any("Country" in m.value for m in at.markdown)
    [short] = [w.value for w in at.warning if "Still short" in w.value]
    for dim in QUESTIONNAIRE.dimensions:
        assert dim.title.en in short
    assert "submit:go" not in keys(at.button) and "submit:confirm" not in keys(at.checkbox)
    assert store.assessment(draft.id).status == "draft"


def test_missing_items_above_the_floor_need_confirming(store, draft):
    from assessment.loading import parse_answers_text

    data = parse_answers_text((EXAMPLES / "mature_member_financed.yaml").read_text(), "mature.yaml")
    for dim in QUESTIONNAIRE.dimensions:  # one question less in each: still above 80% answered
        data["answers"].pop(dim.questions[-1].id, None)
    store.import_answers(draft.id, data, "test")
    at = page("questionnaire", draft.id, section="submit")
    assert not [w for w in at.warning if "Still short" in w.value]
    submit = at.button(key="submit:go")
    assert submit.disabled
    at.checkbox(key="submit:confirm").check().run()
    at.button(key="submit:go").click().run()
    info = store.assessment(draft.id)
    assert info.status == "submitted"
    result = json.loads(store.result_json(draft.id))
    assert 80 < result["completeness"] < 100 and result["provisional"] is False
    assert any(t.value == "Results" for t in at.title)


def test_a_complete_assessment_submits_without_confirming(store, draft):
    from assessment.loading import parse_answers_text

    data = parse_answers_text((EXAMPLES / "mature_member_financed.yaml").read_text(), "mature.yaml")
    store.import_answers(draft.id, data, "test")
    at = page("questionnaire", draft.id, section="submit")
    assert any("Every question asked has an answer" in s.value for s in at.success)
    assert "submit:confirm" not in keys(at.checkbox)
    at.button(key="submit:go").click().run()
    info = store.assessment(draft.id)
    expected = Engine(QUESTIONNAIRE).score(check_answers(QUESTIONNAIRE, data)).overall
    assert info.status == "submitted" and info.overall == pytest.approx(expected, abs=0.05)


def test_the_submit_section_warns_while_the_cluster_is_in_no_programme(store, draft):
    # No officer sees a submission of a cluster in no programme; the warning goes once it joins one.
    warned = "no programme officer will see the submission"
    at = page("questionnaire", draft.id, section="submit")
    assert any(warned in w.value for w in at.warning)
    store.create_programme("north", "North")
    store.assign_cluster(draft.cluster_id, "north")
    at.run()
    assert not at.exception, at.exception
    assert not any(warned in w.value for w in at.warning)


def test_a_submitted_assessment_is_read_only_and_revise_starts_a_new_version(store, draft):
    from assessment.loading import parse_answers_text

    data = parse_answers_text((EXAMPLES / "mature_member_financed.yaml").read_text(), "mature.yaml")
    store.import_answers(draft.id, data, "test")
    store.save_answer(draft.id, "critical_mass", 3, "test")
    at = page("questionnaire", draft.id, section="submit")
    at.button(key="submit:go").click().run()
    assert store.assessment(draft.id).status == "submitted"
    at = page("questionnaire", draft.id, section="foundations")
    assert at.radio(key="q:critical_mass").disabled
    assert at.radio(key="q:critical_mass").value == 3
    at.button(key="revise").click().run()
    new_id = int(at.query_params["assessment"])
    assert new_id != draft.id
    new = store.assessment(new_id)
    assert (new.status, new.number) == ("draft", 2)
    assert not at.radio(key="q:critical_mass").disabled
    at.radio(key="q:critical_mass").set_value(4).run()
    assert answers(store, new_id)["critical_mass"] == 4
    assert answers(store, draft.id)["critical_mass"] == 3


# --- files ---------------------------------------------------------------------------------------


def test_import_shows_each_problem_with_its_line_and_question(store, draft):
    at = page("questionnaire", draft.id, section="submit")
    text = (EXAMPLES / "aei_pattern_year8.yaml").read_text()
    bad = text.replace("critical_mass: 2", "critical_mass: 7").replace("exit_plan: 1", "exit_plan: maybe")
    at.file_uploader(key="import:file").set_value(("answers.yaml", bad.encode(), "application/x-yaml")).run()
    [message] = errors(at)
    line = bad.splitlines().index("  critical_mass: 7") + 1
    assert f"answers.yaml:{line}: answers.critical_mass: expected a maturity level" in message
    exit_line = bad.splitlines().index("  exit_plan: maybe") + 1
    assert f"answers.yaml:{exit_line}: answers.exit_plan:" in message
    assert answers(store, draft.id) == {}


def test_import_replaces_the_drafts_answers_and_export_offers_both_formats(store, draft):
    at = page("questionnaire", draft.id, section="submit")
    text = (EXAMPLES / "draft_partial.yaml").read_text()
    at.file_uploader(key="import:file").set_value(("draft.yaml", text.encode(), "application/x-yaml")).run()
    at.button(key="import:apply").click().run()
    assert not at.exception
    saved = store.answer_data(draft.id)
    assert saved["answers"]["critical_mass"] == 3 and saved["profile"]["country"] == "Mexico"
    assert {"export:yaml", "export:json"} <= keys(at.download_button)
    at.radio(key="nav:section:en").set_value("foundations").run()
    assert at.radio(key="q:critical_mass").value == 3


# --- home -----------------------------------------------------------------------------------------


def test_home_starts_an_assessment_for_a_new_cluster(store):
    at = page("home")
    at.text_input(key="home:new_name").input("Cluster <b>Tic</b> *Cauca*").run()
    at.number_input(key="home:year").set_value(2024).run()
    at.button(key="home:start").click().run()
    assert not at.exception
    [cluster] = store.clusters()
    assert cluster.name == "Cluster <b>Tic</b> *Cauca*"
    [info] = store.assessments(cluster.id)
    assert at.query_params["assessment"] == str(info.id)
    assert (info.status, info.year) == ("draft", 2024)
    assert store.answer_data(info.id)["profile"]["name"] == cluster.name
    assert any(t.value == "Questionnaire" for t in at.title)
    shown = [m.value for m in at.markdown if "Tic" in m.value]
    assert shown and all("<b>" not in m and "\\*Cauca\\*" in m for m in shown)


def test_home_continues_a_clusters_draft(store, draft):
    at = page("home")
    at.radio(key="home:for").set_value("existing").run()
    assert any("has a draft" in i.value for i in at.info)
    at.button(key="home:continue_draft").click().run()
    assert at.query_params["assessment"] == str(draft.id)
    assert any(t.value == "Questionnaire" for t in at.title)


def test_home_starts_from_an_answers_file(store):
    at = page("home")
    text = (EXAMPLES / "aei_pattern_year8.yaml").read_text()
    at.file_uploader(key="home:file").set_value(("aei.yaml", text.encode(), "application/x-yaml")).run()
    at.button(key="home:import").click().run()
    assert not at.exception
    [cluster] = store.clusters()
    assert cluster.name.startswith("Agrupación Empresarial Innovadora")
    [info] = store.assessments(cluster.id)
    assert store.answer_data(info.id)["answers"]["exit_plan"] == 1


def test_home_shows_file_errors_with_line_and_question(store):
    at = page("home")
    bad = (EXAMPLES / "aei_pattern_year8.yaml").read_text().replace("fee_tiers: flat", "fee_tiers: cheap")
    at.file_uploader(key="home:file").set_value(("aei.json.yaml", bad.encode(), "application/x-yaml")).run()
    [message] = errors(at)
    line = bad.splitlines().index("  fee_tiers: cheap") + 1
    assert f"aei.json.yaml:{line}: answers.fee_tiers: 'cheap' is not a choice" in message
    assert not store.clusters()
