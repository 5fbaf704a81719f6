"""Scenarios side by side and the sensitivity of an outcome to each assumption."""

from __future__ import annotations

import pytest

from planning import Assumptions, Scenario, compare, compare_frame, project, project_scenarios, sensitivity
from planning.scenarios import FIXED_FIELDS

BASE = Assumptions(
    start_year=2025,
    horizon=5,
    budget=1000,
    mix={"public_baseline": 60, "membership_fees": 30, "paid_services": 10},
    public_support={"kind": "taper", "pct_per_year": 20},
    cost={"structure_cost": 600},
)
# BASE, year t: public 600 × (1 - 0.2t) = 480, 360, 240, 120, 0; fees 300 and services 100 stay
# totals 880, 760, 640, 520, 400 against 600: short by 80 in 2028 and 200 in 2029 (gap 280)
# public share 480/880 = 54.5%, 360/760 = 47.4%, 240/640 = 37.5% (2027 below 40)


def test_base_case_by_hand():
    p = project(BASE)
    assert [y.total for y in p.years] == pytest.approx([880, 760, 640, 520, 400])
    assert p.cumulative_gap == pytest.approx(280)
    assert p.year_below_target == 2027


def test_compare_side_by_side():
    slow = Assumptions.model_validate(
        {**BASE.model_dump(), "public_support": {"kind": "end", "end_year": 2029}}
    )
    projections = project_scenarios(
        [Scenario(name="taper", assumptions=BASE), Scenario(name="keep", assumptions=slow)]
    )
    rows = compare(projections)
    assert [r.scenario for r in rows] == ["taper", "keep"]
    taper, keep = rows
    assert (taper.year_below_target, taper.uncovered_years) == (2027, (2028, 2029))
    assert taper.cumulative_gap == pytest.approx(280)
    # kept at 600 through 2029: total 1000, public share 60%, never below target, always covered
    assert (keep.year_below_target, keep.uncovered_years, keep.cumulative_gap) == (None, (), 0)
    assert keep.final_public_share == pytest.approx(60)
    frame = compare_frame(projections, "total")
    assert list(frame.columns) == ["taper", "keep"]
    assert list(frame.index) == [2025, 2026, 2027, 2028, 2029]
    assert frame.loc[2029, "taper"] == pytest.approx(400)
    assert frame.loc[2029, "keep"] == pytest.approx(1000)


def test_scenarios_need_distinct_names_and_known_measures():
    with pytest.raises(ValueError, match="two scenarios"):
        project_scenarios([Scenario(name="a", assumptions=BASE)] * 2)
    with pytest.raises(ValueError, match="unknown measure"):
        compare_frame(project_scenarios([Scenario(name="a", assumptions=BASE)]), "mood")


def test_sensitivity_sorted_by_swing():
    rows = sensitivity(BASE, outcome="cumulative_gap")
    swings = [r.swing for r in rows]
    assert swings == sorted(swings, reverse=True)
    names = [r.parameter for r in rows]
    assert not any(n.split(".")[0] in FIXED_FIELDS for n in names)
    by_name = {r.parameter: r for r in rows}
    # structure cost 600 ± 10% = 540 / 660. Shortfalls at 540: 2028 (20), 2029 (140) = 160;
    # at 660: 2027 (20), 2028 (140), 2029 (260) = 420. Swing max(|160-280|, |420-280|) = 140.
    cost = by_name["cost.structure_cost"]
    assert (cost.low, cost.high) == pytest.approx((540, 660))
    assert (cost.outcome_low, cost.outcome_high) == pytest.approx((160, 420))
    assert cost.swing == pytest.approx(140)
    # taper 20 ± 10% = 18 / 22: public falls by 108 or 132 a year.
    # at 18: totals 892, 784, 676, 568, 460 -> gap 32 + 140 = 172; at 22: 868, 736, 604, 472 and,
    # support never falling below 0, 400 -> 128 + 200 = 328. Swing 108, below the structure cost's 140.
    taper = by_name["public_support.pct_per_year"]
    assert (taper.outcome_low, taper.outcome_high) == pytest.approx((172, 328))
    assert taper.swing == pytest.approx(108)
    assert names[0] == "cost.structure_cost"
    # a zero growth rate moves by ±1 point: cost.growth_pct ±1 changes the gap
    assert by_name["cost.growth_pct"].low == -1 and by_name["cost.growth_pct"].swing > 0
    # income growth of a source the mix does not hold moves nothing
    assert by_name["other_private_growth_pct"].swing == 0


def test_sensitivity_skips_invalid_sides_and_varies_years_by_one():
    a = Assumptions.model_validate(
        {
            **BASE.model_dump(),
            "public_support": {"kind": "end", "end_year": 2027},
            "members": {"small": {"count": 0}},
        }
    )
    by_name = {r.parameter: r for r in sensitivity(a, outcome="year_below_target")}
    end = by_name["public_support.end_year"]
    assert (end.low, end.high) == (2026, 2028)
    # ends in 2027: 2028 total 400, public 0 -> below target in 2028; ending in 2026 -> 2027; in 2028 -> 2029
    assert (end.outcome_low, end.outcome_base, end.outcome_high) == (2027, 2028, 2029)
    # a count of 0 cannot go down to -1: that side is left out
    count = by_name["members.small.count"]
    assert (count.low, count.outcome_low, count.high) == (None, None, 1)


def test_sensitivity_never_below_target_counts_as_the_year_after():
    a = Assumptions.model_validate({**BASE.model_dump(), "public_support": {"kind": "keep"}})
    rows = sensitivity(a, outcome="year_below_target")
    assert {r.outcome_base for r in rows} == {2030}


def test_sensitivity_refuses_unknown_outcomes_and_steps():
    with pytest.raises(ValueError, match="unknown outcome"):
        sensitivity(BASE, outcome="happiness")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="step_pct"):
        sensitivity(BASE, step_pct=0)
