"""The questionnaire's sections and moving between them: the profile, each dimension, review and submit.

One place keeps the section being filled (`state.SECTION`, mirrored in the selector's key),
so that every rerun, language switch and "Go to" button agrees on where the user is.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from assessment.questionnaire import Questionnaire
from scoring.progress import (
    PROFILE_SECTION,
    Progress,
)
from webapp import state
from webapp.i18n import _, current_language
from webapp.logic import SUBMIT_SECTION

SECTION_KEY = "nav:section"


def section_key(lang: str) -> str:
    """The selector's widget key, one per language.

    Switching language changes every label, which Streamlit takes for a new widget; a key
    of its own per language makes it one, created on the section the user is on.
    """
    return f"{SECTION_KEY}:{lang}"


def sections(questionnaire: Questionnaire) -> list[str]:
    """The sections in order: the profile, each dimension, then review and submit."""
    return [PROFILE_SECTION, *(d.id for d in questionnaire.dimensions), SUBMIT_SECTION]


def section_title(questionnaire: Questionnaire, section: str) -> str:
    """The selector's label of a section: its number and title only, never its progress.

    The selector's options must not change as answers come in: Streamlit takes a radio
    whose labels changed for a new one, shows it with nothing selected, and the next rerun
    falls back to the first section (the jump back to the profile).
    """
    if section == PROFILE_SECTION:
        return _("Profile")
    if section == SUBMIT_SECTION:
        return _("Review and submit")
    index = next(i for i, d in enumerate(questionnaire.dimensions, 1) if d.id == section)
    return f"{index}. {questionnaire.dimensions[index - 1].title.get(current_language())}"


def section_label(questionnaire: Questionnaire, per: Mapping[str, Progress], section: str) -> str:
    """A section's label with its progress (the Previous and Next buttons), in the session's language."""
    if section == PROFILE_SECTION:
        return _("Profile")
    if section == SUBMIT_SECTION:
        return _("Review and submit")
    index = next(i for i, d in enumerate(questionnaire.dimensions, 1) if d.id == section)
    dim = questionnaire.dimensions[index - 1]
    p = per[section]
    done = " ✓" if p.asked and p.answered == p.asked else ""
    return f"{index}. {dim.title.get(current_language())} ({p.answered}/{p.asked}){done}"


def on_section(key: str) -> None:
    """The section selector changed: remember the section chosen."""
    st.session_state[state.SECTION] = st.session_state[key]
    st.session_state.pop(state.FOCUS, None)


def move_to(to: str) -> None:
    """Go to a section (a button's callback): the selector follows."""
    st.session_state[state.SECTION] = to
    st.session_state[section_key(current_language())] = to
    st.session_state.pop(state.FOCUS, None)
