"""The tables of what backs an assessment's answers: the members' survey and evidence per answer.

Kept apart from `storage.models` (same `Base`, same metadata) because they are a layer of
their own: nothing in the answers or results depends on them, and an assessment without a
survey or evidence is stored exactly as before. Migration 0006 creates them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, JSONValue

EVIDENCE_KINDS = ("note", "link", "file")
EVIDENCE_LEVELS = ("self_declared", "documented", "verified")


class Survey(Base):
    """A members' survey of one assessment: open until `closes_on` (inclusive) or closed by hand."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    closes_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    closed_at: Mapped[datetime | None]


class SurveyInvitation(Base):
    """One single-use link of a survey, kept only as the SHA-256 of its random token.

    Which invitation a response came through is not recorded: a response is tied to no person.
    """

    __tablename__ = "survey_invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None]


class SurveyResponse(Base):
    """One member firm's answers (a firm name only if it chose to give one)."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    submitted_at: Mapped[datetime]
    firm_name: Mapped[str | None] = mapped_column(String(200))
    answers: Mapped[Any] = mapped_column(JSONValue, nullable=False)


class SurveyAttempt(Base):
    """When a browser (a keyed hash of its address) sent a response: only to refuse floods.

    Kept apart from the responses so that no response can be traced to a browser.
    """

    __tablename__ = "survey_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    client_key: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime]


class Evidence(Base):
    """A note, a link or a file that backs one answer of an assessment.

    A file's bytes are kept in `content` or, when a folder is configured, in that folder
    under `stored_name` (a random name, never the uploaded one).
    """

    __tablename__ = "evidence"
    __table_args__ = (CheckConstraint("kind IN ('note', 'link', 'file')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2000))
    filename: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    stored_name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))


class EvidenceMark(Base):
    """An officer's judgement of one answer: self-declared, documented or verified.

    No row means self-declared.
    """

    __tablename__ = "evidence_marks"
    __table_args__ = (CheckConstraint("level IN ('self_declared', 'documented', 'verified')", name="level"),)

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    level: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(200))
