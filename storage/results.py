"""Results and submission: the stored result of a draft, then of its submitted version.

A draft keeps its latest result; submitting freezes the result it was submitted with;
a re-score rewrites only the summaries the portfolio reads, never that frozen result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from storage.audit import RESCORE, SUBMIT
from storage.models import Assessment, AuditEvent, Result, ResultSummary
from storage.session import (
    AssessmentInfo,
    _actor,
    _audit,
    _draft,
    _get_assessment,
    _info,
    _now,
    _text,
)
from storage.summary import summary_of_result
from storage.transactions import Database
from storage.values import _check_result


@dataclass(frozen=True)
class ScoreUpdate:
    """The new scores of one submitted assessment's result after a re-score (see `Store.rewrite_scores`)."""

    assessment_id: int
    overall: float | None
    stage: str | None
    summary: dict[str, Any] | None


class ResultRecords(Database):
    """Submitting, keeping results and re-scoring in bulk."""

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

    def submitted_id_range(self) -> tuple[int, int] | None:
        """The lowest and highest id of a submitted assessment, or None when none is submitted."""
        with self._read() as s:
            low, high = s.execute(
                select(func.min(Assessment.id), func.max(Assessment.id)).where(
                    Assessment.status == "submitted"
                )
            ).one()
            return None if low is None else (int(low), int(high))

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
