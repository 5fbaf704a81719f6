"""Questions by their place in the questionnaire: "2.3" is the third question of dimension 2."""

from __future__ import annotations

from assessment.questionnaire import Questionnaire
from assessment.questions import QuestionBase


def question_dimension(questionnaire: Questionnaire, question_id: str) -> str:
    """The dimension a question is asked in."""
    return questionnaire.dimension_of[question_id]


def question_number(questionnaire: Questionnaire) -> dict[str, str]:
    """Question id -> a short reference such as "2.3" (dimension 2, question 3)."""
    out = {}
    for di, dim in enumerate(questionnaire.dimensions, 1):
        for qi, q in enumerate(dim.questions, 1):
            out[q.id] = f"{di}.{qi}"
    return out


def question(questionnaire: Questionnaire, question_id: str) -> QuestionBase:
    """A question by id."""
    return questionnaire.questions[question_id]
