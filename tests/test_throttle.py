"""Sign-in throttling: a growing wait after failed passwords, a lock after ten, the same for unknown names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage import throttle
from storage.models import AuditEvent

pytest_plugins = ["tests.pg"]

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def _fail(store, name, times, client="10.0.0.1", start=T0):
    """`times` failures for `name`, each as soon as the throttle allows; the time after the last."""
    now = start
    for _ in range(times):
        wait = throttle.refusal(store, name, client, now)
        if wait is not None:
            now = wait.until
        throttle.record_failure(store, name, client, now)
    return now


def _events(store, action):
    with store._read() as s:
        return s.query(AuditEvent).filter(AuditEvent.action == action).count()


@pytest.mark.parametrize("name", ["maria", "no-such-account"])
def test_the_wait_grows_then_ten_failures_lock_for_a_stated_time(store, name):
    now = _fail(store, name, 2)
    assert throttle.refusal(store, name, "10.0.0.1", now) is None  # two mistakes cost nothing
    now = _fail(store, name, 1, start=now)
    wait = throttle.refusal(store, name, "10.0.0.1", now)
    assert wait is not None and not wait.locked and wait.seconds_left(now) == 2
    now = _fail(store, name, 1, start=now)
    assert throttle.refusal(store, name, "10.0.0.1", now).seconds_left(now) == 4  # growing
    now = _fail(store, name, 6, start=now)
    lock = throttle.refusal(store, name, "10.0.0.1", now)
    assert lock.locked and lock.until == now + throttle.LOCK_FOR  # 15 minutes
    assert throttle.refusal(store, name, "10.0.0.1", now + timedelta(minutes=14)) is not None
    assert throttle.refusal(store, name, "10.0.0.1", now + throttle.LOCK_FOR) is None
    assert _events(store, throttle.FAILED) == 10 and _events(store, throttle.LOCKED) == 1


def test_a_success_clears_the_count_and_other_accounts_are_not_touched(store):
    now = _fail(store, "maria", 4)
    throttle.record_success(store, "maria", "10.0.0.1", now)
    assert throttle.refusal(store, "maria", "10.0.0.1", now) is None
    assert throttle.refusal(store, "olga", "10.0.0.2", now) is None


def test_one_client_trying_many_names_is_locked(store):
    now = T0
    for i in range(throttle.CLIENT_LOCK_AFTER):
        throttle.record_failure(store, f"user{i}", "203.0.113.9", now)
        now += timedelta(seconds=1)
    assert throttle.refusal(store, "someone-else", "203.0.113.9", now).locked
    assert throttle.refusal(store, "someone-else", "198.51.100.1", now) is None
