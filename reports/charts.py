"""The charts of the app and of the HTML report (plotly figures, built from plain data).

Texts typed by users (cluster and service names) only ever reach plotly as data or
hover text, which plotly renders as text.

Every chart takes the language it is drawn in (`lang`, default English): the HTML report
is built outside any Streamlit run, so nothing here reads the session. Titles, axes,
legends and hover texts go through that language's catalogue, and plotly is told the
language's decimal and thousands separators.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

from assessment.checks import FundingStageCheck
from assessment.i18n import format_number, gettext_for, percent_sign
from assessment.questionnaire import Questionnaire
from assessment.questions import FundingMixQuestion
from assessment.ratings import rating_words
from assessment.text import Language
from reports.reference import EUROPEAN_PUBLIC_SHARE, peers_label
from scoring.funding import public_share
from scoring.result import Result

if TYPE_CHECKING:
    from programmes.peers import PeerMedians

PUBLIC_COLOURS = ("#c2410c", "#fb923c", "#fdba74")
PRIVATE_COLOURS = ("#047857", "#10b981", "#6ee7b7", "#a7f3d0", "#34d399")
SERIES_COLOURS = ("#1d4ed8", "#b91c1c", "#7c3aed", "#0f766e", "#a16207", "#be185d")
REFERENCE_COLOUR = "#6b7280"
FONT = {"family": "Inter, 'Source Sans Pro', Arial, sans-serif", "size": 13}

FINANCIAL_LEVELS = ("none", "medium_low", "medium_high", "high")
VALUATION_LEVELS = ("medium_low", "medium", "high")


# plotly's `separators`: the decimal mark, then the thousands separator.
_SEPARATORS: dict[str, str] = {"en": ".,", "es": ",.", "pt": ",."}


# A year is never grouped ("2031", not "2.031" in Spanish): integer ticks and hover, no separators.
YEAR_AXIS: dict[str, Any] = {"dtick": 1, "tickformat": "d", "hoverformat": "d"}


def layout(fig: go.Figure, height: int, lang: Language = "en", **extra: Any) -> go.Figure:
    """The house style of every chart: the language's separators, font, white ground and margins."""
    settings: dict[str, Any] = {
        "separators": _SEPARATORS[lang],
        "height": height,
        "margin": {"l": 40, "r": 40, "t": 50, "b": 40},
        "font": FONT,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
    }
    fig.update_layout(settings | extra)
    return fig


def radar(
    results: Sequence[tuple[str, Result]],
    title: str | None = None,
    lang: Language = "en",
    peers: PeerMedians | None = None,
) -> go.Figure:
    """The seven dimension scores of one or more results, over the programme's peer median if given.

    `title` defaults to "Seven dimensions" in `lang`; the dimension titles are the results'
    own (an engine of `lang` writes them in `lang`). There is no reference line but the
    peers' median: the sources give no per-dimension reference score.
    """
    _ = gettext_for(lang)
    fig = go.Figure()
    if not results:
        return fig
    dims = results[0][1].dimensions
    theta = [d.title for d in dims] + [dims[0].title]
    if peers is not None and all(d.id in peers.dimensions for d in dims):
        median = [round(peers.dimensions[d.id], 1) for d in dims]
        fig.add_trace(
            go.Scatterpolar(
                r=median + median[:1],
                theta=theta,
                name=html.escape(peers_label(peers, lang)),
                line={"color": REFERENCE_COLOUR, "dash": "dash", "width": 2},
                hovertemplate=literal(_("{dimension}: peers' median {score}")).format(
                    dimension="%{theta}", score="%{r:.1f}"
                )
                + "<extra></extra>",
            )
        )
    for i, (label, result) in enumerate(results):
        scores = [d.score if d.score is not None else 0 for d in result.dimensions]
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        fig.add_trace(
            go.Scatterpolar(
                r=scores + scores[:1],
                theta=theta,
                name=html.escape(label),  # plotly reads tags in names; show the name as typed
                fill="toself" if len(results) == 1 else "none",
                fillcolor="rgba(29, 78, 216, 0.15)" if len(results) == 1 else None,
                line={"color": colour, "width": 3},
                marker={"size": 7},
                hovertemplate="%{theta}: %{r:.1f}<extra>" + literal(label) + "</extra>",
            )
        )
    return layout(
        fig,
        480,
        lang,
        title={"text": title if title is not None else _("Seven dimensions")},
        polar={"radialaxis": {"range": [0, 100], "tickvals": [25, 50, 75, 100]}},
        legend={"orientation": "h", "y": -0.12},
        showlegend=True,
    )


def percent_text(value: float, lang: Language) -> str:
    """A percentage as `lang` writes it, with up to one decimal ("80%", "37,5 %")."""
    return format_number(value, lang, 1) + percent_sign(lang)


def literal(text: str) -> str:
    """Text for a plotly template: its %{...} and <...> taken literally.

    Plotly reads "%{" as the start of a placeholder and has no escape for it, so a zero-width
    space keeps a typed "%{" as text; a lone "%" is already literal (doubling it would show
    "%%").
    """
    return text.replace("%{", "%\u200b{").replace("<", "&lt;").replace(">", "&gt;")


def funding_pie(
    question: FundingMixQuestion, shares: Mapping[str, float | None], lang: Language = "en"
) -> go.Figure:
    """The funding mix as typed, public sources in warm colours and private ones in green."""
    _ = gettext_for(lang)
    labels, values, colours = [], [], []
    pub = priv = 0
    for source in question.sources:
        share = shares.get(source.id) or 0
        if share <= 0:
            continue
        labels.append(source.label.get(lang))
        values.append(share)
        if source.public:
            colours.append(PUBLIC_COLOURS[pub % len(PUBLIC_COLOURS)])
            pub += 1
        else:
            colours.append(PRIVATE_COLOURS[priv % len(PRIVATE_COLOURS)])
            priv += 1
    left = 100 - sum(values)
    if left > 0.5:
        labels.append(_("Not allocated yet"))
        values.append(left)
        colours.append("#e5e7eb")
    fig = go.Figure(
        go.Pie(
            labels=labels,
            values=values,
            marker={"colors": colours},
            sort=False,
            hole=0.35,
            text=[percent_text(v, lang) for v in values],
            texttemplate="%{label}<br>%{text}",
            hovertemplate="%{label}: %{text}<extra></extra>",
        )
    )
    return layout(fig, 340, lang, showlegend=False, title={"text": _("Funding mix as typed")})


def funding_benchmark(
    question: FundingMixQuestion,
    shares: Mapping[str, float],
    stage_id: str | None,
    stage_label: str,
    check: FundingStageCheck | None,
    cluster_label: str | None = None,
    lang: Language = "en",
) -> go.Figure:
    """The cluster's public and private shares beside the European reference (002 s6.2.1).

    The line marks the public share above which the questionnaire raises a red flag at the
    cluster's stage (from its funding cross-check), when there is one. `stage_label` and
    `cluster_label` are shown as given (pass them in `lang`); the cluster's row is "This
    cluster" in `lang` when no label is given.
    """
    _ = gettext_for(lang)
    pct = percent_sign(lang)
    cluster_label = cluster_label if cluster_label is not None else _("This cluster")
    europe = {period: _("Europe {period}").format(period=period) for period in EUROPEAN_PUBLIC_SHARE}
    fig = go.Figure()
    rows = [*europe.values(), cluster_label]
    pub_index = priv_index = 0
    for source in question.sources:
        share = float(shares.get(source.id) or 0)
        if source.public:
            colour = PUBLIC_COLOURS[pub_index % len(PUBLIC_COLOURS)]
            pub_index += 1
        else:
            colour = PRIVATE_COLOURS[priv_index % len(PRIVATE_COLOURS)]
            priv_index += 1
        fig.add_trace(
            go.Bar(
                y=[cluster_label],
                x=[share],
                name=source.label.get(lang),
                orientation="h",
                marker={"color": colour},
                hovertemplate=f"{literal(source.label.get(lang))}: %{{x:~g}}{pct}<extra></extra>",
            )
        )
    for period, public in EUROPEAN_PUBLIC_SHARE.items():
        fig.add_trace(
            go.Bar(
                y=[europe[period]],
                x=[public],
                name=_("Public (Europe)"),
                orientation="h",
                marker={"color": PUBLIC_COLOURS[0], "pattern": {"shape": "/"}},
                showlegend=period == next(iter(EUROPEAN_PUBLIC_SHARE)),
                hovertemplate=literal(_("Public, Europe {period}: about {share}")).format(
                    period=period, share="%{x:~g}" + pct
                )
                + "<extra></extra>",
            )
        )
        fig.add_trace(
            go.Bar(
                y=[europe[period]],
                x=[100 - public],
                name=_("Private (Europe)"),
                orientation="h",
                marker={"color": PRIVATE_COLOURS[0], "pattern": {"shape": "/"}},
                showlegend=period == next(iter(EUROPEAN_PUBLIC_SHARE)),
                hovertemplate=literal(_("Private, Europe {period}: about {share}")).format(
                    period=period, share="%{x:~g}" + pct
                )
                + "<extra></extra>",
            )
        )
    limit = check.dependent_above.get(stage_id) if check and stage_id else None
    if limit is not None:
        fig.add_vline(
            x=limit,
            line={"color": "#111827", "dash": "dot", "width": 2},
            annotation_text=_("Red flag above {share} public ({stage})").format(
                share=percent_text(limit, lang), stage=html.escape(stage_label)
            ),
            annotation_position="top",
        )
    public = public_share(question, shares)
    return layout(
        fig,
        380,
        lang,
        barmode="stack",
        title={
            "text": _("Public share {share} against the European reference").format(
                share=percent_text(public, lang)
            )
        },
        xaxis={"range": [0, 100], "ticksuffix": pct, "title": _("Share of income")},
        # automargin: the row labels ("This cluster, 2025", "Europe 2016-2017") are never clipped
        yaxis={"categoryorder": "array", "categoryarray": rows, "automargin": True},
        legend={"orientation": "h", "y": -0.3, "x": 0, "xanchor": "left", "yanchor": "top"},
        margin={"l": 40, "r": 30, "t": 60, "b": 40},
    )


MARK_CHARGED, MARK_FREE, MARK_MISSING = "●", "◐", "○"
COLOUR_CHARGED, COLOUR_FREE, COLOUR_MISSING = "#047857", "#0e7490", "#9ca3af"
LABEL_WIDTH = 30  # characters per line in a cell


def _wrap(text: str, width: int = LABEL_WIDTH) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>   ".join(html.escape(part) for part in lines)


def portfolio_matrix(
    questionnaire: Questionnaire, answer: Mapping[str, Any] | None, lang: Language = "en"
) -> go.Figure:
    """Table 6 as a matrix: members' valuation across, the income a service brings up the side.

    Each cell lists its services: ● offered and charged, ◐ offered free, ○ not offered
    (grey), with the share of members that used it. The shaded cells (brings income and
    highly valued) are the paying core of 002 s6.2.2. Rows are as tall as their longest list.
    Service names are the questionnaire's in `lang`; a cluster's own services are not drawn.
    """
    _ = gettext_for(lang)
    answer = answer or {}
    cells: dict[tuple[int, int], list[str]] = {}
    for service in questionnaire.services:
        use = answer.get(service.id) or {}
        offered = bool(use) and bool(use.get("offered", True))
        if not offered:
            mark, colour = MARK_MISSING, COLOUR_MISSING
        elif use.get("charged"):
            mark, colour = MARK_CHARGED, COLOUR_CHARGED
        else:
            mark, colour = MARK_FREE, COLOUR_FREE
        uptake = use.get("uptake") if offered else None
        suffix = f" ({percent_text(uptake, lang)})" if uptake is not None else ""
        line = f'<span style="color:{colour}">{mark} {_wrap(service.name.get(lang) + suffix)}</span>'
        x = VALUATION_LEVELS.index(service.member_valuation)
        y = FINANCIAL_LEVELS.index(service.financial_contribution)
        cells.setdefault((x, y), []).append(line)
    # Row heights in lines of text, bottom (no income) to top (high income).
    heights = [
        max([3] + [sum(t.count("<br>") + 1 for t in cells.get((x, y), [])) + 1 for x in range(3)])
        for y in range(len(FINANCIAL_LEVELS))
    ]
    bottoms = [sum(heights[:y]) for y in range(len(heights))]
    total = sum(heights)
    fig = go.Figure()
    for x in range(len(VALUATION_LEVELS)):
        for y in range(len(FINANCIAL_LEVELS)):
            core = VALUATION_LEVELS[x] == "high" and FINANCIAL_LEVELS[y] in ("medium_high", "high")
            fig.add_shape(
                type="rect",
                x0=x - 0.5,
                x1=x + 0.5,
                y0=bottoms[y],
                y1=bottoms[y] + heights[y],
                line={"color": "#d1d5db", "width": 1},
                fillcolor="rgba(16, 185, 129, 0.12)" if core else "white",
                layer="below",
            )
            lines = cells.get((x, y))
            if lines:
                fig.add_annotation(
                    x=x - 0.46,
                    y=bottoms[y] + heights[y] - 0.3,
                    text="<br>".join(lines),
                    showarrow=False,
                    xanchor="left",
                    yanchor="top",
                    align="left",
                    font={"size": 11},
                )
    charged, free, missing = _("offered, charged"), _("offered, free"), _("not offered")
    using = _("% of members using it")
    legend = (
        f'<span style="color:{COLOUR_CHARGED}">{MARK_CHARGED} {html.escape(charged)}</span>   '
        f'<span style="color:{COLOUR_FREE}">{MARK_FREE} {html.escape(free)}</span>   '
        f'<span style="color:{COLOUR_MISSING}">{MARK_MISSING} {html.escape(missing)}</span>'
        f"   ({html.escape(using)})<br>"
        '<span style="color:#047857">'
        + html.escape(_("Shaded: the paying core, services that bring income and are highly valued"))
        + "</span>"
    )
    return layout(
        fig,
        total * 15 + 170,
        lang,
        title={"text": _("Service portfolio on Table 6 (002 s6.2.2)"), "subtitle": {"text": legend}},
        margin={"l": 110, "r": 20, "t": 100, "b": 60},
        xaxis={
            "title": _("Members' valuation"),
            "tickvals": list(range(len(VALUATION_LEVELS))),
            "ticktext": [rating_words(v, lang) for v in VALUATION_LEVELS],
            "range": [-0.52, 2.52],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
        yaxis={
            "title": _("Income it brings"),
            "tickvals": [b + h / 2 for b, h in zip(bottoms, heights, strict=True)],
            "ticktext": [rating_words(v, lang) for v in FINANCIAL_LEVELS],
            "range": [-0.2, total + 0.2],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
        showlegend=False,
    )


# --- planning (issue 5) -------------------------------------------------------------------------
