"""The members' survey of a draft: single-use links, anonymous responses, refusals of abuse.

A manager opens a survey with a closing date and a number of links; each link carries a
random token that works once. Only the token's SHA-256 is kept, so the database cannot
hand out working links, and a response records neither the token nor the browser: it is
tied to no person (a firm name only if the firm gives one). A survey is open while its
assessment is a draft, until its closing date (inclusive) and until closed by hand; a
submitted assessment's result keeps what its members had said by then.

Abuse is refused with `SurveyRefused` and a reason, writing nothing: an unknown token, a
token used before, a closed survey, or a flood (more than `FLOOD_LIMIT` responses from
one browser within `FLOOD_WINDOW`).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from storage.errors import InvalidValue, NotFound, StorageError
from storage.evidence_models import Survey, SurveyAttempt, SurveyInvitation, SurveyResponse
from storage.models import Assessment
from storage.session import _actor, _audit, _draft, _get_assessment, _now
from storage.transactions import Database
from storage.values import _json_problem

MAX_INVITATIONS = 2000
FLOOD_LIMIT = 5
FLOOD_WINDOW = timedelta(minutes=10)
MAX_RESPONSE_CHARS = 50_000
FIRM_NAME_LENGTH = 200

# Actions written to the audit trail.
OPEN_SURVEY = "open_survey"
ADD_INVITATIONS = "add_invitations"
CLOSE_SURVEY = "close_survey"

Reason = Literal["unknown", "used", "closed", "flood"]


class SurveyRefused(StorageError):
    """A survey response (or the opening of a link) refused; nothing was written."""

    MESSAGES: dict[str, str] = {
        "unknown": "this survey link is not valid",
        "used": "this survey link has already been used",
        "closed": "this survey is closed",
        "flood": "too many responses from this browser; try again later",
    }

    def __init__(self, reason: Reason) -> None:
        super().__init__(self.MESSAGES[reason])
        self.reason: Reason = reason


@dataclass(frozen=True)
class SurveyInfo:
    """A survey as the manager sees it: how many links, how many used, how many responses."""

    id: int
    assessment_id: int
    closes_on: date
    created_at: datetime
    closed_at: datetime | None
    invitations: int
    used: int
    responses: int
    draft: bool

    def is_open(self, today: date | None = None) -> bool:
        """Open while the assessment is a draft, not closed by hand and not past its closing date."""
        today = today or _now().date()
        return self.draft and self.closed_at is None and today <= self.closes_on


@dataclass(frozen=True)
class Invitation:
    """What a survey link opens: the assessment it is about, while it can still be answered."""

    survey_id: int
    assessment_id: int
    closes_on: date


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as kept in the database."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_survey(
    store: Database, assessment_id: int, closes_on: date, invitations: int, actor: str
) -> tuple[SurveyInfo, list[str]]:
    """Open a survey of a draft with `invitations` single-use links; returns it and the tokens.

    The tokens are returned once and never stored: the manager hands them out.

    Raises:
        NotFound: when there is no such assessment.
        FrozenAssessment: when it is submitted.
        InvalidValue: for a closing date in the past, a number of links outside 1..2000, or
            while another survey of the assessment is open.
    """
    actor = _actor(actor)
    _check_count(invitations)
    if not isinstance(closes_on, date) or closes_on < _now().date():
        raise InvalidValue("closes_on", "expected a closing date from today on", assessment_id)
    with store._write() as s:
        a = _draft(s, assessment_id)
        now = _now()
        running = _latest(s, a.id)
        if running is not None and _open(running, a.status, now.date()):
            raise InvalidValue("survey", "a survey of this assessment is already open: add links to it", a.id)
        survey = Survey(assessment_id=a.id, closes_on=closes_on, created_at=now, created_by=actor)
        s.add(survey)
        s.flush()
        tokens = _new_tokens(s, survey.id, invitations)
        _audit(
            s,
            now,
            actor,
            OPEN_SURVEY,
            a,
            "survey",
            None,
            {"closes_on": closes_on.isoformat(), "links": invitations},
        )
        return _info(s, survey), tokens


def add_invitations(store: Database, survey_id: int, count: int, actor: str) -> list[str]:
    """More single-use links for an open survey (say, for members who joined); returns the tokens.

    Raises:
        NotFound: when there is no such survey.
        SurveyRefused: when it is closed.
        InvalidValue: for a count outside 1..2000 or more than 2000 links in all.
    """
    actor = _actor(actor)
    _check_count(count)
    with store._write() as s:
        survey = _get_survey(s, survey_id, lock=True)
        a = _get_assessment(s, survey.assessment_id)
        if not _open(survey, a.status, _now().date()):
            raise SurveyRefused("closed")
        have = s.scalar(select(func.count()).where(SurveyInvitation.survey_id == survey.id)) or 0
        if have + count > MAX_INVITATIONS:
            raise InvalidValue("invitations", f"a survey has at most {MAX_INVITATIONS} links", a.id)
        tokens = _new_tokens(s, survey.id, count)
        _audit(s, _now(), actor, ADD_INVITATIONS, a, "survey", have, have + count)
        return tokens


def close_survey(store: Database, survey_id: int, actor: str) -> SurveyInfo:
    """Close a survey by hand before its date; closing a closed one changes nothing.

    Raises:
        NotFound: when there is no such survey.
    """
    actor = _actor(actor)
    with store._write() as s:
        survey = _get_survey(s, survey_id, lock=True)
        if survey.closed_at is None:
            now = _now()
            survey.closed_at = now
            _audit(
                s,
                now,
                actor,
                CLOSE_SURVEY,
                _get_assessment(s, survey.assessment_id),
                "survey",
                None,
                now.isoformat(),
            )
        return _info(s, survey)


def survey_of(store: Database, assessment_id: int) -> SurveyInfo | None:
    """The assessment's latest survey, or None when it never had one.

    Raises:
        NotFound: when there is no such assessment.
    """
    with store._read() as s:
        _get_assessment(s, assessment_id)
        survey = _latest(s, assessment_id)
        return _info(s, survey) if survey is not None else None


def survey_responses(store: Database, assessment_id: int) -> list[dict[str, Any]]:
    """The answers of every response to the assessment's latest survey, oldest first.

    Raises:
        NotFound: when there is no such assessment.
    """
    with store._read() as s:
        _get_assessment(s, assessment_id)
        survey = _latest(s, assessment_id)
        if survey is None:
            return []
        rows = s.scalars(
            select(SurveyResponse.answers)
            .where(SurveyResponse.survey_id == survey.id)
            .order_by(SurveyResponse.id)
        )
        return [dict(r) for r in rows]


def invitation(store: Database, token: str) -> Invitation:
    """What a link opens, if it can still be answered.

    Raises:
        SurveyRefused: for an unknown or used token, or a closed survey.
    """
    with store._read() as s:
        _, survey = _answerable(s, token, _now().date())
        return Invitation(survey.id, survey.assessment_id, survey.closes_on)


def submit_response(
    store: Database,
    token: str,
    answers: Mapping[str, Any],
    firm_name: str | None,
    client: str | None,
    now: datetime | None = None,
) -> None:
    """Store one member's response and spend the link, in one transaction.

    The caller has checked the answers against the questionnaire's survey; here they must
    be storable JSON. The link is spent with a conditional update, so two tabs sending at
    once store one response, never two.

    Raises:
        SurveyRefused: for an unknown or used token, a closed survey or a flood.
        InvalidValue: for answers that cannot be stored or a firm name over 200 characters.
    """
    problem = _json_problem(dict(answers)) if isinstance(answers, Mapping) else "expected a mapping"
    if problem:
        raise InvalidValue("answers", problem)
    if len(repr(answers)) > MAX_RESPONSE_CHARS:
        raise InvalidValue("answers", "the response is too long")
    firm = firm_name.strip() if isinstance(firm_name, str) and firm_name.strip() else None
    if firm is not None and len(firm) > FIRM_NAME_LENGTH:
        raise InvalidValue("firm_name", f"a firm name is at most {FIRM_NAME_LENGTH} characters")
    now = now or _now()
    with store._write() as s:
        found, survey = _answerable(s, token, now.date())
        key = _client_key(survey.id, client)
        if key is not None:
            recent = s.scalar(
                select(func.count()).where(
                    SurveyAttempt.survey_id == survey.id,
                    SurveyAttempt.client_key == key,
                    SurveyAttempt.at > now - FLOOD_WINDOW,
                )
            )
            if (recent or 0) >= FLOOD_LIMIT:
                raise SurveyRefused("flood")
        spent = s.execute(
            update(SurveyInvitation)
            .where(SurveyInvitation.id == found.id, SurveyInvitation.used_at.is_(None))
            .values(used_at=now)
        )
        if getattr(spent, "rowcount", 1) != 1:
            raise SurveyRefused("used")
        s.execute(
            insert(SurveyResponse).values(
                survey_id=survey.id, submitted_at=now, firm_name=firm, answers=dict(answers)
            )
        )
        if key is not None:
            s.execute(insert(SurveyAttempt).values(survey_id=survey.id, client_key=key, at=now))


class SurveyRecords(Database):
    """The survey functions as `Store` methods (unchecked: `UserStore` checks who may call them)."""

    def open_survey(
        self, assessment_id: int, closes_on: date, invitations: int, actor: str
    ) -> tuple[SurveyInfo, list[str]]:
        """Open a survey of a draft; see `open_survey`."""
        return open_survey(self, assessment_id, closes_on, invitations, actor)

    def add_invitations(self, survey_id: int, count: int, actor: str) -> list[str]:
        """More single-use links; see `add_invitations`."""
        return add_invitations(self, survey_id, count, actor)

    def close_survey(self, survey_id: int, actor: str) -> SurveyInfo:
        """Close a survey by hand; see `close_survey`."""
        return close_survey(self, survey_id, actor)

    def survey(self, assessment_id: int) -> SurveyInfo | None:
        """The assessment's latest survey; see `survey_of`."""
        return survey_of(self, assessment_id)

    def survey_responses(self, assessment_id: int) -> list[dict[str, Any]]:
        """The responses to the assessment's latest survey; see `survey_responses`."""
        return survey_responses(self, assessment_id)

    def survey_invitation(self, token: str) -> Invitation:
        """What a link opens; see `invitation` (no account: the token is the right)."""
        return invitation(self, token)

    def submit_survey_response(
        self, token: str, answers: Mapping[str, Any], firm_name: str | None, client: str | None
    ) -> None:
        """A member's response through a link; see `submit_response` (no account)."""
        submit_response(self, token, answers, firm_name, client)


# ---- helpers ----


def _check_count(count: Any) -> None:
    if type(count) is not int or not 1 <= count <= MAX_INVITATIONS:
        raise InvalidValue("invitations", f"expected 1 to {MAX_INVITATIONS} links, got {count!r}")


def _new_tokens(s: Session, survey_id: int, count: int) -> list[str]:
    tokens = [secrets.token_urlsafe(24) for _ in range(count)]
    s.execute(
        insert(SurveyInvitation), [{"survey_id": survey_id, "token_hash": token_hash(t)} for t in tokens]
    )
    return tokens


def _open(survey: Survey, status: str, today: date) -> bool:
    return status == "draft" and survey.closed_at is None and today <= survey.closes_on


def _get_survey(s: Session, survey_id: int, lock: bool = False) -> Survey:
    stmt = select(Survey).where(Survey.id == survey_id)
    found = s.scalars(stmt.with_for_update() if lock else stmt).one_or_none()
    if found is None:
        raise NotFound("survey", survey_id)
    return found


def _latest(s: Session, assessment_id: int) -> Survey | None:
    return s.scalars(
        select(Survey).where(Survey.assessment_id == assessment_id).order_by(Survey.id.desc()).limit(1)
    ).first()


def _invitation(s: Session, token: Any) -> SurveyInvitation:
    if not isinstance(token, str) or not 8 <= len(token) <= 100:
        raise SurveyRefused("unknown")
    found = s.scalars(
        select(SurveyInvitation).where(SurveyInvitation.token_hash == token_hash(token))
    ).one_or_none()
    if found is None:
        raise SurveyRefused("unknown")
    return found


def _answerable(s: Session, token: Any, today: date) -> tuple[SurveyInvitation, Survey]:
    """The link's invitation and survey, when the link can still be answered today.

    Raises:
        SurveyRefused: unknown (no such token), used (spent before) or closed (past its
            date, closed by hand, or its assessment submitted).
    """
    found = _invitation(s, token)
    survey = s.get(Survey, found.survey_id)
    status = (
        s.scalar(select(Assessment.status).where(Assessment.id == survey.assessment_id)) if survey else None
    )
    if survey is None or status is None:
        raise SurveyRefused("unknown")
    if found.used_at is not None:
        raise SurveyRefused("used")
    if not _open(survey, status, today):
        raise SurveyRefused("closed")
    return found, survey


def _client_key(survey_id: int, client: str | None) -> str | None:
    """A hash of the browser's address, salted per survey, so attempts cannot be matched across surveys."""
    if not client:
        return None
    return hashlib.sha256(f"{survey_id}:{client}".encode()).hexdigest()


def _info(s: Session, survey: Survey) -> SurveyInfo:
    links, used = s.execute(
        select(func.count(), func.count(SurveyInvitation.used_at)).where(
            SurveyInvitation.survey_id == survey.id
        )
    ).one()
    responses = s.scalar(select(func.count()).where(SurveyResponse.survey_id == survey.id)) or 0
    status = s.scalar(select(Assessment.status).where(Assessment.id == survey.assessment_id))
    return SurveyInfo(
        survey.id, survey.assessment_id, survey.closes_on, survey.created_at, survey.closed_at,
        int(links or 0), int(used or 0), int(responses), status == "draft",
    )  # fmt: skip
