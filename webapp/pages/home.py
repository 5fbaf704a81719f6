"""Home: the page script st.navigation runs (kept tiny; the code is in webapp.views.home)."""

from webapp.views.home import render

render()
