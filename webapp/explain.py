"""A stored result in another language: the same scores, explained again in the page's language.

Results are stored as the engine wrote them when the assessment was submitted, in the
language of that engine (English, as a rule). To show one in the page's language, the
answers are scored again by an engine of that language; the re-explained result is used
only when it comes from the same engine version and agrees with the stored one on every
number and finding, so the page never shows a score other than the one submitted. When the
scoring rules changed since, the stored result is shown as it was written. Pure: no
Streamlit, no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assessment.answers import ValidAnswers
from scoring import Engine
from scoring.members import score_with_members
from scoring.result import Result


def _numbers(result: Result) -> tuple[object, ...]:
    """What must not change between two explanations of one result: every score and finding."""
    return (
        result.questionnaire,
        result.engine_version,
        result.overall,
        result.completeness,
        result.stage.id,
        result.stage.year_of_life,
        tuple((d.id, d.score, d.weight, d.answered, d.asked) for d in result.dimensions),
        tuple((i.id, i.score, i.status) for i in result.items),
        tuple((f.kind, f.severity, f.item, f.lesson) for f in result.findings),
        result.unanswered,
    )


def in_language(
    stored: Result, engine: Engine, answers: ValidAnswers, responses: Sequence[Mapping[str, Any]] = ()
) -> Result | None:
    """`stored` explained by `engine` (in its language), or None when scoring again gives other numbers.

    `responses` are the members' survey responses the result was scored with (a survey
    closes when its assessment is submitted, so they are the same ones): scored again
    without them, a result that used them would never agree.
    """
    again = score_with_members(engine, answers, responses)
    return again if _numbers(again) == _numbers(stored) else None
