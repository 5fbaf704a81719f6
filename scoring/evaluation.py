"""What the engine decides before any word: compiled rules, fired findings and the evaluation.

`Engine.evaluate` fills an `Evaluation` with numbers only; `Engine.explain` words it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assessment.answers import ValidAnswers
from assessment.base import Condition
from scoring.checks import CheckOutcome, CheckRule
from scoring.gating import Gating
from scoring.questions import QuestionRule
from scoring.result import StageInfo
from scoring.wording import RuleText


@dataclass(frozen=True, slots=True)
class RulePlan:
    """A finding rule with what scoring needs at hand."""

    kind: str
    severity: str
    lesson: str
    source: str
    stages: frozenset[str] | None
    score_below: float | None
    score_at_least: float | None
    outcome: str | None
    title: RuleText
    recommendation: RuleText
    order: tuple[int, int]
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class QuestionPlan:
    """A question compiled for scoring: its rule, weight, findings and visibility condition."""

    id: str
    dimension: str
    weight: float
    title: str
    lessons: tuple[str, ...]
    show_if: Condition | None
    rule: QuestionRule
    findings: tuple[RulePlan, ...]
    impact: float
    hidden_why: str


@dataclass(frozen=True, slots=True)
class CheckPlan:
    """A cross-check compiled for scoring: its judging function, weight and findings."""

    id: str
    dimension: str
    weight: float
    judge: CheckRule
    title: str
    explanation: str
    lessons: tuple[str, ...]
    findings: tuple[RulePlan, ...]
    impact: float


# A fired finding before it is put in words: (kind order, severity order, -impact, sequence,
# rule, item id). The sequence number is the rule's place in the order the engine tries
# rules: unique, so sorting never compares rules, and in firing order. The engine builds
# each such tuple once, when it compiles a questionnaire.
Fired = tuple[int, int, float, int, RulePlan, str]


@dataclass(slots=True)
class Evaluation:
    """Every number the engine decides for one answer set, and which findings fire."""

    answers: ValidAnswers
    stage: StageInfo
    hidden: frozenset[str]
    visible: dict[str, Any]
    scores: dict[str, float]
    outcomes: dict[str, CheckOutcome]
    dimensions: dict[str, float | None]
    overall: float | None
    completeness: float
    fired: list[Fired]  # in the order they fired; sorted() gives the most important first
    gating: Gating | None = None

    def lessons_flagged(self) -> list[str]:
        """Lesson ids of the red flags, most important first, one per topic as the result merges them."""
        seen: set[str] = set()
        lessons = []
        for f in sorted(self.fired):
            topic = f[4].topic
            if topic is not None:
                if topic in seen:
                    continue
                seen.add(topic)
            if f[4].kind == "red_flag":
                lessons.append(f[4].lesson)
        return lessons
