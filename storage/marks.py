"""The officer's mark of each answer of a submitted assessment: self-declared, documented or verified.

An officer judges what was submitted, so marks are set on submitted assessments only, and
they are not copied to a new version (`Store.new_version`): each round is verified again.
No row means self-declared, so marking an answer self-declared removes its row. Every change
is audited (field `marks.<question id>`, old and new level). These functions do not check
who may call them: `storage.access.UserStore` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, cast

from sqlalchemy import delete, insert, select

from storage.errors import InvalidValue, NotSubmitted
from storage.evidence_models import EVIDENCE_LEVELS, EvidenceMark
from storage.session import _actor, _audit, _get_assessment, _now, _question_id

if TYPE_CHECKING:
    from storage.transactions import Database

Level = Literal["self_declared", "documented", "verified"]
MARK_EVIDENCE = "mark_evidence"  # the action written to the audit trail
_CHUNK = 500


def set_mark(store: Database, assessment_id: int, question_id: str, level: str, actor: str) -> Level:
    """Mark an answer of a submitted assessment self-declared, documented or verified; returns the level.

    Self-declared removes the mark row (no row means self-declared); a level equal to the
    stored one writes nothing.

    Raises:
        NotFound: when there is no such assessment.
        NotSubmitted: for a draft (an officer judges what was submitted).
        InvalidValue: for an invalid question id or an unknown level.
    """
    actor = _actor(actor)
    question_id = _question_id(question_id, assessment_id)
    if level not in EVIDENCE_LEVELS:
        raise InvalidValue(
            f"marks.{question_id}",
            f"unknown level {level!r}; levels are {', '.join(EVIDENCE_LEVELS)}",
            assessment_id,
        )
    with store._write() as s:
        a = _get_assessment(s, assessment_id, lock=True)
        if a.status != "submitted":
            raise NotSubmitted(a.id, "marking its evidence")
        where = (EvidenceMark.assessment_id == a.id, EvidenceMark.question_id == question_id)
        old = s.scalar(select(EvidenceMark.level).where(*where)) or "self_declared"
        if old != level:
            now = _now()
            s.execute(delete(EvidenceMark).where(*where))
            if level != "self_declared":
                s.execute(
                    insert(EvidenceMark).values(
                        assessment_id=a.id,
                        question_id=question_id,
                        level=level,
                        updated_at=now,
                        updated_by=actor,
                    )
                )
            _audit(s, now, actor, MARK_EVIDENCE, a, f"marks.{question_id}", old, level)
    return cast(Level, level)


def marks(store: Database, assessment_id: int) -> dict[str, Level]:
    """The officer's marks of an assessment's answers: question id -> documented or verified.

    A question missing from the dict is self-declared.

    Raises:
        NotFound: when there is no such assessment.
    """
    with store._read() as s:
        _get_assessment(s, assessment_id)
        rows = s.execute(
            select(EvidenceMark.question_id, EvidenceMark.level).where(
                EvidenceMark.assessment_id == assessment_id
            )
        ).all()
        return {q: cast(Level, level) for q, level in rows if level != "self_declared"}


def marks_of(store: Database, assessment_ids: list[int]) -> dict[int, dict[str, Level]]:
    """The marks of many assessments at once (the portfolio): only those with a mark appear."""
    out: dict[int, dict[str, Level]] = {}
    with store._read() as s:
        for start in range(0, len(assessment_ids), _CHUNK):
            chunk = assessment_ids[start : start + _CHUNK]
            rows = s.execute(
                select(EvidenceMark.assessment_id, EvidenceMark.question_id, EvidenceMark.level).where(
                    EvidenceMark.assessment_id.in_(chunk), EvidenceMark.level != "self_declared"
                )
            )
            for aid, qid, level in rows:
                out.setdefault(aid, {})[qid] = cast(Level, level)
    return out
