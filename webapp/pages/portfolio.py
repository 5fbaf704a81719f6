"""Portfolio: the page script st.navigation runs (kept tiny; the code is in webapp.views.portfolio)."""

from webapp.views.portfolio import render

render()
