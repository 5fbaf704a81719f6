"""Running a store action from a button's callback: done, or the refusal kept to show on the rerun.

A callback runs before the page is drawn, so it cannot show a message itself; it leaves the
refusal (worded in the session's language) under a key the page reads when it draws.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from storage import Forbidden
from storage.errors import StorageError
from webapp import state
from webapp.i18n import _


def attempt(action: Callable[[], None], error_key: str) -> bool:
    """Run `action`; on a refusal or a storage error keep its words under `error_key` and say False."""
    try:
        action()
    except Forbidden as exc:
        st.session_state[error_key] = state.refusal_text(_("Not done"), exc)
        return False
    except StorageError as exc:
        st.session_state[error_key] = str(exc)
        return False
    return True
