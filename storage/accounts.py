"""Accounts: users with a role, argon2 password hashes, sign-in, and the clusters a manager manages.

A user is a cluster **manager** (of one or more clusters), a programme **officer** (of one
programme, which groups clusters) or an **administrator**. Passwords are kept only as their
argon2 hash (`argon2.PasswordHasher`); `authenticate` verifies in constant time, also for
unknown or disabled users, and rehashes a hash made with older parameters.

The `Store` methods of the same names call these functions; what a user may see and do is
checked by `storage.access.UserStore` (`store.as_user(user)`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.errors import AlreadyExists, InvalidValue, NotFound
from storage.models import AuditEvent, Programme, UserCluster
from storage.models import User as UserRow
from storage.programme_records import SYSTEM_ACTOR, _get_programme, _join
from storage.session import ClusterInfo, _actor, _cluster_info, _get_cluster, _name, _new_cluster, _now

if TYPE_CHECKING:
    from storage.transactions import Database

Role = Literal["manager", "officer", "admin"]
ROLES: tuple[Role, ...] = ("manager", "officer", "admin")
USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,99}")
MIN_PASSWORD, MAX_PASSWORD = 8, 1024
# The languages an account may keep (the app's: assessment.text.LANGUAGES).
USER_LANGUAGES: tuple[str, ...] = ("en", "es", "pt")
# Replaced by the tests with a cheaper one; read at each call.
HASHER = PasswordHasher()
_dummy_hash: str | None = None

# Actions written to the audit trail (with no cluster or assessment unless said).
CREATE_USER = "create_user"
DISABLE_USER = "disable_user"
SET_PASSWORD = "set_password"


@dataclass(frozen=True)
class User:
    """An account as the app sees it: its role and scope (clusters of a manager, programme of an officer)."""

    id: int
    username: str
    role: Role
    clusters: tuple[int, ...]
    programme: str | None
    disabled: bool
    # The language the user last chose in the app (en, es, pt), None until they choose one.
    language: str | None = None

    @property
    def scope(self) -> str:
        """What the account covers, in words: "clusters 1, 3", "programme basque-2025" or "all"."""
        if self.role == "manager":
            return "clusters " + ", ".join(map(str, self.clusters)) if self.clusters else "no cluster"
        if self.role == "officer":
            return f"programme {self.programme}"
        return "all"


# ---- users ----


def create_user(
    store: Database,
    username: str,
    password: str,
    role: str,
    clusters: Iterable[int] = (),
    programme: str | None = None,
    actor: str = SYSTEM_ACTOR,
) -> User:
    """Add an account. A manager needs one or more clusters, an officer one programme, an admin neither.

    Raises:
        InvalidValue: for a bad username, a password shorter than 8 characters, an unknown role,
            or a scope that does not fit the role.
        NotFound: for an unknown cluster or programme.
        AlreadyExists: when the username is taken.
    """
    username, actor = _username(username), _actor(actor)
    _password(password)
    cluster_ids = _scope(role, clusters, programme)
    password_hash = HASHER.hash(password)
    try:
        with store._write() as s:
            if s.scalar(select(UserRow.id).where(UserRow.username == username)) is not None:
                raise AlreadyExists("user", username)
            for cluster_id in cluster_ids:
                _get_cluster(s, cluster_id)
            programme_id = _get_programme(s, programme).id if programme is not None else None
            now = _now()
            row = UserRow(
                username=username,
                password_hash=password_hash,
                role=role,
                programme_id=programme_id,
                created_at=now,
                disabled_at=None,
            )
            s.add(row)
            s.flush()
            if cluster_ids:
                s.execute(insert(UserCluster), [{"user_id": row.id, "cluster_id": c} for c in cluster_ids])
            scope = {"role": role, "clusters": list(cluster_ids), "programme": programme}
            s.add(AuditEvent(at=now, actor=actor, action=CREATE_USER, field=f"user.{username}", new=scope))
            return _user_info(s, row)
    except IntegrityError as exc:
        raise AlreadyExists("user", username) from exc


def user(store: Database, username: str) -> User:
    """One account.

    Raises:
        NotFound: when there is no user with this name.
    """
    with store._read() as s:
        return _user_info(s, _get_user(s, username))


def users(store: Database) -> list[User]:
    """All accounts, by username."""
    with store._read() as s:
        return [_user_info(s, u) for u in s.scalars(select(UserRow).order_by(UserRow.username))]


def disable_user(store: Database, username: str, actor: str = SYSTEM_ACTOR) -> User:
    """Disable an account: it can no longer sign in, and its `UserStore` refuses everything.

    Raises:
        NotFound: when there is no user with this name.
    """
    actor = _actor(actor)
    with store._write() as s:
        row = _get_user(s, username, lock=True)
        if row.disabled_at is None:
            now = _now()
            row.disabled_at = now
            s.add(
                AuditEvent(at=now, actor=actor, action=DISABLE_USER, field=f"user.{row.username}", new=True)
            )
        return _user_info(s, row)


def set_password(store: Database, username: str, password: str, actor: str = SYSTEM_ACTOR) -> None:
    """Give an account a new password.

    Raises:
        NotFound: when there is no user with this name.
        InvalidValue: for a password shorter than 8 characters.
    """
    actor = _actor(actor)
    _password(password)
    password_hash = HASHER.hash(password)
    with store._write() as s:
        row = _get_user(s, username, lock=True)
        row.password_hash = password_hash
        s.add(AuditEvent(at=_now(), actor=actor, action=SET_PASSWORD, field=f"user.{row.username}"))


def credential_stamp(store: Database, username: str) -> str | None:
    """A short fingerprint of the account's password hash, or None for no such or a disabled account.

    A remembered session carries it, so changing the password (or disabling the account)
    ends every session signed in before; the hash itself never leaves storage.
    """
    with store._read() as s:
        row = s.scalars(select(UserRow).where(UserRow.username == username)).one_or_none()
        if row is None or row.disabled_at is not None:
            return None
        return hashlib.sha256(row.password_hash.encode()).hexdigest()[:16]


def set_language(store: Database, username: str, language: str | None) -> User:
    """Remember the language an account chose in the app (None forgets it), for its next sign-in.

    A preference, not assessment data: no audit entry is written. Who may set whose
    language is checked by `UserStore.set_language` (a user only their own).

    Raises:
        NotFound: when there is no user with this name.
        InvalidValue: for a language other than en, es or pt.
    """
    if language is not None and language not in USER_LANGUAGES:
        raise InvalidValue("language", f"{language!r} is not one of " + ", ".join(USER_LANGUAGES))
    with store._write() as s:
        row = _get_user(s, username, lock=True)
        row.language = language
        return _user_info(s, row)


def authenticate(store: Database, username: str, password: str) -> User | None:
    """The account when the password is right and the account enabled, else None.

    The password is verified (argon2, constant time) even for an unknown or disabled user,
    so the time taken tells nothing; a hash made with older parameters is replaced.
    """
    if not isinstance(username, str) or not isinstance(password, str):
        return None
    with store._read() as s:
        row = s.scalars(select(UserRow).where(UserRow.username == username)).one_or_none()
        stored = row.password_hash if row is not None else _dummy()
        user_id = row.id if row is not None else None
        disabled = row is None or row.disabled_at is not None
    try:
        HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if disabled or user_id is None:
        return None
    if HASHER.check_needs_rehash(stored):
        fresh = HASHER.hash(password)
        with store._write() as s:  # unless the password was changed meanwhile
            s.execute(
                update(UserRow)
                .where(UserRow.id == user_id, UserRow.password_hash == stored)
                .values(password_hash=fresh)
            )
    with store._read() as s:
        row = s.get(UserRow, user_id)
        if row is None or row.disabled_at is not None:
            return None  # disabled meanwhile
        return _user_info(s, row)


def grant_cluster(store: Database, username: str, cluster_id: int, actor: str = SYSTEM_ACTOR) -> User:
    """Let a manager manage one more cluster.

    Raises:
        NotFound: for an unknown user or cluster.
        InvalidValue: when the user is not a manager.
    """
    actor = _actor(actor)
    with store._write() as s:
        row = _get_user(s, username, lock=True)
        if row.role != "manager":
            raise InvalidValue("clusters", f"user {row.username} is {row.role}, not a manager")
        _get_cluster(s, cluster_id)
        _grant(s, row.id, cluster_id)
        return _user_info(s, row)


def create_managed_cluster(
    store: Database, name: str, user_id: int | None, actor: str, programme: str | None = None
) -> ClusterInfo:
    """Add a cluster, managed by `user_id` (None for an administrator's) and in `programme`, at once.

    The programme is chosen when the cluster is made, so its submissions reach that
    programme's officers from the first one; without it no officer sees the cluster until an
    administrator assigns it.

    Raises:
        NotFound: for an unknown programme (nothing is added).
    """
    actor, name = _actor(actor), _name(name)
    with store._write() as s:
        target = _get_programme(s, programme) if programme is not None else None
        cluster = _new_cluster(s, name, actor, _now())
        if user_id is not None:
            _grant(s, user_id, cluster.id)
        if target is not None:
            _join(s, cluster.id, target, None, actor)
        return _cluster_info(cluster)


# ---- helpers ----


def _dummy() -> str:
    """A hash of nothing anyone knows, verified against when there is no such user."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = HASHER.hash("no such user: " + "x" * 32)
    return _dummy_hash


def _username(value: Any) -> str:
    if not isinstance(value, str) or not USERNAME.fullmatch(value):
        raise InvalidValue(
            "username",
            f"{value!r}: expected 1 to 100 lower-case letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit",
        )
    return value


def _password(value: Any) -> None:
    if not isinstance(value, str) or not MIN_PASSWORD <= len(value) <= MAX_PASSWORD:
        raise InvalidValue("password", f"expected a text of {MIN_PASSWORD} to {MAX_PASSWORD} characters")


def _scope(role: Any, clusters: Iterable[int], programme_slug: str | None) -> tuple[int, ...]:
    if role not in ROLES:
        raise InvalidValue("role", f"expected one of {', '.join(ROLES)}, got {role!r}")
    ids = tuple(dict.fromkeys(clusters))
    if any(type(c) is not int for c in ids):
        raise InvalidValue("clusters", f"expected cluster ids, got {list(ids)!r}")
    if role == "manager" and (not ids or programme_slug is not None):
        raise InvalidValue("role", "a manager needs one or more clusters and no programme")
    if role == "officer" and (ids or programme_slug is None):
        raise InvalidValue("role", "an officer needs a programme and no clusters")
    if role == "admin" and (ids or programme_slug is not None):
        raise InvalidValue("role", "an administrator has neither clusters nor a programme")
    return ids


def _get_user(s: Session, username: Any, lock: bool = False) -> UserRow:
    stmt = select(UserRow).where(UserRow.username == username)
    found = s.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
    if found is None:
        raise NotFound("user", str(username))
    return found


def _grant(s: Session, user_id: int, cluster_id: int) -> None:
    if s.get(UserCluster, (user_id, cluster_id)) is None:
        s.add(UserCluster(user_id=user_id, cluster_id=cluster_id))


# The clusters a user manages, built once (a rights check reads them at every page run).
CLUSTERS_OF_USER = (
    select(UserCluster.cluster_id)
    .where(UserCluster.user_id == bindparam("user_id"))
    .order_by(UserCluster.cluster_id)
)


def _user_info(s: Session, u: UserRow) -> User:
    clusters = s.scalars(CLUSTERS_OF_USER, {"user_id": u.id})
    slug = s.scalar(select(Programme.slug).where(Programme.id == u.programme_id)) if u.programme_id else None
    return _user(u, tuple(clusters), slug)


# Built once (the id as a bound parameter): building it cost more than running it.
_USER_WITH_PLACES = (
    select(UserRow, UserCluster.cluster_id, Programme.slug)
    .outerjoin(UserCluster, UserCluster.user_id == UserRow.id)
    .outerjoin(Programme, Programme.id == UserRow.programme_id)
    .where(UserRow.username == bindparam("username"))
    .order_by(UserCluster.cluster_id)
)


def _user_in_one_read(s: Session, username: Any) -> tuple[UserRow, User]:
    """The account with its clusters and programme in one query: the app reads it at every run.

    Raises:
        NotFound: when there is no user with this name.
    """
    rows = s.execute(_USER_WITH_PLACES, {"username": username}).all()
    if not rows:
        raise NotFound("user", str(username))
    row, _, slug = rows[0]
    return row, _user(row, tuple(c for _, c, _ in rows if c is not None), slug)


def _user(u: UserRow, clusters: tuple[int, ...], programme: str | None) -> User:
    return User(
        id=u.id,
        username=u.username,
        role=cast(Role, u.role),
        clusters=clusters,
        programme=programme,
        disabled=u.disabled_at is not None,
        language=u.language,
    )
