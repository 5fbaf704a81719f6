"""The questionnaire as a whole, and the checks that span its parts.

Cross-references (ids, conditions, weights, lessons, check parameters) are verified
here, all at once, so that a broken questionnaire lists every problem with its place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from typing import Any, Literal

from pydantic import Field, model_validator

from assessment.base import Condition, Id, Strict, compile_condition
from assessment.checks import COMMON_FACTS, Check, CheckBase, CriteriaCheck
from assessment.errors import CrossReferenceError
from assessment.gates import Gate, Provisional
from assessment.questions import Choice, FundingMixQuestion, MaturityQuestion, Question, QuestionBase
from assessment.reference import Lesson, Service
from assessment.survey import MembersSurvey
from assessment.text import Text

WEIGHT_TOTAL = 100.0
WEIGHT_TOLERANCE = 0.01
Loc = tuple[str | int, ...]


class Stage(Strict):
    """A life-cycle stage; `until_year` is the last year of life that belongs to it."""

    id: Id
    label: Text
    description: Text
    until_year: int | None = Field(default=None, ge=1)


class StageRule(Strict):
    """Which profile fields give the founding year and an explicit stage override."""

    founded_field: Id
    override_field: Id | None = None


class ProfileField(Strict):
    """A fact about the cluster (name, country, members, budget...) that is not scored."""

    id: Id
    label: Text
    help: Text | None = None
    type: Literal["text", "integer", "number", "percentage", "year", "choice"]
    unit: Text | None = None
    min: float | None = None
    max: float | None = None
    choices: list[Choice] | None = None
    required: bool = False

    @model_validator(mode="after")
    def _choices_for_choice(self) -> ProfileField:
        if (self.type == "choice") != (self.choices is not None):
            raise ValueError("choices are required for type 'choice' and allowed only there")
        return self


class Dimension(Strict):
    """One of the seven dimensions, with its weight in the overall index and its questions."""

    id: Id
    title: Text
    description: Text
    source: str
    weight: float = Field(gt=0)
    questions: list[Question] = Field(min_length=1)


class Questionnaire(Strict):
    """A complete, versioned questionnaire: what is asked, how it is scored and why."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: str = Field(pattern=r"^\d+\.\d+$")
    title: Text
    description: Text
    stages: list[Stage] = Field(min_length=1)
    stage_rule: StageRule
    profile: list[ProfileField]
    dimensions: list[Dimension] = Field(min_length=1)
    checks: list[Check] = []
    lessons: list[Lesson] = Field(min_length=1)
    services: list[Service] = []
    gates: list[Gate] = []
    provisional: Provisional | None = None
    survey: MembersSurvey | None = None

    @property
    def ref(self) -> str:
        """`id@version`, as results record it."""
        return f"{self.id}@{self.version}"

    @cached_property
    def questions(self) -> dict[str, QuestionBase]:
        """Every question by id, in the order they are asked."""
        return {q.id: q for d in self.dimensions for q in d.questions}

    @cached_property
    def dimension_of(self) -> dict[str, str]:
        """Question id -> dimension id."""
        return {q.id: d.id for d in self.dimensions for q in d.questions}

    @cached_property
    def profile_fields(self) -> dict[str, ProfileField]:
        """Profile fields by id."""
        return {f.id: f for f in self.profile}

    @cached_property
    def lesson_index(self) -> dict[str, Lesson]:
        """Lessons by id."""
        return {lesson.id: lesson for lesson in self.lessons}

    @cached_property
    def service_index(self) -> dict[str, Service]:
        """Table 6 services by id."""
        return {s.id: s for s in self.services}

    @cached_property
    def conditional(self) -> tuple[tuple[str, Condition], ...]:
        """(question id, condition) of every conditional question, in the order asked."""
        return tuple((q.id, q.show_if) for q in self.questions.values() if q.show_if is not None)

    def hidden(self, answers: Mapping[str, Any]) -> frozenset[str]:
        """The questions not asked, given the answers.

        A condition holds only when the question it names is itself asked and its answer
        meets it; the engine and the app both ask this one rule.
        """
        hidden: set[str] = set()
        for qid, shown_by, holds in self.visibility:
            if shown_by in hidden or not holds(answers.get(shown_by)):
                hidden.add(qid)
        return frozenset(hidden)

    @cached_property
    def visibility(self) -> tuple[tuple[str, str, Callable[[Any], bool]], ...]:
        """(question id, the question it depends on, its compiled condition), built once."""
        return tuple((qid, cond.question, compile_condition(cond)) for qid, cond in self.conditional)

    def measured_lessons(self) -> dict[str, list[str]]:
        """Lesson id -> the questions and checks that measure or cite it."""
        out: dict[str, list[str]] = {lesson.id: [] for lesson in self.lessons}
        for item in [*self.questions.values(), *self.checks]:
            cited = set(item.lessons) | {f.lesson for f in item.findings}
            for lesson_id in sorted(cited):
                out.setdefault(lesson_id, []).append(item.id)
        return out

    @model_validator(mode="after")
    def _cross_references(self) -> Questionnaire:
        problems = list(_cross_reference_problems(self))
        if problems:
            raise CrossReferenceError(problems)
        return self


def _cross_reference_problems(q: Questionnaire) -> Iterator[tuple[Loc, str]]:
    """Every problem that spans parts of the questionnaire, with the path where it shows."""
    stage_ids = [s.id for s in q.stages]
    lesson_ids = set()
    for i, lesson in enumerate(q.lessons):
        if lesson.id in lesson_ids:
            yield ("lessons", i, "id"), f"duplicate lesson id {lesson.id!r}"
        lesson_ids.add(lesson.id)
    dimension_ids = [d.id for d in q.dimensions]
    for i, lesson in enumerate(q.lessons):
        if lesson.dimension not in dimension_ids:
            yield ("lessons", i, "dimension"), f"unknown dimension {lesson.dimension!r}"

    yield from _stage_problems(q)
    yield from _weight_problems(q)
    yield from _survey_problems(q)

    seen: dict[str, Loc] = {}
    for i, field in enumerate(q.profile):
        if field.id in seen:
            yield ("profile", i, "id"), f"duplicate id {field.id!r}"
        seen[field.id] = ("profile", i)
    for d in dimension_ids:
        if Counter(dimension_ids)[d] > 1:
            yield ("dimensions",), f"duplicate dimension id {d!r}"
            break

    asked: set[str] = set()
    for di, dim in enumerate(q.dimensions):
        for qi, question in enumerate(dim.questions):
            loc: Loc = ("dimensions", di, "questions", qi)
            if question.id in seen:
                yield (*loc, "id"), f"duplicate id {question.id!r}"
            seen[question.id] = loc
            yield from _lesson_problems(loc, question.lessons, question.findings, lesson_ids)
            yield from _finding_stage_problems(loc, question.findings, stage_ids)
            for fi, rule in enumerate(question.findings):
                if rule.when.outcome is not None:
                    yield (
                        (*loc, "findings", fi, "when"),
                        "questions take score_below or score_at_least, not outcome",
                    )
                for name in rule.title.placeholders() | rule.recommendation.placeholders():
                    if name not in COMMON_FACTS | {"value"}:
                        yield (*loc, "findings", fi), f"unknown placeholder {{{name}}}"
            if question.show_if is not None and question.show_if.question not in asked:
                known = question.show_if.question in q.questions
                where = "a later question" if known else "no question"
                yield (
                    (*loc, "show_if", "question"),
                    (
                        f"condition names {where} {question.show_if.question!r}; "
                        "a condition must name an earlier question"
                    ),
                )
            if question.weight > 0 and not question.scorable:
                yield (*loc, "weight"), f"question {question.id!r} cannot be scored, so its weight must be 0"
            if isinstance(question, FundingMixQuestion):
                missing = sorted(set(stage_ids) - set(question.public_share_scale))
                extra = sorted(set(question.public_share_scale) - set(stage_ids))
                if missing or extra:
                    yield (
                        (*loc, "public_share_scale"),
                        (f"needs a scale for each stage {stage_ids}; missing {missing}, unknown {extra}"),
                    )
            asked.add(question.id)

    for ci, check in enumerate(q.checks):
        loc = ("checks", ci)
        if check.id in seen:
            yield (*loc, "id"), f"duplicate id {check.id!r}"
        seen[check.id] = loc
        if check.dimension not in dimension_ids:
            yield (*loc, "dimension"), f"unknown dimension {check.dimension!r}"
        yield from _lesson_problems(loc, check.lessons, check.findings, lesson_ids)
        yield from _finding_stage_problems(loc, check.findings, stage_ids)
        yield from _check_problems(q, loc, check, stage_ids)

    gate_ids: set[str] = set()
    for gi, gate in enumerate(q.gates):
        loc = ("gates", gi)
        if gate.id in gate_ids:
            yield (*loc, "id"), f"duplicate gate id {gate.id!r}"
        gate_ids.add(gate.id)
        if gate.when.item is not None and gate.when.item not in seen:
            yield (*loc, "when", "item"), f"gate names no question or check {gate.when.item!r}"
        if gate.lesson is not None and gate.lesson not in lesson_ids:
            yield (*loc, "lesson"), f"unknown lesson {gate.lesson!r}"


def _stage_problems(q: Questionnaire) -> Iterator[tuple[Loc, str]]:
    last = 0
    for i, stage in enumerate(q.stages):
        final = i == len(q.stages) - 1
        if final and stage.until_year is not None:
            yield ("stages", i, "until_year"), "the last stage must be open-ended (no until_year)"
        if not final:
            if stage.until_year is None:
                yield ("stages", i, "until_year"), "only the last stage may be open-ended"
            elif stage.until_year <= last:
                yield ("stages", i, "until_year"), "stages must follow each other in time"
            else:
                last = stage.until_year
    rule = q.stage_rule
    fields = {f.id: f for f in q.profile}
    founded = fields.get(rule.founded_field)
    if founded is None or founded.type != "year":
        yield ("stage_rule", "founded_field"), f"{rule.founded_field!r} is not a profile field of type year"
    if rule.override_field is not None:
        override = fields.get(rule.override_field)
        choice_ids = {c.id for c in (override.choices or [])} if override else set()
        if override is None or choice_ids != {s.id for s in q.stages}:
            yield (
                ("stage_rule", "override_field"),
                (f"{rule.override_field!r} must be a profile choice field offering exactly the stages"),
            )


def _weight_problems(q: Questionnaire) -> Iterator[tuple[Loc, str]]:
    total = sum(d.weight for d in q.dimensions)
    if abs(total - WEIGHT_TOTAL) > WEIGHT_TOLERANCE:
        yield ("dimensions",), f"dimension weights add up to {total:g}, not {WEIGHT_TOTAL:g}"
    for di, dim in enumerate(q.dimensions):
        items = sum(qu.weight for qu in dim.questions)
        items += sum(c.weight for c in q.checks if c.dimension == dim.id)
        if abs(items - WEIGHT_TOTAL) > WEIGHT_TOLERANCE:
            yield (
                ("dimensions", di, "weight"),
                (
                    f"weights of the questions and checks of dimension {dim.id!r} add up to "
                    f"{items:g}, not {WEIGHT_TOTAL:g}"
                ),
            )


def _lesson_problems(
    loc: Loc, lessons: list[str], findings: list, known: set[str]
) -> Iterator[tuple[Loc, str]]:
    for li, lesson in enumerate(lessons):
        if lesson not in known:
            yield (*loc, "lessons", li), f"lesson {lesson!r} is not in the lesson catalogue"
    for fi, rule in enumerate(findings):
        if rule.lesson not in known:
            yield (*loc, "findings", fi, "lesson"), f"lesson {rule.lesson!r} is not in the lesson catalogue"


def _finding_stage_problems(loc: Loc, findings: list, stage_ids: list[str]) -> Iterator[tuple[Loc, str]]:
    for fi, rule in enumerate(findings):
        for s in rule.stages or []:
            if s not in stage_ids:
                yield (*loc, "findings", fi, "stages"), f"unknown stage {s!r}"


def _check_problems(
    q: Questionnaire, loc: Loc, check: CheckBase, stage_ids: list[str]
) -> Iterator[tuple[Loc, str]]:
    for param, types in check.question_refs().items():
        ref = getattr(check, param)
        question = q.questions.get(ref)
        if question is None:
            yield (*loc, param), f"no question {ref!r}"
        elif question.type not in types:  # type: ignore[attr-defined]
            yield (*loc, param), f"question {ref!r} is a {question.type}, expected {' or '.join(types)}"  # type: ignore[attr-defined]
    for param in check.profile_refs():
        ref = getattr(check, param)
        if ref not in q.profile_fields:
            yield (*loc, param), f"no profile field {ref!r}"
    for param in ("dependent_above", "required_ratio"):
        for stage in getattr(check, param, None) or {}:
            if stage not in stage_ids:
                yield (*loc, param), f"unknown stage {stage!r}"
    for stage in getattr(check, "stages", None) or []:
        if stage not in stage_ids:
            yield (*loc, "stages"), f"unknown stage {stage!r}"
    for ci, condition in enumerate(getattr(check, "all_of", None) or []):
        if condition.question not in q.questions:
            yield (*loc, "all_of", ci, "question"), f"no question {condition.question!r}"
    for name in ("governance",):
        for gi, ref in enumerate(getattr(check, name, None) or []):
            if ref not in q.questions:
                yield (*loc, name, gi), f"no question {ref!r}"
    if isinstance(check, CriteriaCheck):
        for ci, crit in enumerate(check.criteria):
            if crit.field not in q.questions and crit.field not in q.profile_fields:
                yield (*loc, "criteria", ci, "field"), f"no question or profile field {crit.field!r}"
    funding_id = getattr(check, "funding", None)
    funding = q.questions.get(funding_id) if funding_id else None
    if isinstance(funding, FundingMixQuestion):
        source_ids = {s.id for s in funding.sources}
        for si, src in enumerate(getattr(check, "value_sources", None) or []):
            if src not in source_ids:
                yield (*loc, "value_sources", si), f"no funding source {src!r}"
    allowed = COMMON_FACTS | type(check).facts
    for fi, rule in enumerate(check.findings):
        outcome = rule.when.outcome
        if outcome is not None and outcome not in type(check).outcomes:
            yield (
                (*loc, "findings", fi, "when", "outcome"),
                (
                    f"check kind {check.kind!r} has no outcome {outcome!r}; "  # type: ignore[attr-defined]
                    f"it has {sorted(type(check).outcomes)}"
                ),
            )
        for name in sorted(rule.title.placeholders() | rule.recommendation.placeholders()):
            if name not in allowed:
                yield (
                    (*loc, "findings", fi),
                    f"unknown placeholder {{{name}}}; {check.kind!r} offers {sorted(allowed)}",  # type: ignore[attr-defined]
                )
    for name in sorted(check.explanation.placeholders()):
        if name not in allowed:
            yield (*loc, "explanation"), f"unknown placeholder {{{name}}}; offers {sorted(allowed)}"


def _survey_problems(q: Questionnaire) -> Iterator[tuple[Loc, str]]:
    """A survey level question must name one of the questionnaire's maturity questions, once."""
    if q.survey is None:
        return
    informed: set[str] = set()
    for i, level in enumerate(q.survey.levels):
        target = q.questions.get(level.informs)
        if not isinstance(target, MaturityQuestion):
            yield ("survey", "levels", i, "informs"), f"{level.informs!r} is not a maturity question"
        elif level.informs in informed:
            yield ("survey", "levels", i, "informs"), f"{level.informs!r} is informed twice"
        informed.add(level.informs)
