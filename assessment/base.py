"""Building blocks shared by every part of the questionnaire schema."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assessment.i18n import format_number, gettext_for
from assessment.text import Language, Text

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
LessonId = Annotated[str, Field(pattern=r"^[A-Z0-9]+(-[A-Z0-9]+)+$")]
Score = Annotated[float, Field(ge=0, le=100)]


class Strict(BaseModel):
    """Unknown keys are errors and loaded models never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# --- piecewise-linear scales --------------------------------------------------------------

ScalePoint = tuple[float, Score]


def check_scale(points: list[ScalePoint]) -> list[ScalePoint]:
    """A scale must rise strictly in its values so that every number has one score."""
    if len(points) < 2:
        raise ValueError("a scale needs at least two [value, score] points")
    xs = [x for x, _ in points]
    if any(b <= a for a, b in zip(xs, xs[1:], strict=False)):
        raise ValueError("scale values must be strictly increasing")
    return points


Scale = Annotated[list[ScalePoint], Field(min_length=2)]


# --- conditions and finding rules ---------------------------------------------------------


class Condition(Strict):
    """Shows a question only when an earlier answer holds."""

    question: Id
    part: Id | None = None  # a funding source or other key of a mapping answer
    equals: str | bool | float | None = None
    in_: list[str] | None = Field(default=None, alias="in")
    at_least: float | None = None
    at_most: float | None = None
    includes: str | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> Condition:
        ops = [self.equals, self.in_, self.at_least, self.at_most, self.includes]
        if sum(op is not None for op in ops) != 1:
            raise ValueError("a condition needs exactly one of equals, in, at_least, at_most, includes")
        return self

    def describe(self, lang: Language = "en") -> str:
        """The condition in words, in `lang`, e.g. "membership_fees_charged is yes"."""
        _ = gettext_for(lang)

        def num(value: float) -> str:
            return f"{value:g}" if lang == "en" else format_number(float(f"{value:g}"), lang, decimals=6)

        q = self.question if self.part is None else f"{self.question} ({self.part})"
        if self.equals is not None:
            shown = {True: _("yes"), False: _("no")}.get(self.equals, self.equals)  # type: ignore[arg-type]
            return _("{question} is {value}").format(question=q, value=shown)
        if self.in_ is not None:
            return _("{question} is one of {values}").format(question=q, values=", ".join(self.in_))
        if self.includes is not None:
            return _("{question} includes {value}").format(question=q, value=self.includes)
        if self.at_least is not None:
            return _("{question} is at least {value}").format(question=q, value=num(self.at_least))
        return _("{question} is at most {value}").format(question=q, value=num(self.at_most))  # type: ignore[arg-type]

    def holds(self, value: Any) -> bool:
        """Whether an answer value meets the condition; an unanswered question never does."""
        if self.part is not None:
            value = value.get(self.part) if isinstance(value, Mapping) else None
        if value is None:
            return False
        if self.equals is not None:
            return bool(value == self.equals)
        if self.in_ is not None:
            return value in self.in_
        if self.includes is not None:
            return isinstance(value, (list, tuple, set, frozenset)) and self.includes in value
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return False
        if self.at_least is not None:
            return value >= self.at_least
        return self.at_most is not None and value <= self.at_most


def compile_condition(condition: Condition) -> Callable[[Any], bool]:
    """`condition.holds` as a small closure with its operator chosen once.

    Visibility and the consistency checks ask a condition for every answer set scored;
    the closure gives the same answer as `holds` without reading the model each time.
    """
    part = condition.part
    test = _operator_test(condition)
    if part is None:
        return test
    return lambda value: test(value.get(part) if isinstance(value, Mapping) else None)


def _operator_test(c: Condition) -> Callable[[Any], bool]:
    if c.equals is not None:
        equals = c.equals
        return lambda value: value is not None and bool(value == equals)
    if c.in_ is not None:
        choices = tuple(c.in_)
        return lambda value: value is not None and value in choices
    if c.includes is not None:
        item = c.includes
        return lambda value: isinstance(value, (list, tuple, set, frozenset)) and item in value
    at_least, at_most = c.at_least, c.at_most

    def number(value: Any) -> bool:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return False
        if at_least is not None:
            return bool(value >= at_least)
        return at_most is not None and bool(value <= at_most)

    return number


class When(Strict):
    """When a finding applies: the item's score crosses a threshold, or a check reports an outcome."""

    score_below: Score | None = None
    score_at_least: Score | None = None
    outcome: Id | None = None

    @model_validator(mode="after")
    def _one_test(self) -> When:
        if sum(v is not None for v in (self.score_below, self.score_at_least, self.outcome)) != 1:
            raise ValueError("'when' needs exactly one of score_below, score_at_least, outcome")
        return self


class FindingRule(Strict):
    """A red flag, strength or gap that an item raises, with the lesson it rests on."""

    kind: Literal["red_flag", "gap", "strength"]
    lesson: LessonId
    when: When
    stages: list[Id] | None = None
    severity: Literal["high", "medium", "low"] = "medium"
    # Findings of one topic tell one fact: the result keeps the most important and adds
    # the others' evidence to it instead of listing the fact several times.
    topic: Id | None = None
    title: Text
    recommendation: Text
