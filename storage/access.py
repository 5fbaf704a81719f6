"""The store as one signed-in user sees it: every read and write checked against the user's rights.

`store.as_user(user)` gives a `UserStore` with the methods the app uses (the same names and
arguments as `Store`'s), each refusing with `Forbidden` (naming the user and the object)
what the user may not do:

- an **administrator** may do everything;
- a **manager** reads and writes the clusters they manage and all their assessments, and
  may add clusters (which they then manage); they cannot review or comment;
- an **officer** reads the clusters of their programme and the *submitted* assessments of
  those clusters (never a draft), reviews and comments on them, and changes no answer;
- evidence: a manager adds and deletes the evidence of their clusters' assessments (draft
  or submitted: evidence changes no answer); an officer reads it and marks the answers of
  their programme's submitted assessments;
- nobody sees another programme's or another manager's data; lists hold only what the user
  may see. An object that does not exist is refused like one the user may not see (only an
  administrator is told `NotFound`), so ids cannot be probed.

The rights are read from the database at every call, so disabling an account or changing
its clusters takes effect at once; a view made with `remember_rights=True` reads them once
and keeps them for its life (the app makes one per script run, so a change takes effect at
the next run). The actor written to the audit trail is always the user:
an `actor` argument, kept for compatibility with `Store`, must be None or the username.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from storage import accounts, evidence, marks, plans, programme_records, review
from storage.accounts import User
from storage.errors import Forbidden
from storage.evidence import EvidenceFile, EvidenceInfo
from storage.marks import Level
from storage.models import ClusterProgramme
from storage.models import User as UserRow
from storage.plans import PlanInfo, SavedPlan
from storage.programme_records import Unassigned
from storage.review import CommentInfo, ReviewStatus
from storage.rights import Rights
from storage.session import AssessmentInfo, AuditEntry, ClusterInfo
from storage.survey_access import SurveyAccess

if TYPE_CHECKING:
    from storage.store import Store


class UserStore(SurveyAccess):
    """The store seen by one user: the `Store` methods the app uses, each checked (see the module)."""

    store: Store

    def __init__(self, store: Store, user: User, remember_rights: bool = False) -> None:
        super().__init__(store, user, remember_rights)
        self.store = store

    @classmethod
    def signed_in(cls, store: Store, username: str) -> UserStore:
        """The view of `username` with its rights read in the same transaction as the account.

        The app calls this once per script run: one read gives both the user it shows and the
        rights every call of the run is checked against (as `remember_rights=True` does).

        Raises:
            NotFound: when there is no user with this name.
        """
        with store._read() as s:
            row, user = accounts._user_in_one_read(s, username)
        view = cls(store, user, remember_rights=True)
        view._remembered = Rights(row.role, frozenset(user.clusters), row.programme_id)
        return view

    def __repr__(self) -> str:
        return f"UserStore({self.user.username!r}, {self.user.role})"

    # ---- the account ----

    def set_language(self, language: str | None, username: str | None = None) -> User:
        """Remember the language the user chose in the app; a user may set only their own.

        Raises:
            Forbidden: for another user's account, or when this account is disabled.
            InvalidValue: for a language other than en, es or pt.
        """
        if username is not None and username != self.username:
            raise Forbidden(self.username, "change the language of", "user", username)
        with self.store._read() as s:
            row = s.get(UserRow, self.user.id)
            if row is None or row.username != self.username or row.disabled_at is not None:
                gone = row is None or row.username != self.username
                reason = "no such account" if gone else "the account is disabled"
                raise Forbidden(self.username, "change the language of", "user", self.username, reason)
        self.user = accounts.set_language(self.store, self.username, language)
        return self.user

    # ---- clusters ----

    def clusters(self) -> list[ClusterInfo]:
        """The clusters the user may see, sorted by name."""
        with self.store._read() as s:
            r = self._rights(s, "read", "clusters", None)
            if r.role == "officer":
                visible = set(
                    s.scalars(
                        select(ClusterProgramme.cluster_id).where(
                            ClusterProgramme.programme_id == r.programme_id
                        )
                    )
                )
            else:
                visible = set(r.clusters)
        everything = self.store.clusters()
        return everything if r.role == "admin" else [c for c in everything if c.id in visible]

    def cluster(self, cluster_id: int) -> ClusterInfo:
        """One cluster the user may see."""
        self._check_cluster(cluster_id, "read")
        return self.store.cluster(cluster_id)

    def create_cluster(
        self, name: str, actor: str | None = None, programme: str | None = None
    ) -> ClusterInfo:
        """Add a cluster (managers and administrators), in `programme` if given; a manager then manages it."""
        actor = self._actor(actor)
        with self.store._read() as s:
            r = self._rights(s, "write", "clusters", None)
        if r.role not in ("admin", "manager"):
            raise Forbidden(self.username, "add", "clusters")
        manager = self.user.id if r.role == "manager" else None  # an administrator manages none
        self._remembered = None  # a manager now manages one more cluster
        return accounts.create_managed_cluster(self.store, name, manager, actor, programme)

    def programme_names(self) -> dict[str, str]:
        """Every programme's name by slug, for a manager to say which one funds a new cluster."""
        with self.store._read() as s:
            self._rights(s, "read", "programmes", None)
        return {p.slug: p.name for p in self.store.programmes()}

    def cluster_programme(self, cluster_id: int) -> str | None:
        """The slug of the programme of a cluster the user may see, or None when it is in none."""
        self._check_cluster(cluster_id, "read")
        return self.store.cluster_programme(cluster_id)

    def unassigned_submissions(self) -> list[Unassigned]:
        """Submitted assessments no officer sees, as their cluster is in no programme (administrators)."""
        with self.store._read() as s:
            r = self._rights(s, "read", "clusters", None)
        if r.role != "admin":
            raise Forbidden(self.username, "list", "unassigned submissions")
        return programme_records.unassigned_submissions(self.store)

    def cluster_audit(self, cluster_id: int) -> list[AuditEntry]:
        """The history of a cluster (its managers and administrators only: it shows drafts)."""
        self._check_cluster(cluster_id, "history")
        return self.store.cluster_audit(cluster_id)

    # ---- assessments ----

    def start_assessment(
        self, cluster_id: int, questionnaire: str, version: str, year: int, actor: str | None = None
    ) -> AssessmentInfo:
        """Start a draft for a cluster the user manages."""
        actor = self._actor(actor)
        self._check_cluster(cluster_id, "write")
        return self.store.start_assessment(cluster_id, questionnaire, version, year, actor)

    def assessment(self, assessment_id: int) -> AssessmentInfo:
        """One assessment the user may read (checked and read in one transaction: every page run reads it)."""
        with self.store._read() as s:
            return self._checked_info(s, assessment_id, "read")

    def assessments(self, cluster_id: int) -> list[AssessmentInfo]:
        """The versions of a cluster's assessment the user may read (an officer: the submitted ones)."""
        r = self._check_cluster(cluster_id, "read")
        found = self.store.assessments(cluster_id)
        return [a for a in found if a.status != "draft"] if r.role == "officer" else found

    def latest_draft(self, cluster_id: int) -> AssessmentInfo | None:
        """The cluster's newest draft; always None for an officer, who never sees drafts."""
        r = self._check_cluster(cluster_id, "read")
        return None if r.role == "officer" else self.store.latest_draft(cluster_id)

    def answer_data(self, assessment_id: int) -> dict[str, Any]:
        """The answers-file dict of an assessment the user may read."""
        self._check_assessment(assessment_id, "read")
        return self.store.answer_data(assessment_id)

    def result_json(self, assessment_id: int) -> str | None:
        """The stored result of an assessment the user may read."""
        self._check_assessment(assessment_id, "read")
        return self.store.result_json(assessment_id)

    def audit(self, assessment_id: int) -> list[AuditEntry]:
        """The changes made to an assessment the user may read."""
        self._check_assessment(assessment_id, "read")
        return self.store.audit(assessment_id)

    def save_answer(self, assessment_id: int, question_id: str, value: Any, actor: str | None = None) -> None:
        """Save one answer of a draft the user may change."""
        actor = self._actor(actor)
        self._check_assessment(assessment_id, "write")
        self.store.save_answer(assessment_id, question_id, value, actor)

    def save_profile(self, assessment_id: int, field_id: str, value: Any, actor: str | None = None) -> None:
        """Save one profile field of a draft the user may change."""
        actor = self._actor(actor)
        self._check_assessment(assessment_id, "write")
        self.store.save_profile(assessment_id, field_id, value, actor)

    def set_year(self, assessment_id: int, year: int, actor: str | None = None) -> None:
        """Change the year of a draft the user may change."""
        actor = self._actor(actor)
        self._check_assessment(assessment_id, "write")
        self.store.set_year(assessment_id, year, actor)

    def import_answers(self, assessment_id: int, data: Mapping[str, Any], actor: str | None = None) -> None:
        """Replace the answers of a draft the user may change."""
        actor = self._actor(actor)
        self._check_assessment(assessment_id, "write")
        self.store.import_answers(assessment_id, data, actor)

    def submit(
        self,
        assessment_id: int,
        result_json: str,
        overall: float | None,
        stage: str | None,
        engine_version: str,
        actor: str | None = None,
    ) -> AssessmentInfo:
        """Submit a draft the user may change."""
        actor = self._actor(actor)
        self._check_assessment(assessment_id, "write")
        return self.store.submit(assessment_id, result_json, overall, stage, engine_version, actor)

    def save_result(
        self,
        assessment_id: int,
        result_json: str,
        overall: float | None,
        stage: str | None,
        engine_version: str,
    ) -> None:
        """Keep the latest result of a draft the user may change."""
        self._check_assessment(assessment_id, "write")
        self.store.save_result(assessment_id, result_json, overall, stage, engine_version)

    def new_version(self, assessment_id: int, actor: str | None = None) -> AssessmentInfo:
        """Start a new version of a submitted assessment of a cluster the user manages."""
        actor = self._actor(actor)
        self._check_assessment(assessment_id, "write")
        return self.store.new_version(assessment_id, actor)

    def previous_version(self, assessment_id: int) -> int | None:
        """The id of the version an assessment the user may read was started from, or None."""
        self._check_assessment(assessment_id, "read")
        return review.previous_version(self.store, assessment_id)

    # ---- review ----

    def review_status(self, assessment_id: int) -> ReviewStatus:
        """Where an assessment the user may read is in the review workflow."""
        self._check_assessment(assessment_id, "read")
        return review.review_status(self.store, assessment_id)

    def review_statuses(self, assessment_ids: Iterable[int]) -> dict[int, ReviewStatus]:
        """The review status of many assessments, by id; refused whole if any is one the user may not read."""
        ids = sorted({int(i) for i in assessment_ids})
        self._check_assessments(ids, "read")
        return review.review_statuses(self.store, ids)

    def comments(self, assessment_id: int) -> list[CommentInfo]:
        """The reviewers' comments on an assessment the user may read, oldest first."""
        self._check_assessment(assessment_id, "read")
        return review.comments(self.store, assessment_id)

    def comment(self, assessment_id: int, body: str, question_id: str | None = None) -> CommentInfo:
        """Comment on an assessment of the officer's programme, or on one of its answers."""
        self._check_assessment(assessment_id, "review")
        return review.add_comment(self.store, assessment_id, body, self.username, question_id)

    def start_review(self, assessment_id: int) -> None:
        """Submitted → in review."""
        self._check_assessment(assessment_id, "review")
        review.set_review_status(self.store, assessment_id, "in_review", self.username)

    def accept(self, assessment_id: int, start: bool = False) -> None:
        """In review → accepted; with `start`, from submitted too (the review starts in the same step)."""
        self._check_assessment(assessment_id, "review")
        review.set_review_status(self.store, assessment_id, "accepted", self.username, start=start)

    def return_assessment(self, assessment_id: int, comment: str | None = None, start: bool = False) -> None:
        """In review (or, with `start`, submitted) → returned to the manager, with an optional comment."""
        self._check_assessment(assessment_id, "review")
        review.set_review_status(self.store, assessment_id, "returned", self.username, comment, start)

    # ---- plans: a manager reads and writes them (submitted assessments too), an officer reads ----

    def plans(self, assessment_id: int, kind: str | None = None) -> list[PlanInfo]:
        """The plans of an assessment the user may read."""
        self._check_assessment(assessment_id, "read")
        return plans.plans(self.store, assessment_id, kind)

    def plan(self, assessment_id: int, kind: str, name: str) -> SavedPlan:
        """One plan of an assessment the user may read."""
        self._check_assessment(assessment_id, "read")
        return plans.plan(self.store, assessment_id, kind, name)

    def save_plan(
        self, assessment_id: int, kind: str, name: str, payload: Any, actor: str | None = None
    ) -> PlanInfo:
        """Save a plan of an assessment of a cluster the user manages (draft or submitted)."""
        actor = self._actor(actor)
        self._check_assessment(assessment_id, "write")
        return plans.save_plan(self.store, assessment_id, kind, name, payload, actor)

    def rename_plan(
        self, assessment_id: int, kind: str, name: str, new_name: str, actor: str | None = None
    ) -> PlanInfo:
        """Rename a plan of an assessment of a cluster the user manages."""
        actor = self._actor(actor)
        self._check_assessment(assessment_id, "write")
        return plans.rename_plan(self.store, assessment_id, kind, name, new_name, actor)

    def delete_plan(self, assessment_id: int, kind: str, name: str, actor: str | None = None) -> None:
        """Delete a plan of an assessment of a cluster the user manages."""
        actor = self._actor(actor)
        self._check_assessment(assessment_id, "write")
        plans.delete_plan(self.store, assessment_id, kind, name, actor)

    # ---- evidence: a manager adds and deletes it (submitted too), an officer reads it and marks ----

    def evidence(self, assessment_id: int) -> list[EvidenceInfo]:
        """The evidence of an assessment the user may read (without files' bytes)."""
        self._check_assessment(assessment_id, "read")
        return evidence.evidence(self.store, assessment_id)

    def evidence_file(self, assessment_id: int, evidence_id: int) -> EvidenceFile:
        """One evidence file, with its bytes, of an assessment the user may read."""
        self._check_assessment(assessment_id, "read")
        return evidence.evidence_file(self.store, assessment_id, evidence_id)

    def add_note(self, assessment_id: int, question_id: str, note: str) -> EvidenceInfo:
        """Back an answer of an assessment of a cluster the user manages with a note."""
        self._check_assessment(assessment_id, "write")
        return evidence.add_note(self.store, assessment_id, question_id, note, self.username)

    def add_link(self, assessment_id: int, question_id: str, url: str) -> EvidenceInfo:
        """Back an answer of an assessment of a cluster the user manages with a link."""
        self._check_assessment(assessment_id, "write")
        return evidence.add_link(self.store, assessment_id, question_id, url, self.username)

    def add_file(self, assessment_id: int, question_id: str, filename: str, content: bytes) -> EvidenceInfo:
        """Back an answer of an assessment of a cluster the user manages with a file."""
        self._check_assessment(assessment_id, "write")
        return evidence.add_file(self.store, assessment_id, question_id, filename, content, self.username)

    def delete_evidence(self, assessment_id: int, evidence_id: int) -> None:
        """Delete evidence of an assessment of a cluster the user manages."""
        self._check_assessment(assessment_id, "write")
        evidence.delete_evidence(self.store, assessment_id, evidence_id, self.username)

    def set_mark(self, assessment_id: int, question_id: str, level: str) -> Level:
        """Mark an answer of a submitted assessment of the officer's programme."""
        self._check_assessment(assessment_id, "review")
        return marks.set_mark(self.store, assessment_id, question_id, level, self.username)

    def marks(self, assessment_id: int) -> dict[str, Level]:
        """The marks of the answers of an assessment the user may read."""
        self._check_assessment(assessment_id, "read")
        return marks.marks(self.store, assessment_id)
