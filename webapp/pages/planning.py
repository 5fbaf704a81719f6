"""Planning: the page script st.navigation runs (kept tiny; the code is in webapp.views.planning_hub)."""

from webapp.views.planning_hub import render

render()
