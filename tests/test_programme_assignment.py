"""A new cluster reaches a programme: chosen when it is made, or listed for the administrator.

A manager who creates a cluster says which programme funds it (its officers then see what
is submitted), or is told plainly that no officer will see it; the administrator sees every
submission that reaches no officer.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage import Forbidden, NotFound, Store
from tests.apptest_support import open_store
from tests.test_app_accounts import AEI_MANAGER, signed_in

OFFICER = "officer-demo"


@pytest.fixture
def store(tmp_path, monkeypatch) -> Iterator[Store]:
    yield from open_store(tmp_path, monkeypatch, demo=True, accounts=True)


def manager(store: Store):
    return store.as_user(store.user(AEI_MANAGER))


def test_a_manager_puts_a_new_cluster_in_a_programme_in_one_step(store):
    cluster = manager(store).create_cluster("Cluster Nuevo", programme="demo")
    assert store.cluster_programme(cluster.id) == "demo"
    assert cluster.id in store.programme("demo").clusters
    assert any(e.action == "assign_programme" for e in store.cluster_audit(cluster.id))


def test_an_unknown_programme_adds_nothing(store):
    before = store.clusters()
    with pytest.raises(NotFound):
        manager(store).create_cluster("Cluster Fantasma", programme="no-such-programme")
    assert store.clusters() == before


def test_submissions_in_no_programme_are_listed_for_administrators_only(store):
    cluster = manager(store).create_cluster("Cluster Suelto")
    draft = store.start_assessment(cluster.id, "cluster-sustainability", "1.1", 2025, "setup")
    assert store.unassigned_submissions() == []
    store.submit(draft.id, "{}", 50.0, "launch", "test", "setup")
    [waiting] = store.as_user(store.user("admin")).unassigned_submissions()
    assert (waiting.cluster_name, waiting.assessment_id) == ("Cluster Suelto", draft.id)
    for username in (AEI_MANAGER, OFFICER):
        with pytest.raises(Forbidden):
            store.as_user(store.user(username)).unassigned_submissions()
    store.assign_cluster(cluster.id, "demo")
    assert store.unassigned_submissions() == []


def test_the_home_page_asks_for_the_programme_and_the_officer_then_sees_the_cluster(store):
    at = signed_in(AEI_MANAGER, page="home")
    at.radio(key="home:for").set_value("new").run()
    at.text_input(key="home:new_name").input("Cluster de Prueba").run()
    assert any("No programme officer will see" in w.value for w in at.warning)
    at.selectbox(key="home:programme").set_value("demo").run()
    assert not any("No programme officer will see" in w.value for w in at.warning)
    at.button(key="home:start").click().run()
    assert not at.exception
    [cluster] = [c for c in store.clusters() if c.name == "Cluster de Prueba"]
    assert store.cluster_programme(cluster.id) == "demo"
    officer = store.as_user(store.user(OFFICER))
    assert cluster.id in {c.id for c in officer.clusters()}


def test_without_a_programme_the_manager_is_told_and_the_administrator_sees_the_submission(store):
    cluster = manager(store).create_cluster("Cluster Sin Programa")
    draft = store.start_assessment(cluster.id, "cluster-sustainability", "1.1", 2025, "setup")
    store.submit(draft.id, "{}", 50.0, "launch", "test", "setup")
    at = signed_in("admin", page="admin")
    assert any("Submitted, in no programme" in h.value for h in at.subheader)
    assert any("reaches no officer" in w.value for w in at.warning)
