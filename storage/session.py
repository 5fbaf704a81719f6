"""The shared private helpers of the storage aggregates, and the plain records they return.

Every aggregate (clusters, answers, results, accounts, programmes, plans, review, access)
builds on these: the current time, checks of names and texts, look-ups of a cluster or an
assessment inside a session, the assessment records (`AssessmentInfo`), and writing one
audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, cast

from sqlalchemy import ColumnElement, Executable, bindparam, select
from sqlalchemy.orm import Session

from storage.errors import FrozenAssessment, InvalidValue, NotFound
from storage.models import Assessment, AuditEvent, Cluster, ClusterProgramme, Programme, Result

Status = Literal["draft", "submitted"]
Section = Literal["profile", "answers"]
NAME_LENGTH = 200
KEY_LENGTH = 200


@dataclass(frozen=True)
class ClusterInfo:
    """A cluster as the app sees it."""

    id: int
    name: str
    created_at: datetime


@dataclass(frozen=True)
class AssessmentInfo:
    """One version of a cluster's assessment, with the overall score and stage of its latest result."""

    id: int
    cluster_id: int
    cluster_name: str
    questionnaire: str
    version: str
    year: int
    number: int
    status: Status
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    overall: float | None
    stage: str | None
    # The slug of the programme the cluster is in, read with the assessment (None: in none).
    programme: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One change: who (actor), what (action and field, e.g. "answers.funding_mix"), when, old and new."""

    at: datetime
    actor: str
    action: str
    field: str | None
    old: Any
    new: Any
    assessment_id: int | None = None


CREATE_CLUSTER = "create_cluster"


def _now() -> datetime:
    return datetime.now(UTC)


def _cluster_info(c: Cluster) -> ClusterInfo:
    return ClusterInfo(id=c.id, name=c.name, created_at=c.created_at)


def _get_cluster(s: Session, cluster_id: int, lock: bool = False) -> Cluster:
    stmt = select(Cluster).where(Cluster.id == cluster_id)
    found = s.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
    if found is None:
        raise NotFound("cluster", cluster_id)
    return found


# The reads every page run makes are built once, with the id as a bound parameter: building
# a statement and its cache key costs more than SQLite takes to run it.
_ASSESSMENT_BY_ID = select(Assessment).where(Assessment.id == bindparam("assessment_id"))
_ASSESSMENT_BY_ID_LOCKED = _ASSESSMENT_BY_ID.with_for_update()


def _get_assessment(s: Session, assessment_id: int, lock: bool = False) -> Assessment:
    stmt = _ASSESSMENT_BY_ID_LOCKED if lock else _ASSESSMENT_BY_ID
    found = s.scalars(stmt, {"assessment_id": assessment_id}).one_or_none()
    if found is None:
        raise NotFound("assessment", assessment_id)
    return found


def _infos(s: Session, where: ColumnElement[bool]) -> list[AssessmentInfo]:
    return [info for info, _ in _info_rows(s, where)]


_INFO_SELECT = (
    select(
        Assessment,
        Cluster.name,
        Result.overall,
        Result.stage,
        ClusterProgramme.programme_id,
        Programme.slug,
    )
    .join(Cluster, Cluster.id == Assessment.cluster_id)
    .outerjoin(Result, Result.assessment_id == Assessment.id)
    .outerjoin(ClusterProgramme, ClusterProgramme.cluster_id == Assessment.cluster_id)
    .outerjoin(Programme, Programme.id == ClusterProgramme.programme_id)
    .order_by(Assessment.cluster_id, Assessment.number)
)
_INFO_BY_ID = _INFO_SELECT.where(Assessment.id == bindparam("assessment_id"))


def _info_rows(s: Session, where: ColumnElement[bool]) -> list[tuple[AssessmentInfo, int | None]]:
    """The assessments `where` selects, each with its cluster's programme id (for a rights check)."""
    return _info_records(s, _INFO_SELECT.where(where), {})


def _info_row(s: Session, assessment_id: int) -> tuple[AssessmentInfo, int | None] | None:
    """`_info_rows` for one assessment, in the statement built once (every page run reads one)."""
    found = _info_records(s, _INFO_BY_ID, {"assessment_id": assessment_id})
    return found[0] if found else None


def _info_records(
    s: Session, stmt: Executable, params: dict[str, Any]
) -> list[tuple[AssessmentInfo, int | None]]:
    rows = s.execute(stmt, params).all()
    return [
        (
            AssessmentInfo(
                id=a.id,
                cluster_id=a.cluster_id,
                cluster_name=name,
                questionnaire=a.questionnaire,
                version=a.questionnaire_version,
                year=a.year,
                number=a.number,
                status=cast(Status, a.status),
                created_at=a.created_at,
                updated_at=a.updated_at,
                submitted_at=a.submitted_at,
                overall=overall,
                stage=stage,
                programme=slug,
            ),
            programme_id,
        )
        for a, name, overall, stage, programme_id, slug in rows
    ]


def _info(s: Session, assessment_id: int) -> AssessmentInfo:
    s.flush()
    found = _info_row(s, assessment_id)
    if found is None:
        raise NotFound("assessment", assessment_id)
    return found[0]


def _new_cluster(s: Session, name: str, actor: str, now: datetime, origin: str | None = None) -> Cluster:
    cluster = Cluster(name=name, origin=origin, created_at=now)
    s.add(cluster)
    s.flush()
    s.add(
        AuditEvent(
            at=now,
            actor=actor,
            action=CREATE_CLUSTER,
            cluster_id=cluster.id,
            field="name",
            old=None,
            new=name,
        )
    )
    return cluster


def _audit(
    s: Session, now: datetime, actor: str, action: str, a: Assessment, field: str | None, old: Any, new: Any
) -> None:
    s.add(
        AuditEvent(
            at=now,
            actor=actor,
            action=action,
            cluster_id=a.cluster_id,
            assessment_id=a.id,
            field=field,
            old=old,
            new=new,
        )
    )


def _actor(actor: Any) -> str:
    return _text("actor", actor, NAME_LENGTH)


def _name(name: Any) -> str:
    return _text("name", name, NAME_LENGTH)


def _text(field: str, value: Any, limit: int, assessment_id: int | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(field, f"expected a non-empty text, got {value!r}", assessment_id)
    value = value.strip()
    if len(value) > limit:
        raise InvalidValue(field, f"{len(value)} characters long; the limit is {limit}", assessment_id)
    return value


def _key(section: Section, key: Any, assessment_id: int | None) -> str:
    what = "question id" if section == "answers" else "profile field"
    if not isinstance(key, str) or not key or key != key.strip() or len(key) > KEY_LENGTH:
        raise InvalidValue(section, f"invalid {what} {key!r}", assessment_id)
    return key


def _question_id(question_id: Any, assessment_id: int) -> str:
    """A question id of the right form (evidence and marks; storage never reads the questionnaire)."""
    if (
        not isinstance(question_id, str)
        or not question_id
        or question_id != question_id.strip()
        or len(question_id) > KEY_LENGTH
    ):
        raise InvalidValue("question id", f"invalid question id {question_id!r}", assessment_id)
    return question_id


def _draft(s: Session, assessment_id: int) -> Assessment:
    """The assessment, locked for the rest of the transaction (PostgreSQL), when it is a draft."""
    a = _get_assessment(s, assessment_id, lock=True)
    if a.status != "draft":
        raise FrozenAssessment(a.id, a.number)
    return a
