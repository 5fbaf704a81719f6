"""Plans saved with an assessment (storage.plans): save, overwrite, list, read, rename, delete, audit.

Every test runs on SQLite and on PostgreSQL (tests/pg.py).
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from planning import Assumptions, ServicePlan, StructureInputs, plan_services
from storage import AlreadyExists, InvalidValue, NotFound, Store
from storage.plans import InvalidPlan, PlanInfo

pytest_plugins = ["tests.pg"]

Q, V = "cluster-sustainability", "1.1"
RAW = {
    "start_year": 2026,
    "horizon": 5,
    "budget": 1000.0,
    "mix": {"public_baseline": 60.0, "membership_fees": 30.0, "paid_services": 10.0},
    "public_support": {"kind": "taper", "pct_per_year": 20.0},
    "cost": {"structure_share": 50.0},
}


def assessment(store: Store, submitted: bool = False) -> int:
    cluster = store.create_cluster("Clúster de prueba", "ana")
    a = store.start_assessment(cluster.id, Q, V, 2025, "ana")
    if submitted:
        store.submit(a.id, '{"overall": 50}', 50.0, "consolidation", "1", "ana")
    return a.id


def test_a_scenario_is_saved_listed_and_read_back_as_its_model(store):
    aid = assessment(store)
    info = store.save_plan(aid, "funding_path", "Taper", Assumptions.model_validate(RAW), "ana")
    assert isinstance(info, PlanInfo) and info.name == "Taper" and info.updated_by == "ana"
    saved = store.plan(aid, "funding_path", "Taper")
    assert saved.payload == Assumptions.model_validate(RAW)
    assert isinstance(saved.payload.mix["other_private"], float)
    assert [p.name for p in store.plans(aid)] == ["Taper"]
    assert store.plans(aid, "service_plan") == []


def test_saving_again_overwrites_and_audits_the_change_only(store):
    aid = assessment(store)
    store.save_plan(aid, "funding_path", "Base", RAW, "ana")
    first = store.plan(aid, "funding_path", "Base").info
    store.save_plan(aid, "funding_path", "Base", RAW, "ana")  # the same payload: nothing written
    changed = RAW | {"horizon": 8}
    store.save_plan(aid, "funding_path", "Base", changed, "bea")
    saved = store.plan(aid, "funding_path", "Base")
    assert saved.payload.horizon == 8 and saved.info.updated_by == "bea"
    assert saved.info.created_at == first.created_at and saved.info.id == first.id
    entries = [e for e in store.audit(aid) if e.field == "plans.funding_path.Base"]
    assert [(e.action, e.actor) for e in entries] == [("save_plan", "ana"), ("save_plan", "bea")]
    assert entries[0].old is None and entries[1].old["horizon"] == 5 and entries[1].new["horizon"] == 8


def test_plans_of_every_kind_are_kept_apart_and_listed_by_kind_then_name(store, questionnaire):
    aid = assessment(store)
    service_plan = plan_services([], questionnaire.service_index)
    structure = StructureInputs(staff_fte=4, cost_per_fte=50)
    store.save_plan(aid, "structure_fit", "Plan", structure, "ana")
    store.save_plan(aid, "service_plan", "Plan", service_plan, "ana")
    store.save_plan(aid, "funding_path", "b", RAW, "ana")
    store.save_plan(aid, "funding_path", "A", RAW, "ana")
    assert [(p.kind, p.name) for p in store.plans(aid)] == [
        ("funding_path", "A"),
        ("funding_path", "b"),
        ("service_plan", "Plan"),
        ("structure_fit", "Plan"),
    ]
    assert isinstance(store.plan(aid, "service_plan", "Plan").payload, ServicePlan)
    assert store.plan(aid, "structure_fit", "Plan").payload == structure


def test_plans_change_on_a_submitted_assessment(store):
    aid = assessment(store, submitted=True)
    store.save_plan(aid, "funding_path", "After the score", RAW, "ana")
    store.rename_plan(aid, "funding_path", "After the score", "Agreed", "ana")
    assert [p.name for p in store.plans(aid)] == ["Agreed"]


def test_rename_keeps_the_payload_and_refuses_a_taken_name(store):
    aid = assessment(store)
    store.save_plan(aid, "funding_path", "One", RAW, "ana")
    store.save_plan(aid, "funding_path", "Two", RAW | {"horizon": 6}, "ana")
    renamed = store.rename_plan(aid, "funding_path", "One", "  Uno  ", "bea")
    assert renamed.name == "Uno" and renamed.updated_by == "bea"
    assert store.plan(aid, "funding_path", "Uno").payload.horizon == 5
    with pytest.raises(AlreadyExists, match="funding_path plan Two already exists"):
        store.rename_plan(aid, "funding_path", "Uno", "Two", "ana")
    with pytest.raises(NotFound, match="funding_path plan One not found"):
        store.plan(aid, "funding_path", "One")
    [entry] = [e for e in store.audit(aid) if e.action == "rename_plan"]
    assert (entry.field, entry.old, entry.new) == ("plans.funding_path.Uno", "One", "Uno")


def test_delete_removes_the_plan_and_keeps_its_payload_in_the_audit(store):
    aid = assessment(store)
    store.save_plan(aid, "funding_path", "Gone", RAW, "ana")
    store.delete_plan(aid, "funding_path", "Gone", "ana")
    assert store.plans(aid) == []
    [entry] = [e for e in store.audit(aid) if e.action == "delete_plan"]
    assert entry.old["budget"] == 1000.0 and entry.new is None
    with pytest.raises(NotFound, match="funding_path plan Gone not found"):
        store.delete_plan(aid, "funding_path", "Gone", "ana")


@pytest.mark.parametrize(
    ("kind", "name", "payload", "error", "message"),
    [
        (
            "funding_path",
            "Bad",
            RAW | {"horizon": 12},
            InvalidPlan,
            r"funding_path plan 'Bad' .*horizon: must be at most 10",
        ),
        (
            "funding_path",
            "Bad",
            RAW | {"mix": {"public_baseline": 50.0}},
            InvalidPlan,
            r"mix: funding shares add up to 50%, not 100%",
        ),
        ("funding_path", "Bad", RAW | {"colour": "red"}, InvalidPlan, r"colour: unknown field"),
        (
            "structure_fit",
            "Bad",
            Assumptions.model_validate(RAW),
            InvalidPlan,
            r"expected a StructureInputs, got a Assumptions",
        ),
        ("budget_plan", "Bad", RAW, InvalidValue, r"plan kind: unknown kind 'budget_plan'"),
        ("funding_path", "   ", RAW, InvalidValue, r"plan name: expected a non-empty text"),
        ("funding_path", "x" * 81, RAW, InvalidValue, r"plan name: 81 characters long; the limit is 80"),
    ],
)
def test_invalid_plans_are_refused_naming_the_plan_and_field(store, kind, name, payload, error, message):
    aid = assessment(store)
    with pytest.raises(error, match=message):
        store.save_plan(aid, kind, name, payload, "ana")
    assert store.plans(aid) == []


def test_a_stored_payload_that_no_longer_validates_names_the_plan_and_field(store):
    aid = assessment(store)
    store.save_plan(aid, "funding_path", "Old", RAW, "ana")
    broken = RAW | {"horizon": 20, "public_support": {"kind": "taper", "pct_per_year": -5}}
    engine = sa.create_engine(store.url)
    text = json.dumps(broken)
    cast = "CAST(:p AS json)" if store.dialect == "postgresql" else ":p"
    try:
        with engine.begin() as c:
            c.execute(sa.text(f"UPDATE plans SET payload = {cast}"), {"p": text})
    finally:
        engine.dispose()
    with pytest.raises(InvalidPlan) as caught:
        store.plan(aid, "funding_path", "Old")
    assert caught.value.name == "Old" and caught.value.kind == "funding_path"
    assert caught.value.problems == [
        "horizon: must be at most 10, got 20",
        "public_support.pct_per_year: must be more than 0, got -5",
    ]
    assert [p.name for p in store.plans(aid)] == ["Old"]  # listing still works


def test_an_unknown_assessment_is_not_found(store):
    with pytest.raises(NotFound, match="assessment 999 not found"):
        store.save_plan(999, "funding_path", "X", RAW, "ana")
    with pytest.raises(NotFound, match="assessment 999 not found"):
        store.plans(999)


def test_a_new_version_starts_with_copies_of_the_plans_that_then_change_alone(store, questionnaire):
    aid = assessment(store, submitted=True)
    store.save_plan(aid, "funding_path", "Taper", RAW, "ana")
    store.save_plan(aid, "structure_fit", "Now", StructureInputs(staff_fte=4, cost_per_fte=50), "ana")
    new = store.new_version(aid, "ana")
    assert [(p.kind, p.name) for p in store.plans(new.id)] == [
        ("funding_path", "Taper"),
        ("structure_fit", "Now"),
    ]
    assert (
        store.plan(new.id, "funding_path", "Taper").payload
        == store.plan(aid, "funding_path", "Taper").payload
    )
    store.save_plan(new.id, "funding_path", "Taper", RAW | {"horizon": 9}, "ana")
    store.delete_plan(new.id, "structure_fit", "Now", "ana")
    assert store.plan(aid, "funding_path", "Taper").payload.horizon == 5  # the submitted version's stay
    assert [p.name for p in store.plans(aid)] == ["Taper", "Now"]
