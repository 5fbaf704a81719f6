"""Who may read, add and delete evidence and set marks (storage.access): each role × operation × assessment.

The world of tests/test_access.py: mia manages cluster A (a_sub, a_draft), carl cluster C
(c_sub, c_draft); olga is the officer of A's programme, sam of C's; root is an administrator.
A manager adds and deletes the evidence of their clusters' assessments, submitted ones too;
an officer reads the evidence of their programme's submitted assessments and marks them;
nobody else does anything, and a refusal leaves the evidence, the marks and the audit as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from storage import Forbidden, StorageError, UserStore
from tests.test_access import ASSESSMENTS, USERS, World, fast_hasher, world  # noqa: F401 (fixtures)
from tests.test_evidence import PDF

pytest_plugins = ["tests.pg"]

READ = {"a_sub": {"mia", "olga"}, "a_draft": {"mia"}, "c_sub": {"carl", "sam"}, "c_draft": {"carl"}}
WRITE = {"a_sub": {"mia"}, "a_draft": {"mia"}, "c_sub": {"carl"}, "c_draft": {"carl"}}
MARK = {"a_sub": {"olga"}, "c_sub": {"sam"}}

Op = Callable[[UserStore, int, int], Any]  # the view, the assessment, its file's evidence id
TABLE: dict[str, tuple[Op, dict[str, set[str]]]] = {
    "evidence": (lambda u, a, e: u.evidence(a), READ),
    "evidence_file": (lambda u, a, e: u.evidence_file(a, e), READ),
    "marks": (lambda u, a, e: u.marks(a), READ),
    "add_note": (lambda u, a, e: u.add_note(a, "critical_mass", "Signed list"), WRITE),
    "add_link": (lambda u, a, e: u.add_link(a, "critical_mass", "https://example.org"), WRITE),
    "add_file": (lambda u, a, e: u.add_file(a, "critical_mass", "list.pdf", PDF), WRITE),
    "delete_evidence": (lambda u, a, e: u.delete_evidence(a, e), WRITE),
    "set_mark": (lambda u, a, e: u.set_mark(a, "critical_mass", "verified"), MARK),
}


@pytest.fixture
def backed(world: World) -> World:  # noqa: F811 (the imported fixture)
    for name in ASSESSMENTS:
        world.ids[f"{name}:file"] = world.store.add_file(
            world.ids[name], "critical_mass", "list.pdf", PDF, "setup"
        ).id
    return world


def _snapshot(w: World, aid: int) -> tuple[Any, ...]:
    return w.store.evidence(aid), w.store.marks(aid), w.store.audit(aid)


@pytest.mark.parametrize("operation", list(TABLE))
def test_each_role_may_do_to_evidence_only_what_its_rights_allow(backed, operation):
    call, allowed = TABLE[operation]
    wrong = []
    for obj in ASSESSMENTS:
        aid = backed.ids[obj]
        for username in USERS:
            expected = username == "root" or username in allowed.get(obj, set())
            file_id = backed.ids[f"{obj}:file"]
            before = _snapshot(backed, aid)
            try:
                call(backed.as_(username), aid, file_id)
                done = True
            except Forbidden as exc:
                done = False
                assert username in str(exc) and str(aid) in str(exc)
                assert _snapshot(backed, aid) == before, "a refused call changed something"
            except StorageError:
                done = True  # past the check; the store refused for its own reasons (a draft's marks)
            if done != expected:
                wrong.append((username, obj, "allowed" if done else "refused"))
            # put things back for the next user
            for e in backed.store.evidence(aid):
                if e.id != file_id:
                    backed.store.delete_evidence(aid, e.id, "setup")
            if not any(e.id == file_id for e in backed.store.evidence(aid)):
                backed.ids[f"{obj}:file"] = backed.store.add_file(
                    aid, "critical_mass", "list.pdf", PDF, "setup"
                ).id
            if backed.store.marks(aid):
                backed.store.set_mark(aid, "critical_mass", "self_declared", "setup")
    assert not wrong


def test_a_manager_cannot_delete_another_clusters_evidence_through_their_own_assessment(backed):
    mine, theirs = backed.ids["a_draft"], backed.ids["c_draft:file"]
    with pytest.raises(StorageError) as caught:
        backed.as_("mia").delete_evidence(mine, theirs)
    assert not isinstance(caught.value, Forbidden)  # NotFound: the id is not this assessment's
    assert [e.id for e in backed.store.evidence(backed.ids["c_draft"])] == [theirs]


def test_the_audit_names_the_user_who_added_evidence_and_the_officer_who_marked(backed):
    aid = backed.ids["a_sub"]
    backed.as_("mia").add_note(aid, "critical_mass", "Signed list")
    assert (backed.store.audit(aid)[-1].actor, backed.store.audit(aid)[-1].action) == ("mia", "add_evidence")
    backed.as_("olga").set_mark(aid, "critical_mass", "documented")
    assert (backed.store.audit(aid)[-1].actor, backed.store.audit(aid)[-1].new) == ("olga", "documented")
