"""Answers and profile fields of an assessment: one row per question id, kept as given.

Saving one answer never touches another, and a value equal to the stored one (same JSON
text) writes nothing; every change writes one audit row (actor, field, old and new value).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Text,
    delete,
    func,
    insert,
    literal,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session

from storage.audit import DELETE, IMPORT, RENAME_CLUSTER, SAVE
from storage.models import Answer, Assessment, AuditEvent
from storage.session import (
    Section,
    _actor,
    _audit,
    _draft,
    _get_assessment,
    _get_cluster,
    _key,
    _now,
)
from storage.transactions import Database
from storage.values import _check_questionnaire, _check_value, _same, _sections, _year


class AnswerRecords(Database):
    """Reading and writing the answers of drafts, one or all at once."""

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
