"""Compare over time: the page script st.navigation runs (kept tiny; the code is in webapp.views.compare)."""

from webapp.views.compare import render

render()
