"""Users and programmes: the page script st.navigation runs (kept tiny; the code is in webapp.views.admin)."""

from webapp.views.admin import render

render()
