"""The funding exit path form (webapp/funding_form.py): widgets to assumptions and back, and its tables."""

from __future__ import annotations

import pytest

from planning import Assumptions, project, validate_assumptions
from webapp.views.funding_form import key, milestones, raw_from_widgets, widget_values, year_rows

BASE = {"start_year": 2026, "budget": 1000.0, "mix": {"public_baseline": 60.0, "membership_fees": 40.0}}
SCENARIOS = {
    "taper": BASE
    | {
        "horizon": 5,
        "public_support": {"kind": "taper", "pct_per_year": 20.0},
        "cost": {"structure_share": 50.0},
    },
    "grant with members": BASE
    | {
        "horizon": 8,
        "public_support": {"kind": "grant", "amount": 150.0, "end_year": 2029},
        "members": {
            "large": {"count": 4, "fee": 6.0, "new_per_year": 0},
            "medium": {"count": 10, "fee": 2.5, "new_per_year": 1},
            "small": {"count": 30, "fee": 0.8, "new_per_year": 3},
        },
        "fee_growth_pct": 2.0,
        "cost": {"structure_cost": 450.0, "growth_pct": 1.5},
    },
    "ends": BASE
    | {
        "horizon": 10,
        "public_support": {"kind": "end", "end_year": 2028},
        "service_income": 80.0,
        "cost": {"structure_share": 70.0},
    },
}


@pytest.mark.parametrize("raw", SCENARIOS.values(), ids=SCENARIOS)
def test_a_scenario_shown_in_the_widgets_reads_back_the_same(raw):
    assumptions = Assumptions.model_validate(raw)
    values = widget_values(assumptions.model_dump(mode="json"))
    again = validate_assumptions(raw_from_widgets(values, BASE))
    assert again.problems == [] and again.assumptions == assumptions


def test_an_empty_input_leaves_its_field_out_so_validation_names_a_required_one():
    values = widget_values(SCENARIOS["taper"])
    values[key("horizon")] = None
    raw = raw_from_widgets(values, BASE)
    assert "horizon" not in raw
    assert [p.location for p in validate_assumptions(raw).problems] == ["horizon"]


def test_the_tables_say_when_the_public_share_falls_below_the_target_and_what_is_uncovered():
    p = project(Assumptions.model_validate(SCENARIOS["ends"]))
    lines = milestones(p)
    assert len(lines) == 2
    assert lines[0].startswith("The public share falls below 40%") or lines[0].startswith(
        "The public share stays at or above 40%"
    )
    rows = year_rows(p, {"public_baseline": "Baseline public support"})
    assert [r["Year"] for r in rows] == [y.year for y in p.years]
    assert all(r["Covered"] in ("yes", "no") for r in rows)
    assert rows[0]["Baseline public support"] == round(p.years[0].income["public_baseline"], 1)
