"""Method and sources: the page script st.navigation runs (kept tiny; the code is in webapp.views.method)."""

from webapp.views.method import render

render()
