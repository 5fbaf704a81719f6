"""The review of submitted assessments by programme officers.

A submitted assessment moves: submitted → in review → accepted, or → returned (with
comments); the officer's review queue takes both steps in one transaction (`start=True`).
Reviewers comment on the whole assessment or on one answer (by question id); the manager
reads the comments, starts a new version (`Store.new_version`, which links it to the
previous one) and submits it again, which is reviewed in turn. Every status change and
comment goes into the audit trail with who and when. The text of a comment is kept exactly
as typed.

These functions do not check who may call them: `storage.access.UserStore` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.errors import InvalidTransition, InvalidValue, NotFound, NotSubmitted
from storage.models import Assessment, Comment, Review, Revision
from storage.session import _actor, _audit, _get_assessment, _key, _now

if TYPE_CHECKING:
    from storage.transactions import Database

ReviewStatus = Literal["draft", "submitted", "in_review", "accepted", "returned"]
# Where each status may go next; accepted and returned are final (a revision is a new version).
TRANSITIONS: dict[str, tuple[str, ...]] = {"submitted": ("in_review",), "in_review": ("accepted", "returned")}
MAX_COMMENT = 20_000
CHUNK = 500  # ids per IN (...) of the batch reads

# Actions written to the audit trail.
REVIEW = "review"
COMMENT = "comment"


@dataclass(frozen=True)
class CommentInfo:
    """A reviewer's comment: on the assessment (question_id None) or on one answer."""

    id: int
    assessment_id: int
    question_id: str | None
    author: str
    body: str
    created_at: datetime


def review_status(store: Database, assessment_id: int) -> ReviewStatus:
    """The assessment's place in the workflow: draft, submitted, in_review, accepted or returned.

    Raises:
        NotFound: when there is no such assessment.
    """
    with store._read() as s:
        return _status(s, _get_assessment(s, assessment_id))


def review_statuses(store: Database, assessment_ids: Iterable[int]) -> dict[int, ReviewStatus]:
    """The review status of many assessments at once, by id (a query per 500 ids, not one per id).

    Raises:
        NotFound: for the first id (in ascending order) with no assessment.
    """
    ids = sorted({int(i) for i in assessment_ids})
    found: dict[int, ReviewStatus] = {}
    with store._read() as s:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            rows = s.execute(
                select(Assessment.id, Assessment.status, Review.status)
                .outerjoin(Review, Review.assessment_id == Assessment.id)
                .where(Assessment.id.in_(chunk))
            )
            for aid, status, review in rows:
                found[aid] = "draft" if status == "draft" else cast(ReviewStatus, review or "submitted")
    missing = next((i for i in ids if i not in found), None)
    if missing is not None:
        raise NotFound("assessment", missing)
    return {i: found[i] for i in ids}


def set_review_status(
    store: Database,
    assessment_id: int,
    status: str,
    actor: str,
    comment: str | None = None,
    start: bool = False,
) -> ReviewStatus:
    """Move a submitted assessment to `status` (in_review, accepted or returned); returns the old status.

    With `comment`, a comment on the whole assessment is added in the same transaction. With
    `start`, an assessment still "submitted" first goes to in_review in the same transaction
    (the officer's review queue accepts or returns in one click): the audit trail then has
    both steps, by the same actor at the same time, and the workflow itself is unchanged.

    Raises:
        NotFound: when there is no such assessment.
        NotSubmitted: when it is a draft.
        InvalidTransition: when the workflow does not go from its status to `status`.
        InvalidValue: for an empty or too long comment.
    """
    actor = _actor(actor)
    if comment is not None:
        _check_comment(comment, None, assessment_id)
    with store._write() as s:
        a = _get_assessment(s, assessment_id, lock=True)
        old = _status(s, a)
        if old == "draft":
            raise NotSubmitted(a.id, "reviewing it")
        steps = [old, status]
        if start and old == "submitted" and status != "in_review":
            steps = [old, "in_review", status]
        for before, after in zip(steps, steps[1:], strict=False):
            if after not in TRANSITIONS.get(before, ()):
                raise InvalidTransition(a.id, old, str(status))
        now = _now()
        row = s.get(Review, a.id)
        if row is None:
            s.add(Review(assessment_id=a.id, status=status, updated_at=now, updated_by=actor))
        else:
            row.status, row.updated_at, row.updated_by = status, now, actor
        for before, after in zip(steps, steps[1:], strict=False):
            _audit(s, now, actor, REVIEW, a, "review.status", before, after)
        if comment is not None:
            _comment(s, a, comment, None, actor, now)
        return old


def add_comment(
    store: Database, assessment_id: int, body: str, actor: str, question_id: str | None = None
) -> CommentInfo:
    """Comment on a submitted assessment, or on one of its answers (`question_id`); the text is kept as given.

    Raises:
        NotFound: when there is no such assessment.
        NotSubmitted: when it is a draft.
        InvalidValue: for an empty or too long text, or an invalid question id.
    """
    actor = _actor(actor)
    question_id = _check_comment(body, question_id, assessment_id)
    with store._write() as s:
        a = _get_assessment(s, assessment_id, lock=True)
        if a.status == "draft":
            raise NotSubmitted(a.id, "commenting on it")
        return _comment(s, a, body, question_id, actor, _now())


def _check_comment(body: Any, question_id: Any, assessment_id: int) -> str | None:
    if not isinstance(body, str) or not body.strip():
        raise InvalidValue("comment", f"expected a non-empty text, got {body!r}", assessment_id)
    if len(body) > MAX_COMMENT:
        raise InvalidValue(
            "comment", f"{len(body)} characters long; the limit is {MAX_COMMENT}", assessment_id
        )
    return None if question_id is None else _key("answers", question_id, assessment_id)


def _comment(
    s: Session, a: Assessment, body: str, question_id: str | None, actor: str, now: datetime
) -> CommentInfo:
    row = Comment(assessment_id=a.id, question_id=question_id, author=actor, body=body, created_at=now)
    s.add(row)
    s.flush()
    field = "comment" if question_id is None else f"answers.{question_id}"
    _audit(s, now, actor, COMMENT, a, field, None, body)
    return _comment_info(row)


def comments(store: Database, assessment_id: int) -> list[CommentInfo]:
    """The comments on an assessment, oldest first.

    Raises:
        NotFound: when there is no such assessment.
    """
    with store._read() as s:
        _get_assessment(s, assessment_id)
        rows = s.scalars(select(Comment).where(Comment.assessment_id == assessment_id).order_by(Comment.id))
        return [_comment_info(c) for c in rows]


def previous_version(store: Database, assessment_id: int) -> int | None:
    """The id of the version this one was started from (`new_version`), or None.

    Raises:
        NotFound: when there is no such assessment.
    """
    with store._read() as s:
        _get_assessment(s, assessment_id)
        return s.scalar(select(Revision.previous_id).where(Revision.assessment_id == assessment_id))


def _status(s: Session, a: Assessment) -> ReviewStatus:
    if a.status == "draft":
        return "draft"
    found: Any = s.scalar(select(Review.status).where(Review.assessment_id == a.id))
    return cast(ReviewStatus, found or "submitted")


def _comment_info(c: Comment) -> CommentInfo:
    return CommentInfo(
        id=c.id,
        assessment_id=c.assessment_id,
        question_id=c.question_id,
        author=c.author,
        body=c.body,
        created_at=c.created_at,
    )
