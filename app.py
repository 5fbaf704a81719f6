"""The Streamlit app: page config, sign-in, navigation by role and the store. Pages live in webapp/pages/.

Nobody sees a page before signing in (webapp.auth: local accounts, and OpenID Connect when
`.streamlit/secrets.toml` has an `[auth]` table). A cluster manager gets the assessment
pages; a programme officer the portfolio of their programme, the review and the import; an
administrator everything, and the users page. A refusal of the store (`Forbidden`) is shown
as a message.
"""

import streamlit as st

from storage import Forbidden
from webapp import auth, state
from webapp.i18n import _
from webapp.text import md

st.set_page_config(
    page_title=_("Cluster Sustainability Self-Assessment"), page_icon=":material/hub:", layout="wide"
)

state.base_store()
state.begin_run()
user = auth.current_user()
role = user.role if user is not None else None

home = st.Page(state.HOME_PAGE, title=_("Home"), icon=":material/home:", default=role != "officer")
questionnaire = st.Page(state.QUESTIONNAIRE_PAGE, title=_("Questionnaire"), icon=":material/edit_note:")
results = st.Page(state.RESULTS_PAGE, title=_("Results and review"), icon=":material/insights:")
compare = st.Page(state.COMPARE_PAGE, title=_("Compare over time"), icon=":material/compare_arrows:")
method = st.Page(state.METHOD_PAGE, title=_("Method and sources"), icon=":material/menu_book:")
portfolio = st.Page(
    state.PORTFOLIO_PAGE, title=_("Portfolio"), icon=":material/table_view:", default=role == "officer"
)
clusters = st.Page(state.CLUSTERS_PAGE, title=_("Compare clusters"), icon=":material/radar:")
bulk = st.Page(state.IMPORT_PAGE, title=_("Bulk import"), icon=":material/upload_file:")
admin = st.Page(state.ADMIN_PAGE, title=_("Users and programmes"), icon=":material/manage_accounts:")
planning = st.Page(state.PLANNING_PAGE, title=_("Planning"), icon=":material/route:")

if user is None:
    # Every page is known (so a link or a reload keeps its page and assessment in the URL),
    # but only the sign-in form is drawn; signing in reruns the app on the page linked.
    st.navigation(
        [home, portfolio, questionnaire, results, planning, compare, clusters, bulk, admin, method],
        position="hidden",
    )
    auth.render()
else:
    auth.sidebar(user)
    state.sync_assessment()
    if role == "manager":
        pages = [home, questionnaire, results, planning, compare, method]
    elif role == "officer":
        pages = [portfolio, results, planning, questionnaire, clusters, compare, bulk, method]
    else:
        pages = [home, portfolio, questionnaire, results, planning, compare, clusters, bulk, admin, method]
    page = st.navigation(pages)
    try:
        page.run()
    except Forbidden as exc:
        st.error(md(state.refusal_text(_("This is not open to you"), exc)), icon=":material/block:")
