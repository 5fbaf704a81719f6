"""Question types: what each asks, what answers it takes and how it is scored."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from assessment.base import (
    Condition,
    FindingRule,
    Id,
    LessonId,
    Scale,
    ScalePoint,
    Score,
    Strict,
    check_scale,
)
from assessment.text import Text

# --- questions ----------------------------------------------------------------------------


class QuestionBase(Strict):
    """What every question has: an id, its texts, the lessons it measures and its weight."""

    id: Id
    text: Text
    help: Text
    lessons: list[LessonId] = Field(min_length=1)
    weight: float = Field(default=0, ge=0)
    show_if: Condition | None = None
    findings: list[FindingRule] = []

    @property
    def scorable(self) -> bool:
        """Whether an answer to this question can be turned into a 0-100 score."""
        return True


class Level(Strict):
    """One described step of a maturity scale."""

    value: int = Field(ge=0, le=4)
    label: Text
    description: Text


class MaturityQuestion(QuestionBase):
    """Levels 0-4, each described so two managers would pick the same one; level/4 scores."""

    type: Literal["maturity"]
    levels: list[Level]

    @field_validator("levels")
    @classmethod
    def _five_levels(cls, levels: list[Level]) -> list[Level]:
        if [lv.value for lv in levels] != [0, 1, 2, 3, 4]:
            raise ValueError("a maturity scale needs exactly the levels 0, 1, 2, 3, 4 in order")
        return levels


class Choice(Strict):
    """An option of a choice question; its score (or points, for multiple choice)."""

    id: Id
    label: Text
    score: Score | None = None
    exclusive: bool = False


def _unique_choices(choices: list[Choice]) -> list[Choice]:
    dup = [c for c, n in Counter(ch.id for ch in choices).items() if n > 1]
    if dup:
        raise ValueError(f"duplicate choice id {dup[0]!r}")
    return choices


class _ChoiceQuestion(QuestionBase):
    """What single and multiple choice share: options with unique ids, each with a score."""

    choices: list[Choice] = Field(min_length=2)

    @field_validator("choices")
    @classmethod
    def _unique(cls, choices: list[Choice]) -> list[Choice]:
        return _unique_choices(choices)

    @property
    def scorable(self) -> bool:
        """Scored when every option carries a score (points, for multiple choice)."""
        return all(c.score is not None for c in self.choices)


class SingleChoiceQuestion(_ChoiceQuestion):
    """One option; its score is the option's score."""

    type: Literal["single_choice"]


class MultipleChoiceQuestion(_ChoiceQuestion):
    """Several options; the score is the sum of the chosen options' points, capped at 100."""

    type: Literal["multiple_choice"]


class YesNoQuestion(QuestionBase):
    """A yes or no; each answer has its score."""

    type: Literal["yes_no"]
    yes_score: Score = 100
    no_score: Score = 0


class NumberQuestion(QuestionBase):
    """A number with a unit and bounds; scored through a piecewise-linear scale if it has one."""

    type: Literal["number"]
    unit: Text
    min: float
    max: float
    integer: bool = False
    scale: Scale | None = None

    @field_validator("scale")
    @classmethod
    def _scale(cls, v: list[ScalePoint] | None) -> list[ScalePoint] | None:
        return v if v is None else check_scale(v)

    @model_validator(mode="after")
    def _bounds(self) -> NumberQuestion:
        if self.max <= self.min:
            raise ValueError("max must be greater than min")
        return self

    @property
    def scorable(self) -> bool:
        """Scored only through a scale."""
        return self.scale is not None


class PercentageQuestion(QuestionBase):
    """A share from 0 to 100; scored through a piecewise-linear scale if it has one."""

    type: Literal["percentage"]
    scale: Scale | None = None

    @field_validator("scale")
    @classmethod
    def _scale(cls, v: list[ScalePoint] | None) -> list[ScalePoint] | None:
        return v if v is None else check_scale(v)

    @property
    def scorable(self) -> bool:
        """Scored only through a scale."""
        return self.scale is not None


class FundingSource(Strict):
    """A source of income in the funding mix (002 s6.2.1: baseline, members, projects)."""

    id: Id
    label: Text
    help: Text | None = None
    public: bool
    stable: bool = False
    # Public money that pays for the structure itself (manager, staff, running costs): the
    # dependence the sources warn of (002 s6.2.1, s6.3.1d). Publicly funded projects won in
    # competitive calls are not: they are a leg of diversification (s4.1.1, s6.3.2c).
    structure: bool = False


class FundingMixQuestion(QuestionBase):
    """Shares of income by source, summing to 100; the public share is scored by stage."""

    type: Literal["funding_mix"]
    sources: list[FundingSource] = Field(min_length=2)
    public_share_scale: dict[Id, Scale]

    @property
    def dependence_ids(self) -> list[str]:
        """The public sources whose share measures dependence: those paying for the structure."""
        marked = [s.id for s in self.sources if s.public and s.structure]
        return marked or [s.id for s in self.sources if s.public]

    @field_validator("public_share_scale")
    @classmethod
    def _scales(cls, scales: dict[str, list[ScalePoint]]) -> dict[str, list[ScalePoint]]:
        for points in scales.values():
            check_scale(points)
        return scales

    @field_validator("sources")
    @classmethod
    def _sources(cls, sources: list[FundingSource]) -> list[FundingSource]:
        dup = [s for s, n in Counter(src.id for src in sources).items() if n > 1]
        if dup:
            raise ValueError(f"duplicate funding source id {dup[0]!r}")
        if not any(s.public for s in sources) or all(s.public for s in sources):
            raise ValueError("a funding mix needs at least one public and one private source")
        return sources


class ServicePortfolioQuestion(QuestionBase):
    """Table 6's services (and any the cluster adds): offered, charged, share of members using.

    The score adds two parts, each capped at `core_services`, so that adding a service
    never lowers it: paying services (Table 6: medium-high or high contribution) that are
    charged, each weighted by its uptake, and services members value (high counts 1,
    medium 1/2), free ones included, as Table 6 says they are worth keeping.
    """

    type: Literal["service_portfolio"]
    uptake_label: Text
    core_services: int = Field(default=3, ge=1)
    uptake_full: float = Field(default=25, gt=0, le=100)
    income_weight: float = Field(default=60, ge=0, le=100)


class TextQuestion(QuestionBase):
    """Free text: kept for the record and for reviewers, never scored."""

    type: Literal["text"]
    max_length: int = Field(default=4000, gt=0)

    @property
    def scorable(self) -> bool:
        """Free text is never scored."""
        return False


Question = Annotated[
    MaturityQuestion
    | SingleChoiceQuestion
    | MultipleChoiceQuestion
    | YesNoQuestion
    | NumberQuestion
    | PercentageQuestion
    | FundingMixQuestion
    | ServicePortfolioQuestion
    | TextQuestion,
    Field(discriminator="type"),
]

QUESTION_TYPES: tuple[str, ...] = (
    "maturity",
    "single_choice",
    "multiple_choice",
    "yes_no",
    "number",
    "percentage",
    "funding_mix",
    "service_portfolio",
    "text",
)
