"""Bulk import: the page script st.navigation runs (kept tiny; the code is in webapp.views.bulk_import)."""

from webapp.views.bulk_import import render

render()
