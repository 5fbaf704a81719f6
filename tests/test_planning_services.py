"""The service portfolio plan against Table 6, the income it would bring, and the structure fit."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from assessment.answers import ServiceUse, ValidAnswers
from planning import (
    Assumptions,
    StructureInputs,
    base_structure_from_answers,
    cost_per_fte_from,
    plan_income,
    plan_services,
    project,
    set_price,
    structure_fit,
)
from planning.structure import TYPE_NOTES

# Table 6 (002 s6.2.2): which services both bring income and are highly valued
HIGH_AND_PAYING = {
    "trade_missions",
    "trade_fairs",
    "training",
    "member_promotion",
    "project_management",
    "thematic_studies",
    "consultations",
    "supplier_buyer",
}


@pytest.fixture(scope="module")
def table6(questionnaire):
    return questionnaire.service_index


@pytest.mark.parametrize(
    ("use", "action"),
    [
        # Table 6: high contribution, high valuation
        (ServiceUse("training", offered=True, charged=True), "keep"),
        (ServiceUse("training", offered=True, charged=False), "charge"),
        (ServiceUse("consultations", offered=False), "start"),
        # medium-high contribution counts as income
        (ServiceUse("trade_missions", offered=True), "charge"),
        # no contribution, high valuation: keep, fund from elsewhere
        (ServiceUse("manager_visits", offered=True), "fund_elsewhere"),
        (ServiceUse("ip_assistance", offered=True), "fund_elsewhere"),
        (ServiceUse("ip_assistance", offered=False), None),
        # no income and not highly valued: reduce
        (ServiceUse("publications", offered=True), "reduce"),
        (ServiceUse("competency_mapping", offered=True), "reduce"),
        (ServiceUse("b2b_visits", offered=True), "reduce"),
        (ServiceUse("cluster_promotion", offered=True), "reduce"),  # medium-low contribution
        (ServiceUse("b2b_visits", offered=False), None),
        # members pay: kept whatever Table 6 says
        (ServiceUse("publications", offered=True, charged=True), "keep"),
        # the cluster's own services
        (ServiceUse("coworking", offered=True, charged=True, name="Coworking"), "keep"),
        (ServiceUse("coworking", offered=True, name="Coworking"), "review"),
        (ServiceUse("coworking", offered=False, name="Coworking"), None),
    ],
)
def test_service_action(table6, use, action):
    plan = plan_services([use], table6)
    found = {i.service: i.action for i in plan.items}
    assert found.get(use.service) == action


def test_unanswered_table6_services_are_candidates_to_start(table6):
    plan = plan_services([], table6)
    assert {i.service for i in plan.by_action("start")} == HIGH_AND_PAYING
    assert {i.action for i in plan.items} == {"start"}


def test_plan_is_ordered_by_action_and_keeps_names_and_uptake(table6):
    portfolio = [
        ServiceUse("publications", True),
        ServiceUse("coworking", True, False, 12.0, "Coworking"),
        ServiceUse("training", True, False, 30.0),
        *(ServiceUse(s, True, True, 10.0) for s in HIGH_AND_PAYING - {"training"}),
        ServiceUse("manager_visits", True),
    ]
    plan = plan_services(portfolio, table6)
    assert [i.action for i in plan.items] == ["charge"] + ["keep"] * 7 + [
        "fund_elsewhere",
        "reduce",
        "review",
    ]
    training = plan.items[0]
    assert (training.name, training.uptake, training.price) == ("Seminars and training courses", 30.0, None)
    assert plan.items[-1].name == "Coworking"
    assert all(i.reason for i in plan.items)


def test_plan_income(table6):
    plan = plan_services(
        [
            ServiceUse("training", True, False, 30.0),
            ServiceUse("trade_fairs", True, True, 20.0),
            ServiceUse("manager_visits", True, False, 80.0),
        ],
        table6,
    )
    plan = set_price(plan, "training", 1.5)  # uptake stays at last year's 30%
    plan = set_price(plan, "trade_fairs", 4)
    plan = set_price(plan, "consultations", 5, uptake=10)  # to start
    plan = set_price(plan, "manager_visits", 2)  # free by advice: brings nothing
    income = plan_income(plan, members=120)
    # training 120 × 30% × 1.5 = 54; fairs 120 × 20% × 4 = 96; consultations 120 × 10% × 5 = 60
    assert income.by_service == pytest.approx({"training": 54, "trade_fairs": 96, "consultations": 60})
    assert income.total == pytest.approx(210)
    # services to start with a price but no uptake bring nothing yet
    assert plan_income(set_price(plan, "supplier_buyer", 3), 120).total == pytest.approx(210)
    # fed into the exit path as paid-service income
    a = Assumptions(
        start_year=2025,
        horizon=5,
        budget=500,
        mix={"public_baseline": 50, "paid_services": 50},
        service_income=income.total,
        cost={"structure_share": 40},
    )
    assert [y.income["paid_services"] for y in project(a).years] == pytest.approx([210] * 5)


def test_set_price_refuses(table6):
    plan = plan_services([ServiceUse("training", True)], table6)
    with pytest.raises(KeyError):
        set_price(plan, "astrology", 1)
    with pytest.raises(ValidationError):
        set_price(plan, "training", -1)
    with pytest.raises(ValidationError):
        set_price(plan, "training", 1, uptake=120)
    with pytest.raises(ValueError):
        plan_income(plan, -1)


# --- structure fit --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        # 4 FTE, 1 on projects: 3 × 50 × 1.2 = 180 against 100 + 20 = 120. Gap 60:
        # fees +60% (60/100), or 60 of extra services, or 60 / 60 = 1 FTE fewer.
        (
            {"staff_fte": 4, "cost_per_fte": 50, "project_fte": 1, "fee_income": 100, "service_income": 20},
            {
                "cost": 180,
                "stable_income": 120,
                "oversized": True,
                "gap": 60,
                "fee_increase_pct": 60,
                "extra_service_income": 60,
                "fte_reduction": 1,
            },
        ),
        # 2 × 40 × 1.25 = 100 against 80 + 30 = 110: fits, cover 1.1
        (
            {"staff_fte": 2, "cost_per_fte": 40, "overhead_pct": 25, "fee_income": 80, "service_income": 30},
            {
                "cost": 100,
                "cover": 1.1,
                "oversized": False,
                "gap": 0,
                "fee_increase_pct": 0,
                "fte_reduction": 0,
            },
        ),
        # no fees: 2 × 40 = 80 against 20 of services; no fee increase can close 60; 60/40 = 1.5 FTE
        (
            {"staff_fte": 2, "cost_per_fte": 40, "overhead_pct": 0, "service_income": 20},
            {
                "cost": 80,
                "gap": 60,
                "fee_increase_pct": None,
                "extra_service_income": 60,
                "fte_reduction": 1.5,
            },
        ),
        # consolidation cover 0.6: 5 × 40 = 200 needs 120 against 60 of fees: fees +100%;
        # each FTE cut lowers the need by 0.6 × 40 = 24: 60 / 24 = 2.5 FTE
        (
            {"staff_fte": 5, "cost_per_fte": 40, "overhead_pct": 0, "fee_income": 60, "required_cover": 0.6},
            {"cost": 200, "gap": 60, "fee_increase_pct": 100, "fte_reduction": 2.5},
        ),
        # no staff, no cost: nothing to carry
        (
            {"staff_fte": 0, "cost_per_fte": 40},
            {"cost": 0, "cover": None, "oversized": False, "warning": None},
        ),
    ],
)
def test_structure_fit(inputs, expected):
    fit = structure_fit(StructureInputs(**inputs))
    for key, value in expected.items():
        got = getattr(fit, key)
        if value is None or isinstance(value, bool):
            assert got is value, key
        else:
            assert got == pytest.approx(value), key
    assert (fit.warning is not None) == fit.oversized


def test_closing_the_gap_closes_it():
    base = {"staff_fte": 6, "cost_per_fte": 45, "project_fte": 1.5, "fee_income": 90, "service_income": 40}
    fit = structure_fit(StructureInputs(**base))
    assert fit.oversized
    by_fees = structure_fit(StructureInputs(**{**base, "fee_income": 90 * (1 + fit.fee_increase_pct / 100)}))
    by_services = structure_fit(StructureInputs(**{**base, "service_income": 40 + fit.extra_service_income}))
    by_cuts = structure_fit(StructureInputs(**{**base, "staff_fte": 6 - fit.fte_reduction}))
    for closed in (by_fees, by_services, by_cuts):
        assert closed.gap == pytest.approx(0, abs=1e-9)


def test_structure_types_match_the_questionnaire(questionnaire):
    assert set(TYPE_NOTES) == {c.id for c in questionnaire.questions["structure_type"].choices}
    fit = structure_fit(StructureInputs(staff_fte=1, cost_per_fte=10, structure_type="public_secretariat"))
    assert fit.note == TYPE_NOTES["public_secretariat"]


@pytest.mark.parametrize(
    ("inputs", "location"),
    [
        ({"staff_fte": 2, "cost_per_fte": 40, "project_fte": 3}, ()),
        ({"staff_fte": -1, "cost_per_fte": 40}, ("staff_fte",)),
        ({"staff_fte": 1, "cost_per_fte": -40}, ("cost_per_fte",)),
        ({"staff_fte": 1, "cost_per_fte": 40, "structure_type": "castle"}, ("structure_type",)),
        ({"staff_fte": 1, "cost_per_fte": 40, "required_cover": 0}, ("required_cover",)),
    ],
)
def test_structure_inputs_refused(inputs, location):
    with pytest.raises(ValidationError) as info:
        StructureInputs(**inputs)
    assert [tuple(e["loc"]) for e in info.value.errors()] == [location]


def test_cost_per_fte_from_an_assessment_round_trips():
    # budget 1000 × 36% = 360 of structure; less 20% overhead = 300 of staff; over 5 FTE = 60
    assert cost_per_fte_from(1000, 36, 5) == pytest.approx(60)
    fit = structure_fit(StructureInputs(staff_fte=5, cost_per_fte=60))
    assert fit.cost == pytest.approx(360)
    assert cost_per_fte_from(1000, 36, 0) is None
    with pytest.raises(ValueError):
        cost_per_fte_from(1000, 120, 5)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(0.1, 50),
    st.floats(1, 200),
    st.floats(0, 100),
    st.floats(0, 1),
    st.just(0.0) | st.floats(0.01, 500),
    st.floats(0, 500),
    st.floats(0.1, 2),
)
def test_each_way_of_closing_the_gap_closes_it(staff, cpf, overhead, on_projects, fees, services, cover):
    base = {
        "staff_fte": staff,
        "cost_per_fte": cpf,
        "overhead_pct": overhead,
        "project_fte": staff * on_projects,
        "fee_income": fees,
        "service_income": services,
        "required_cover": cover,
    }
    fit = structure_fit(StructureInputs(**base))
    assert fit.gap >= 0 and fit.oversized == (fit.gap > 1e-9)
    assert 0 <= fit.fte_reduction <= fit.structure_fte + 1e-9
    tolerance = 1e-6 * max(1.0, fit.cost)
    closed = [
        {**base, "service_income": services + fit.extra_service_income},
        {
            **base,
            "staff_fte": max(0.0, staff - fit.fte_reduction),
            "project_fte": min(base["project_fte"], max(0.0, staff - fit.fte_reduction)),
        },
    ]
    if fit.fee_increase_pct is not None:
        closed.append({**base, "fee_income": fees * (1 + fit.fee_increase_pct / 100)})
    else:
        assert fees == 0 and fit.oversized
    for inputs in closed:
        assert structure_fit(StructureInputs(**inputs)).gap <= tolerance


def test_structure_inputs_from_an_assessment():
    answers = ValidAnswers(
        "cluster-sustainability",
        "1.0",
        2024,
        profile={"annual_budget": 500.0, "staff_fte": 3.0},
        answers={
            "funding_mix": {"public_baseline": 60.0, "membership_fees": 30.0, "paid_services": 10.0},
            "structure_type": "light_connector",
            "structure_share": 48.0,
        },
    )
    raw = base_structure_from_answers(answers)
    # fees 500 × 30% = 150, services 500 × 10% = 50
    assert raw == {
        "staff_fte": 3.0,
        "structure_type": "light_connector",
        "fee_income": 150,
        "service_income": 50,
    }
    # 500 × 48% = 240 of structure, less 20% overhead = 200, over 3 FTE
    cpf = cost_per_fte_from(500, 48, 3)
    fit = structure_fit(StructureInputs(**raw, cost_per_fte=cpf))
    # cost 240 against 200 of stable income: 40 missing, fees +26.7% (40/150)
    assert (fit.cost, fit.gap) == pytest.approx((240, 40))
    assert fit.fee_increase_pct == pytest.approx(40 / 150 * 100)
    assert base_structure_from_answers(ValidAnswers("cluster-sustainability", "1.0", 2024)) == {}


def test_structure_fit_speaks_the_language_asked_for():
    inputs = StructureInputs(staff_fte=7, cost_per_fte=250, structure_type="hosted")
    english, portuguese = structure_fit(inputs), structure_fit(inputs, "pt")
    assert english.warning is not None and "(7 FTE, 2,100.0 thousand a year)" in english.warning
    assert portuguese.warning is not None and "(7 ETI, 2.100,0 mil por ano)" in portuguese.warning
    assert portuguese.note.startswith("Uma equipe abrigada por outra organização")
    assert (portuguese.cost, portuguese.gap) == (english.cost, english.gap)  # only the words change


def test_advice_is_shown_in_the_language_asked_for_and_kept_in_english(table6):
    from planning.services import advice_text

    plan = plan_services([ServiceUse("training", True, False, 30.0)], table6)
    [training] = [i for i in plan.items if i.service == "training"]
    assert training.reason.startswith("Offered free")  # what is saved stays English
    name, reason = advice_text(training, table6, "es")
    assert name == table6["training"].name.get("es") != training.name
    assert reason.startswith("Se ofrece gratis")
