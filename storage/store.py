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

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    JSON,
    ColumnElement,
    Table,
    Text,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    type_coerce,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from assessment.answers import MAX_YEAR, MIN_YEAR
from storage import accounts, plans, review
from storage.access import UserStore
from storage.db import WRITE_OPTION, default_url, make_engine, upgrade
from storage.errors import FrozenAssessment, InvalidValue, NotSubmitted
from storage.models import Answer, Assessment, AuditEvent, Cluster, Result, ResultSummary, Revision
from storage.session import (
    NAME_LENGTH,
    AssessmentInfo,
    AuditEntry,
    ClusterInfo,
    Section,
    _actor,
    _audit,
    _cluster_info,
    _get_assessment,
    _get_cluster,
    _info,
    _infos,
    _key,
    _name,
    _new_cluster,
    _now,
    _text,
)
from storage.summary import summary_of_result

if TYPE_CHECKING:
    from storage.accounts import ProgrammeInfo, User
    from storage.plans import PlanInfo, SavedPlan
    from storage.review import CommentInfo, ReviewStatus


@dataclass(frozen=True)
class ScoreUpdate:
    """The new scores of one submitted assessment's result after a re-score (see `Store.rewrite_scores`)."""

    assessment_id: int
    overall: float | None
    stage: str | None
    summary: dict[str, Any] | None


# Actions written to the audit trail.
RENAME_CLUSTER = "rename_cluster"
START = "start"
SAVE = "save"
DELETE = "delete"
IMPORT = "import"
SUBMIT = "submit"
NEW_VERSION = "new_version"
RESCORE = "rescore"
IMPORT_ROUND = "import_round"


class Store:
    """Clusters, their assessments, answers and results, and the audit trail, in one database.

    Opening a store brings the database schema up to date (Alembic `upgrade head`).
    """

    def __init__(self, url: str | None = None) -> None:
        self.url: str = url or default_url()
        self._engine = make_engine(self.url)
        try:
            upgrade(self._engine)
        except BaseException:
            self._engine.dispose()
            raise
        self._reads = sessionmaker(self._engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self._engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    # ---- housekeeping ----

    @property
    def display_url(self) -> str:
        """The URL with any password masked, to show on screen or in logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        """The database's kind: "sqlite" or "postgresql"."""
        return self._engine.dialect.name

    def close(self) -> None:
        """Close the store's connections (a closed store opens new ones if used again)."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.display_url!r})"

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._reads() as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with self._writes.begin() as session:
            yield session

    # ---- clusters ----

    def clusters(self) -> list[ClusterInfo]:
        """All clusters, sorted by name (case-insensitive)."""
        with self._read() as s:
            rows = s.scalars(select(Cluster)).all()
            return sorted((_cluster_info(c) for c in rows), key=lambda c: (c.name.casefold(), c.id))

    def cluster(self, cluster_id: int) -> ClusterInfo:
        """One cluster.

        Raises:
            NotFound: when there is no cluster with this id.
        """
        with self._read() as s:
            return _cluster_info(_get_cluster(s, cluster_id))

    def cluster_by_origin(self, origin: str) -> ClusterInfo | None:
        """The cluster imported from `origin` (see `import_cluster`), if any."""
        with self._read() as s:
            found = s.scalars(select(Cluster).where(Cluster.origin == origin)).one_or_none()
            return _cluster_info(found) if found else None

    def create_cluster(self, name: str, actor: str) -> ClusterInfo:
        """Add a cluster.

        Raises:
            InvalidValue: for an empty name or actor.
        """
        actor, name = _actor(actor), _name(name)
        with self._write() as s:
            return _cluster_info(_new_cluster(s, name, actor, _now()))

    # ---- assessments ----

    def start_assessment(
        self, cluster_id: int, questionnaire: str, version: str, year: int, actor: str
    ) -> AssessmentInfo:
        """Start a new draft with no answers, numbered after the cluster's latest version.

        Raises:
            NotFound: when there is no such cluster.
            InvalidValue: for an empty questionnaire id or version, or a year that is not a whole
                number from 1950 to 2100.
        """
        actor = _actor(actor)
        questionnaire = _text("questionnaire", questionnaire, 100)
        version = _text("version", version, 50)
        year = _year(year)
        with self._write() as s:
            cluster = _get_cluster(s, cluster_id, lock=True)
            a = _new_assessment(s, cluster, questionnaire, version, year, actor, _now())
            return _info(s, a.id)

    def assessment(self, assessment_id: int) -> AssessmentInfo:
        """One assessment.

        Raises:
            NotFound: when there is no assessment with this id.
        """
        with self._read() as s:
            return _info(s, assessment_id)

    def assessments(self, cluster_id: int) -> list[AssessmentInfo]:
        """All versions of a cluster's assessment, oldest first.

        Raises:
            NotFound: when there is no such cluster.
        """
        with self._read() as s:
            _get_cluster(s, cluster_id)
            return _infos(s, Assessment.cluster_id == cluster_id)

    def latest_draft(self, cluster_id: int) -> AssessmentInfo | None:
        """The cluster's newest draft, or None when every version is submitted.

        Raises:
            NotFound: when there is no such cluster.
        """
        drafts = [a for a in self.assessments(cluster_id) if a.status == "draft"]
        return drafts[-1] if drafts else None

    # ---- answers ----

    def save_answer(self, assessment_id: int, question_id: str, value: Any, actor: str) -> None:
        """Save one answer of a draft as given (raw, JSON); None deletes it. Other answers are untouched.

        Raises:
            NotFound: when there is no such assessment.
            FrozenAssessment: when the assessment is submitted.
            InvalidValue: when the value cannot be kept as JSON.
        """
        self._save(assessment_id, "answers", question_id, value, actor)

    def save_profile(self, assessment_id: int, field_id: str, value: Any, actor: str) -> None:
        """Save one profile field of a draft; None deletes it. A non-empty `name` also renames the cluster.

        Raises:
            NotFound: when there is no such assessment.
            FrozenAssessment: when the assessment is submitted.
            InvalidValue: when the value cannot be kept as JSON.
        """
        self._save(assessment_id, "profile", field_id, value, actor)

    def _save(self, assessment_id: int, section: Section, key: str, value: Any, actor: str) -> None:
        actor = _actor(actor)
        key = _key(section, key, assessment_id)
        _check_value(section, key, value, assessment_id)
        with self._write() as s:
            a = _draft(s, assessment_id)
            now = _now()
            changed, old = _set_value(s, a.id, section, key, value, now)
            if changed:
                _audit(s, now, actor, DELETE if value is None else SAVE, a, f"{section}.{key}", old, value)
                if section == "profile" and key == "name":
                    _rename(s, a, value, actor, now)
                a.updated_at = now

    def set_year(self, assessment_id: int, year: int, actor: str) -> None:
        """Change the year a draft's answers describe.

        Raises:
            NotFound: when there is no such assessment.
            FrozenAssessment: when the assessment is submitted.
            InvalidValue: for a year that is not a whole number from 1950 to 2100.
        """
        actor, year = _actor(actor), _year(year, assessment_id)
        with self._write() as s:
            a = _draft(s, assessment_id)
            if a.year != year:
                now = _now()
                _audit(s, now, actor, SAVE, a, "year", a.year, year)
                a.year, a.updated_at = year, now

    def answer_data(self, assessment_id: int) -> dict[str, Any]:
        """The answers-file dict: questionnaire, version, year, profile and answers (set ones only).

        Raises:
            NotFound: when there is no such assessment.
        """
        with self._read() as s:
            a = _get_assessment(s, assessment_id)
            data = _values(s, a.id)
            return {
                "questionnaire": a.questionnaire,
                "version": a.questionnaire_version,
                "year": a.year,
                "profile": data["profile"],
                "answers": data["answers"],
            }

    def import_answers(self, assessment_id: int, data: Mapping[str, Any], actor: str) -> None:
        """Replace a draft's year, profile and answers with an answers-file dict, in one transaction.

        Null values and missing sections count as not answered. One audit row (action "import")
        is written per field that changes; unchanged fields are not rewritten.

        Raises:
            NotFound: when there is no such assessment.
            FrozenAssessment: when the assessment is submitted.
            InvalidValue: when the data is for another questionnaire or version, or holds a
                value that cannot be kept as JSON.
        """
        actor = _actor(actor)
        sections = _sections(data, assessment_id)
        with self._write() as s:
            a = _draft(s, assessment_id)
            _check_questionnaire(a, data)
            _replace(s, a, data, sections, actor, _now())

    def import_cluster(
        self,
        data: Mapping[str, Any],
        result_json: str,
        overall: float | None,
        stage: str | None,
        engine_version: str,
        actor: str,
        origin: str | None = None,
    ) -> AssessmentInfo | None:
        """Add a cluster (named after the profile's name) with one submitted assessment of `data`.

        With `origin` (e.g. "demo:<file>"), a cluster already imported from the same origin is
        kept and nothing is added (None is returned), even when two processes import at once.

        Raises:
            InvalidValue: as for `import_answers` and `submit`.
        """
        actor = _actor(actor)
        sections, questionnaire, version, year = _answers_head(data)
        profile_name = sections["profile"].get("name")
        name = _name(profile_name if isinstance(profile_name, str) and profile_name.strip() else origin or "")
        _check_result(result_json, overall, stage, engine_version)
        if origin is not None and self.cluster_by_origin(origin) is not None:
            return None
        try:
            with self._write() as s:
                if origin is not None and s.scalar(select(Cluster.id).where(Cluster.origin == origin)):
                    return None
                now = _now()
                cluster = _new_cluster(s, name, actor, now, origin)
                a = _new_assessment(s, cluster, questionnaire, version, year, actor, now)
                _replace(s, a, data, sections, actor, now)
                _submit(s, a, result_json, overall, stage, engine_version, actor, now)
                return _info(s, a.id)
        except IntegrityError:
            if origin is not None and self.cluster_by_origin(origin) is not None:
                return None  # another process imported it first
            raise

    def import_round(
        self,
        cluster_id: int,
        data: Mapping[str, Any],
        result_json: str,
        overall: float | None,
        stage: str | None,
        engine_version: str,
        actor: str,
    ) -> AssessmentInfo | None:
        """Add a submitted assessment of `data` to an existing cluster: its next round, in one transaction.

        Numbered after the cluster's latest version; drafts are left alone. When the cluster's
        latest submitted assessment already holds exactly these year, profile and answers
        (the same file imported again), nothing is added and None is returned. The profile's
        name renames the cluster when it is spelt differently, as for any version.

        Raises:
            NotFound: when there is no such cluster.
            InvalidValue: as for `import_answers` and `submit`.
        """
        actor = _actor(actor)
        sections, questionnaire, version, year = _answers_head(data)
        _check_result(result_json, overall, stage, engine_version)
        with self._write() as s:
            cluster = _get_cluster(s, cluster_id, lock=True)
            latest = s.scalar(
                select(Assessment)
                .where(Assessment.cluster_id == cluster.id, Assessment.status == "submitted")
                .order_by(Assessment.number.desc())
                .limit(1)
            )
            if latest is not None and _same_round(s, latest, (questionnaire, version, year), sections):
                return None
            now = _now()
            a = _new_assessment(s, cluster, questionnaire, version, year, actor, now, IMPORT_ROUND)
            _replace(s, a, data, sections, actor, now)
            _submit(s, a, result_json, overall, stage, engine_version, actor, now)
            return _info(s, a.id)

    # ---- results and versions ----

    def submit(
        self,
        assessment_id: int,
        result_json: str,
        overall: float | None,
        stage: str | None,
        engine_version: str,
        actor: str,
    ) -> AssessmentInfo:
        """Submit a draft with its result; from then on it is frozen.

        Raises:
            NotFound: when there is no such assessment.
            FrozenAssessment: when it is already submitted.
        """
        actor = _actor(actor)
        _check_result(result_json, overall, stage, engine_version)
        with self._write() as s:
            a = _draft(s, assessment_id)
            _submit(s, a, result_json, overall, stage, engine_version, actor, _now())
            return _info(s, a.id)

    def save_result(
        self,
        assessment_id: int,
        result_json: str,
        overall: float | None,
        stage: str | None,
        engine_version: str,
    ) -> None:
        """Keep a draft's latest result (replacing the previous one); not audited.

        Raises:
            NotFound: when there is no such assessment.
            FrozenAssessment: when it is submitted (its result is the one it was submitted with).
        """
        _check_result(result_json, overall, stage, engine_version)
        with self._write() as s:
            a = _draft(s, assessment_id)
            _put_result(s, a.id, result_json, overall, stage, engine_version, _now())

    def result_json(self, assessment_id: int) -> str | None:
        """The stored result (JSON text, as given), or None when none was stored.

        Raises:
            NotFound: when there is no such assessment.
        """
        with self._read() as s:
            _get_assessment(s, assessment_id)
            return s.scalar(select(Result.result_json).where(Result.assessment_id == assessment_id))

    def new_version(self, assessment_id: int, actor: str) -> AssessmentInfo:
        """Start a new draft (the cluster's next number) with a copy of a submitted version's answers.

        The submitted version and its result stay as they are; the new draft links to it
        (see `previous_version`) and starts with copies of its plans (`storage.plans`).

        Raises:
            NotFound: when there is no such assessment.
            NotSubmitted: when it is a draft (edit the draft instead).
        """
        actor = _actor(actor)
        with self._write() as s:
            source = _get_assessment(s, assessment_id)
            if source.status != "submitted":
                raise NotSubmitted(assessment_id, "starting a new version from it")
            cluster = _get_cluster(s, source.cluster_id, lock=True)
            now = _now()
            a = _new_assessment(
                s, cluster, source.questionnaire, source.questionnaire_version, source.year, actor, now, None
            )
            rows = s.execute(
                select(Answer.section, Answer.key, Answer.value)
                .where(Answer.assessment_id == source.id)
                .order_by(Answer.id)
            ).all()
            if rows:
                s.execute(
                    insert(Answer),
                    [
                        {"assessment_id": a.id, "section": sec, "key": key, "value": value, "updated_at": now}
                        for sec, key, value in rows
                    ],
                )
            s.add(Revision(assessment_id=a.id, previous_id=source.id))
            from storage.plans import copy_plans

            copy_plans(s, source.id, a.id, now, actor)
            _audit(
                s,
                now,
                actor,
                NEW_VERSION,
                a,
                None,
                {"assessment": source.id, "number": source.number},
                {"assessment": a.id, "number": a.number},
            )
            return _info(s, a.id)

    # ---- many assessments at once (portfolio, re-score) ----

    def submitted_id_range(self) -> tuple[int, int] | None:
        """The lowest and highest id of a submitted assessment, or None when none is submitted."""
        with self._read() as s:
            low, high = s.execute(
                select(func.min(Assessment.id), func.max(Assessment.id)).where(
                    Assessment.status == "submitted"
                )
            ).one()
            return None if low is None else (int(low), int(high))

    def submitted_answer_sets(self, low: int, high: int) -> list[tuple[int, dict[str, Any]]]:
        """Every submitted assessment with an id in [low, high), by id, with its answers-file dict.

        The answers come as one aggregated row per assessment and section (SQLite `group_concat`
        of the stored JSON texts, PostgreSQL `json_object_agg`), which costs far less than a row
        and a decode per answer when a whole programme is re-scored.
        """
        where = (Assessment.status == "submitted", Assessment.id >= low, Assessment.id < high)
        with self._read() as s:
            heads = s.execute(
                select(
                    Assessment.id, Assessment.questionnaire, Assessment.questionnaire_version, Assessment.year
                )
                .where(*where)
                .order_by(Assessment.id)
            ).all()
            found = _grouped_sections(s, Answer.assessment_id >= low, Answer.assessment_id < high)
        return [
            (
                aid,
                {
                    "questionnaire": qid,
                    "version": version,
                    "year": year,
                    "profile": found.get(aid, {}).get("profile", {}),
                    "answers": found.get(aid, {}).get("answers", {}),
                },
            )
            for aid, qid, version, year in heads
        ]

    def rewrite_scores(self, batches: Iterable[Iterable[ScoreUpdate]], actor: str, reason: str) -> int:
        """Replace the current scores of submitted assessments after a re-score, in one transaction.

        Writes each one's overall, stage and summary (`ResultSummary`, which the portfolio
        reads), marked as re-scored; the result itself (`results`: the JSON with its
        explanations, and the scores in it) stays the one the assessment was submitted with.
        Drafts are never touched. `batches` is consumed inside the transaction; if it raises,
        nothing is written. One audit row records the re-score (who, why, how many), not one
        per assessment. Returns how many summaries were rewritten.

        Raises:
            InvalidValue: for an empty actor or reason, or a score that is not a finite number
                (nothing is written).
        """
        actor, reason = _actor(actor), _text("reason", reason, 300)
        now = _now()
        table = cast(Table, ResultSummary.__table__)
        stmt = (
            update(table)
            .where(table.c.assessment_id == bindparam("aid"), _is_submitted(bindparam("aid")))
            .values(
                overall=bindparam("o"), stage=bindparam("st"), summary=bindparam("su"), computed_at=now,
                rescored=True,
            )
        )  # fmt: skip
        done = 0
        with self._write() as s:
            connection = s.connection()
            for batch in batches:
                rows = [_score_row(u) for u in batch]
                if rows:
                    done += _rowcount(connection.execute(stmt, rows), len(rows))
            if done:
                s.add(
                    AuditEvent(
                        at=now, actor=actor, action=RESCORE, cluster_id=None, assessment_id=None,
                        field="result_summaries", old=None, new={"reason": reason, "results": done},
                    )
                )  # fmt: skip
        return done

    # ---- audit ----

    def audit(self, assessment_id: int) -> list[AuditEntry]:
        """The changes made to an assessment, oldest first.

        Raises:
            NotFound: when there is no such assessment.
        """
        with self._read() as s:
            _get_assessment(s, assessment_id)
            return _entries(s, AuditEvent.assessment_id == assessment_id)

    def cluster_audit(self, cluster_id: int) -> list[AuditEntry]:
        """The changes made to a cluster and all its assessments, oldest first.

        Raises:
            NotFound: when there is no such cluster.
        """
        with self._read() as s:
            _get_cluster(s, cluster_id)
            return _entries(s, AuditEvent.cluster_id == cluster_id)

    # ---- programmes, accounts and review (storage.accounts, storage.review, storage.access) ----

    def create_programme(self, slug: str, name: str, actor: str = "system") -> ProgrammeInfo:
        """Add a programme; see `storage.accounts.create_programme`."""
        return accounts.create_programme(self, slug, name, actor)

    def programme(self, slug: str) -> ProgrammeInfo:
        """One programme, with its clusters' ids; see `storage.accounts.programme`."""
        return accounts.programme(self, slug)

    def programmes(self) -> list[ProgrammeInfo]:
        """All programmes, by slug."""
        return accounts.programmes(self)

    def assign_cluster(self, cluster_id: int, programme: str, actor: str = "system") -> None:
        """Put a cluster in a programme (by slug); see `storage.accounts.assign_cluster`."""
        accounts.assign_cluster(self, cluster_id, programme, actor)

    def cluster_programme(self, cluster_id: int) -> str | None:
        """The slug of the cluster's programme, or None."""
        return accounts.cluster_programme(self, cluster_id)

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

    # ---- plans (storage.plans) ----

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


# ---- helpers working inside a session ----


def _draft(s: Session, assessment_id: int) -> Assessment:
    """The assessment, locked for the rest of the transaction (PostgreSQL), when it is a draft."""
    a = _get_assessment(s, assessment_id, lock=True)
    if a.status != "draft":
        raise FrozenAssessment(a.id, a.number)
    return a


def _answers_head(data: Mapping[str, Any]) -> tuple[dict[str, dict[str, Any]], str, str, int]:
    """An answers file's sections, questionnaire, version and year, each checked (`InvalidValue`)."""
    sections = _sections(data, None)
    questionnaire = _text("questionnaire", data.get("questionnaire"), 100)
    version = _text("version", _version(data.get("version")), 50)
    return sections, questionnaire, version, _year(data.get("year"))


def _new_assessment(
    s: Session,
    cluster: Cluster,
    questionnaire: str,
    version: str,
    year: int,
    actor: str,
    now: datetime,
    action: str | None = START,
) -> Assessment:
    """A new draft numbered after the cluster's latest; the caller holds the cluster's lock."""
    number = (
        s.scalar(
            select(func.coalesce(func.max(Assessment.number), 0)).where(Assessment.cluster_id == cluster.id)
        )
        or 0
    ) + 1
    a = Assessment(
        cluster_id=cluster.id,
        questionnaire=questionnaire,
        questionnaire_version=version,
        year=year,
        number=number,
        status="draft",
        created_at=now,
        updated_at=now,
        submitted_at=None,
    )
    s.add(a)
    s.flush()
    if action:
        new = {"questionnaire": questionnaire, "version": version, "year": year, "number": number}
        _audit(s, now, actor, action, a, None, None, new)
    return a


def _entries(s: Session, where: ColumnElement[bool]) -> list[AuditEntry]:
    rows = s.scalars(select(AuditEvent).where(where).order_by(AuditEvent.id)).all()
    return [AuditEntry(e.at, e.actor, e.action, e.field, e.old, e.new, e.assessment_id) for e in rows]


def _values(s: Session, assessment_id: int) -> dict[str, dict[str, Any]]:
    """The stored profile and answers, each in the order first saved."""
    out: dict[str, dict[str, Any]] = {"profile": {}, "answers": {}}
    rows = s.execute(
        select(Answer.section, Answer.key, Answer.value)
        .where(Answer.assessment_id == assessment_id)
        .order_by(Answer.id)
    )
    for section, key, value in rows:
        out[section][key] = value
    return out


def _same_round(
    s: Session, a: Assessment, head: tuple[str, str, int], sections: Mapping[str, Mapping[str, Any]]
) -> bool:
    """Whether the assessment holds exactly this questionnaire, version, year, profile and answers.

    Values compare as JSON texts (1 and 1.0 differ); the order of keys does not matter.
    """
    if (a.questionnaire, a.questionnaire_version, a.year) != head:
        return False
    stored = _values(s, a.id)
    return all(
        json.dumps(stored[k], sort_keys=True, ensure_ascii=False)
        == json.dumps(sections[k], sort_keys=True, ensure_ascii=False)
        for k in ("profile", "answers")
    )


def _is_submitted(assessment_id: Any) -> ColumnElement[bool]:
    """True when the assessment is submitted (a look-up by primary key, per row)."""
    return (
        select(Assessment.id).where(Assessment.id == assessment_id, Assessment.status == "submitted").exists()
    )


def _rowcount(done: Any, rows: int) -> int:
    """Rows an executemany changed, when the driver says (SQLite and psycopg do), else how many were sent."""
    count = getattr(done, "rowcount", -1)
    return int(count) if isinstance(count, int) and count >= 0 else rows


def _score_row(u: ScoreUpdate) -> dict[str, Any]:
    """The bound values of one re-scored result, checked like a submitted result's."""
    _check_result("-", u.overall, u.stage, "-")
    return {"aid": u.assessment_id, "o": u.overall, "st": u.stage, "su": u.summary}


def _grouped_sections(s: Session, *where: ColumnElement[bool]) -> dict[int, dict[str, dict[str, Any]]]:
    """The stored values of many assessments, as {assessment id: {section: {key: value}}}.

    One JSON object per assessment and section built by the database (see
    `grouped_values`); other databases than SQLite and PostgreSQL are read row by row.
    """
    out: dict[int, dict[str, dict[str, Any]]] = {}
    grouped = grouped_values(s.get_bind().dialect.name)
    if grouped is None:
        for aid, section, key, value in s.execute(
            select(Answer.assessment_id, Answer.section, Answer.key, Answer.value).where(*where)
        ):
            out.setdefault(aid, {}).setdefault(section, {})[key] = value
        return out
    stmt = (
        select(Answer.assessment_id, Answer.section, grouped)
        .where(*where)
        .group_by(Answer.assessment_id, Answer.section)
    )
    for aid, section, values in s.execute(stmt):
        out.setdefault(aid, {})[section] = json.loads(values) if isinstance(values, str) else dict(values)
    return out


def grouped_values(dialect: str) -> ColumnElement[Any] | None:
    """A column giving one JSON object of key: value per group of answer rows, or None.

    Stored values are JSON texts, so SQLite can join them as they are (`group_concat`);
    PostgreSQL builds the object with `json_object_agg`. None for other databases.
    """
    if dialect == "sqlite":
        pair = func.json_quote(Answer.key).concat(":").concat(type_coerce(Answer.value, Text))
        return literal("{").concat(func.group_concat(pair, ",")).concat("}")
    if dialect == "postgresql":
        return func.json_object_agg(Answer.key, type_coerce(Answer.value, JSON))
    return None


def _set_value(
    s: Session, assessment_id: int, section: Section, key: str, value: Any, now: datetime
) -> tuple[bool, Any]:
    """Insert, update or (value None) delete one value; returns (changed, old value).

    Plain statements, not ORM attribute changes: the ORM compares with ==, for which
    1, 1.0 and True are the same value, and would skip the update.
    """
    where = (Answer.assessment_id == assessment_id, Answer.section == section, Answer.key == key)
    row = s.execute(select(Answer.id, Answer.value).where(*where)).one_or_none()
    old = row.value if row is not None else None
    if value is None:
        if row is None:
            return False, None
        s.execute(delete(Answer).where(Answer.id == row.id))
    elif row is None:
        s.execute(
            insert(Answer).values(
                assessment_id=assessment_id, section=section, key=key, value=value, updated_at=now
            )
        )
    elif _same(old, value):
        return False, old
    else:
        s.execute(update(Answer).where(Answer.id == row.id).values(value=value, updated_at=now))
    return True, old


def _rename(s: Session, a: Assessment, value: Any, actor: str, now: datetime) -> None:
    """Rename the cluster after a draft's profile name, when it is a non-empty text."""
    if not isinstance(value, str) or not value.strip():
        return
    cluster = _get_cluster(s, a.cluster_id, lock=True)
    name = value.strip()
    if cluster.name != name:
        _audit(s, now, actor, RENAME_CLUSTER, a, "cluster.name", cluster.name, name)
        cluster.name = name


def _replace(
    s: Session,
    a: Assessment,
    data: Mapping[str, Any],
    sections: dict[str, dict[str, Any]],
    actor: str,
    now: datetime,
) -> None:
    """Make a draft's year, profile and answers those of `data`, auditing each change.

    Rows whose value does not change are left alone; new ones are inserted in the order of `data`.
    """
    audits: list[dict[str, Any]] = []

    def change(field: str, old: Any, new: Any) -> None:
        audits.append(
            {
                "at": now,
                "actor": actor,
                "action": IMPORT,
                "cluster_id": a.cluster_id,
                "assessment_id": a.id,
                "field": field,
                "old": old,
                "new": new,
            }
        )

    year = data.get("year")
    if year is not None and year != a.year:
        change("year", a.year, year)
        a.year = year
    current: dict[str, dict[str, tuple[int, Any]]] = {"profile": {}, "answers": {}}
    rows = s.execute(
        select(Answer.id, Answer.section, Answer.key, Answer.value).where(Answer.assessment_id == a.id)
    )
    for row_id, section, key, value in rows:
        current[section][key] = (row_id, value)
    deleted: list[int] = []
    inserted: list[dict[str, Any]] = []
    for section in ("profile", "answers"):
        wanted, stored = sections[section], current[section]
        for key, (row_id, old) in stored.items():
            if key not in wanted:
                deleted.append(row_id)
                change(f"{section}.{key}", old, None)
        for key, value in wanted.items():
            if key not in stored:
                inserted.append(
                    {"assessment_id": a.id, "section": section, "key": key, "value": value, "updated_at": now}
                )
                change(f"{section}.{key}", None, value)
            elif not _same(stored[key][1], value):
                row_id = stored[key][0]
                s.execute(update(Answer).where(Answer.id == row_id).values(value=value, updated_at=now))
                change(f"{section}.{key}", stored[key][1], value)
    if deleted:
        s.execute(delete(Answer).where(Answer.id.in_(deleted)))
    if inserted:
        s.execute(insert(Answer), inserted)
    if audits:
        s.execute(insert(AuditEvent), audits)
        a.updated_at = now
    if any(e["field"] == "profile.name" for e in audits):
        _rename(s, a, sections["profile"].get("name"), actor, now)


def _put_result(
    s: Session,
    assessment_id: int,
    result_json: str,
    overall: float | None,
    stage: str | None,
    engine_version: str,
    now: datetime,
) -> None:
    """Insert or replace the result and its summary row (`ResultSummary`), in the caller's transaction."""
    values = {
        "result_json": result_json,
        "overall": overall,
        "stage": stage,
        "engine_version": engine_version,
        "computed_at": now,
    }
    scores = {
        "overall": overall,
        "stage": stage,
        "summary": summary_of_result(result_json),
        "computed_at": now,
        "rescored": False,
    }
    if s.scalar(select(Result.assessment_id).where(Result.assessment_id == assessment_id)) is None:
        s.execute(insert(Result).values(assessment_id=assessment_id, **values))
    else:
        s.execute(update(Result).where(Result.assessment_id == assessment_id).values(**values))
    where = ResultSummary.assessment_id == assessment_id
    if s.scalar(select(ResultSummary.assessment_id).where(where)) is None:
        s.execute(insert(ResultSummary).values(assessment_id=assessment_id, **scores))
    else:
        s.execute(update(ResultSummary).where(where).values(**scores))


def _submit(
    s: Session,
    a: Assessment,
    result_json: str,
    overall: float | None,
    stage: str | None,
    engine_version: str,
    actor: str,
    now: datetime,
) -> None:
    _put_result(s, a.id, result_json, overall, stage, engine_version, now)
    a.status, a.submitted_at, a.updated_at = "submitted", now, now
    new = {"overall": overall, "stage": stage, "engine_version": engine_version}
    _audit(s, now, actor, SUBMIT, a, None, None, new)


# ---- checks of the arguments, before any transaction ----


def _year(year: Any, assessment_id: int | None = None) -> int:
    if type(year) is not int or not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidValue(
            "year", f"expected a year from {MIN_YEAR} to {MAX_YEAR}, got {year!r}", assessment_id
        )
    return year


def _version(version: Any) -> Any:
    """An answers file's version as text, as the validation reads it (YAML may give 1.0 as a number)."""
    return str(version) if isinstance(version, (int, float)) and not isinstance(version, bool) else version


def _check_value(section: Section, key: str, value: Any, assessment_id: int | None) -> None:
    where = f"{section}.{key}"
    problem = _json_problem(value)
    if problem:
        raise InvalidValue(where, problem, assessment_id)
    if section == "profile" and key == "name" and isinstance(value, str) and len(value.strip()) > NAME_LENGTH:
        raise InvalidValue(where, f"a cluster name is at most {NAME_LENGTH} characters", assessment_id)


def _json_problem(value: Any) -> str | None:
    """Why `value` cannot be stored as JSON and read back the same, or None when it can."""
    if value is None or isinstance(value, (bool, int, str)):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{value!r} is not a finite number"
    if isinstance(value, (list, tuple)):
        return next((p for p in map(_json_problem, value) if p), None)
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                return f"key {k!r} is not a text"
            problem = _json_problem(v)
            if problem:
                return problem
        return None
    return f"{type(value).__name__} value {value!r} cannot be stored as JSON"


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON text: 1, 1.0 and True differ, and so does the order of keys."""
    return json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


def _sections(data: Any, assessment_id: int | None) -> dict[str, dict[str, Any]]:
    """The set profile fields and answers of an answers-file dict, checked to be storable."""
    if not isinstance(data, Mapping):
        raise InvalidValue("data", "expected an answers-file mapping", assessment_id)
    if data.get("year") is not None:
        _year(data["year"], assessment_id)
    out: dict[str, dict[str, Any]] = {}
    for section in ("profile", "answers"):
        raw = data.get(section) or {}
        if not isinstance(raw, Mapping):
            raise InvalidValue(section, "expected a mapping", assessment_id)
        out[section] = {}
        for key, value in raw.items():
            key = _key(section, key, assessment_id)
            _check_value(section, key, value, assessment_id)
            if value is not None:
                out[section][key] = value
    return out


def _check_questionnaire(a: Assessment, data: Mapping[str, Any]) -> None:
    qid, version = data.get("questionnaire"), _version(data.get("version"))
    if (qid is not None and qid != a.questionnaire) or (
        version is not None and version != a.questionnaire_version
    ):
        raise InvalidValue(
            "questionnaire",
            f"the data is for {qid} version {version}; "
            f"the assessment is for {a.questionnaire} version {a.questionnaire_version}",
            a.id,
        )


def _check_result(result_json: Any, overall: Any, stage: Any, engine_version: Any) -> None:
    if not isinstance(result_json, str) or not result_json:
        raise InvalidValue("result_json", "expected the result as JSON text")
    if overall is not None and (
        isinstance(overall, bool) or not isinstance(overall, (int, float)) or not math.isfinite(overall)
    ):
        raise InvalidValue("overall", f"expected a finite number or None, got {overall!r}")
    if stage is not None:
        _text("stage", stage, 50)
    _text("engine_version", engine_version, 50)
