"""Saving what a person types, as they type it: each answer checked, then stored at once.

A widget's on_change callback checks the new value with the questionnaire's answer checker
and saves it to the store. A refused value is not saved (the stored one stays) and its
message is kept under the question's id, to be shown next to the field by `show_error`, in
the session's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from assessment.errors import AnswersError, AssessmentError
from assessment.i18n import format_time
from webapp import place, state
from webapp.i18n import _, current_language
from webapp.logic import plain_answer
from webapp.text import md

YEAR_KEY = "a:year"


def answer_key(question_id: str) -> str:
    """The widget key of a question's input."""
    return f"q:{question_id}"


def source_key(question_id: str, source_id: str) -> str:
    """The widget key of one source of a funding-mix question."""
    return f"q:{question_id}:{source_id}"


def profile_key(field_id: str) -> str:
    """The widget key of a profile field."""
    return f"p:{field_id}"


def refusal_text(exc: AssessmentError) -> str:
    """A refusal as one line in the session's language (all problems of the value)."""
    if isinstance(exc, AnswersError):
        return "; ".join(p.message for p in exc.problems)
    return str(exc)


def note_saved(label: str) -> None:
    """Note what was saved last (already worded in the session's language) and when."""
    st.session_state[state.LAST_SAVED] = (label, format_time(dt.datetime.now(), current_language()))


# --- saving -------------------------------------------------------------------------------------


def save_answer(assessment_id: int, question_id: str, raw: Any) -> bool:
    """Check one answer and save it (None or empty deletes it); a refusal is kept as its error."""
    errors = state.errors()
    if raw == "" or raw == [] or (isinstance(raw, str) and not raw.strip()):
        raw = None
    try:
        value = (
            None
            if raw is None
            else plain_answer(question_id, state.checker().check_answer(question_id, raw, current_language()))
        )
        state.store().save_answer(assessment_id, question_id, value, state.ACTOR)
    except AssessmentError as exc:
        errors[question_id] = refusal_text(exc)
        return False
    errors.pop(question_id, None)
    note_saved(_("question {number}").format(number=state.numbers()[question_id]))
    place.keep_question(question_id)
    return True


def on_answer(assessment_id: int, question_id: str) -> None:
    """An answer's widget changed: save its new value."""
    save_answer(assessment_id, question_id, st.session_state.get(answer_key(question_id)))


def save_profile(assessment_id: int, field_id: str, raw: Any) -> bool:
    """Check one profile field against the questionnaire and save it; None or empty deletes it."""
    errors = state.errors()
    key = f"profile.{field_id}"
    if isinstance(raw, str) and not raw.strip():
        raw = None
    try:
        value = None
        if raw is not None:
            data = state.store().answer_data(assessment_id)
            probe = {**data, "profile": {field_id: raw}, "answers": {}}
            founded = state.questionnaire().stage_rule.founded_field
            if field_id != founded and founded in data["profile"]:
                probe["profile"][founded] = data["profile"][founded]
            value = state.checker().check(probe, current_language()).profile[field_id]
        state.store().save_profile(assessment_id, field_id, value, state.ACTOR)
    except AnswersError as exc:
        errors[key] = "; ".join(p.message for p in exc.problems if p.location == key) or refusal_text(exc)
        return False
    except AssessmentError as exc:
        errors[key] = refusal_text(exc)
        return False
    errors.pop(key, None)
    note_saved(state.questionnaire().profile_fields[field_id].label.get(current_language()))
    return True


def on_profile(assessment_id: int, field_id: str) -> None:
    """A profile field's widget changed: save its new value."""
    save_profile(assessment_id, field_id, st.session_state.get(profile_key(field_id)))


def save_year(assessment_id: int, year: Any) -> bool:
    """Check the year the answers describe (also against the founding year) and save it."""
    errors = state.errors()
    try:
        if year is None:
            raise _Refused(_("give the year the answers describe (last year's accounts)"))
        data = state.store().answer_data(assessment_id)
        founded = state.questionnaire().stage_rule.founded_field
        probe = {**data, "year": year, "profile": {}, "answers": {}}
        if founded in data["profile"]:
            probe["profile"][founded] = data["profile"][founded]
        valid = state.checker().check(probe, current_language())
        state.store().set_year(assessment_id, valid.year, state.ACTOR)
    except _Refused as exc:
        errors["year"] = str(exc)
        return False
    except AnswersError as exc:
        errors["year"] = "; ".join(p.message for p in exc.problems)
        return False
    except AssessmentError as exc:
        errors["year"] = refusal_text(exc)
        return False
    errors.pop("year", None)
    note_saved(_("the year"))
    return True


class _Refused(Exception):
    pass


def on_year(assessment_id: int) -> None:
    """The year's widget changed: save it."""
    save_year(assessment_id, st.session_state.get(YEAR_KEY))


def show_error(field: str) -> None:
    """The message of a refused answer, right below its field."""
    message = state.errors().get(field)
    if message:
        st.error(_("Not saved: {reason}").format(reason=md(message)), icon=":material/error:")
