"""How the review pages name a question: by its number and text, never by its id.

Apart from `webapp.views.review` so that the evidence boxes (`webapp.views.evidence`), which
the review draws, name questions the same way without importing the review back.
"""

from __future__ import annotations

from webapp import state
from webapp.i18n import _, current_language
from webapp.text import shorten


def question_label(question_id: str | None) -> str:
    """What a comment is on, in the session's language: "the whole assessment" or "question 2.3 <text>"."""
    if question_id is None:
        return _("the whole assessment")
    question = state.questionnaire().questions.get(question_id)
    number = state.numbers().get(question_id, "")
    text = shorten(question.text.get(current_language()), 70) if question is not None else question_id
    return _("question {number} {text}").format(number=number, text=text).replace("  ", " ")
