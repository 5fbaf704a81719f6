"""Reference data the questionnaire carries: the lesson catalogue and Table 6's services."""

from __future__ import annotations

from typing import Literal

from assessment.base import Id, LessonId, Strict
from assessment.text import Text

# --- reference data: lessons and Table 6 ------------------------------------------------


class Lesson(Strict):
    """A lesson of the sources, in the project's own words, with the section it comes from."""

    id: LessonId
    dimension: Id
    kind: Literal["success", "limit", "basic", "benchmark", "practice"]
    stage: Literal["any", "launch", "after_launch"]
    source: str
    fact: Text


FinancialContribution = Literal["none", "medium_low", "medium_high", "high"]
Valuation = Literal["medium_low", "medium", "high"]


class Service(Strict):
    """One of Table 6's common cluster services (002 s6.2.2, after ESCA 2017)."""

    id: Id
    name: Text
    extension: Literal["very_rarely", "rare", "habitual", "frequent"]
    financial_contribution: FinancialContribution
    member_valuation: Valuation
    kind: Literal["networking", "promotion", "knowledge", "business", "projects"]

    @property
    def brings_income(self) -> bool:
        """Table 6 rates its financial contribution medium-high or high."""
        return self.financial_contribution in ("medium_high", "high")

    @property
    def highly_valued(self) -> bool:
        """Table 6 rates members' valuation high."""
        return self.member_valuation == "high"
