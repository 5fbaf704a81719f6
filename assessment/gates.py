"""Gates and caps: what holds the index down, however good the other answers are.

A weighted mean lets strong answers elsewhere hide a failed precondition or a high red
flag. An officer who funds on the index must not be misled that way, so the questionnaire
declares gates: when one holds, the index (or one dimension) cannot rise above a stated
level, and the result names the gate. The levels are the method's own reading of the
sources, and each gate says which section it rests on.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from assessment.base import Id, LessonId, Score, Strict
from assessment.text import Text


class GateWhen(Strict):
    """When a gate holds: an item scores below a level, or a finding of a kind and severity fires."""

    item: Id | None = None
    score_below: Score | None = None
    finding: Literal["red_flag", "gap"] | None = None
    severity: Literal["high", "medium", "low"] | None = None

    @model_validator(mode="after")
    def _one_test(self) -> GateWhen:
        by_item = self.item is not None and self.score_below is not None
        by_finding = self.finding is not None
        if by_item == by_finding or (self.item is None) != (self.score_below is None):
            raise ValueError("a gate needs either 'item' with 'score_below', or 'finding' (with 'severity')")
        return self


class Gate(Strict):
    """A precondition or red flag that caps the index, or the dimension it sits in."""

    id: Id
    kind: Literal["precondition", "red_flag"]
    when: GateWhen
    cap_overall: Score | None = None
    cap_dimension: Score | None = None
    lesson: LessonId | None = None
    source: str = Field(min_length=3)
    title: Text

    @model_validator(mode="after")
    def _some_cap(self) -> Gate:
        if self.cap_overall is None and self.cap_dimension is None:
            raise ValueError("a gate needs cap_overall, cap_dimension or both")
        return self


class Provisional(Strict):
    """Below this completeness in any dimension, the index is provisional and shown as a range."""

    completeness_floor: float = Field(ge=0, le=100)
    source: str = Field(min_length=3)
