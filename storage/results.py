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
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Update

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
        # By primary key only: which rows are submitted is read once per batch (below), not
        # with a subquery per row, which cost a third of the write on SQLite.
        stmt = (
            update(table)
            .where(table.c.assessment_id == bindparam("aid"))
            .values(
                overall=bindparam("o"), stage=bindparam("st"), summary=bindparam("su"),
                computed_at=bindparam("at"), rescored=bindparam("re"),
            )
        )  # fmt: skip
        done = 0
        with self._write() as s:
            connection = s.connection()
            for batch in batches:
                rows = [_score_row(u) for u in batch]
                if not rows:
                    continue
                submitted = _submitted_ids(s, min(r["aid"] for r in rows), max(r["aid"] for r in rows))
                rows = [r for r in rows if r["aid"] in submitted]
                if rows:
                    written = _execute_many(connection, stmt, table, rows, {"at": now, "re": True})
                    done += _rowcount(written, len(rows))
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


def _submitted_ids(s: Session, low: int, high: int) -> set[int]:
    """The submitted assessments with ids in [low, high], read in the caller's transaction.

    Drafts are never re-scored: their summary follows their latest saved result. One
    submitted after this read is left alone too, which is right: it was just scored. A
    submitted assessment never goes back to being a draft (it is frozen).
    """
    stmt = select(Assessment.id).where(
        Assessment.status == "submitted", Assessment.id >= low, Assessment.id <= high
    )
    return set(s.scalars(stmt))


_COLUMN_OF = {
    "aid": "assessment_id", "o": "overall", "st": "stage", "su": "summary", "at": "computed_at",
    "re": "rescored",
}  # fmt: skip


def _execute_many(
    connection: Connection, stmt: Update, table: Table, rows: list[dict[str, Any]], fixed: dict[str, Any]
) -> Any:
    """Run `stmt` once per row (plus the `fixed` values) with the driver's executemany.

    Through `Connection.execute` SQLAlchemy builds and converts every row's parameters
    itself (the fixed `computed_at` again each row): 0.6 s of the 1 s that 50,000 summaries
    took on SQLite, where sqlite3's executemany alone takes 0.1 s. Here the statement is
    rendered once by the dialect and each value converted by its column type as the
    dialect stores it (`dialect_impl`: the summary as JSON text on SQLite, psycopg's Json
    on PostgreSQL); the fixed values are converted once. Every bound parameter is named
    after its column in `_COLUMN_OF`.
    """
    dialect = connection.dialect
    compiled = stmt.compile(dialect=dialect)
    convert = {
        name: table.c[_COLUMN_OF[name]].type.dialect_impl(dialect).bind_processor(dialect)
        for name in compiled.binds
    }
    fixed = {name: _converted(convert[name], v) for name, v in fixed.items()}
    per_row = [(k, convert[k]) for k in rows[0]]
    processed = [{**fixed, **{k: (f(row[k]) if f else row[k]) for k, f in per_row}} for row in rows]
    if compiled.positiontup is not None:  # qmark (SQLite): the values in the placeholders' order
        order = compiled.positiontup
        return connection.exec_driver_sql(str(compiled), [tuple(r[k] for k in order) for r in processed])
    return connection.exec_driver_sql(str(compiled), processed)


def _rowcount(done: Any, rows: int) -> int:
    """Rows an executemany changed, when the driver says (SQLite and psycopg do), else how many were sent."""
    count = getattr(done, "rowcount", -1)
    return int(count) if isinstance(count, int) and count >= 0 else rows


def _score_row(u: ScoreUpdate) -> dict[str, Any]:
    """The bound values of one re-scored result, checked like a submitted result's."""
    _check_result("-", u.overall, u.stage, "-")
    return {"aid": u.assessment_id, "o": u.overall, "st": u.stage, "su": u.summary}


def _converted(processor: Any, value: Any) -> Any:
    """`value` as the column's bind processor stores it; as it is when the type has none."""
    return processor(value) if processor is not None else value
