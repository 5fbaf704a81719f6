"""Who may do what: the one place where every read and write of a signed-in user is checked.

`storage.access.UserStore` runs each call through these checks before it touches the
store. An administrator may do everything; a manager reads and writes the clusters they
manage; an officer reads and reviews the submitted assessments of their programme's
clusters, never a draft. An object that does not exist is refused like one the user may
not see, so ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from storage import review
from storage.accounts import CLUSTERS_OF_USER, User
from storage.errors import Forbidden, NotFound
from storage.models import Assessment, Cluster, ClusterProgramme
from storage.models import User as UserRow
from storage.session import AssessmentInfo, _info_row
from storage.transactions import Database

Action = Literal["read", "write", "review", "history"]
VERBS: dict[str, str] = {
    "read": "read",
    "write": "change",
    "review": "review",
    "history": "read the history of",
}
# Built once, with bound parameters: a rights check runs at every page run.
_PLACE_OF_ASSESSMENT = (
    select(Assessment.cluster_id, Assessment.status, ClusterProgramme.programme_id)
    .outerjoin(ClusterProgramme, ClusterProgramme.cluster_id == Assessment.cluster_id)
    .where(Assessment.id == bindparam("assessment_id"))
)


@dataclass(frozen=True)
class Rights:
    """What one user holds: a role, the clusters managed, the programme overseen."""

    role: str
    clusters: frozenset[int]
    programme_id: int | None


class RightsChecks:
    """The checks of one user's view; the rights come from the database at each call unless remembered."""

    def __init__(self, store: Database, user: User, remember_rights: bool = False) -> None:
        self.store = store
        self.user = user
        self._remember = remember_rights
        self._remembered: Rights | None = None

    @property
    def username(self) -> str:
        """The signed-in user's name (the actor of every change made through this view)."""
        return self.user.username

    def _rights(self, s: Session, action: Action, kind: str, ident: int | None) -> Rights:
        if self._remembered is not None:
            return self._remembered
        row = s.get(UserRow, self.user.id)
        if row is None or row.username != self.user.username:
            raise Forbidden(self.username, VERBS[action], kind, ident, "no such account")
        if row.disabled_at is not None:
            raise Forbidden(self.username, VERBS[action], kind, ident, "the account is disabled")
        clusters = frozenset(s.scalars(CLUSTERS_OF_USER, {"user_id": row.id}))
        rights = Rights(row.role, clusters, row.programme_id)
        if self._remember:
            self._remembered = rights
        return rights

    @staticmethod
    def _allowed(
        r: Rights, action: Action, cluster_id: int, programme_id: int | None, status: str | None
    ) -> bool:
        if r.role == "admin":
            return True
        if r.role == "manager":
            return action in ("read", "write", "history") and cluster_id in r.clusters
        if r.role == "officer":
            return (
                action in ("read", "review")
                and programme_id is not None
                and programme_id == r.programme_id
                and status != "draft"
            )
        return False

    def _check_assessment(self, assessment_id: int, action: Action) -> None:
        with self.store._read() as s:
            self._check_assessment_in(s, assessment_id, action)

    def _check_assessment_in(self, s: Session, assessment_id: int, action: Action) -> None:
        r = self._rights(s, action, "assessment", assessment_id)
        if r.role == "admin":
            return  # the store itself says NotFound
        found = s.execute(_PLACE_OF_ASSESSMENT, {"assessment_id": assessment_id}).one_or_none()
        if found is None:
            raise Forbidden(self.username, VERBS[action], "assessment", assessment_id)
        cluster_id, status, programme_id = found
        if not self._allowed(r, action, cluster_id, programme_id, status):
            raise Forbidden(self.username, VERBS[action], "assessment", assessment_id)

    def _checked_info(self, s: Session, assessment_id: int, action: Action) -> AssessmentInfo:
        """The assessment, read in the query that checks the right to it (every page run reads one)."""
        r = self._rights(s, action, "assessment", assessment_id)
        s.flush()
        found = _info_row(s, assessment_id)
        if r.role != "admin" and (
            found is None or not self._allowed(r, action, found[0].cluster_id, found[1], found[0].status)
        ):
            raise Forbidden(self.username, VERBS[action], "assessment", assessment_id)
        if found is None:
            raise NotFound("assessment", assessment_id)
        return found[0]

    def _check_assessments(self, assessment_ids: list[int], action: Action) -> None:
        """`_check_assessment` for many ids in a query per 500: refuses at the first one not allowed."""
        with self.store._read() as s:
            r = self._rights(s, action, "assessment", assessment_ids[0] if assessment_ids else None)
            if r.role == "admin":
                return
            found: dict[int, tuple[int, int | None, str]] = {}  # cluster, programme, status
            for start in range(0, len(assessment_ids), review.CHUNK):
                chunk = assessment_ids[start : start + review.CHUNK]
                rows = s.execute(
                    select(
                        Assessment.id, Assessment.cluster_id, Assessment.status, ClusterProgramme.programme_id
                    )
                    .outerjoin(ClusterProgramme, ClusterProgramme.cluster_id == Assessment.cluster_id)
                    .where(Assessment.id.in_(chunk))
                )
                found.update((aid, (cid, pid, status)) for aid, cid, status, pid in rows)
            for aid in assessment_ids:
                if aid not in found or not self._allowed(r, action, *found[aid]):
                    raise Forbidden(self.username, VERBS[action], "assessment", aid)

    def _check_cluster(self, cluster_id: int, action: Action) -> Rights:
        with self.store._read() as s:
            r = self._rights(s, action, "cluster", cluster_id)
            if r.role == "admin":
                return r
            found = s.execute(
                select(Cluster.id, ClusterProgramme.programme_id)
                .outerjoin(ClusterProgramme, ClusterProgramme.cluster_id == Cluster.id)
                .where(Cluster.id == cluster_id)
            ).one_or_none()
            if found is None or not self._allowed(r, action, found[0], found[1], None):
                raise Forbidden(self.username, VERBS[action], "cluster", cluster_id)
            return r

    def _actor(self, actor: str | None) -> str:
        if actor is not None and actor != self.username:
            raise Forbidden(self.username, "act as", "user", actor)
        return self.username
