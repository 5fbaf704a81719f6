"""The app's language: read from the session, with `_()` and formatting helpers bound to it.

The language lives in `st.session_state["lang"]` (default "en"); whoever offers the
language picker writes that key (and remembers it per user). Every helper here reads it
at call time, so a rerun after a change of language renders everything in the new one.
Translation and formatting themselves are in `assessment.i18n`, shared with the engine
and the command line.
"""

from __future__ import annotations

import datetime
from contextvars import ContextVar

import streamlit as st

from assessment import i18n
from assessment.languages import Language

LANG_KEY = "lang"
DEFAULT_LANG: Language = "en"


# The language of the script run under way, read from the session at its first use: `_()`
# is called for nearly every text drawn, and a read of st.session_state costs more than the
# lookup of the translation itself. Each session's script runs in a thread of its own, so the
# variable (one value per thread) never carries one session's language into another's run.
_RUN_LANGUAGE: ContextVar[Language | None] = ContextVar("run_language", default=None)


def begin_run() -> None:
    """Read the session's language again at its next use (called at the start of every run)."""
    _RUN_LANGUAGE.set(None)


def current_language() -> Language:
    """The session's language.

    Raises:
        UnknownLanguageError: the session holds a code that is not en, es or pt.
    """
    lang = _RUN_LANGUAGE.get()
    if lang is None:
        lang = i18n.check_language(st.session_state.get(LANG_KEY, DEFAULT_LANG))
        _RUN_LANGUAGE.set(lang)
    return lang


def set_language(lang: str) -> None:
    """Make `lang` the session's language, for the rest of this run too.

    Raises:
        UnknownLanguageError: `lang` is not en, es or pt.
    """
    st.session_state[LANG_KEY] = i18n.check_language(lang)
    _RUN_LANGUAGE.set(None)


def _(message: str) -> str:
    """`message` in the session's language (as written if it has no translation yet)."""
    return i18n.gettext_for(current_language())(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for `count`, in the session's language."""
    return i18n.ngettext_for(current_language())(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` in the session's language, told apart from the same English text by `context`."""
    return i18n.translations(current_language()).pgettext(context, message)


def number(value: float, decimals: int = 1) -> str:
    """A number in the session's conventions: 1,234.5 or 1.234,5."""
    return i18n.format_number(value, current_language(), decimals)


def percent(value: float, decimals: int = 1) -> str:
    """A 0-100 percentage in the session's conventions: 12% or 12 %."""
    return i18n.format_percent(value, current_language(), decimals)


def date(value: datetime.date, format: str = "medium") -> str:
    """A date in the session's language."""
    return i18n.format_date(value, current_language(), format)


def datetime_text(value: datetime.datetime, format: str = "medium") -> str:
    """A date and time in the session's language."""
    return i18n.format_datetime(value, current_language(), format)
