"""Compare clusters: the page script st.navigation runs (kept tiny; the code is in webapp.views.clusters)."""

from webapp.views.clusters import render

render()
