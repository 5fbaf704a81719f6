"""Two processes writing at once, each with its own Store on the same database: nothing is lost.

The processes are started with the spawn context (fresh interpreters, as two app servers
would be) and wait on a barrier after opening their stores, so that their saves overlap.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from storage import Store, load_demo
from storage.db import WRITE_OPTION, current_revision, head_revision, make_engine
from storage.models import Cluster
from tests.conftest import EXAMPLES

pytest_plugins = ["tests.pg"]

COUNT = 200
Q, V = "cluster-sustainability", "1.1"
TIMEOUT = 120


def value_of(prefix: str, i: int) -> Any:
    """A value of each kind the answers take, different for every question."""
    kind = i % 5
    if kind == 0:
        return i
    if kind == 1:
        return i + 0.5
    if kind == 2:
        return f"{prefix} answer {i}"
    if kind == 3:
        return [f"{prefix}-{i}", "b"]
    return {"share": float(i), "who": prefix}


def expected(prefix: str) -> dict[str, Any]:
    """What `save_many` leaves: every 7th answer overwritten, every 11th deleted after saving."""
    out = {}
    for i in range(COUNT):
        if i % 11 == 10:
            continue
        out[f"{prefix}_{i:03d}"] = value_of(prefix, i + 1000) if i % 7 == 3 else value_of(prefix, i)
    return out


def save_many(url: str, assessment_id: int, prefix: str, spans: Any, barrier: Any) -> None:
    """Runs in a child process: open a store, wait for the other process, save COUNT answers one by one.

    Puts (prefix, start, end) of its saving in `spans`.
    """
    store = Store(url)
    barrier.wait(TIMEOUT)
    start = time.time()
    for i in range(COUNT):
        key = f"{prefix}_{i:03d}"
        store.save_answer(assessment_id, key, value_of(prefix, i), prefix)
        if i % 7 == 3:
            store.save_answer(assessment_id, key, value_of(prefix, i + 1000), prefix)
        if i % 11 == 10:
            store.save_answer(assessment_id, key, None, prefix)
        if i % 50 == 0:
            store.save_profile(assessment_id, f"{prefix}_note", i, prefix)
    spans.put((prefix, start, time.time()))
    store.close()


def demo(url: str, results: Any, barrier: Any) -> None:
    """Runs in a child process: load the demo data at the same time as the other process."""
    store = Store(url)
    barrier.wait(TIMEOUT)
    results.put(load_demo(store, EXAMPLES))
    store.close()


def open_store(url: str, barrier: Any) -> None:
    """Runs in a child process: open (and so migrate) a store at the same time as the other process."""
    barrier.wait(TIMEOUT)
    Store(url).create_cluster("opened", "setup")


def run_two(target: Any, args: list[tuple[Any, ...]]) -> None:
    """Run `target(*a, barrier)` for each `a` in its own spawned process; all must succeed."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(args))
    processes = [context.Process(target=target, args=(*a, barrier)) for a in args]
    for p in processes:
        p.start()
    deadline = time.monotonic() + TIMEOUT
    for p in processes:
        p.join(max(0.0, deadline - time.monotonic()))
    for p in processes:
        if p.is_alive():
            p.kill()
            p.join()
    assert [p.exitcode for p in processes] == [0] * len(processes), "a writer failed (its traceback is above)"


@pytest.mark.parametrize("shared", [False, True], ids=["different_assessments", "same_assessment"])
def test_two_processes_saving_at_once_lose_nothing(db_url, shared):
    with Store(db_url) as store:
        first = store.start_assessment(store.create_cluster("One", "setup").id, Q, V, 2025, "setup").id
        second = (
            first
            if shared
            else store.start_assessment(store.create_cluster("Two", "setup").id, Q, V, 2025, "setup").id
        )

    spans = multiprocessing.get_context("spawn").Queue()
    run_two(save_many, [(db_url, first, "ana", spans), (db_url, second, "ben", spans)])
    (_, start_a, end_a), (_, start_b, end_b) = spans.get(timeout=10), spans.get(timeout=10)
    assert max(start_a, start_b) < min(end_a, end_b)  # the two were saving at the same time

    with Store(db_url) as store:
        for prefix, assessment_id in (("ana", first), ("ben", second)):
            answers = store.answer_data(assessment_id)["answers"]
            mine = {k: v for k, v in answers.items() if k.startswith(prefix)}
            assert mine == expected(prefix)
            profile = store.answer_data(assessment_id)["profile"]
            assert profile[f"{prefix}_note"] == 150
            saves = [e for e in store.audit(assessment_id) if e.actor == prefix]
            assert len(saves) == COUNT + len(range(3, COUNT, 7)) + len(range(10, COUNT, 11)) + 4
        if shared:
            assert len(store.answer_data(first)["answers"]) == 2 * len(expected("ana"))
        if store.dialect == "postgresql":
            # Their writes interleave (on SQLite, one waits while the other holds the write lock,
            # which can be for all its saves: SQLite's busy wait is not a queue).
            saved = {
                prefix: [e.at for e in store.audit(assessment_id) if e.actor == prefix]
                for prefix, assessment_id in (("ana", first), ("ben", second))
            }
            assert max(saved["ana"][0], saved["ben"][0]) < min(saved["ana"][-1], saved["ben"][-1])


def test_two_processes_opening_a_new_database_at_once_migrate_it_once(db_url):
    run_two(open_store, [(db_url,), (db_url,)])
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
    with Store(db_url) as store:
        assert [c.name for c in store.clusters()] == ["opened", "opened"]


def test_two_processes_loading_the_demo_at_once_add_it_once(db_url):
    Store(db_url).close()
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    run_two(demo, [(db_url, results), (db_url, results)])
    added = sorted(results.get(timeout=10) for _ in range(2))
    examples = len(list(EXAMPLES.glob("*.yaml")))
    assert sum(added) == examples
    with Store(db_url) as store:
        assert len(store.clusters()) == examples


def test_an_import_racing_another_of_the_same_origin_adds_nothing(db_url):
    """A demo file imported while another process holds an uncommitted import of it: one cluster."""
    with Store(db_url) as store:
        engine = make_engine(db_url).execution_options(**{WRITE_OPTION: True})
        data = {"questionnaire": Q, "version": V, "year": 2025, "profile": {"name": "Raced"}, "answers": {}}
        outcome: list[Any] = []
        with engine.connect() as other:
            with other.begin():
                other.execute(
                    sa.insert(Cluster).values(name="First", origin="demo:raced", created_at=datetime.now(UTC))
                )
                racer = threading.Thread(
                    target=lambda: outcome.append(
                        store.import_cluster(data, "{}", None, None, "1.0.0", "demo", origin="demo:raced")
                    )
                )
                racer.start()
                time.sleep(
                    0.5
                )  # the racer is now waiting for the write lock (SQLite) or the row (PostgreSQL)
                assert racer.is_alive()
            racer.join(TIMEOUT)
        engine.dispose()
        assert outcome == [None]
        assert [c.name for c in store.clusters()] == ["First"]


def test_threads_sharing_one_store_lose_nothing(store):
    """The app keeps one Store per process and calls it from each browser session's thread."""
    a = store.start_assessment(store.create_cluster("Threads", "setup").id, Q, V, 2025, "setup").id
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(40):
                store.save_answer(a, f"t{n}_{i:02d}", [n, i], f"thread {n}")
                store.answer_data(a)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    assert errors == []
    answers = store.answer_data(a)["answers"]
    assert answers == {f"t{n}_{i:02d}": [n, i] for n in range(4) for i in range(40)}
    assert len(store.audit(a)) == 1 + 4 * 40
