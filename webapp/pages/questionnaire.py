"""The questionnaire: the page script st.navigation runs (tiny; the code is in webapp.views.questionnaire)."""

from webapp.views.questionnaire import render

render()
