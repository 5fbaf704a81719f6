"""The language picker, and the language each user keeps from one sign-in to the next.

The session's language is `st.session_state["lang"]` (webapp.i18n reads it). The picker
is drawn on the sign-in page and in the sidebar of every page, each language in its own
name. A signed-in user's choice is saved with their account (`UserStore.set_language`);
at sign-in the session takes the account's language, unless the person chose one on the
sign-in page itself, which is then saved as theirs.
"""

from __future__ import annotations

import streamlit as st

from assessment.i18n import LANGUAGE_NAMES, LANGUAGES, N_
from storage import User
from storage.errors import StorageError
from webapp import state
from webapp.i18n import _, current_language, set_language

PICKER_KEY = "lang:picker"
# Set when the language is chosen while nobody is signed in: that choice wins at sign-in.
CHOSEN_SIGNED_OUT = "lang:chosen_signed_out"
NOT_KEPT = N_("The language is used now but could not be kept for your next visit: {reason}")


def picker() -> None:
    """The language selector, showing the session's language (also after a sign-in changed it)."""
    lang = current_language()
    if st.session_state.get(PICKER_KEY) != lang:
        st.session_state[PICKER_KEY] = lang
    st.selectbox(
        _("Language"),
        list(LANGUAGES),
        format_func=LANGUAGE_NAMES.__getitem__,
        key=PICKER_KEY,
        on_change=_on_pick,
    )


def _on_pick() -> None:
    lang = st.session_state[PICKER_KEY]
    set_language(lang)
    if not st.session_state.get(state.USER):
        st.session_state[CHOSEN_SIGNED_OUT] = True
        return
    try:
        state.store().set_language(lang)
    except StorageError as exc:  # the session keeps the language; the account could not
        state.flash(_(NOT_KEPT).format(reason=exc))


def on_sign_in(user: User) -> None:
    """Give the session the account's language, or keep with the account the one just chosen.

    A failure to save is not a failure to sign in: the session keeps the language anyway.
    """
    if st.session_state.pop(CHOSEN_SIGNED_OUT, False):
        lang = current_language()
        if lang != user.language:
            try:
                state.base_store().as_user(user).set_language(lang)
            except StorageError as exc:
                state.flash(_(NOT_KEPT).format(reason=exc))
    elif user.language in LANGUAGES:
        set_language(user.language)
