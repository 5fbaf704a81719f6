"""A cluster's yearly indicators over its rounds, and the flag when one turns the wrong way (issue 12)."""

from __future__ import annotations

import copy

import pytest

from assessment.answers import check_answers
from programmes.trends import (
    FEE_INCOME,
    INCOME_PER_STAFF,
    MEMBERS,
    PRIVATE_SHARE,
    cluster_trends,
    indicators,
    trends,
)
from scoring import Engine, result_to_json
from storage import load_demo

pytest_plugins = ["tests.pg"]

PUBLIC = frozenset({"public_baseline", "public_projects"})


def round_of(
    year: int,
    public: float = 40,
    members: int = 50,
    fees: float = 20,
    budget: float = 500,
    staff: float = 4,
    currency: str = "EUR",
) -> dict:
    """An answers-file dict with just what the indicators read."""
    return {
        "year": year,
        "profile": {"members_total": members, "annual_budget": budget, "staff_fte": staff, "currency": currency},
        "answers": {"funding_mix": {"public_baseline": public, "membership_fees": fees,
                                    "paid_services": 100 - public - fees}},
    }  # fmt: skip


def test_the_indicators_of_one_round():
    assert indicators(round_of(2025), PUBLIC) == {
        PRIVATE_SHARE: 60.0,
        MEMBERS: 50.0,
        FEE_INCOME: 100.0,  # 20% of 500 thousand
        INCOME_PER_STAFF: 125.0,  # 500 thousand over 4 FTE
    }


@pytest.mark.parametrize(
    ("before", "after", "wrong"),
    [
        ({}, {"public": 55}, {PRIVATE_SHARE}),  # private share 60% -> 45%: falls
        ({"public": 55}, {}, set()),  # 45% -> 60%: rises, no flag
        ({}, {"members": 45}, {MEMBERS}),
        ({}, {"members": 60}, set()),
        ({}, {"fees": 10, "public": 40}, {FEE_INCOME}),  # 100 -> 50 thousand
        ({}, {"staff": 5}, {INCOME_PER_STAFF}),  # 125 -> 100 thousand per FTE
        ({}, {"budget": 400}, {FEE_INCOME, INCOME_PER_STAFF}),
        ({}, {}, set()),  # nothing moved
    ],
)
def test_a_fall_between_the_last_two_rounds_is_flagged(before, after, wrong):
    found = trends([round_of(2024, **before), round_of(2025, **after)], PUBLIC)
    assert found.has_trend and found.rounds == 2
    assert {t.indicator for t in found.wrong_way} == wrong


def test_only_the_last_two_rounds_count():
    found = trends(
        [round_of(2023, members=80), round_of(2024, members=40), round_of(2025, members=45)], PUBLIC
    )
    members = next(t for t in found.indicators if t.indicator == MEMBERS)
    assert [p.year for p in members.points] == [2023, 2024, 2025]
    assert members.change == 5 and not members.wrong_way


def test_one_round_shows_no_trend():
    found = trends([round_of(2025, members=10)], PUBLIC)
    assert not found.has_trend and found.rounds == 1 and found.wrong_way == ()
    assert all(t.change is None and len(t.points) == 1 for t in found.indicators)


def test_no_round_no_trend():
    found = trends([], PUBLIC)
    assert found.rounds == 0 and not found.has_trend and all(not t.points for t in found.indicators)


def test_a_missing_indicator_in_one_round_is_skipped():
    middle = round_of(2024)
    del middle["profile"]["members_total"]
    del middle["answers"]["funding_mix"]
    middle["profile"]["staff_fte"] = 0  # no income per staff member either
    found = trends([round_of(2023, members=60, public=30), middle, round_of(2025, members=50)], PUBLIC)
    by = {t.indicator: t for t in found.indicators}
    assert [p.year for p in by[MEMBERS].points] == [2023, 2025] and by[MEMBERS].wrong_way
    assert [p.year for p in by[PRIVATE_SHARE].points] == [2023, 2025] and by[PRIVATE_SHARE].wrong_way
    assert [p.year for p in by[INCOME_PER_STAFF].points] == [2023, 2025]
    assert found.rounds == 3


def test_odd_values_count_as_missing():
    data = round_of(2025)
    data["profile"]["members_total"] = "many"
    data["profile"]["annual_budget"] = True
    data["answers"]["funding_mix"] = "half"
    assert set(indicators(data, PUBLIC).values()) == {None}


def test_money_in_another_currency_shows_no_trend():
    found = trends([round_of(2024, currency="EUR"), round_of(2025, currency="usd", budget=100)], PUBLIC)
    by = {t.indicator: t for t in found.indicators}
    assert by[FEE_INCOME].currency_changed and not by[FEE_INCOME].wrong_way
    assert by[INCOME_PER_STAFF].change is None
    assert not by[MEMBERS].currency_changed


def test_two_rounds_of_one_year_count_once_the_last_given():
    found = trends([round_of(2025, members=30), round_of(2025, members=60)], PUBLIC)
    assert found.rounds == 1 and not found.has_trend
    assert next(t for t in found.indicators if t.indicator == MEMBERS).points[0].value == 60


def test_cluster_trends_reads_the_submitted_rounds_of_the_store(store, questionnaire):
    load_demo(store, questionnaire=questionnaire)
    cluster = next(c for c in store.clusters() if c.name.startswith("Cluster Vasco"))
    (v1,) = store.assessments(cluster.id)
    one = cluster_trends(store, questionnaire, cluster.id)
    assert not one.has_trend and one.rounds == 1
    v2 = store.new_version(v1.id, "ana")
    data = copy.deepcopy(store.answer_data(v2.id))
    data["year"] = 2026
    data["profile"]["members_total"] = 100  # from 112
    data["answers"]["funding_mix"]["public_baseline"] += 10
    data["answers"]["funding_mix"]["membership_fees"] -= 10
    store.import_answers(v2.id, data, "ana")
    assert cluster_trends(store, questionnaire, cluster.id).rounds == 1  # a draft does not count
    result = Engine(questionnaire).score(check_answers(questionnaire, data))
    store.submit(v2.id, result_to_json(result), result.overall, result.stage.id, result.engine_version, "ana")
    two = cluster_trends(store, questionnaire, cluster.id)
    assert two.has_trend and two.rounds == 2
    assert {t.indicator for t in two.wrong_way} == {PRIVATE_SHARE, MEMBERS, FEE_INCOME}
    private = next(t for t in two.indicators if t.indicator == PRIVATE_SHARE)
    assert [(p.year, p.value) for p in private.points] == [(2025, 67.0), (2026, 57.0)]
