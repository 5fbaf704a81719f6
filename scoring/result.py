"""What the engine returns: scores, stage and findings, each with its explanation.

Plain slotted dataclasses keep scoring fast (frozen ones cost four times as much to
build, and a result holds a few hundred of them); treat them as values all the same.
Pydantic's TypeAdapter turns them into JSON and back, so stored results can be read
again without hand-written parsing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import TypeAdapter

ItemStatus = Literal["scored", "unanswered", "hidden", "not_scored", "cannot_judge"]
FindingKind = Literal["red_flag", "gap", "strength"]
Severity = Literal["high", "medium", "low"]


@dataclass(slots=True)
class ItemScore:
    """The score of one question or cross-check, and the reason for it."""

    id: str
    kind: Literal["question", "check"]
    dimension: str
    weight: float
    score: float | None
    status: ItemStatus
    explanation: str
    inputs: tuple[str, ...]
    lessons: tuple[str, ...]
    title: str = ""


@dataclass(slots=True)
class DimensionScore:
    """A dimension's score: the weighted mean of its scored items."""

    id: str
    title: str
    weight: float
    score: float | None
    completeness: float
    answered: int
    asked: int
    explanation: str
    uncapped: float | None = None


@dataclass(slots=True)
class Evidence:
    """An answer that a finding rests on, as the manager gave it."""

    question: str
    label: str
    value: str


@dataclass(slots=True)
class Finding:
    """A red flag, gap or strength, with the lesson and source section behind it."""

    kind: FindingKind
    severity: Severity
    lesson: str
    source: str
    dimension: str
    item: str
    title: str
    recommendation: str
    explanation: str
    evidence: tuple[Evidence, ...]
    also: tuple[str, ...] = ()  # other items that raised the same fact, merged into this finding
    lesson_text: str = ""  # what the lesson says, in the result's language (people never read its code)


@dataclass(slots=True)
class Cap:
    """A gate that holds: the index, its dimension or both may not rise above a level, and why."""

    gate: str
    kind: Literal["precondition", "red_flag"]
    item: str
    dimension: str
    dimension_level: float | None
    overall_level: float | None
    title: str
    lesson: str
    source: str


@dataclass(slots=True)
class Action:
    """One step of the action plan: what to fix, and how much the index would gain."""

    item: str
    dimension: str
    kind: FindingKind
    severity: Severity
    gain: float
    title: str
    recommendation: str
    lesson: str
    source: str
    together: tuple[str, ...] = ()  # items to fix in the same step: their caps hold the index together


@dataclass(slots=True)
class StageInfo:
    """The life-cycle stage used for scoring and how it was decided."""

    id: str | None
    label: str
    year_of_life: int | None
    overridden: bool
    explanation: str


@dataclass(slots=True)
class MembersReading:
    """The members' survey as the result reports it: how many answered, what changed, where views part."""

    responses: int
    min_responses: int
    used: bool
    satisfaction: float | None = None
    satisfaction_of: int = 0
    disagreements: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()  # what the members' figures stood in for, in words


@dataclass(slots=True)
class Result:
    """A complete, deterministic result of one answer set."""

    questionnaire: str
    engine_version: str
    cluster: str
    year: int
    stage: StageInfo
    overall: float | None
    overall_explanation: str
    completeness: float
    dimensions: tuple[DimensionScore, ...]
    items: tuple[ItemScore, ...]
    findings: tuple[Finding, ...]
    unanswered: tuple[str, ...]
    notes: tuple[str, ...]
    uncapped_overall: float | None = None
    caps: tuple[Cap, ...] = ()
    provisional: bool = False
    overall_range: tuple[float, float] | None = None
    short_dimensions: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()
    members: MembersReading | None = None  # the members' survey, when one was answered

    def holding_down(self) -> list[Cap]:
        """The caps that lower the index below its uncapped value, tightest first."""
        if self.overall is None or self.uncapped_overall is None or self.overall >= self.uncapped_overall:
            return []
        dims = {
            d.id
            for d in self.dimensions
            if d.uncapped is not None and d.score is not None and d.score < d.uncapped
        }
        lowering = [
            c
            for c in self.caps
            if (c.overall_level is not None and c.overall_level < self.uncapped_overall)
            or (c.dimension_level is not None and c.dimension in dims)
        ]
        return sorted(lowering, key=lambda c: c.overall_level if c.overall_level is not None else 101.0)

    def findings_of(self, kind: FindingKind) -> list[Finding]:
        """The findings of one kind, most important first."""
        return [f for f in self.findings if f.kind == kind]

    def dimension(self, dimension_id: str) -> DimensionScore:
        """One dimension's score by id."""
        return next(d for d in self.dimensions if d.id == dimension_id)

    def item(self, item_id: str) -> ItemScore:
        """One question's or check's score by id."""
        return next(i for i in self.items if i.id == item_id)


_ADAPTER = TypeAdapter(Result)


def result_to_json(result: Result, indent: int | None = 2) -> str:
    """The result as JSON text."""
    return _ADAPTER.dump_json(result, indent=indent).decode()


def result_to_data(result: Result) -> dict:
    """The result as plain data (dicts and lists)."""
    return _ADAPTER.dump_python(result, mode="json")


def result_from_json(text: str | bytes) -> Result:
    """Read a result back from JSON, as stored or exported."""
    return _ADAPTER.validate_json(text)
