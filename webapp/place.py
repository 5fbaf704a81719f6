"""Where the user is in the questionnaire, kept in the link: a reload or a new tab comes back to it.

The section being filled and the question last answered are query parameters; in the first
seconds of a new session (a reload) the page scrolls back to that question.
"""

from __future__ import annotations

import time
from collections.abc import Collection

import streamlit as st

SESSION_START = "session_started"  # when this session's first run began (a reload starts one)


def mark_session_start() -> None:
    """Note when the session's first run began (called at the start of every run; kept once)."""
    st.session_state.setdefault(SESSION_START, time.monotonic())


SECTION_PARAM = "section"


def section_from_url() -> str | None:
    """The questionnaire section the link names (a reload or a new tab comes back to it)."""
    return st.query_params.get(SECTION_PARAM)


def keep_section(section: str) -> None:
    """Remember the section being filled in the link."""
    if st.query_params.get(SECTION_PARAM) != section:
        st.query_params[SECTION_PARAM] = section


QUESTION_PARAM = "question"
BRING_BACK_SECONDS = 4.0


def keep_question(question_id: str) -> None:
    """Remember, in the link, the question last answered: a reload comes back to it."""
    if st.query_params.get(QUESTION_PARAM) != question_id:
        st.query_params[QUESTION_PARAM] = question_id


def question_to_bring_back(shown: Collection[str]) -> str | None:
    """The question the link names, in the first seconds of a session (a reload), when the section shows it.

    Not "the first run": opening a page takes a run or two, and what a run draws that the
    next does not is taken off the page, so every run of those first seconds asks again.
    """
    started = st.session_state.setdefault(SESSION_START, time.monotonic())
    if time.monotonic() - started > BRING_BACK_SECONDS:
        return None
    wanted = st.query_params.get(QUESTION_PARAM)
    return wanted if wanted in shown else None
