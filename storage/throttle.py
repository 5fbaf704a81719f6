"""Sign-in throttling: a growing wait after failed passwords, then a temporary lock.

Without it anyone can try passwords as fast as the server answers. Failures are counted per
typed username (whether or not such an account exists, so a lock tells nothing about which
accounts exist) and per client address, from the audit trail, where every failure, lock and
success is recorded: the throttle holds across sessions, processes and restarts, and an
administrator can see who was locked out and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from storage.models import AuditEvent
from storage.session import _now

if TYPE_CHECKING:
    from storage.transactions import Database

FAILED, LOCKED, SUCCEEDED = "sign_in_failed", "sign_in_locked", "sign_in"
#: Failures older than this no longer count.
WINDOW = timedelta(minutes=15)
#: From this many failures in a row, each attempt waits: 2, 4, 8 ... seconds after the last one.
DELAY_AFTER = 3
MAX_DELAY = timedelta(minutes=5)
#: This many failures in a row lock the username for LOCK_FOR.
LOCK_AFTER = 10
LOCK_FOR = timedelta(minutes=15)
#: Failures from one client address (any usernames) that lock that address for LOCK_FOR.
CLIENT_LOCK_AFTER = 30
_CLIENT = "client:"
# The actor of a lock on a client address (a typed username may be anything but this).
_CLIENT_ACTOR = "(client address)"


@dataclass(frozen=True, slots=True)
class Refusal:
    """An attempt refused before the password is checked: until when, and whether it is a lock."""

    until: datetime
    locked: bool

    def seconds_left(self, now: datetime | None = None) -> int:
        """Whole seconds until the next attempt is allowed (at least 1)."""
        left = (self.until - (now or _now())).total_seconds()
        return max(1, int(left + 0.999))


def refusal(
    store: Database, username: str, client: str | None, now: datetime | None = None
) -> Refusal | None:
    """Whether an attempt for `username` from `client` must wait, or None when it may go ahead."""
    now = now or _now()
    found: list[Refusal] = []
    for locked_at in (_lock(store, _name(username), None, now), _lock(store, None, client, now)):
        if locked_at is not None:
            found.append(Refusal(locked_at + LOCK_FOR, True))
    failures = _account_failures(store, username, now)
    if len(failures) >= DELAY_AFTER:
        delay = min(timedelta(seconds=2 ** (len(failures) - DELAY_AFTER + 1)), MAX_DELAY)
        found.append(Refusal(failures[0] + delay, False))
    waiting = [r for r in found if r.until > now]
    return max(waiting, key=lambda r: r.until) if waiting else None


def record_failure(store: Database, username: str, client: str | None, now: datetime | None = None) -> None:
    """A wrong password (or unknown or disabled account); reaching a limit records the lock it starts."""
    now = now or _now()
    name, where = _name(username), _client_field(client)
    with store._write() as s:
        s.add(AuditEvent(at=now, actor=name, action=FAILED, field=where))
    locks = []
    if len(_account_failures(store, username, now)) == LOCK_AFTER:
        locks.append(AuditEvent(at=now, actor=name, action=LOCKED, field=where, new=LOCK_FOR.seconds))
    if client and len(_client_failures(store, client, now)) == CLIENT_LOCK_AFTER:
        locks.append(
            AuditEvent(at=now, actor=_CLIENT_ACTOR, action=LOCKED, field=where, new=LOCK_FOR.seconds)
        )
    if locks:
        with store._write() as s:
            s.add_all(locks)


def record_success(store: Database, username: str, client: str | None, now: datetime | None = None) -> None:
    """A sign-in that worked: the failures before it no longer count against the account."""
    event = AuditEvent(at=now or _now(), actor=_name(username), action=SUCCEEDED, field=_client_field(client))
    with store._write() as s:
        s.add(event)


def _lock(store: Database, name: str | None, client: str | None, now: datetime) -> datetime | None:
    """When the latest lock still in force on this username (or this client) began."""
    if name is None and not client:
        return None
    where = AuditEvent.actor == name if name is not None else AuditEvent.actor == _CLIENT_ACTOR
    query = select(AuditEvent.at).where(where, AuditEvent.action == LOCKED, AuditEvent.at > now - LOCK_FOR)
    if client and name is None:
        query = query.where(AuditEvent.field == _client_field(client))
    with store._read() as s:
        at = s.scalars(query.order_by(AuditEvent.at.desc()).limit(1)).first()
    return _aware(at) if at is not None else None


def _account_failures(store: Database, username: str, now: datetime) -> list[datetime]:
    """Times of the failures in a row for this username within WINDOW, latest first."""
    with store._read() as s:
        rows = s.execute(
            select(AuditEvent.action, AuditEvent.at)
            .where(
                AuditEvent.actor == _name(username),
                AuditEvent.action.in_((FAILED, SUCCEEDED)),
                AuditEvent.at >= now - WINDOW,
            )
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(LOCK_AFTER + 1)
        ).all()
    out = []
    for action, at in rows:
        if action == SUCCEEDED:
            break
        out.append(_aware(at))
    return out


def _client_failures(store: Database, client: str, now: datetime) -> list[datetime]:
    with store._read() as s:
        times = s.scalars(
            select(AuditEvent.at)
            .where(
                AuditEvent.field == _client_field(client),
                AuditEvent.action == FAILED,
                AuditEvent.at >= now - WINDOW,
            )
            .order_by(AuditEvent.at.desc())
            .limit(CLIENT_LOCK_AFTER)
        ).all()
    return [_aware(t) for t in times]


def _name(username: str) -> str:
    # The typed name as the audit trail keeps it (its actor column holds 200 characters).
    return (username or "").strip()[:200] or "(empty)"


def _client_field(client: str | None) -> str | None:
    return f"{_CLIENT}{client[:290]}" if client else None


def _aware(at: datetime) -> datetime:
    # SQLite hands datetimes back without their time zone; they were written in UTC.
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
