"""The Streamlit app: page config, navigation and the store. The pages live in webapp/pages/."""

import streamlit as st

from webapp import state

st.set_page_config(
    page_title="Cluster Sustainability Self-Assessment", page_icon=":material/hub:", layout="wide"
)

state.store()
state.sync_assessment()

page = st.navigation(
    [
        st.Page(state.HOME_PAGE, title="Home", icon=":material/home:", default=True),
        st.Page(state.QUESTIONNAIRE_PAGE, title="Questionnaire", icon=":material/edit_note:"),
        st.Page(state.RESULTS_PAGE, title="Results", icon=":material/insights:"),
        st.Page(state.COMPARE_PAGE, title="Compare over time", icon=":material/compare_arrows:"),
        st.Page(state.METHOD_PAGE, title="Method and sources", icon=":material/menu_book:"),
    ]
)
page.run()
