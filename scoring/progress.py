"""What is asked and what is still missing: conditional questions, progress and the submit list.

Rules of the answers, not of a page: the app's questionnaire shows them, the submit step and
the CLI could use them, and they follow the engine's visibility (`Questionnaire.hidden`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessment.i18n import gettext_for
from assessment.questionnaire import Questionnaire
from assessment.text import Language

# The section of the questionnaire that holds the profile fields (not a dimension).
PROFILE_SECTION = "profile"


def visible_questions(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, bool]:
    """Question id -> whether it is asked, given the answers so far.

    The engine's rule (`Questionnaire.hidden`): a question with a condition is asked when
    the question it names is itself asked and its answer meets the condition.
    """
    hidden = questionnaire.hidden(answers)
    return {qid: qid not in hidden for qid in questionnaire.questions}


@dataclass(frozen=True, slots=True)
class Progress:
    """How many of the asked questions have an answer."""

    answered: int
    asked: int

    @property
    def fraction(self) -> float:
        """Answered over asked, 0-1 (1 when nothing is asked)."""
        return self.answered / self.asked if self.asked else 1.0

    def label(self, lang: Language = "en") -> str:
        """E.g. "5 of 8 answered", in `lang`."""
        _ = gettext_for(lang)
        return _("{answered} of {asked} answered").format(answered=self.answered, asked=self.asked)

    def bar(self, width: int = 10) -> str:
        """The fraction as a bar of `width` blocks, e.g. "▰▰▰▰▰▱▱▱▱▱" for 4 of 8.

        A text bar lets one Markdown element show the progress of every dimension at once.
        A started dimension shows at least one block, and only a finished one shows them all.
        """
        filled = round(self.fraction * width)
        if self.answered and not filled:
            filled = 1
        if filled == width and self.answered < self.asked:
            filled = width - 1
        return "▰" * filled + "▱" * (width - filled)


def progress(
    questionnaire: Questionnaire, answers: Mapping[str, Any], shown: Mapping[str, bool] | None = None
) -> tuple[Progress, dict[str, Progress]]:
    """Overall progress and progress per dimension, counting only the questions asked."""
    shown = visible_questions(questionnaire, answers) if shown is None else shown
    per: dict[str, Progress] = {}
    total_answered = total_asked = 0
    for dim in questionnaire.dimensions:
        asked = [q.id for q in dim.questions if shown[q.id]]
        answered = sum(1 for qid in asked if answers.get(qid) is not None)
        per[dim.id] = Progress(answered, len(asked))
        total_answered += answered
        total_asked += len(asked)
    return Progress(total_answered, total_asked), per


def short_of_floor(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[str]:
    """Dimensions with fewer of their asked questions answered than the completeness floor.

    The same rule as the engine's provisional index (`Result.short_dimensions`): an
    assessment short of it would reach an officer as a partial draft, so it is not submitted.
    """
    if questionnaire.provisional is None:
        return []
    floor = questionnaire.provisional.completeness_floor
    _, per = progress(questionnaire, answers)
    return [d.id for d in questionnaire.dimensions if per[d.id].asked and 100 * per[d.id].fraction < floor]


@dataclass(frozen=True, slots=True)
class Missing:
    """Something still unanswered: a profile field or a question, with where it is asked."""

    section: str
    item: str
    label: str


def missing_items(
    questionnaire: Questionnaire, data: Mapping[str, Any], lang: Language = "en"
) -> list[Missing]:
    """Required profile fields and asked questions without an answer yet, in form order, worded in `lang`."""
    profile = data.get("profile") or {}
    answers = data.get("answers") or {}
    out = [
        Missing(PROFILE_SECTION, f"profile.{f.id}", f.label.get(lang))
        for f in questionnaire.profile
        if f.required and profile.get(f.id) is None
    ]
    shown = visible_questions(questionnaire, answers)
    for dim in questionnaire.dimensions:
        out += [
            Missing(dim.id, q.id, q.text.get(lang))
            for q in dim.questions
            if shown[q.id] and answers.get(q.id) is None
        ]
    return out
