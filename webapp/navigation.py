"""The app's pages, and which of them each role sees, in the session's language.

The `st.Page` objects are made once per session, role and language and then kept: making
one resolves and checks its file on disk, and the app would otherwise make every page at
every rerun.
"""

from __future__ import annotations

import streamlit as st

from assessment.i18n import N_
from webapp import state
from webapp.i18n import _, current_language

# name -> (page script, title, icon)
PAGES: dict[str, tuple[str, str, str]] = {
    "home": (state.HOME_PAGE, N_("Home"), ":material/home:"),
    "portfolio": (state.PORTFOLIO_PAGE, N_("Portfolio"), ":material/table_view:"),
    "questionnaire": (state.QUESTIONNAIRE_PAGE, N_("Questionnaire"), ":material/edit_note:"),
    "results": (state.RESULTS_PAGE, N_("Results and review"), ":material/insights:"),
    "planning": (state.PLANNING_PAGE, N_("Planning"), ":material/route:"),
    "compare": (state.COMPARE_PAGE, N_("Compare over time"), ":material/compare_arrows:"),
    "clusters": (state.CLUSTERS_PAGE, N_("Compare clusters"), ":material/radar:"),
    "bulk": (state.IMPORT_PAGE, N_("Bulk import"), ":material/upload_file:"),
    "admin": (state.ADMIN_PAGE, N_("Users and programmes"), ":material/manage_accounts:"),
    "method": (state.METHOD_PAGE, N_("Method and sources"), ":material/menu_book:"),
}
# The pages of each role, in the order of the menu. Signed out (None), every page is known
# (so a link or a reload keeps its page and assessment) but only the sign-in is drawn.
BY_ROLE: dict[str | None, tuple[str, ...]] = {
    None: tuple(PAGES),
    "manager": ("home", "questionnaire", "results", "planning", "compare", "method"),
    "officer": ("portfolio", "results", "planning", "questionnaire", "clusters", "compare", "bulk", "method"),
    "admin": tuple(PAGES),
}
KEPT = "navigation_pages"


def pages_for(role: str | None) -> list[st.Page]:
    """The pages `role` sees, titled in the session's language (an officer starts on the portfolio)."""
    key = (role, current_language())
    kept = st.session_state.get(KEPT)
    if kept is None or kept[0] != key:
        names = BY_ROLE[role]
        default = "portfolio" if role == "officer" else "home"
        made = [
            st.Page(PAGES[n][0], title=_(PAGES[n][1]), icon=PAGES[n][2], default=n == default) for n in names
        ]
        kept = (key, made)
        st.session_state[KEPT] = kept
    return kept[1]
