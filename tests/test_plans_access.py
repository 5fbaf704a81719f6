"""Who may read and write plans (storage.access): each role × plan operation × assessment.

The world of tests/test_access.py: mia manages cluster A (a_sub, a_draft), carl cluster C
(c_sub, c_draft); olga is the officer of A's programme, sam of C's; root is an administrator.
A manager reads and writes the plans of their clusters' assessments, submitted ones too;
an officer reads the plans of their programme's submitted assessments and writes none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from storage import Forbidden, UserStore
from tests.test_access import ASSESSMENTS, USERS, World, fast_hasher, world  # noqa: F401 (fixtures)

pytest_plugins = ["tests.pg"]

RAW = {
    "start_year": 2026,
    "horizon": 5,
    "budget": 1000.0,
    "mix": {"public_baseline": 60.0, "membership_fees": 40.0},
    "cost": {"structure_share": 50.0},
}
READ = {"a_sub": {"mia", "olga"}, "a_draft": {"mia"}, "c_sub": {"carl", "sam"}, "c_draft": {"carl"}}
WRITE = {"a_sub": {"mia"}, "a_draft": {"mia"}, "c_sub": {"carl"}, "c_draft": {"carl"}}

Op = Callable[[UserStore, int], Any]
TABLE: dict[str, tuple[Op, dict[str, set[str]]]] = {
    "plans": (lambda u, i: u.plans(i), READ),
    "plan": (lambda u, i: u.plan(i, "funding_path", "Base"), READ),
    "save_plan": (lambda u, i: u.save_plan(i, "funding_path", "New", RAW), WRITE),
    "overwrite": (lambda u, i: u.save_plan(i, "funding_path", "Base", RAW | {"horizon": 7}), WRITE),
    "rename_plan": (lambda u, i: u.rename_plan(i, "funding_path", "Base", "Renamed"), WRITE),
    "delete_plan": (lambda u, i: u.delete_plan(i, "funding_path", "Base"), WRITE),
}


@pytest.fixture
def planned(world: World) -> World:  # noqa: F811 (the imported fixture)
    for name in ASSESSMENTS:
        world.store.save_plan(world.ids[name], "funding_path", "Base", RAW, "setup")
    return world


@pytest.mark.parametrize("operation", list(TABLE))
def test_each_role_may_do_to_plans_only_what_its_rights_allow(planned, operation):
    call, allowed = TABLE[operation]
    wrong = []
    for obj in ASSESSMENTS:
        for username in USERS:
            expected = username == "root" or username in allowed.get(obj, set())
            before = planned.store.plans(planned.ids[obj])
            try:
                call(planned.as_(username), planned.ids[obj])
                done = True
            except Forbidden as exc:
                done = False
                assert username in str(exc) and str(planned.ids[obj]) in str(exc)
                assert planned.store.plans(planned.ids[obj]) == before, "a refused call changed the plans"
            if done != expected:
                wrong.append((username, obj, "allowed" if done else "refused"))
            # put the plan back as it was for the next user
            for p in planned.store.plans(planned.ids[obj]):
                planned.store.delete_plan(planned.ids[obj], p.kind, p.name, "setup")
            planned.store.save_plan(planned.ids[obj], "funding_path", "Base", RAW, "setup")
    assert not wrong


def test_the_audit_names_the_manager_who_changed_a_plan(planned):
    aid = planned.ids["a_sub"]
    planned.as_("mia").save_plan(aid, "funding_path", "Base", RAW | {"horizon": 9})
    entry = planned.store.audit(aid)[-1]
    assert (entry.actor, entry.action, entry.field) == ("mia", "save_plan", "plans.funding_path.Base")


def test_a_manager_cannot_save_a_plan_as_someone_else(planned):
    with pytest.raises(Forbidden, match="user mia may not act as user carl"):
        planned.as_("mia").save_plan(planned.ids["a_sub"], "funding_path", "X", RAW, actor="carl")
