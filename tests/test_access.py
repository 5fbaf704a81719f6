"""Authorisation in the storage layer: each role × operation × object, allowed or refused with `Forbidden`.

The world: programme "north" holds clusters A and B, programme "south" holds cluster C.
Cluster A has a submitted assessment (a_sub) and a draft (a_draft), cluster C the same
(c_sub, c_draft). mia manages A, carl manages C, olga is the officer of north, sam of
south, root is an administrator. Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from argon2 import PasswordHasher

import storage.accounts
from assessment.errors import AssessmentError
from storage import Forbidden, NotFound, StorageError, Store, UserStore

pytest_plugins = ["tests.pg"]

Q, V = "cluster-sustainability", "1.1"
PASSWORD = "correct horse battery"
USERS = ("mia", "carl", "olga", "sam", "root")
ASSESSMENTS = ("a_sub", "a_draft", "c_sub", "c_draft")
CLUSTERS = ("A", "B", "C")


@pytest.fixture(autouse=True)
def fast_hasher(monkeypatch):
    monkeypatch.setattr(
        storage.accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )


@dataclass
class World:
    store: Store
    ids: dict[str, int]

    def as_(self, username: str) -> UserStore:
        return self.store.as_user(self.store.user(username))


def submitted(store: Store, cluster_id: int) -> int:
    a = store.start_assessment(cluster_id, Q, V, 2024, "setup")
    store.save_answer(a.id, "critical_mass", 2, "setup")
    store.submit(a.id, '{"overall": 50}', 50.0, "consolidation", "1", "setup")
    return a.id


@pytest.fixture
def world(store: Store) -> World:
    ids: dict[str, int] = {}
    for name in CLUSTERS:
        ids[name] = store.create_cluster(f"Cluster {name}", "setup").id
    store.create_programme("north", "North")
    store.create_programme("south", "South")
    store.assign_cluster(ids["A"], "north")
    store.assign_cluster(ids["B"], "north")
    store.assign_cluster(ids["C"], "south")
    for c in ("a", "c"):
        cluster_id = ids[c.upper()]
        ids[f"{c}_sub"] = submitted(store, cluster_id)
        ids[f"{c}_draft"] = store.start_assessment(cluster_id, Q, V, 2025, "setup").id
    store.create_user("mia", PASSWORD, "manager", clusters=[ids["A"]])
    store.create_user("carl", PASSWORD, "manager", clusters=[ids["C"]])
    store.create_user("olga", PASSWORD, "officer", programme="north")
    store.create_user("sam", PASSWORD, "officer", programme="south")
    store.create_user("root", PASSWORD, "admin")
    return World(store, ids)


RESULT = ('{"overall": 60}', 60.0, "consolidation", "1")
DATA = {"questionnaire": Q, "version": V, "year": 2025, "answers": {"critical_mass": 3}}

# operation → (what it acts on, the call, who besides root may do it to which object)
Op = Callable[[UserStore, int], Any]
READ_ANY = {"a_sub": {"mia", "olga"}, "a_draft": {"mia"}, "c_sub": {"carl", "sam"}, "c_draft": {"carl"}}
WRITE_DRAFT = {"a_draft": {"mia"}, "c_draft": {"carl"}}
WRITE_SUBMITTED = {"a_sub": {"mia"}, "c_sub": {"carl"}}
REVIEW = {"a_sub": {"olga"}, "c_sub": {"sam"}}
READ_CLUSTER = {"A": {"mia", "olga"}, "B": {"olga"}, "C": {"carl", "sam"}}
WRITE_CLUSTER = {"A": {"mia"}, "B": set(), "C": {"carl"}}
HISTORY_CLUSTER = WRITE_CLUSTER

TABLE: dict[str, tuple[str, Op, dict[str, set[str]]]] = {
    # reads of one assessment
    "assessment": ("assessment", lambda u, i: u.assessment(i), READ_ANY),
    "answer_data": ("assessment", lambda u, i: u.answer_data(i), READ_ANY),
    "result_json": ("assessment", lambda u, i: u.result_json(i), READ_ANY),
    "audit": ("assessment", lambda u, i: u.audit(i), READ_ANY),
    "comments": ("assessment", lambda u, i: u.comments(i), READ_ANY),
    "review_status": ("assessment", lambda u, i: u.review_status(i), READ_ANY),
    "previous_version": ("assessment", lambda u, i: u.previous_version(i), READ_ANY),
    # writes of a draft
    "save_answer": ("draft", lambda u, i: u.save_answer(i, "critical_mass", 1), WRITE_DRAFT),
    "save_profile": ("draft", lambda u, i: u.save_profile(i, "staff_fte", 3), WRITE_DRAFT),
    "set_year": ("draft", lambda u, i: u.set_year(i, 2023), WRITE_DRAFT),
    "import_answers": ("draft", lambda u, i: u.import_answers(i, DATA), WRITE_DRAFT),
    "save_result": ("draft", lambda u, i: u.save_result(i, *RESULT), WRITE_DRAFT),
    "submit": ("draft", lambda u, i: u.submit(i, *RESULT), WRITE_DRAFT),
    # writes that need a submitted assessment
    "new_version": ("submitted", lambda u, i: u.new_version(i), WRITE_SUBMITTED),
    "save_answer on submitted": (
        "submitted",
        lambda u, i: u.save_answer(i, "critical_mass", 1),
        WRITE_SUBMITTED,
    ),
    # review
    "comment": ("submitted", lambda u, i: u.comment(i, "Please explain."), REVIEW),
    "comment on answer": ("submitted", lambda u, i: u.comment(i, "Why 2?", "critical_mass"), REVIEW),
    "start_review": ("submitted", lambda u, i: u.start_review(i), REVIEW),
    "review a draft": ("draft", lambda u, i: u.start_review(i), {}),
    "comment on a draft": ("draft", lambda u, i: u.comment(i, "Not yet"), {}),
    # clusters
    "cluster": ("cluster", lambda u, i: u.cluster(i), READ_CLUSTER),
    "assessments": ("cluster", lambda u, i: u.assessments(i), READ_CLUSTER),
    "latest_draft": ("cluster", lambda u, i: u.latest_draft(i), READ_CLUSTER),
    "start_assessment": ("cluster", lambda u, i: u.start_assessment(i, Q, V, 2025), WRITE_CLUSTER),
    "cluster_audit": ("cluster", lambda u, i: u.cluster_audit(i), HISTORY_CLUSTER),
}
OBJECTS = {
    "assessment": ASSESSMENTS,
    "draft": ("a_draft", "c_draft"),
    "submitted": ("a_sub", "c_sub"),
    "cluster": CLUSTERS,
}


@pytest.mark.parametrize("operation", list(TABLE))
def test_each_role_may_do_only_what_its_rights_allow(world, operation):
    kind, call, allowed = TABLE[operation]
    wrong = []
    for obj in OBJECTS[kind]:
        for username in USERS:
            expected = username == "root" or username in allowed.get(obj, set())
            user_store = world.as_(username)
            audit_before = world.store.cluster_audit(world.ids[obj[0].upper()])
            try:
                call(user_store, world.ids[obj])
                outcome = "allowed"
            except Forbidden as exc:
                outcome = "refused"
                assert isinstance(exc, AssessmentError)
                assert f"user {username} may not" in str(exc) and str(world.ids[obj]) in str(exc)
                # a refusal changes nothing
                assert world.store.cluster_audit(world.ids[obj[0].upper()]) == audit_before
            except StorageError:
                outcome = "allowed"  # past the check; the store refused for its own reasons (e.g. frozen)
            if outcome != ("allowed" if expected else "refused"):
                wrong.append(f"{username} {operation} {obj}: {outcome}")
    assert wrong == []


def test_lists_hold_only_what_the_user_may_see(world):
    ids = world.ids
    names = {u: sorted(c.name for c in world.as_(u).clusters()) for u in USERS}
    assert names == {
        "mia": ["Cluster A"],
        "carl": ["Cluster C"],
        "olga": ["Cluster A", "Cluster B"],
        "sam": ["Cluster C"],
        "root": ["Cluster A", "Cluster B", "Cluster C"],
    }
    assert [a.id for a in world.as_("mia").assessments(ids["A"])] == [ids["a_sub"], ids["a_draft"]]
    assert [a.id for a in world.as_("olga").assessments(ids["A"])] == [ids["a_sub"]]  # never a draft
    assert world.as_("olga").latest_draft(ids["A"]) is None
    assert world.as_("mia").latest_draft(ids["A"]).id == ids["a_draft"]
    assert world.as_("olga").assessments(ids["B"]) == []


def test_unknown_objects_are_refused_to_users_and_not_found_for_admins(world):
    for username in ("mia", "olga"):
        with pytest.raises(Forbidden, match=f"user {username} may not read assessment 4242"):
            world.as_(username).assessment(4242)
        with pytest.raises(Forbidden, match=f"user {username} may not read cluster 4242"):
            world.as_(username).cluster(4242)
    with pytest.raises(NotFound, match="assessment 4242"):
        world.as_("root").assessment(4242)


def test_officers_change_no_answer_even_of_their_programme(world):
    olga = world.as_("olga")
    with pytest.raises(Forbidden, match="user olga may not change assessment"):
        olga.save_answer(world.ids["a_sub"], "critical_mass", 4)
    with pytest.raises(Forbidden, match="user olga may not add clusters"):
        olga.create_cluster("Mine")
    with pytest.raises(Forbidden, match="user olga may not read assessment"):
        olga.answer_data(world.ids["a_draft"])


def test_the_actor_is_always_the_signed_in_user(world):
    mia = world.as_("mia")
    mia.save_answer(world.ids["a_draft"], "critical_mass", 3)
    mia.save_answer(world.ids["a_draft"], "critical_mass", 4, "mia")
    with pytest.raises(Forbidden, match="user mia may not act as user carl"):
        mia.save_answer(world.ids["a_draft"], "critical_mass", 1, "carl")
    assert [e.actor for e in world.store.audit(world.ids["a_draft"])][-2:] == ["mia", "mia"]


def test_a_manager_manages_the_clusters_they_add(world):
    mia = world.as_("mia")
    new = mia.create_cluster("Delta")
    assert {c.name for c in mia.clusters()} == {"Cluster A", "Delta"}
    draft = mia.start_assessment(new.id, Q, V, 2025)
    mia.save_answer(draft.id, "critical_mass", 2)
    with pytest.raises(Forbidden):
        world.as_("carl").assessment(draft.id)
    assert world.as_("root").create_cluster("Epsilon").name == "Epsilon"


def test_rights_are_read_at_every_call(world):
    mia = world.as_("mia")  # holds the account as it was when signed in
    with pytest.raises(Forbidden):
        mia.cluster(world.ids["C"])
    world.store.grant_cluster("mia", world.ids["C"])
    assert mia.cluster(world.ids["C"]).name == "Cluster C"
    world.store.disable_user("mia")
    with pytest.raises(Forbidden, match="user mia may not read cluster .*: the account is disabled"):
        mia.cluster(world.ids["A"])
    with pytest.raises(Forbidden, match="disabled"):
        mia.clusters()


def test_a_view_that_remembers_rights_reads_them_once(world):
    mia = world.store.as_user(world.store.user("mia"), remember_rights=True)  # as the app, once per run
    with pytest.raises(Forbidden):
        mia.cluster(world.ids["C"])
    world.store.grant_cluster("mia", world.ids["C"])
    with pytest.raises(Forbidden):
        mia.cluster(world.ids["C"])  # the rights read at the first call hold for this view's life
    assert world.store.as_user(world.store.user("mia"), remember_rights=True).cluster(world.ids["C"])
    new = mia.create_cluster("Delta")  # adding a cluster renews the remembered rights
    assert mia.start_assessment(new.id, Q, V, 2025).cluster_id == new.id


@pytest.mark.parametrize("username", USERS)
def test_the_view_of_a_signed_in_user_checks_as_the_user_does(world, username):
    """`UserStore.signed_in` (the app's one read per run) allows and refuses what `as_user` does."""
    signed_in = UserStore.signed_in(world.store, username)
    plain = world.as_(username)
    assert signed_in.user == world.store.user(username)
    for name in ASSESSMENTS:
        outcomes = []
        for view in (signed_in, plain):
            try:
                outcomes.append(view.assessment(world.ids[name]))
            except Forbidden:
                outcomes.append("refused")
        assert outcomes[0] == outcomes[1], (username, name)


def test_the_view_of_a_signed_in_user_keeps_the_rights_of_its_run(world):
    mia = UserStore.signed_in(world.store, "mia")
    world.store.grant_cluster("mia", world.ids["C"])
    with pytest.raises(Forbidden):
        mia.cluster(world.ids["C"])  # read with the account, for this run
    assert UserStore.signed_in(world.store, "mia").cluster(world.ids["C"]).name == "Cluster C"
    world.store.disable_user("mia")
    assert UserStore.signed_in(world.store, "mia").user.disabled
    with pytest.raises(NotFound):
        UserStore.signed_in(world.store, "nobody")


def test_an_assessment_is_read_with_the_programme_of_its_cluster(world):
    # The submit section warns a manager whose cluster is in no programme from this field.
    ids, store = world.ids, world.store
    assert world.as_("mia").assessment(ids["a_draft"]).programme == "north"
    assert world.as_("sam").assessment(ids["c_sub"]).programme == "south"
    lone = store.create_cluster("Cluster in no programme", "setup")
    draft = store.start_assessment(lone.id, Q, V, 2025, "setup")
    assert world.as_("root").assessment(draft.id).programme is None
    assert store.assessments(lone.id)[0].programme is None


def test_a_manager_of_several_clusters_is_read_with_all_of_them_in_one_go(world):
    ids, store = world.ids, world.store
    store.create_user("many", PASSWORD, "manager", clusters=[ids["C"], ids["A"]])
    view = UserStore.signed_in(store, "many")
    assert view.user.clusters == tuple(sorted((ids["A"], ids["C"])))
    assert view.user == store.user("many")
    assert {c.id for c in view.clusters()} == {ids["A"], ids["C"]}
