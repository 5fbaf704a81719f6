"""Clusters and their assessments: versions numbered per cluster, imports of whole rounds.

A cluster's versions are numbered under a lock on the cluster row, so two managers
starting a version at once get 1 and 2, never two 1s.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    func,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.answers import _replace, _values
from storage.audit import IMPORT_ROUND, NEW_VERSION, START
from storage.errors import NotSubmitted
from storage.evidence import copy_evidence, remove_files
from storage.models import Answer, Assessment, Cluster, Revision
from storage.plans import copy_plans
from storage.results import _submit
from storage.session import (
    AssessmentInfo,
    ClusterInfo,
    _actor,
    _audit,
    _cluster_info,
    _get_assessment,
    _get_cluster,
    _info,
    _infos,
    _name,
    _new_cluster,
    _now,
    _text,
)
from storage.transactions import Database
from storage.values import _answers_head, _check_result, _year


class ClusterRecords(Database):
    """Clusters, the assessments of each, and new versions and rounds."""

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

    def new_version(self, assessment_id: int, actor: str) -> AssessmentInfo:
        """Start a new draft (the cluster's next number) with a copy of a submitted version's answers.

        The submitted version and its result stay as they are; the new draft links to it
        (see `previous_version`) and starts with copies of its plans (`storage.plans`) and of
        its evidence, not of the officer's marks (`storage.evidence.copy_evidence`).

        Raises:
            NotFound: when there is no such assessment.
            NotSubmitted: when it is a draft (edit the draft instead).
        """
        actor = _actor(actor)
        written: list[Path] = []  # evidence files copied in the folder, removed if this fails
        try:
            with self._write() as s:
                source = _get_assessment(s, assessment_id)
                if source.status != "submitted":
                    raise NotSubmitted(assessment_id, "starting a new version from it")
                cluster = _get_cluster(s, source.cluster_id, lock=True)
                now = _now()
                a = _new_assessment(
                    s,
                    cluster,
                    source.questionnaire,
                    source.questionnaire_version,
                    source.year,
                    actor,
                    now,
                    None,
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
                            {
                                "assessment_id": a.id,
                                "section": sec,
                                "key": key,
                                "value": value,
                                "updated_at": now,
                            }
                            for sec, key, value in rows
                        ],
                    )
                s.add(Revision(assessment_id=a.id, previous_id=source.id))
                copy_plans(s, source.id, a.id, now, actor)
                copy_evidence(s, source.id, a.id, written)
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
        except BaseException:
            remove_files(written)
            raise


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
