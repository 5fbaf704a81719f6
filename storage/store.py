"""The repository: every read and write of the app, each in its own short transaction.

Methods return plain frozen dataclasses, never ORM objects, so the app never holds a
session. Every change is written with one audit row per field changed (actor, action,
field, old and new value). A submitted assessment is frozen: changing it raises
`FrozenAssessment`; `new_version` starts a new draft with a copy of its answers.

Answers are kept one row per question id (and per profile field) as the JSON of the
value exactly as given, so saving one answer never touches another, and a value equal
to the stored one (same JSON text) writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from storage import accounts, evidence, marks, plans, programme_records, review
from storage.access import UserStore
from storage.answers import AnswerRecords, grouped_values
from storage.audit import AuditLog
from storage.clusters import ClusterRecords
from storage.results import ResultRecords, ScoreUpdate
from storage.session import AssessmentInfo, AuditEntry, ClusterInfo
from storage.surveys import SurveyRecords

if TYPE_CHECKING:
    from storage.accounts import User
    from storage.evidence import EvidenceFile, EvidenceInfo
    from storage.marks import Level
    from storage.plans import PlanInfo, SavedPlan
    from storage.programme_records import ProgrammeInfo, Unassigned
    from storage.review import CommentInfo, ReviewStatus

__all__ = ["AssessmentInfo", "AuditEntry", "ClusterInfo", "ScoreUpdate", "Store", "grouped_values"]


class Store(ClusterRecords, AnswerRecords, ResultRecords, AuditLog, SurveyRecords):
    """Clusters, assessments, answers, results, accounts, reviews, plans, surveys, evidence, audit trail.

    Each aggregate lives in its own module (`storage.clusters`, `storage.answers`,
    `storage.results`, `storage.audit`, `storage.surveys`, `storage.accounts`,
    `storage.programme_records`, `storage.review`, `storage.plans`, `storage.evidence`,
    `storage.marks`) on one `storage.transactions.Database`; this class puts them together.
    What a user may see and do is checked in one place, `storage.access.UserStore`.
    """

    def create_programme(self, slug: str, name: str, actor: str = "system") -> ProgrammeInfo:
        """Add a programme; see `storage.programme_records.create_programme`."""
        return programme_records.create_programme(self, slug, name, actor)

    def programme(self, slug: str) -> ProgrammeInfo:
        """One programme, with its clusters' ids; see `storage.programme_records.programme`."""
        return programme_records.programme(self, slug)

    def programmes(self) -> list[ProgrammeInfo]:
        """All programmes, by slug."""
        return programme_records.programmes(self)

    def assign_cluster(self, cluster_id: int, programme: str, actor: str = "system") -> None:
        """Put a cluster in a programme (by slug); see `storage.programme_records.assign_cluster`."""
        programme_records.assign_cluster(self, cluster_id, programme, actor)

    def unassigned_submissions(self) -> list[Unassigned]:
        """Submitted assessments of clusters in no programme; see `storage.programme_records`."""
        return programme_records.unassigned_submissions(self)

    def cluster_programme(self, cluster_id: int) -> str | None:
        """The slug of the cluster's programme, or None."""
        return programme_records.cluster_programme(self, cluster_id)

    def create_user(
        self,
        username: str,
        password: str,
        role: str,
        clusters: Iterable[int] = (),
        programme: str | None = None,
        actor: str = "system",
    ) -> User:
        """Add an account; see `storage.accounts.create_user`."""
        return accounts.create_user(self, username, password, role, clusters, programme, actor)

    def user(self, username: str) -> User:
        """One account; see `storage.accounts.user`."""
        return accounts.user(self, username)

    def users(self) -> list[User]:
        """All accounts, by username."""
        return accounts.users(self)

    def disable_user(self, username: str, actor: str = "system") -> User:
        """Disable an account; see `storage.accounts.disable_user`."""
        return accounts.disable_user(self, username, actor)

    def set_password(self, username: str, password: str, actor: str = "system") -> None:
        """Give an account a new password; see `storage.accounts.set_password`."""
        accounts.set_password(self, username, password, actor)

    def grant_cluster(self, username: str, cluster_id: int, actor: str = "system") -> User:
        """Let a manager manage one more cluster; see `storage.accounts.grant_cluster`."""
        return accounts.grant_cluster(self, username, cluster_id, actor)

    def credential_stamp(self, username: str) -> str | None:
        """A fingerprint of the password hash (None when gone or disabled); see `storage.accounts`."""
        return accounts.credential_stamp(self, username)

    def authenticate(self, username: str, password: str) -> User | None:
        """The enabled account with this username and password, else None (constant time, argon2)."""
        return accounts.authenticate(self, username, password)

    def as_user(self, user: User, remember_rights: bool = False) -> UserStore:
        """The store as `user` sees it: every read and write checked; see `storage.access`.

        With `remember_rights` the user's rights are read once for the life of the view.
        """
        return UserStore(self, user, remember_rights)

    def review_status(self, assessment_id: int) -> ReviewStatus:
        """Draft, submitted, in_review, accepted or returned; see `storage.review`."""
        return review.review_status(self, assessment_id)

    def review_statuses(self, assessment_ids: Iterable[int]) -> dict[int, ReviewStatus]:
        """The review status of many assessments at once; see `storage.review.review_statuses`."""
        return review.review_statuses(self, assessment_ids)

    def set_review_status(
        self, assessment_id: int, status: str, actor: str, comment: str | None = None
    ) -> ReviewStatus:
        """Move a submitted assessment along the review workflow (unchecked: see `UserStore`)."""
        return review.set_review_status(self, assessment_id, status, actor, comment)

    def add_comment(
        self, assessment_id: int, body: str, actor: str, question_id: str | None = None
    ) -> CommentInfo:
        """Comment on a submitted assessment or one of its answers (unchecked: see `UserStore`)."""
        return review.add_comment(self, assessment_id, body, actor, question_id)

    def comments(self, assessment_id: int) -> list[CommentInfo]:
        """The comments on an assessment, oldest first."""
        return review.comments(self, assessment_id)

    def previous_version(self, assessment_id: int) -> int | None:
        """The id of the version this one was started from by `new_version`, or None."""
        return review.previous_version(self, assessment_id)

    def save_plan(self, assessment_id: int, kind: str, name: str, payload: Any, actor: str) -> PlanInfo:
        """Save a named plan (unchecked: see `UserStore`); see `storage.plans.save_plan`."""
        return plans.save_plan(self, assessment_id, kind, name, payload, actor)

    def plans(self, assessment_id: int, kind: str | None = None) -> list[PlanInfo]:
        """An assessment's plans, without payloads; see `storage.plans.plans`."""
        return plans.plans(self, assessment_id, kind)

    def plan(self, assessment_id: int, kind: str, name: str) -> SavedPlan:
        """One plan with its validated payload; see `storage.plans.plan`."""
        return plans.plan(self, assessment_id, kind, name)

    def rename_plan(self, assessment_id: int, kind: str, name: str, new_name: str, actor: str) -> PlanInfo:
        """Rename a plan (unchecked: see `UserStore`); see `storage.plans.rename_plan`."""
        return plans.rename_plan(self, assessment_id, kind, name, new_name, actor)

    def delete_plan(self, assessment_id: int, kind: str, name: str, actor: str) -> None:
        """Delete a plan (unchecked: see `UserStore`); see `storage.plans.delete_plan`."""
        plans.delete_plan(self, assessment_id, kind, name, actor)

    def add_note(self, assessment_id: int, question_id: str, note: str, actor: str) -> EvidenceInfo:
        """Back an answer with a note (unchecked: see `UserStore`); see `storage.evidence.add_note`."""
        return evidence.add_note(self, assessment_id, question_id, note, actor)

    def add_link(self, assessment_id: int, question_id: str, url: str, actor: str) -> EvidenceInfo:
        """Back an answer with an http(s) link (unchecked); see `storage.evidence.add_link`."""
        return evidence.add_link(self, assessment_id, question_id, url, actor)

    def add_file(
        self, assessment_id: int, question_id: str, filename: str, content: bytes, actor: str
    ) -> EvidenceInfo:
        """Back an answer with a file, typed by its bytes (unchecked); see `storage.evidence.add_file`."""
        return evidence.add_file(self, assessment_id, question_id, filename, content, actor)

    def evidence(self, assessment_id: int) -> list[EvidenceInfo]:
        """An assessment's evidence without files' bytes; see `storage.evidence.evidence`."""
        return evidence.evidence(self, assessment_id)

    def evidence_file(self, assessment_id: int, evidence_id: int) -> EvidenceFile:
        """One evidence file with its bytes; see `storage.evidence.evidence_file`."""
        return evidence.evidence_file(self, assessment_id, evidence_id)

    def delete_evidence(self, assessment_id: int, evidence_id: int, actor: str) -> None:
        """Delete one piece of evidence (unchecked); see `storage.evidence.delete_evidence`."""
        evidence.delete_evidence(self, assessment_id, evidence_id, actor)

    def set_mark(self, assessment_id: int, question_id: str, level: str, actor: str) -> Level:
        """Mark an answer documented, verified... (unchecked); see `storage.marks.set_mark`."""
        return marks.set_mark(self, assessment_id, question_id, level, actor)

    def marks(self, assessment_id: int) -> dict[str, Level]:
        """The officer's marks of an assessment's answers; see `storage.marks.marks`."""
        return marks.marks(self, assessment_id)
