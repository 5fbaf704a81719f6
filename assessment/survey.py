"""The members' survey as the questionnaire declares it (survey.yaml).

What member firms are asked, and the thresholds at which their answers stand in for the
manager's, live in YAML like every other question, so the survey page, the scoring and
the translations read one definition.
"""

from __future__ import annotations

from pydantic import Field

from assessment.base import Id, Strict
from assessment.reference import Valuation
from assessment.text import Text


class LevelQuestion(Strict):
    """A member picks the level of one of the questionnaire's maturity questions (`informs`)."""

    id: Id
    informs: Id
    text: Text


class MembersSurvey(Strict):
    """The members' survey of a questionnaire: its texts, Table 6's scale and its thresholds."""

    min_responses: int = Field(ge=1)
    min_responses_source: str = Field(min_length=1)
    uptake_gap: float = Field(gt=0, le=100)
    uptake_gap_source: str = Field(min_length=1)
    title: Text
    intro: Text
    firm_name: Text
    used: Text
    value: Text
    value_levels: dict[Valuation, Text]
    would_pay: Text
    amount: Text
    satisfaction: Text
    satisfaction_levels: list[Text] = Field(min_length=2)
    levels: list[LevelQuestion] = Field(default_factory=list)
