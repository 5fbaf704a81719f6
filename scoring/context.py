"""What every rule may look at while scoring one answer set."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessment.questionnaire import Questionnaire
from assessment.text import Language


@dataclass(frozen=True, slots=True)
class Context:
    """The questionnaire, the visible answers, the profile, the stage and the questions' scores."""

    questionnaire: Questionnaire
    answers: Mapping[str, Any]
    profile: Mapping[str, Any]
    stage: str | None
    stage_label: str
    year_of_life: int | None
    scores: Mapping[str, float]
    lang: Language = "en"

    def value(self, field: str) -> Any:
        """An answer, or a profile value, by id."""
        if field in self.answers:
            return self.answers[field]
        return self.profile.get(field)
