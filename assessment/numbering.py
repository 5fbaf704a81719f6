"""Questions by their place in the questionnaire: "2.3" is the third question of dimension 2."""

from __future__ import annotations

from collections.abc import Mapping

from assessment.i18n import gettext_for
from assessment.questionnaire import Questionnaire
from assessment.questions import QuestionBase
from assessment.text import Language


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


def item_title(questionnaire: Questionnaire, numbers: Mapping[str, str], item: str, lang: Language) -> str:
    """An item (a question, a check or a profile field) as a person reads it, never its id.

    "Profile: <field>", "2.3 <question>" or a check's title, in `lang`.
    """
    if item.startswith("profile."):
        field = questionnaire.profile_fields.get(item.removeprefix("profile."))
        _ = gettext_for(lang)
        return _("Profile: {field}").format(field=field.label.get(lang) if field else item)
    if item in questionnaire.questions:
        return f"{numbers[item]} {questionnaire.questions[item].text.get(lang)}"
    check = next((c for c in questionnaire.checks if c.id == item), None)
    return check.title.get(lang) if check is not None else item
