"""The tables, as SQLAlchemy 2 typed models.

Every change goes through a migration in `storage/migrations/versions/`; a test checks
that the models and the migrations agree, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Double,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

STATUSES = ("draft", "submitted")
SECTIONS = ("profile", "answers")


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database.

    SQLite keeps no offset, so values are stored as UTC and read back with UTC attached;
    PostgreSQL's `timestamptz` values are converted to UTC on reading.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive timestamps; store aware ones in UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive timestamp {value!r}: use timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return an aware UTC timestamp."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class JSONValue(TypeDecorator[Any]):
    """A JSON value, read back exactly as written (1.0 stays a float, keys keep their order).

    PostgreSQL keeps it as `json` (text, not `jsonb`, which would reorder keys). SQLite
    keeps the JSON text in a TEXT column: a column declared JSON has NUMERIC affinity in
    SQLite, which would turn the stored text 3.0 into the integer 3.
    """

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """TEXT on SQLite, JSON elsewhere."""
        return dialect.type_descriptor(Text() if dialect.name == "sqlite" else JSON(none_as_null=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        """On SQLite, the JSON text of the value (None stays NULL)."""
        if dialect.name != "sqlite" or value is None:
            return value
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        """On SQLite, the value of the stored JSON text."""
        if dialect.name != "sqlite" or value is None:
            return value
        return json.loads(value)


class Base(DeclarativeBase):
    """Declarative base with named constraints (so that migrations can refer to them)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class Cluster(Base):
    """A cluster initiative; its assessments are numbered 1, 2, ... in `Assessment.number`."""

    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Where the cluster came from when not created by hand, e.g. "demo:aei_pattern_year8"; unique,
    # so that loading the demo data twice (even from two processes at once) adds nothing.
    origin: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]


class Assessment(Base):
    """One version of a cluster's self-assessment: a draft, or submitted and frozen."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("cluster_id", "number"),
        CheckConstraint("status IN ('draft', 'submitted')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id"))
    questionnaire: Mapped[str] = mapped_column(String(100))
    questionnaire_version: Mapped[str] = mapped_column(String(50))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]


class Answer(Base):
    """One answer (section "answers", key = question id) or profile field (section "profile").

    The value is the JSON of the answer exactly as the answers file holds it.
    """

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("assessment_id", "section", "key"),
        CheckConstraint("section IN ('profile', 'answers')", name="section"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    section: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(200))
    value: Mapped[Any] = mapped_column(JSONValue, nullable=False)
    updated_at: Mapped[datetime]


class Result(Base):
    """The latest scoring result of an assessment (for a submitted one: the one it was submitted with)."""

    __tablename__ = "results"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    result_json: Mapped[str] = mapped_column(Text)
    overall: Mapped[float | None] = mapped_column(Double)
    stage: Mapped[str | None] = mapped_column(String(50))
    engine_version: Mapped[str] = mapped_column(String(50))
    computed_at: Mapped[datetime]


class ResultSummary(Base):
    """The current scores of an assessment's result, in a narrow row the portfolio reads.

    Written with every result (the same overall and stage, and `summary`: {"dimensions":
    {id: score}, "red_flags": [lesson, ...]}, NULL when the result JSON is not one this
    engine wrote), and rewritten alone by a re-score of the programme. A table of its own,
    not columns of `results`: changing any column of a results row rewrites its 70 kB of
    JSON (on SQLite a re-score of 50,000 rows then wrote gigabytes and doubled the file).
    """

    __tablename__ = "result_summaries"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    overall: Mapped[float | None] = mapped_column(Double)
    stage: Mapped[str | None] = mapped_column(String(50))
    summary: Mapped[Any] = mapped_column(JSONValue, nullable=True)
    computed_at: Mapped[datetime]
    # True once a re-score replaced the scores the result was saved with.
    rescored: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEvent(Base):
    """Who changed what and when: one row per change, never updated or deleted."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), index=True)
    field: Mapped[str | None] = mapped_column(String(300))
    old: Mapped[Any] = mapped_column(JSONValue, nullable=True)
    new: Mapped[Any] = mapped_column(JSONValue, nullable=True)


PLAN_KINDS = ("funding_path", "service_plan", "structure_fit")


class Plan(Base):
    """A named plan saved with an assessment: a funding exit path scenario, a service plan or a structure fit.

    Plans are decided after the score, so they stay editable on a submitted assessment.
    """

    __tablename__ = "plans"
    __table_args__ = (
        UniqueConstraint("assessment_id", "kind", "name"),
        CheckConstraint("kind IN ('funding_path', 'service_plan', 'structure_fit')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    payload: Mapped[Any] = mapped_column(JSONValue, nullable=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(200))


ROLES = ("manager", "officer", "admin")
REVIEW_STATUSES = ("in_review", "accepted", "returned")


class Programme(Base):
    """A funding programme: it groups clusters, and its officers review their submitted assessments."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class ClusterProgramme(Base):
    """The programme a cluster belongs to (at most one)."""

    __tablename__ = "cluster_programmes"

    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id"), primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)


class User(Base):
    """An account: a cluster manager, a programme officer (of one programme) or an administrator.

    The password is kept only as its argon2 hash. A disabled account cannot sign in.
    """

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('manager', 'officer', 'admin')", name="role"),
        CheckConstraint(
            "(role = 'officer' AND programme_id IS NOT NULL) OR (role <> 'officer' AND programme_id IS NULL)",
            name="officer_programme",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(10))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"))
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]
    # The language the user last chose in the app (en, es, pt); NULL until they choose one.
    language: Mapped[str | None] = mapped_column(String(5))


class UserCluster(Base):
    """A cluster a manager manages."""

    __tablename__ = "user_clusters"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id"), primary_key=True)


class Review(Base):
    """The review status of a submitted assessment; no row means "submitted", not yet in review."""

    __tablename__ = "reviews"
    __table_args__ = (CheckConstraint("status IN ('in_review', 'accepted', 'returned')", name="status"),)

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(200))


class Comment(Base):
    """A reviewer's comment on an assessment (question_id None) or on one of its answers."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    question_id: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class Revision(Base):
    """The version a new version was started from (`Store.new_version`)."""

    __tablename__ = "revisions"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    previous_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
