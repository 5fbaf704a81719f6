"""The planning page through AppTest, on a real store with the demo data: scenarios, refusals, feeding, warnings.

The Basque example (Cluster Vasco, submitted) has a budget of 2,400 thousand, 33% public
money, 112 members and 40% of its budget spent on the structure.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from assessment.answers import check_answers
from planning import Assumptions, ServicePlan, StructureInputs
from reports.html import ReportPlan, html_report
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
from webapp.views.planning_services import COLUMNS

PLANNING = "webapp/pages/planning.py"


@pytest.fixture
def store(tmp_path, monkeypatch) -> Iterator[Store]:
    yield from open_store(tmp_path, monkeypatch, demo=True)


def vasco(store: Store) -> int:
    cluster = next(c for c in store.clusters() if c.name.startswith("Cluster Vasco"))
    return store.assessments(cluster.id)[-1].id


def planning(aid: int, tool: str = "funding") -> AppTest:
    """The planning page of an assessment, reached from its results page's button."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    sign_in(at)
    at.query_params["assessment"] = str(aid)
    at.run()
    at.switch_page("webapp/pages/results.py").run()
    at.button(key=f"results:plan:{tool}").click().run()
    assert [t.value for t in at.title] == ["Planning"]  # the button switched pages
    at.switch_page(PLANNING).run()  # AppTest stays on the page it was told, so follow the switch
    assert not at.exception, at.exception
    return at


def figures(at: AppTest) -> dict[str, dict]:
    out = {}
    for node in at.get("plotly_chart"):
        spec = json.loads(node.proto.spec)
        out[spec["layout"]["title"]["text"]] = spec
    return out


def funding(store: Store, aid: int, name: str) -> Assumptions:
    payload = store.plan(aid, "funding_path", name).payload
    assert isinstance(payload, Assumptions)
    return payload


def test_two_scenarios_are_built_saved_and_compared(store):
    aid = vasco(store)
    at = planning(aid)
    base = funding(store, aid, "Base")  # saved at once, from the answers
    assert (base.start_year, base.budget, base.mix["public_baseline"]) == (2026, 2400.0, 18.0)
    assert base.cost.structure_share == 40.0 and base.public_target_pct == 40.0
    at.selectbox(key="pf:support:kind").set_value("taper").run()
    at.number_input(key="pf:support:pct_per_year").set_value(25.0).run()
    assert funding(store, aid, "Base").public_support.pct_per_year == 25.0
    at.text_input(key="plan:fp:new").input("Grant ends 2027").run()
    at.button(key="plan:fp:add").click().run()
    assert at.selectbox(key="plan:fp:scenario").value == "Grant ends 2027"
    at.selectbox(key="pf:support:kind").set_value("grant").run()
    at.number_input(key="pf:support:amount").set_value(100.0).run()
    at.number_input(key="pf:support:end_year").set_value(2027).run()
    at.number_input(key="pf:cost:value").set_value(95.0).run()
    assert not at.exception, at.exception
    grant = funding(store, aid, "Grant ends 2027")
    assert grant.public_support.kind == "grant" and grant.public_support.end_year == 2027
    assert funding(store, aid, "Base").public_support.kind == "taper"  # the first scenario is untouched
    text = "\n".join(m.value for m in at.markdown)
    assert "Costs are not covered in 2026" in text.replace("\\", "")
    at.multiselect(key="plan:fp:compare").set_value(["Base", "Grant ends 2027"]).run()
    charts = figures(at)
    assert [t["name"] for t in charts["Public share by scenario"]["data"]] == ["Base", "Grant ends 2027"]
    assert len(charts["Income minus cost of the structure"]["data"]) == 2
    [table] = [d for d in at.dataframe if "Total shortfall" in d.value.columns]
    rows = table.value.set_index("Scenario")
    assert rows.loc["Base", "Total shortfall"] == 0
    assert rows.loc["Grant ends 2027", "Total shortfall"] > 0
    assert {"plan:fp:csv", "plan:fp:json", "plan:fp:compare_csv"} <= {d.key for d in at.download_button}
    # a reload (a new session) finds both, each as saved
    again = planning(aid)
    assert again.selectbox(key="plan:fp:scenario").options == ["Base", "Grant ends 2027"]
    assert again.selectbox(key="pf:support:kind").value == "taper"
    assert again.number_input(key="pf:support:pct_per_year").value == 25.0
    assert again.number_input(key="pf:cost:value").value == 40.0  # the structure's share, as saved
    assert not again.error and not again.exception
    assert funding(store, aid, "Base") == base.model_copy(  # reopening it changed nothing
        update={"public_support": funding(store, aid, "Base").public_support}
    )


def test_a_refused_field_shows_its_message_and_keeps_the_other_inputs(store):
    aid = vasco(store)
    at = planning(aid)
    at.number_input(key="pf:horizon").set_value(12)
    at.number_input(key="pf:public_target_pct").set_value(30.0)
    at.number_input(key="pf:fee_growth_pct").set_value(-150.0).run()
    errors = [e.value for e in at.error]
    assert "must be at least \\-100, got \\-150" in errors  # numbers as numbers, not Python floats
    assert "must be at most 10, got 12" in errors
    saved = funding(store, aid, "Base")
    assert (saved.horizon, saved.fee_growth_pct, saved.public_target_pct) == (5, 0.0, 30.0)
    assert at.number_input(key="pf:horizon").value == 12  # what was typed stays to be corrected
    assert any("last accepted value" in w.value for w in at.warning)
    at.number_input(key="pf:horizon").set_value(8).run()
    assert funding(store, aid, "Base").horizon == 8
    assert "must be at most 10, got 12" not in [e.value for e in at.error]


def test_rename_and_delete_a_scenario(store):
    aid = vasco(store)
    at = planning(aid)
    at.text_input(key="plan:fp:new").input("Second").run()
    at.button(key="plan:fp:add").click().run()
    at.text_input(key="plan:fp:rename_to").input("Base").run()
    at.button(key="plan:fp:rename").click().run()
    assert any("exists already; choose another name" in i.value for i in at.info)
    at.text_input(key="plan:fp:rename_to").input("Members pay more").run()
    at.button(key="plan:fp:rename").click().run()
    assert [p.name for p in store.plans(aid, "funding_path")] == ["Base", "Members pay more"]
    at.button(key="plan:fp:delete").click().run()
    assert [p.name for p in store.plans(aid, "funding_path")] == ["Base"]
    assert at.selectbox(key="plan:fp:scenario").value == "Base"


def test_the_service_plan_is_priced_and_feeds_the_funding_path(store):
    aid = vasco(store)
    at = planning(aid, "services")
    plan = ServicePlan.model_validate(
        {
            "items": [
                i.model_dump() | ({"price": 2.0, "uptake": 50.0} if i.service == "training" else {})
                for i in _advised(store, aid).items
            ]
        }
    )
    store.save_plan(aid, "service_plan", "Service plan", plan, "manager")  # as the editor would
    at.run()
    metric = next(m for m in at.metric if m.label.startswith("Income the priced services"))
    assert metric.value == "112.0 thousand a year"  # 112 members × 50% × 2
    at.button(key="plan:ps:feed").click().run()
    assert not at.exception, at.exception
    assert funding(store, aid, "Base").service_income == 112.0
    assert at.segmented_control(key="plan:tool").value == "funding"
    assert at.number_input(key="pf:service_income").value == 112.0
    assert any("112.0 thousand a year set in scenario 'Base'" in i.value.replace("\\", "") for i in at.info)


def test_a_refused_price_names_the_service_and_keeps_the_others(store):
    aid = vasco(store)
    at = planning(aid, "services")
    # the data editor's state: row 0 gets a negative price, row 1 a valid one
    at.session_state["plan:ps:editor"] = {
        "edited_rows": {"0": {"Price": -1.0}, "1": {"Price": 3.0, "Uptake": 20.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    names = [i.name for i in _advised(store, aid).items]
    errors = [e.value.replace("\\", "") for e in at.error]
    assert errors == [f"{names[0]}: price: must be at least 0, got -1"]
    saved = store.plan(aid, "service_plan", "Service plan").payload
    assert [(i.price, i.uptake) for i in saved.items[:2]][1] == (3.0, 20.0)
    assert saved.items[0].price is None


def _advised(store: Store, aid: int) -> ServicePlan:
    from planning import plan_services

    valid = check_answers(QUESTIONNAIRE, store.answer_data(aid))
    return plan_services(valid.answers["service_portfolio"], QUESTIONNAIRE.service_index)


def test_structure_fit_warns_when_the_structure_is_larger_than_its_income(store):
    aid = vasco(store)
    at = planning(aid, "structure")
    assert any(s.value.startswith("Fees and paid services carry") for s in at.success)
    at.number_input(key="pst:cost_per_fte").set_value(250.0).run()
    [warning] = [w.value for w in at.warning if "larger than its stable" in w.value]
    assert "2,100\\.0 thousand a year" in warning  # 7 FTE × 250 × 1.2
    text = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "What would close the gap" in text and "Or reduce the structure by" in text
    assert store.plan(aid, "structure_fit", "Structure fit").payload.cost_per_fte == 250.0
    at.number_input(key="pst:project_fte").set_value(9.0).run()
    shown = [e.value.replace("\\", "") for e in at.error]
    assert any(
        "the staff working on projects (9 FTE) exceed the cluster organisation's staff (7 FTE)" in e
        for e in shown
    )
    assert not any("project_fte" in e or "staff_fte" in e for e in shown)  # no field ids shown
    assert store.plan(aid, "structure_fit", "Structure fit").payload.project_fte == 0.0


def test_html_report_contains_the_plan_charts(store):
    aid = vasco(store)
    base = {
        "start_year": 2026,
        "horizon": 6,
        "budget": 2400.0,
        "mix": {"public_baseline": 50.0, "membership_fees": 50.0},
        "public_support": {"kind": "end", "end_year": 2028},
        "cost": {"structure_share": 60.0},
    }
    store.save_plan(aid, "funding_path", "Support ends 2028", base, "manager")
    store.save_plan(
        aid, "structure_fit", "Structure fit", StructureInputs(staff_fte=7, cost_per_fte=250), "m"
    )
    plans = [ReportPlan(p.kind, p.name, store.plan(aid, p.kind, p.name).payload) for p in store.plans(aid)]
    valid = check_answers(QUESTIONNAIRE, store.answer_data(aid))
    result = result_from_json(store.result_json(aid))
    without = html_report(QUESTIONNAIRE, Engine(QUESTIONNAIRE), result, valid, "submitted", 1)
    report = html_report(QUESTIONNAIRE, Engine(QUESTIONNAIRE), result, valid, "submitted", 1, plans=plans)
    assert "<h2>Plans</h2>" not in without
    assert report.count("Plotly.newPlot") == without.count("Plotly.newPlot") + 2
    assert 'id="plan-funding-0"' in report and 'id="plan-structure-1"' in report
    assert "Funding exit path: Support ends 2028" in report
    assert "Costs are not covered in 2029, 2030, 2031" in report
    assert "is larger than its stable income" in report


@pytest.fixture
def store_with_accounts(tmp_path, monkeypatch) -> Iterator[Store]:
    yield from open_store(tmp_path, monkeypatch, demo=True, accounts=True)


def test_an_officer_sees_the_plans_read_only(store_with_accounts):
    store = store_with_accounts
    aid = vasco(store)
    store.save_plan(aid, "funding_path", "Agreed", {**_BASE, "horizon": 7}, "manager-x")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["signed_in"] = "officer-demo"
    at.query_params["assessment"] = str(aid)
    at.run()
    at.switch_page(PLANNING).run()
    assert not at.exception, at.exception
    assert any("only the cluster's manager changes them" in i.value for i in at.info)
    assert at.number_input(key="pf:horizon").value == 7 and at.number_input(key="pf:horizon").disabled
    assert "plan:fp:add" not in {b.key for b in at.button}
    at.segmented_control(key="plan:tool").set_value("structure").run()
    assert all(n.disabled for n in at.number_input)
    assert [p.name for p in store.plans(aid)] == ["Agreed"]  # reading saved nothing


_BASE = {
    "start_year": 2026,
    "horizon": 6,
    "budget": 2400.0,
    "mix": {"public_baseline": 50.0, "membership_fees": 50.0},
    "cost": {"structure_share": 60.0},
}


def _planning_in(lang: str, aid: int, tool: str) -> AppTest:
    """The planning page of one planner in a language (set before the first run, as the picker would)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    sign_in(at)
    at.session_state["lang"] = lang
    at.session_state["plan:tool"] = tool
    at.query_params["assessment"] = str(aid)
    at.switch_page(
        PLANNING
    ).run()  # straight to the planning page: what another page says is not checked here
    assert not at.exception, at.exception
    return at


_PRICE = {"es": "Precio (miles por socio al año)", "pt": "Preço (milhares por associado por ano)"}
# A few exact texts per language and planner: the title, a label, a table column, a message.
_EXPECTED = {
    "es": {
        "funding": ["Planificación", "Supuestos", "Años que abarca el plan (de 5 a 10)", "Ingresos totales"],
        "services": ["Plan de la cartera de servicios", "Ingresos que aportarían los servicios con precio"],
        "structure": ["Ajuste de la estructura", "Costo de la estructura", "Tipo de estructura"],
    },
    "pt": {
        "funding": ["Planejamento", "Premissas", "Anos do plano (de 5 a 10)", "Receita total"],
        "services": ["Plano do portfólio de serviços", "Receita que os serviços com preço trariam"],
        "structure": ["Adequação da estrutura", "Custo da estrutura", "Tipo de estrutura"],
    },
}


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_the_planning_page_speaks_the_users_language(store, lang):
    aid = vasco(store)
    store.save_plan(
        aid, "funding_path", "Base", {**_BASE, "public_support": {"kind": "end", "end_year": 2028}}, "m"
    )
    store.save_plan(aid, "funding_path", "Otro", _BASE, "m")
    store.save_plan(
        aid, "structure_fit", "Structure fit", StructureInputs(staff_fte=7, cost_per_fte=250), "m"
    )
    cluster = next(c.name for c in store.clusters() if c.name.startswith("Cluster Vasco"))
    data = {cluster, "Base", "Otro", "CSV", "JSON"}
    for tool, expected in _EXPECTED[lang].items():
        english, translated = _planning_in("en", aid, tool), _planning_in(lang, aid, tool)
        if tool == "funding":  # open the comparison too, so its table and charts are checked
            for at in (english, translated):
                at.multiselect(key="plan:fp:compare").set_value(["Base", "Otro"]).run()
        texts = page_texts(translated)
        assert set(expected) <= texts, set(expected) - texts
        # The service editor's column ids stay (its edits are keyed by them); their headers are translated.
        ids = set(COLUMNS) if tool == "services" else set()
        assert left_in_english(page_texts(english), texts, data | ids) == [], tool
        if tool == "services":
            [editor] = [d for d in translated.main.get("dataframe") if "Price" in d.value.columns]
            headers = json.loads(editor.proto.columns)
            assert headers["Price"]["label"] == _PRICE[lang]
    # the figures' titles follow too, and numbers are written as the language writes them
    at = _planning_in(lang, aid, "structure")
    warning = next(w.value for w in at.warning).replace("\\", "")
    assert "2.100,0 mil" in warning  # 7 FTE × 250 × 1.2, in es and pt
    assert ("Or reduce" not in "\n".join(m.value for m in at.markdown)) and at.metric[
        0
    ].value == "2.100,0 mil"


def test_a_refused_field_is_explained_in_the_users_language(store):
    aid = vasco(store)
    at = _planning_in("es", aid, "funding")
    at.number_input(key="pf:fee_growth_pct").set_value(-150.0).run()
    errors = [e.value.replace("\\", "") for e in at.error]
    assert "debe ser como mínimo -100; se recibió -150" in errors
    at = _planning_in("pt", aid, "structure")
    at.number_input(key="pst:project_fte").set_value(9.5).run()
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any("a equipe que trabalha em projetos (9,5 ETI) supera a equipe" in e for e in errors), errors
