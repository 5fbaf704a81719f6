"""The input of each question type and of the profile, drawn with their stored values.

Every widget has an explicit key: `q:<question id>` for answers (`q:<id>:<source>` for
each funding source), `p:<field id>` for the profile and `a:year` for the year. A
widget's stored value is put in its key the first time it is drawn; its on_change
callback (webapp.saving) checks and saves the new value at once. Labels, choices and help
come from the questionnaire in the session's language (`Text.get`); the funding mix and
the service portfolio have editors of their own (webapp.editors).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from assessment.i18n import N_, format_number, gettext_for
from assessment.questionnaire import ProfileField, Questionnaire
from assessment.questions import (
    FundingMixQuestion,
    MaturityQuestion,
    MultipleChoiceQuestion,
    NumberQuestion,
    PercentageQuestion,
    QuestionBase,
    ServicePortfolioQuestion,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
)
from assessment.text import Language
from webapp import state
from webapp.editors import funding_editor, portfolio_editor
from webapp.i18n import _, current_language
from webapp.saving import YEAR_KEY, answer_key, on_answer, on_profile, on_year, profile_key, show_error
from webapp.text import md

_YES_NO = {True: N_("Yes"), False: N_("No")}


# --- drawing ------------------------------------------------------------------------------------


def profile_input(assessment_id: int, field: ProfileField, value: Any, disabled: bool) -> None:
    """The input of one profile field, worded in the session's language."""
    lang = current_language()
    key = profile_key(field.id)
    state.seed(key, value)
    label = field.label.get(lang) + (" *" if field.required else "")
    unit = f" ({field.unit.get(lang)})" if field.unit else ""
    common: dict[str, Any] = {
        "key": key,
        "on_change": on_profile,
        "args": (assessment_id, field.id),
        "disabled": disabled,
        "help": field.help.get(lang) if field.help else None,
    }
    if field.type == "text":
        st.text_input(label, max_chars=300, **common)
    elif field.type == "choice":
        choices = {c.id: c.label.get(lang) for c in field.choices or []}
        st.selectbox(
            label,
            list(choices),
            index=None,
            format_func=choices.__getitem__,
            placeholder=_("Not set"),
            **common,
        )
    elif field.type in ("integer", "year"):
        st.number_input(label + unit, value=None, step=1, format="%d", placeholder=_("Not set"), **common)
    else:
        st.number_input(label + unit, value=None, step=1.0, format="%g", placeholder=_("Not set"), **common)
    show_error(f"profile.{field.id}")


def year_input(assessment_id: int, year: int, disabled: bool) -> None:
    """The year the answers describe."""
    state.seed(YEAR_KEY, year)
    st.number_input(
        _("Year the answers describe") + " *",
        value=None,
        step=1,
        format="%d",
        key=YEAR_KEY,
        on_change=on_year,
        args=(assessment_id,),
        disabled=disabled,
        help=_("Answer for the last closed financial year, from last year's accounts."),
    )
    show_error("year")


@dataclass(frozen=True)
class WidgetWords:
    """What a question's input shows besides its label, worded in one language.

    Worded once per language and question (`widget_words`), not at every rerun: an input is
    drawn for every question shown, at every rerun. A `format_func` may also be called after
    the run, when the session's language is out of reach; these words do not need it.
    """

    options: Mapping[Any, str] = field(default_factory=dict)
    captions: tuple[str, ...] | None = None
    placeholder: str | None = None
    help: str | None = None
    unit: str = ""


def words_for(question: QuestionBase, lang: Language) -> WidgetWords:
    """The options, captions, placeholder and help of `question`'s input, in `lang`."""
    _ = gettext_for(lang)
    if isinstance(question, MaturityQuestion):
        level_word = _("Level {level}: {label}")
        return WidgetWords(
            {lv.value: level_word.format(level=lv.value, label=lv.label.get(lang)) for lv in question.levels},
            tuple(lv.description.get(lang) for lv in question.levels),
        )
    if isinstance(question, SingleChoiceQuestion):
        return WidgetWords({c.id: c.label.get(lang) for c in question.choices})
    if isinstance(question, MultipleChoiceQuestion):
        exclusive = [c.label.get(lang) for c in question.choices if c.exclusive]
        return WidgetWords(
            {c.id: c.label.get(lang) for c in question.choices},
            placeholder=_("Choose all that apply"),
            help=_("'{choice}' excludes the other choices.").format(choice=exclusive[0])
            if exclusive
            else None,
        )
    if isinstance(question, YesNoQuestion):
        return WidgetWords({v: _(word) for v, word in _YES_NO.items()})
    if isinstance(question, NumberQuestion):
        unit = question.unit.get(lang)
        # No thousands separator: a range such as 1900 to 2100 must read as years.
        low, high = (format_number(v, lang, decimals=6, grouping=False) for v in (question.min, question.max))
        if unit:
            placeholder = _("{low} to {high} {unit}").format(low=low, high=high, unit=unit)
            whole = _("A whole number from {low} to {high} {unit}.")
            any_number = _("A number from {low} to {high} {unit}.")
        else:
            placeholder = _("{low} to {high}").format(low=low, high=high)
            whole = _("A whole number from {low} to {high}.")
            any_number = _("A number from {low} to {high}.")
        text = (whole if question.integer else any_number).format(low=low, high=high, unit=unit)
        return WidgetWords(placeholder=placeholder, help=text, unit=unit)
    if isinstance(question, PercentageQuestion):
        return WidgetWords(placeholder=_("0 to 100 %"))
    if isinstance(question, TextQuestion):
        return WidgetWords(placeholder=_("In your own words"))
    return WidgetWords()


@st.cache_resource(show_spinner=False)
def widget_words(lang: Language) -> dict[str, WidgetWords]:
    """Question id -> the words of its input in `lang`, worded once per process and language."""
    return {qid: words_for(q, lang) for qid, q in state.questionnaire().questions.items()}


def question_input(
    assessment_id: int,
    questionnaire: Questionnaire,
    question: QuestionBase,
    value: Any,
    disabled: bool,
    label: str | None = None,
    words: WidgetWords | None = None,
) -> None:
    """The input fit for the question's type, filled with its stored value.

    `label` is Markdown (the question's number and text, escaped) when given. Levels,
    choices, units and help are in the session's language (`words`, when the caller has
    them already from `widget_words`).
    """
    lang = current_language()
    label = label or md(question.text.get(lang))
    if isinstance(question, FundingMixQuestion):
        funding_editor(assessment_id, question, value, disabled, label)
        return
    if isinstance(question, ServicePortfolioQuestion):
        portfolio_editor(assessment_id, questionnaire, question, value, disabled, label)
        return
    words = words or widget_words(lang)[question.id]
    key = answer_key(question.id)
    state.seed(key, value)
    common: dict[str, Any] = {
        "key": key,
        "on_change": on_answer,
        "args": (assessment_id, question.id),
        "disabled": disabled,
    }
    options = words.options
    if isinstance(question, MaturityQuestion):
        st.radio(
            label,
            list(options),
            index=None,
            format_func=options.__getitem__,
            captions=words.captions,
            **common,
        )
    elif isinstance(question, SingleChoiceQuestion):
        st.radio(label, list(options), index=None, format_func=options.__getitem__, **common)
    elif isinstance(question, MultipleChoiceQuestion):
        st.multiselect(
            label,
            list(options),
            format_func=options.__getitem__,
            placeholder=words.placeholder,
            help=words.help,
            **common,
        )
    elif isinstance(question, YesNoQuestion):
        st.radio(label, [True, False], index=None, format_func=options.__getitem__, horizontal=True, **common)
    elif isinstance(question, NumberQuestion):
        st.number_input(
            f"{label} ({words.unit})" if words.unit else label,
            value=None,
            step=1 if question.integer else 1.0,
            format="%d" if question.integer else "%g",
            placeholder=words.placeholder,
            help=words.help,
            **common,
        )
    elif isinstance(question, PercentageQuestion):
        st.number_input(label, value=None, step=1.0, format="%g", placeholder=words.placeholder, **common)
    elif isinstance(question, TextQuestion):
        st.text_area(label, max_chars=question.max_length, placeholder=words.placeholder, **common)
    show_error(question.id)
