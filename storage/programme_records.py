"""Programmes: the funding programmes that group clusters, each cluster in at most one.

An officer sees the clusters of one programme (`storage.rights`); a cluster outside every
programme is seen by no officer until an administrator assigns it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.errors import AlreadyExists, InvalidValue, NotFound
from storage.models import Assessment, AuditEvent, Cluster, ClusterProgramme, Programme
from storage.session import _actor, _get_cluster, _name, _now
from storage.transactions import Database

SLUG = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
SYSTEM_ACTOR = "system"

# Actions written to the audit trail.
CREATE_PROGRAMME = "create_programme"
ASSIGN_PROGRAMME = "assign_programme"  # with the cluster


@dataclass(frozen=True)
class ProgrammeInfo:
    """A programme and the ids of its clusters."""

    id: int
    slug: str
    name: str
    clusters: tuple[int, ...]


def create_programme(store: Database, slug: str, name: str, actor: str = SYSTEM_ACTOR) -> ProgrammeInfo:
    """Add a programme (slug: lower-case letters, digits, ".", "_", "-").

    Raises:
        InvalidValue: for a bad slug, an empty name or actor.
        AlreadyExists: when a programme has this slug.
    """
    slug, name, actor = _slug(slug), _name(name), _actor(actor)
    try:
        with store._write() as s:
            if s.scalar(select(Programme.id).where(Programme.slug == slug)) is not None:
                raise AlreadyExists("programme", slug)
            now = _now()
            row = Programme(slug=slug, name=name, created_at=now)
            s.add(row)
            s.flush()
            s.add(
                AuditEvent(at=now, actor=actor, action=CREATE_PROGRAMME, field=f"programme.{slug}", new=name)
            )
            return _programme_info(s, row)
    except IntegrityError as exc:
        raise AlreadyExists("programme", slug) from exc


def programme(store: Database, slug: str) -> ProgrammeInfo:
    """One programme.

    Raises:
        NotFound: when there is no programme with this slug.
    """
    with store._read() as s:
        return _programme_info(s, _get_programme(s, slug))


def programmes(store: Database) -> list[ProgrammeInfo]:
    """All programmes, by slug."""
    with store._read() as s:
        return [_programme_info(s, p) for p in s.scalars(select(Programme).order_by(Programme.slug))]


def assign_cluster(store: Database, cluster_id: int, programme_slug: str, actor: str = SYSTEM_ACTOR) -> None:
    """Put a cluster in a programme (a cluster is in at most one: this moves it).

    Raises:
        NotFound: for an unknown cluster or programme.
    """
    actor = _actor(actor)
    with store._write() as s:
        cluster = _get_cluster(s, cluster_id, lock=True)
        target = _get_programme(s, programme_slug)
        link = s.get(ClusterProgramme, cluster.id)
        old = s.scalar(select(Programme.slug).where(Programme.id == link.programme_id)) if link else None
        if link is not None and link.programme_id == target.id:
            return
        _join(s, cluster.id, target, old, actor)


def cluster_programme(store: Database, cluster_id: int) -> str | None:
    """The slug of the cluster's programme, or None.

    Raises:
        NotFound: when there is no such cluster.
    """
    with store._read() as s:
        _get_cluster(s, cluster_id)
        return s.scalar(
            select(Programme.slug)
            .join(ClusterProgramme, ClusterProgramme.programme_id == Programme.id)
            .where(ClusterProgramme.cluster_id == cluster_id)
        )


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise InvalidValue(
            "programme", f"{value!r}: expected 1 to 100 lower-case letters, digits, '.', '_' or '-'"
        )
    return value


def _get_programme(s: Session, slug: Any) -> Programme:
    found = s.scalars(select(Programme).where(Programme.slug == slug)).one_or_none()
    if found is None:
        raise NotFound("programme", str(slug))
    return found


def _programme_info(s: Session, p: Programme) -> ProgrammeInfo:
    ids = s.scalars(
        select(ClusterProgramme.cluster_id)
        .where(ClusterProgramme.programme_id == p.id)
        .order_by(ClusterProgramme.cluster_id)
    )
    return ProgrammeInfo(id=p.id, slug=p.slug, name=p.name, clusters=tuple(ids))


def _join(s: Session, cluster_id: int, target: Programme, old: str | None, actor: str) -> None:
    """Put the cluster in `target` (moving it from `old`), with its audit row, in the caller's transaction."""
    link = s.get(ClusterProgramme, cluster_id)
    if link is None:
        s.add(ClusterProgramme(cluster_id=cluster_id, programme_id=target.id))
    else:
        link.programme_id = target.id
    s.add(
        AuditEvent(
            at=_now(), actor=actor, action=ASSIGN_PROGRAMME, cluster_id=cluster_id,
            field="programme", old=old, new=target.slug,
        )
    )  # fmt: skip


@dataclass(frozen=True)
class Unassigned:
    """A submitted assessment of a cluster in no programme: no officer sees it until one is assigned."""

    cluster_id: int
    cluster_name: str
    assessment_id: int
    number: int
    year: int
    submitted_at: datetime | None


def unassigned_submissions(store: Database) -> list[Unassigned]:
    """Every submitted assessment of a cluster in no programme, oldest submission first."""
    with store._read() as s:
        rows = s.execute(
            select(
                Cluster.id,
                Cluster.name,
                Assessment.id,
                Assessment.number,
                Assessment.year,
                Assessment.submitted_at,
            )
            .join(Assessment, Assessment.cluster_id == Cluster.id)
            .outerjoin(ClusterProgramme, ClusterProgramme.cluster_id == Cluster.id)
            .where(ClusterProgramme.cluster_id.is_(None), Assessment.status == "submitted")
            .order_by(Assessment.submitted_at, Assessment.id)
        ).all()
    return [Unassigned(*row) for row in rows]
