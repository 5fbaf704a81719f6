"""The pieces every HTML section is made of: escaped text, headings, table rows, numbers, charts.

Escaping lives here once, so that each section escapes by default rather than by habit.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from assessment.i18n import format_number
from assessment.text import Language

REPORT_WIDTH = 680  # px: fits an A4 page with 15 mm margins


def esc(value: Any) -> str:
    """Any value as HTML text, quotes included."""
    return html.escape(str(value), quote=True)


def figure(fig: go.Figure, div_id: str) -> str:
    """A chart at the report's width, without its own copy of plotly.js (the page has one)."""
    fig.update_layout(width=REPORT_WIDTH, autosize=False)
    body = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displayModeBar": False, "responsive": False, "staticPlot": False},
    )
    return f'<div class="chart">{body}</div>'


def num(value: float | None, lang: Language, unit: str = "") -> str:
    """An amount with one decimal kept, or a dash."""
    return "–" if value is None else format_number(value, lang, 1, trim=False) + unit


def h2(text: str) -> str:
    """A section heading."""
    return f"<h2>{esc(text)}</h2>"


def row(cells: Sequence[str], head: bool = False) -> str:
    """A table row of escaped cells (header cells with `head`)."""
    tag = "th" if head else "td"
    return "<tr>" + "".join(f"<{tag}>{esc(c)}</{tag}>" for c in cells) + "</tr>"
