"""The funding exit path: hand-computed projections, validation field by field, properties."""

from __future__ import annotations

import math
from typing import Any, get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from assessment.answers import ValidAnswers
from planning import (
    PUBLIC_SOURCES,
    SOURCES,
    STABLE_SOURCES,
    Assumptions,
    base_from_answers,
    income_in,
    project,
    sensitivity,
    validate_assumptions,
)
from planning.assumptions import Source


def _years(p, attr):
    return [getattr(y, attr) for y in p.years]


# --- the planning layer speaks the questionnaire's language ---------------------------------


def test_sources_match_the_questionnaire(questionnaire):
    sources = questionnaire.questions["funding_mix"].sources
    assert tuple(s.id for s in sources) == SOURCES
    assert get_args(Source) == SOURCES
    assert {s.id for s in sources if s.public} == PUBLIC_SOURCES
    assert {s.id for s in sources if s.stable} == STABLE_SOURCES


# --- hand-computed projections ----------------------------------------------------------------


def test_three_year_taper():
    a = Assumptions(
        start_year=2025,
        horizon=5,
        budget=1000,
        mix={"public_baseline": 60, "membership_fees": 30, "paid_services": 10},
        public_support={"kind": "taper", "pct_per_year": 100 / 3},
        cost={"structure_cost": 500},
    )
    p = project(a)
    # public baseline: 600 × (1 - t/3) for t = 1..5, never below 0 -> 400, 200, 0, 0, 0
    assert _years(p, "year") == [2025, 2026, 2027, 2028, 2029]
    assert [y.income["public_baseline"] for y in p.years] == pytest.approx([400, 200, 0, 0, 0])
    # fees 300 and services 100 stay: totals 800, 600, 400, 400, 400
    assert _years(p, "total") == pytest.approx([800, 600, 400, 400, 400])
    # public share 400/800 = 50%, 200/600 = 33.3% (below 40 in 2026), then 0
    assert _years(p, "public_share") == pytest.approx([50, 100 / 3, 0, 0, 0])
    assert p.year_below_target == 2026
    # cost 500 a year: 400 < 500 from 2027, a gap of 3 × 100
    assert p.uncovered_years == (2027, 2028, 2029)
    assert p.cumulative_gap == pytest.approx(300)
    assert _years(p, "balance") == pytest.approx([300, 100, -100, -100, -100])


def test_grant_ending_and_public_projects_ending():
    a = Assumptions(
        start_year=2025,
        horizon=5,
        budget=500,
        mix={"public_baseline": 40, "public_projects": 20, "membership_fees": 40},
        public_support={"kind": "grant", "amount": 150, "end_year": 2026},
        projects={"public_end_year": 2027},
        cost={"structure_cost": 350},
    )
    p = project(a)
    # the grant (150) replaces the baseline (200) until 2026; public projects (100) until 2027
    assert [y.income["public_baseline"] for y in p.years] == [150, 150, 0, 0, 0]
    assert [y.income["public_projects"] for y in p.years] == [100, 100, 100, 0, 0]
    # totals: 150 + 100 + 200 = 450 twice, then 300, then 200
    assert _years(p, "total") == pytest.approx([450, 450, 300, 200, 200])
    # public share 250/450 = 55.6%, then 100/300 = 33.3% in 2027 (below 40), then 0
    assert _years(p, "public_share") == pytest.approx([2500 / 45, 2500 / 45, 100 / 3, 0, 0])
    assert p.year_below_target == 2027
    # cost 350: short by 50 in 2027 and 150 in 2028 and 2029
    assert p.uncovered_years == (2027, 2028, 2029)
    assert p.cumulative_gap == pytest.approx(350)


def test_fee_growth_by_member_tiers():
    a = Assumptions(
        start_year=2025,
        horizon=5,
        budget=200,
        mix={"public_baseline": 50, "membership_fees": 50},
        members={
            "large": {"count": 2, "fee": 20},
            "medium": {"count": 4, "fee": 5, "new_per_year": 1},
            "small": {"count": 10, "fee": 1, "new_per_year": 2},
        },
        fee_growth_pct=10,
        cost={"structure_cost": 150, "growth_pct": 5},
    )
    p = project(a)
    # fees in year t: (2×20 + (4+t)×5 + (10+2t)×1) × 1.1^t; the tiers replace the mix's 100
    # t=1: 77 × 1.1 = 84.7; t=2: 84 × 1.21 = 101.64; t=3: 91 × 1.331 = 121.121
    # t=4: 98 × 1.4641 = 143.4818; t=5: 105 × 1.61051 = 169.10355
    fees = [84.7, 101.64, 121.121, 143.4818, 169.10355]
    assert [y.income["membership_fees"] for y in p.years] == pytest.approx(fees)
    # baseline support stays at 100 ("keep" by default)
    assert _years(p, "total") == pytest.approx([100 + f for f in fees])
    # cost 150 × 1.05^t: 157.5, 165.375, 173.64375, 182.3259375, 191.442234375
    assert _years(p, "cost") == pytest.approx([157.5, 165.375, 173.64375, 182.3259375, 191.442234375])
    assert p.uncovered_years == ()
    assert p.cumulative_gap == 0
    # public share 100/184.7 = 54.1%, 49.6, 45.2, 41.07, then 100/269.10355 = 37.2% in 2029
    assert p.year_below_target == 2029
    assert p.years[-1].public_share == pytest.approx(100 / 269.10355 * 100)


def test_mix_based_fees_growth_and_service_income():
    a = Assumptions(
        start_year=2030,
        horizon=5,
        budget=100,
        mix={"public_baseline": 50, "membership_fees": 30, "paid_services": 20},
        public_support={"kind": "end", "end_year": 2031},
        fee_growth_pct=-50,
        service_income=40,
        service_growth_pct=100,
        cost={"structure_share": 60},
    )
    p = project(a)
    # baseline 50 until 2031; fees 30 × 0.5^t; services 40 (replacing the mix's 20) × 2^t
    assert [y.income["public_baseline"] for y in p.years] == [50, 50, 0, 0, 0]
    assert [y.income["membership_fees"] for y in p.years] == pytest.approx([15, 7.5, 3.75, 1.875, 0.9375])
    assert [y.income["paid_services"] for y in p.years] == pytest.approx([80, 160, 320, 640, 1280])
    # cost = 100 × 60% = 60, constant: always covered
    assert _years(p, "cost") == [60] * 5
    assert p.uncovered_years == ()


def test_no_income_has_no_shares():
    a = Assumptions(
        start_year=2025, horizon=5, budget=0, mix={"public_baseline": 100}, cost={"structure_cost": 10}
    )
    p = project(a)
    assert all(y.total == 0 and y.public_share is None for y in p.years)
    assert all(set(y.shares.values()) == {0.0} for y in p.years)
    assert p.year_below_target is None
    assert p.cumulative_gap == 50


def test_projection_is_deterministic():
    a = Assumptions(
        start_year=2025,
        horizon=7,
        budget=300,
        mix={"public_baseline": 70, "private_projects": 30},
        public_support={"kind": "taper", "pct_per_year": 15, "end_year": 2029},
        cost={"structure_share": 50, "growth_pct": 2},
    )
    assert project(a) == project(a)
    assert [y.income["public_baseline"] for y in project(a).years][-2:] == [0, 0]


# --- validation, field by field ---------------------------------------------------------------

GOOD: dict[str, Any] = {
    "start_year": 2025,
    "horizon": 6,
    "budget": 400,
    "mix": {"public_baseline": 60, "membership_fees": 40},
    "public_support": {"kind": "taper", "pct_per_year": 20},
    "members": {"small": {"count": 20, "fee": 1}},
    "cost": {"structure_share": 50, "growth_pct": 3},
}


def test_valid_assumptions_pass():
    checked = validate_assumptions(GOOD)
    assert checked.problems == []
    assert checked.assumptions is not None
    assert checked.assumptions.mix["paid_services"] == 0  # missing sources count 0
    assert checked.assumptions.base_cost == 200


@pytest.mark.parametrize(
    ("change", "location", "words"),
    [
        ({"horizon": 4}, "horizon", "at least 5"),
        ({"horizon": 11}, "horizon", "at most 10"),
        ({"budget": -1}, "budget", "at least 0"),
        ({"start_year": 1900}, "start_year", "at least 1950"),
        ({"mix": {"public_baseline": 60, "membership_fees": 30}}, "mix", "add up to 90%"),
        (
            {"mix": {"public_baseline": 60, "membership_fees": 40, "lottery": 0}},
            "mix.lottery",
            "unknown funding",
        ),
        ({"mix": {"public_baseline": 160, "membership_fees": 40}}, "mix.public_baseline", "at most 100"),
        ({"members": {"small": {"count": 20, "fee": -1}}}, "members.small.fee", "at least 0"),
        ({"members": {"tiny": {"count": 1}}}, "members.tiny", "unknown field"),
        ({"public_support": {"kind": "taper"}}, "public_support.pct_per_year", "missing"),
        ({"public_support": {"kind": "forever"}}, "public_support.kind", "unknown kind"),
        (
            {"public_support": {"kind": "grant", "amount": -5, "end_year": 2027}},
            "public_support.amount",
            "at least 0",
        ),
        (
            {"public_support": {"kind": "end", "end_year": 2024}},
            "public_support.end_year",
            "before the plan starts",
        ),
        ({"projects": {"public_end_year": 2020}}, "projects.public_end_year", "before the plan starts"),
        ({"fee_growth_pct": -101}, "fee_growth_pct", "at least -100"),
        ({"cost": {"growth_pct": 3}}, "cost", "share of the budget"),
        ({"cost": {"structure_share": 50, "structure_cost": 100}}, "cost", "not both"),
        ({"cost": {}}, "cost", "share of the budget (%) or its cost"),
        ({"public_target_pct": 0}, "public_target_pct", "more than 0"),
        ({"surprise": 1}, "surprise", "unknown field"),
    ],
)
def test_one_invalid_field_is_named_and_the_others_kept(change, location, words):
    raw = {**GOOD, **change}
    checked = validate_assumptions(raw)
    assert checked.assumptions is None
    assert [p.location for p in checked.problems] == [location]
    assert words in checked.problems[0].message
    # every other field given survives, normalised
    kept = set(GOOD) - {location.split(".")[0]}
    assert kept <= set(checked.valid)


def test_every_problem_at_once():
    raw = {
        "start_year": 2025,
        "horizon": 12,
        "budget": 400,
        "mix": {"public_baseline": 60, "membership_fees": 40},
        "public_support": {"kind": "grant", "amount": -1, "end_year": 2024},
        "members": {"large": {"count": 3, "fee": -10}, "small": {"count": -2, "fee": 1}},
    }
    checked = validate_assumptions(raw)
    assert checked.assumptions is None
    assert {p.location for p in checked.problems} == {
        "horizon",
        "public_support.amount",
        "members.large.fee",
        "members.small.count",
        "cost",
    }
    assert checked.problems[-1].message == "missing"
    assert set(checked.valid) == {"start_year", "budget", "mix"}


def test_an_end_year_before_the_start_is_refused_but_the_start_kept():
    checked = validate_assumptions({**GOOD, "public_support": {"kind": "end", "end_year": 2020}})
    assert "start_year" in checked.valid and "public_support" not in checked.valid


def test_not_a_mapping():
    checked = validate_assumptions([1, 2])
    assert checked.assumptions is None and len(checked.problems) == 1


def test_the_model_refuses_what_validation_refuses():
    with pytest.raises(ValidationError, match="before the plan starts"):
        Assumptions(**{**GOOD, "public_support": {"kind": "end", "end_year": 2020}})
    with pytest.raises(ValidationError):
        Assumptions(**{**GOOD, "extra": 1})


def test_base_from_answers():
    answers = ValidAnswers(
        "cluster-sustainability",
        "1.0",
        2024,
        profile={"annual_budget": 800.0},
        answers={"funding_mix": {"public_baseline": 70.0, "membership_fees": 30.0}, "structure_share": 45.0},
    )
    raw = base_from_answers(answers, horizon=8)
    a = validate_assumptions(raw).assumptions
    assert a is not None
    assert (a.start_year, a.horizon, a.budget, a.base_cost) == (2025, 8, 800, 360)
    missing = validate_assumptions(base_from_answers(ValidAnswers("cluster-sustainability", "1.0", 2024)))
    assert {p.location for p in missing.problems} == {"budget", "mix", "cost"}


# --- properties ----------------------------------------------------------------------------

rates = st.floats(-100, 100)
amounts = st.floats(0, 1e6)
years = st.integers(2020, 2040)


@st.composite
def assumptions(draw) -> Assumptions:
    weights = draw(st.lists(st.floats(0, 100), min_size=6, max_size=6))
    if sum(weights) == 0:
        weights[0] = 1.0
    mix = {s: min(100.0, 100 * w / sum(weights)) for s, w in zip(SOURCES, weights, strict=True)}
    start = draw(st.integers(2020, 2030))
    support = draw(
        st.one_of(
            st.just({"kind": "keep"}),
            st.builds(
                lambda p, e: {"kind": "taper", "pct_per_year": p, "end_year": e},
                st.floats(0.01, 100),
                st.none() | st.integers(start, 2045),
            ),
            st.builds(lambda e: {"kind": "end", "end_year": e}, st.integers(start, 2045)),
            st.builds(
                lambda a, e: {"kind": "grant", "amount": a, "end_year": e}, amounts, st.integers(start, 2045)
            ),
        )
    )
    tier = st.fixed_dictionaries(
        {"count": st.integers(0, 1000), "fee": st.floats(0, 100), "new_per_year": st.integers(0, 50)}
    )
    members = draw(st.none() | st.fixed_dictionaries({"large": tier, "medium": tier, "small": tier}))
    cost = draw(
        st.one_of(
            st.fixed_dictionaries({"structure_share": st.floats(0, 100), "growth_pct": rates}),
            st.fixed_dictionaries({"structure_cost": amounts, "growth_pct": rates}),
        )
    )
    return Assumptions(
        start_year=start,
        horizon=draw(st.integers(5, 10)),
        budget=draw(amounts),
        mix=mix,
        public_support=support,
        members=members,
        fee_growth_pct=draw(rates),
        service_income=draw(st.none() | amounts),
        service_growth_pct=draw(rates),
        projects={
            "public_growth_pct": draw(rates),
            "private_growth_pct": draw(rates),
            "public_end_year": draw(st.none() | st.integers(start, 2045)),
        },
        other_private_growth_pct=draw(rates),
        cost=cost,
        public_target_pct=draw(st.floats(1, 100)),
    )


@settings(max_examples=300, deadline=None)
@given(assumptions())
def test_projection_properties(a):
    p = project(a)
    assert len(p.years) == a.horizon
    for y in p.years:
        assert all(v >= 0 and math.isfinite(v) for v in y.income.values())
        assert y.total >= 0
        if y.total > 0:
            assert sum(y.shares.values()) == pytest.approx(100)
            assert all(0 <= s <= 100 + 1e-9 for s in y.shares.values())
            assert y.public_share == pytest.approx(sum(y.shares[s] for s in PUBLIC_SOURCES))
        else:
            assert y.public_share is None
    below = [y.year for y in p.years if y.public_share is not None and y.public_share < a.public_target_pct]
    assert p.year_below_target == (below[0] if below else None)
    if p.year_below_target is not None:
        before = [y for y in p.years if y.year < p.year_below_target]
        assert all(y.public_share is None or y.public_share >= a.public_target_pct for y in before)
    assert p.uncovered_years == tuple(y.year for y in p.years if y.total < y.cost)
    assert p.cumulative_gap == pytest.approx(sum(max(0, y.cost - y.total) for y in p.years))


@settings(max_examples=100, deadline=None)
@given(assumptions())
def test_validation_round_trips(a):
    checked = validate_assumptions(a.model_dump())
    assert checked.problems == []
    assert checked.assumptions == a


@settings(max_examples=25, deadline=None)
@given(
    assumptions(),
    st.sampled_from(["year_below_target", "cumulative_gap", "uncovered_years", "final_public_share"]),
)
def test_sensitivity_properties(a, outcome):
    rows = sensitivity(a, outcome=outcome)
    assert [r.swing for r in rows] == sorted((r.swing for r in rows), reverse=True)
    assert all(r.swing >= 0 for r in rows)
    assert not {r.parameter.split(".")[0] for r in rows} & {
        "start_year",
        "horizon",
        "budget",
        "mix",
        "public_target_pct",
    }


def test_income_outside_the_plan_is_refused():
    a = Assumptions(**{**GOOD, "horizon": 5})
    with pytest.raises(ValueError, match="outside the plan"):
        income_in(a, 2030)
    assert income_in(a, 2029)["public_baseline"] == 0  # 240 × (1 - 0.2 × 5)


@pytest.mark.parametrize(
    ("change", "lang", "location", "message"),
    [
        ({"fee_growth_pct": -150.0}, "en", "fee_growth_pct", "must be at least -100, got -150"),
        ({"fee_growth_pct": -150.5}, "es", "fee_growth_pct", "debe ser como mínimo -100; se recibió -150,5"),
        ({"horizon": 12}, "pt", "horizon", "deve ser no máximo 10; veio 12"),
        (
            {"mix": {"public_baseline": 60, "membership_fees": 35.5}},
            "es",
            "mix",
            "los porcentajes de financiación suman 95,5\u00a0%, no 100\u00a0%",
        ),
        (
            {"projects": {"public_end_year": 2020}},
            "pt",
            "projects.public_end_year",
            "termina em 2020, antes de o plano começar em 2025",
        ),
        (
            {"cost": {"growth_pct": 3}},
            "es",
            "cost",
            "indique la parte del presupuesto que va a la estructura (%) o su costo (miles)",
        ),
        (
            {"surprise": 1},
            "pt",
            "surprise",
            "campo desconhecido; os campos são " + ", ".join(Assumptions.model_fields),
        ),
    ],
)
def test_assumption_problems_in_the_language_asked_for(change, lang, location, message):
    checked = validate_assumptions({**GOOD, **change}, lang)
    assert [(p.location, p.message) for p in checked.problems] == [(location, message)]


def test_a_whole_model_check_names_each_end_year_in_the_language_asked_for():
    from planning._base import problems_from

    raw = {**GOOD, "public_support": {"kind": "end", "end_year": 2020}, "projects": {"public_end_year": 2021}}
    with pytest.raises(ValidationError) as info:
        Assumptions.model_validate(raw)
    assert [str(p) for p in problems_from(info.value, lang="es")] == [
        "public_support.end_year: termina en 2020, antes de que el plan empiece en 2025",
        "projects.public_end_year: termina en 2021, antes de que el plan empiece en 2025",
    ]
