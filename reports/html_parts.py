"""The pieces the report's template lays out: paragraphs, tables and charts, as plain data.

Python decides what a section says (translated, numbers formatted); the template decides
how it looks and escapes every text. A chart is the one piece of markup made in Python,
and it is plotly's own.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup

from assessment.i18n import format_number
from assessment.text import Language

REPORT_WIDTH = 680  # px: fits an A4 page with 15 mm margins

# What the report's charts draw: 2-D axes, a polar radar, shapes and notes; bars, pies, lines.
_LAYOUT_KEYS = (
    "autotypenumbers",
    "colorway",
    "font",
    "hovermode",
    "hoverlabel",
    "paper_bgcolor",
    "plot_bgcolor",
    "polar",
    "xaxis",
    "yaxis",
    "shapedefaults",
    "annotationdefaults",
    "title",
)
_TRACE_TYPES = ("bar", "pie", "scatter", "scatterpolar")


@functools.lru_cache(maxsize=1)
def lean_template() -> go.layout.Template:
    """Plotly's default look, cut to the parts the report's charts use.

    Every figure carries its own template, and plotly's default (about 7 kB: every trace
    type, 3-D scenes, maps, colour scales) would be repeated in each chart. The parts kept
    are the default's own values, so the charts look as they did.
    """
    full = pio.templates["plotly"].to_plotly_json()
    return go.layout.Template(
        layout={k: v for k, v in full["layout"].items() if k in _LAYOUT_KEYS},
        data={k: v for k, v in full["data"].items() if k in _TRACE_TYPES},
    )


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of text; `css` is its class ("muted", "note") or ""."""

    kind: ClassVar[str] = "paragraph"
    text: str
    css: str = ""


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: an amount is right-aligned (`num`); `note` is a muted line under the text."""

    text: str
    num: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A table with its header cells and rows of cells."""

    kind: ClassVar[str] = "table"
    head: Sequence[str]
    rows: Sequence[Sequence[Cell]] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Chart:
    """A plotly chart: its div and the script that draws it, both written by plotly."""

    kind: ClassVar[str] = "chart"
    html: Markup


#: What a section of plans is made of, in its order.
Block = Paragraph | Table | Chart


_DATA_ARRAYS = ("x", "y", "r", "values")
_DECIMALS = 4  # more than any hover shows (".1f", ".2f", "~g" of a share), and far below a pixel


def _round_data(fig: go.Figure) -> None:
    """Round the floats a chart plots: a computed 1/3 is written with 4 decimals, not 16."""
    for trace in fig.data:
        for attr in _DATA_ARRAYS:
            if attr in trace and trace[attr] is not None:
                values = trace[attr]
                if any(isinstance(v, float) for v in values):
                    trace[attr] = [round(v, _DECIMALS) if isinstance(v, float) else v for v in values]


def figure(fig: go.Figure, div_id: str) -> Chart:
    """A chart at the report's width, without its own copy of plotly.js (the page has one).

    The chart carries plotly's default look cut to what it draws (`lean_template`) and its
    numbers rounded, since each chart of the page repeats them in its JSON.
    """
    fig.update_layout(width=REPORT_WIDTH, autosize=False, template=lean_template())
    _round_data(fig)
    body = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        # to_html would make the chart responsive; the report's page has a fixed width
        config={"displayModeBar": False, "responsive": False},
    )
    # Markup: plotly writes this div and script itself and escapes the texts in its JSON
    # (\u003c for "<"); escaping it again would print the script as text.
    return Chart(Markup(body))


def num(value: float | None, lang: Language, unit: str = "") -> str:
    """An amount with one decimal kept, or a dash."""
    return "–" if value is None else format_number(value, lang, 1, trim=False) + unit


def int_text(value: int, lang: Language) -> str:
    """A whole number as `lang` groups it."""
    return format_number(value, lang, 0)
