"""Planning: the page script st.navigation runs (kept tiny; the code is in webapp.views.planning)."""

from webapp.views.planning import render

render()
