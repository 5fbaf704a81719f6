"""The funding mix read as the method reads it: its question, totals, public share and stage check."""

from __future__ import annotations

from collections.abc import Mapping

from assessment.answers import FUNDING_SUM_TOLERANCE
from assessment.checks import FundingStageCheck
from assessment.questionnaire import Questionnaire
from assessment.questions import FundingMixQuestion


def funding_question(questionnaire: Questionnaire) -> FundingMixQuestion | None:
    """The questionnaire's funding-mix question, if it has one."""
    return next((q for q in questionnaire.questions.values() if isinstance(q, FundingMixQuestion)), None)


def funding_total(shares: Mapping[str, float | None]) -> float:
    """The sum of the typed shares, empty ones counting as zero."""
    return float(sum(v or 0 for v in shares.values()))


def funding_sums_to_100(shares: Mapping[str, float | None]) -> bool:
    """Whether the shares add up to 100 within the tolerance answers are checked with."""
    return abs(funding_total(shares) - 100) <= FUNDING_SUM_TOLERANCE


def public_share(question: FundingMixQuestion, shares: Mapping[str, float | None]) -> float:
    """The share of income from public sources."""
    public = {s.id for s in question.sources if s.public}
    return float(sum(v or 0 for k, v in shares.items() if k in public))


def funding_stage_check(questionnaire: Questionnaire) -> FundingStageCheck | None:
    """The cross-check that sets the public-share limits by stage and the European benchmark."""
    return next((c for c in questionnaire.checks if isinstance(c, FundingStageCheck)), None)
