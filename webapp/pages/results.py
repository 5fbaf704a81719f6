"""Results: the page script st.navigation runs (kept tiny; the code is in webapp.views.results)."""

from webapp.views.results import render

render()
