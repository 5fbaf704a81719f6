"""Plans saved with an assessment: funding exit path scenarios, the service plan and structure fit.

A plan is a named JSON document of one kind (`PLAN_KINDS`), one per (assessment, kind,
name). Its payload is the JSON of the planning model of its kind (`payload_model`); it is
validated on saving and again on reading, so a payload that no longer fits the model
(after an upgrade, or an edit by hand) raises `InvalidPlan` naming the plan and the field
instead of reaching the app as a half-read dict.

Plans are decided after the score, so they may change on a submitted (frozen) assessment
too. Every change writes one audit row (field `plans.<kind>.<name>`, old and new payload),
like answers; saving a payload equal to the stored one writes nothing.

These functions do not check who may call them: `storage.access.UserStore` does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, cast

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from storage.errors import AlreadyExists, InvalidValue, NotFound, StorageError
from storage.models import PLAN_KINDS, Plan
from storage.session import _actor, _audit, _get_assessment, _now, _text

if TYPE_CHECKING:
    from pydantic import BaseModel

    from storage.transactions import Database

PlanKind = Literal["funding_path", "service_plan", "structure_fit"]


def payload_model(kind: str) -> type[BaseModel]:
    """The planning model a plan of `kind` holds (funding_path, service_plan or structure_fit).

    The planning package is imported here, at the first plan read or saved, not with the
    store: every page (the sign-in page too) opens the store, few of them show a plan.
    """
    from planning import Assumptions, ServicePlan, StructureInputs

    models: dict[str, type[BaseModel]] = {
        "funding_path": Assumptions,
        "service_plan": ServicePlan,
        "structure_fit": StructureInputs,
    }
    return models[kind]


#: Plan names are as long as a planning `Scenario` name may be.
PLAN_NAME_LENGTH = 80

# Actions written to the audit trail.
SAVE_PLAN = "save_plan"
RENAME_PLAN = "rename_plan"
DELETE_PLAN = "delete_plan"


class InvalidPlan(StorageError):
    """A plan's payload does not fit its planning model; names the plan and every failing field."""

    def __init__(self, assessment_id: int, kind: str, name: str, problems: list[str]) -> None:
        self.assessment_id = assessment_id
        self.kind = kind
        self.name = name
        self.problems = problems
        super().__init__(
            f"assessment {assessment_id}: {kind} plan {name!r} is not valid: " + "; ".join(problems)
        )


@dataclass(frozen=True)
class PlanInfo:
    """A saved plan without its payload: what a list of plans shows."""

    id: int
    assessment_id: int
    kind: PlanKind
    name: str
    created_at: datetime
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class SavedPlan:
    """A saved plan with its payload, validated into its planning model."""

    info: PlanInfo
    payload: BaseModel


def _kind(kind: Any, assessment_id: int) -> PlanKind:
    if kind not in PLAN_KINDS:
        raise InvalidValue(
            "plan kind", f"unknown kind {kind!r}; kinds are {', '.join(PLAN_KINDS)}", assessment_id
        )
    return cast(PlanKind, kind)


def _plan_name(name: Any, assessment_id: int) -> str:
    return _text("plan name", name, PLAN_NAME_LENGTH, assessment_id)


def _validated(assessment_id: int, kind: str, name: str, payload: Any) -> BaseModel:
    """The payload as its kind's model; a model of the right class is taken as it is.

    Raises:
        InvalidPlan: naming every field that does not fit.
    """
    from pydantic import BaseModel, ValidationError  # with the planning models, not with the store

    model = payload_model(kind)
    if isinstance(payload, model):
        return payload
    if isinstance(payload, BaseModel):
        raise InvalidPlan(
            assessment_id, kind, name, [f"expected a {model.__name__}, got a {type(payload).__name__}"]
        )
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        from planning._base import problems_from

        problems = [str(p) if p.location else p.message for p in problems_from(exc)]
        raise InvalidPlan(assessment_id, kind, name, problems) from None


def _info(row: Plan) -> PlanInfo:
    return PlanInfo(
        id=row.id,
        assessment_id=row.assessment_id,
        kind=cast(PlanKind, row.kind),
        name=row.name,
        created_at=row.created_at,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def _where(assessment_id: int, kind: str, name: str) -> tuple[Any, ...]:
    return (Plan.assessment_id == assessment_id, Plan.kind == kind, Plan.name == name)


def _field(kind: str, name: str) -> str:
    return f"plans.{kind}.{name}"


def save_plan(
    store: Database, assessment_id: int, kind: str, name: str, payload: Any, actor: str
) -> PlanInfo:
    """Save a plan under its name, adding it or overwriting the one of that name.

    `payload` is the kind's planning model (see `payload_model`) or its JSON-like dict.

    Raises:
        NotFound: when there is no such assessment.
        InvalidValue: for an unknown kind, or an empty or too long name.
        InvalidPlan: when the payload does not fit the kind's model.
    """
    actor = _actor(actor)
    kind = _kind(kind, assessment_id)
    name = _plan_name(name, assessment_id)
    data = _validated(assessment_id, kind, name, payload).model_dump(mode="json")
    with store._write() as s:
        a = _get_assessment(s, assessment_id, lock=True)  # one writer of an assessment's plans at a time
        row = s.scalars(select(Plan).where(*_where(a.id, kind, name))).one_or_none()
        now = _now()
        if row is None:
            s.execute(
                insert(Plan).values(
                    assessment_id=a.id,
                    kind=kind,
                    name=name,
                    payload=data,
                    created_at=now,
                    updated_at=now,
                    updated_by=actor,
                )
            )
            _audit(s, now, actor, SAVE_PLAN, a, _field(kind, name), None, data)
        elif json.dumps(row.payload, ensure_ascii=False) != json.dumps(data, ensure_ascii=False):
            old = row.payload
            s.execute(
                update(Plan).where(Plan.id == row.id).values(payload=data, updated_at=now, updated_by=actor)
            )
            _audit(s, now, actor, SAVE_PLAN, a, _field(kind, name), old, data)
        saved = s.scalars(
            select(Plan).where(*_where(a.id, kind, name)).execution_options(populate_existing=True)
        )
        return _info(saved.one())


def copy_plans(s: Session, source_id: int, target_id: int, now: datetime, actor: str) -> int:
    """Copy an assessment's plans to a new version of it (`Store.new_version`); returns how many.

    A revision changes some answers, not the manager's decisions: the scenarios, service plan
    and structure fit carry over, and then change on the new version alone.
    """
    rows = s.execute(
        select(Plan.kind, Plan.name, Plan.payload).where(Plan.assessment_id == source_id).order_by(Plan.id)
    ).all()
    if rows:
        s.execute(
            insert(Plan),
            [
                {
                    "assessment_id": target_id,
                    "kind": kind,
                    "name": name,
                    "payload": payload,
                    "created_at": now,
                    "updated_at": now,
                    "updated_by": actor,
                }
                for kind, name, payload in rows
            ],
        )
    return len(rows)


def plans(store: Database, assessment_id: int, kind: str | None = None) -> list[PlanInfo]:
    """The assessment's plans (of one kind, if given), by kind then by name (case-insensitive).

    Raises:
        NotFound: when there is no such assessment.
        InvalidValue: for an unknown kind.
    """
    stmt = select(Plan).where(Plan.assessment_id == assessment_id)
    if kind is not None:
        stmt = stmt.where(Plan.kind == _kind(kind, assessment_id))
    with store._read() as s:
        _get_assessment(s, assessment_id)
        rows = s.scalars(stmt).all()
        return sorted(
            (_info(r) for r in rows), key=lambda p: (PLAN_KINDS.index(p.kind), p.name.casefold(), p.name)
        )


def plan(store: Database, assessment_id: int, kind: str, name: str) -> SavedPlan:
    """One plan with its payload validated into its planning model.

    Raises:
        NotFound: when there is no such assessment or plan.
        InvalidValue: for an unknown kind.
        InvalidPlan: when the stored payload no longer fits the model (names the plan and field).
    """
    kind = _kind(kind, assessment_id)
    with store._read() as s:
        _get_assessment(s, assessment_id)
        row = s.scalars(select(Plan).where(*_where(assessment_id, kind, name))).one_or_none()
        if row is None:
            raise NotFound(f"{kind} plan", name)
        info, raw = _info(row), row.payload
    return SavedPlan(info, _validated(assessment_id, kind, info.name, raw))


def rename_plan(
    store: Database, assessment_id: int, kind: str, name: str, new_name: str, actor: str
) -> PlanInfo:
    """Give a plan another name.

    Raises:
        NotFound: when there is no such assessment or plan.
        InvalidValue: for an unknown kind, or an empty or too long new name.
        AlreadyExists: when a plan of this kind already has the new name.
    """
    actor = _actor(actor)
    kind = _kind(kind, assessment_id)
    new_name = _plan_name(new_name, assessment_id)
    with store._write() as s:
        a = _get_assessment(s, assessment_id, lock=True)
        row = s.scalars(select(Plan).where(*_where(a.id, kind, name))).one_or_none()
        if row is None:
            raise NotFound(f"{kind} plan", name)
        if new_name != name:
            if s.scalar(select(Plan.id).where(*_where(a.id, kind, new_name))) is not None:
                raise AlreadyExists(f"{kind} plan", new_name)
            now = _now()
            s.execute(
                update(Plan).where(Plan.id == row.id).values(name=new_name, updated_at=now, updated_by=actor)
            )
            _audit(s, now, actor, RENAME_PLAN, a, _field(kind, new_name), name, new_name)
        saved = s.scalars(select(Plan).where(Plan.id == row.id).execution_options(populate_existing=True))
        return _info(saved.one())


def delete_plan(store: Database, assessment_id: int, kind: str, name: str, actor: str) -> None:
    """Delete a plan; its last payload stays in the audit trail.

    Raises:
        NotFound: when there is no such assessment or plan.
        InvalidValue: for an unknown kind.
    """
    actor = _actor(actor)
    kind = _kind(kind, assessment_id)
    with store._write() as s:
        a = _get_assessment(s, assessment_id, lock=True)
        row = s.execute(select(Plan.id, Plan.payload).where(*_where(a.id, kind, name))).one_or_none()
        if row is None:
            raise NotFound(f"{kind} plan", name)
        s.execute(delete(Plan).where(Plan.id == row.id))
        _audit(s, _now(), actor, DELETE_PLAN, a, _field(kind, name), row.payload, None)
