"""The Streamlit app: page config, sign-in, navigation by role and the store. Pages live in webapp/pages/.

Nobody sees a page before signing in (webapp.auth: local accounts, and OpenID Connect when
`.streamlit/secrets.toml` has an `[auth]` table). A cluster manager gets the assessment
pages; a programme officer the portfolio of their programme, the review and the import; an
administrator everything, and the users page. A members' survey link (`?survey=<token>`)
opens the survey page instead, with no sign-in (webapp.views.survey). A refusal of the
store (`Forbidden`) is shown as a message.
"""

import streamlit as st

from storage import Forbidden
from webapp import auth, navigation, session_cookie, state
from webapp.i18n import _
from webapp.text import md

st.set_page_config(page_title=_("Cluster Sustainability Self-Assessment"), page_icon="🌱", layout="wide")

state.base_store()
state.begin_run()
if "survey" in st.query_params:  # a member firm's survey link: no account, no sign-in
    from webapp.views import survey

    survey.render()
    st.stop()
user = auth.current_user()
role = user.role if user is not None else None
session_cookie.write_pending()  # keep (or drop) the signed-in session across reloads

if user is None:
    st.navigation(navigation.pages_for(None), position="hidden")
    auth.render()
else:
    auth.sidebar(user)
    state.sync_assessment()
    page = st.navigation(navigation.pages_for(role))
    try:
        page.run()
    except Forbidden as exc:
        st.error(md(state.refusal_text(_("This is not open to you"), exc)), icon=":material/block:")
