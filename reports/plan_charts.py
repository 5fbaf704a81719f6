"""Charts of the planners: the funding exit path, scenarios, sensitivity, structure fit and service income.

The same look as the results' charts (reports.charts: layout, colours, separators by
language), kept apart because they draw plans, not scores.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from assessment.i18n import format_number, gettext_for, percent_sign
from assessment.text import Language
from planning import Projection, Sensitivity, StructureFit
from reports.charts import (
    PRIVATE_COLOURS,
    PUBLIC_COLOURS,
    REFERENCE_COLOUR,
    SERIES_COLOURS,
    YEAR_AXIS,
    layout,
    literal,
    percent_text,
)

#: Colours of the six funding sources of a plan: public ones warm, private ones green.
SOURCE_COLOURS: dict[str, str] = {
    "public_baseline": PUBLIC_COLOURS[0],
    "public_projects": PUBLIC_COLOURS[1],
    "membership_fees": PRIVATE_COLOURS[0],
    "paid_services": PRIVATE_COLOURS[1],
    "private_projects": PRIVATE_COLOURS[2],
    "other_private": PRIVATE_COLOURS[3],
}
COST_COLOUR = "#111827"
GAP_COLOUR = "#b91c1c"


def funding_path(
    projection: Projection, labels: Mapping[str, str], name: str, lang: Language = "en"
) -> go.Figure:
    """One scenario year by year: income by source stacked, the structure's cost as a line.

    Years whose income does not cover the cost are marked in red above their bar. `labels`
    name the sources (pass them in `lang`); `name` is the scenario's, shown as typed.
    """
    _ = gettext_for(lang)
    fig = go.Figure()
    years = [y.year for y in projection.years]
    for source, colour in SOURCE_COLOURS.items():
        values = [y.income[source] for y in projection.years]
        if not any(values):
            continue
        label = labels.get(source, source)
        fig.add_trace(
            go.Bar(
                x=years,
                y=values,
                name=label,
                marker={"color": colour},
                hovertemplate=literal(_("{year}: {amount} thousand")).format(year="%{x}", amount="%{y:,.1f}")
                + "<extra>"
                + literal(label)
                + "</extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=years,
            y=[y.cost for y in projection.years],
            name=_("Cost of the structure"),
            mode="lines+markers",
            line={"color": COST_COLOUR, "width": 3},
            hovertemplate=literal(_("{year}: cost {amount} thousand")).format(year="%{x}", amount="%{y:,.1f}")
            + "<extra></extra>",
        )
    )
    uncovered = [y for y in projection.years if not y.covered]
    if uncovered:
        fig.add_trace(
            go.Scatter(
                x=[y.year for y in uncovered],
                y=[max(y.total, y.cost) for y in uncovered],
                name=_("Cost not covered"),
                mode="markers+text",
                text=["−" + format_number(-y.balance, lang, 0) for y in uncovered],
                textposition="top center",
                marker={"color": GAP_COLOUR, "symbol": "triangle-down", "size": 12},
                hovertemplate=literal(_("{year}: {amount} thousand short")).format(
                    year="%{x}", amount="%{text}"
                )
                + "<extra></extra>",
            )
        )
    return layout(
        fig,
        420,
        lang,
        barmode="stack",
        title={"text": _("Funding exit path: {name}").format(name=html.escape(name))},
        xaxis=YEAR_AXIS | {"title": _("Year")},
        yaxis={"title": _("Thousands a year"), "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.2},
    )


def public_share_path(
    projections: Mapping[str, Projection], title: str | None = None, lang: Language = "en"
) -> go.Figure:
    """The public share year by year of one or more scenarios, against the plan's target.

    `title` defaults to "Public share of income" in `lang`.
    """
    _ = gettext_for(lang)
    pct = percent_sign(lang)
    fig = go.Figure()
    target = next(iter(projections.values())).public_target_pct if projections else None
    for i, (name, p) in enumerate(projections.items()):
        fig.add_trace(
            go.Scatter(
                x=[y.year for y in p.years],
                y=[y.public_share for y in p.years],
                name=html.escape(name),
                mode="lines+markers",
                line={"color": SERIES_COLOURS[i % len(SERIES_COLOURS)], "width": 3},
                hovertemplate="%{x}: %{y:.1f}" + pct + "<extra>" + literal(name) + "</extra>",
            )
        )
    if target is not None:
        fig.add_hline(
            y=target,
            line={"color": REFERENCE_COLOUR, "dash": "dash"},
            annotation_text=_("target {share}").format(share=percent_text(target, lang)),
            annotation_position="top left",
        )
    return layout(
        fig,
        360,
        lang,
        title={"text": title if title is not None else _("Public share of income")},
        xaxis=YEAR_AXIS | {"title": _("Year")},
        yaxis={"title": _("Public share"), "range": [0, 100], "ticksuffix": pct},
        legend={"orientation": "h", "y": -0.25},
        showlegend=True,
    )


def scenario_balance(projections: Mapping[str, Projection], lang: Language = "en") -> go.Figure:
    """Income minus the structure's cost year by year, one line per scenario; below 0 = not covered."""
    _ = gettext_for(lang)
    fig = go.Figure()
    for i, (name, p) in enumerate(projections.items()):
        fig.add_trace(
            go.Scatter(
                x=[y.year for y in p.years],
                y=[y.balance for y in p.years],
                name=html.escape(name),
                mode="lines+markers",
                line={"color": SERIES_COLOURS[i % len(SERIES_COLOURS)], "width": 3},
                hovertemplate=literal(_("{year}: {amount} thousand")).format(year="%{x}", amount="%{y:,.1f}")
                + "<extra>"
                + literal(name)
                + "</extra>",
            )
        )
    fig.add_hline(y=0, line={"color": GAP_COLOUR, "dash": "dot"})
    return layout(
        fig,
        360,
        lang,
        title={"text": _("Income minus cost of the structure")},
        xaxis=YEAR_AXIS | {"title": _("Year")},
        yaxis={"title": _("Thousands a year")},
        legend={"orientation": "h", "y": -0.25},
        showlegend=True,
    )


def sensitivity_bars(
    rows: Sequence[Sensitivity], outcome: str, limit: int = 10, lang: Language = "en"
) -> go.Figure:
    """How far each assumption moves the outcome (its swing), the largest on top.

    `outcome` names the outcome in words (pass it in `lang`); the rows' parameters are
    shown as the planning layer names them.
    """
    _ = gettext_for(lang)
    shown = [r for r in rows if r.swing > 0][:limit][::-1]
    fig = go.Figure(
        go.Bar(
            x=[r.swing for r in shown],
            y=[r.parameter for r in shown],
            orientation="h",
            marker={"color": SERIES_COLOURS[0]},
            hovertemplate=literal(_("{assumption}: moves it by {amount}")).format(
                assumption="%{y}", amount="%{x:,.2f}"
            )
            + "<extra></extra>",
        )
    )
    return layout(
        fig,
        max(240, 40 + 32 * len(shown)),
        lang,
        title={"text": _("Which assumption moves {outcome} most").format(outcome=outcome.replace("_", " "))},
        xaxis={
            "title": _("Largest change of the outcome ({change} of the assumption)").format(
                change="±" + percent_text(10, lang)
            ),
            "rangemode": "tozero",
        },
        margin={"l": 220, "r": 40, "t": 50, "b": 50},
    )


def structure_fit_bars(fit: StructureFit, lang: Language = "en") -> go.Figure:
    """The structure's cost against the stable income needed and the stable income there is."""
    _ = gettext_for(lang)
    needed = fit.required_cover * fit.cost
    fig = go.Figure(
        go.Bar(
            x=[
                _("Cost of the structure"),
                _("Stable income needed"),
                _("Stable income (fees + paid services)"),
            ],
            y=[fit.cost, needed, fit.stable_income],
            marker={
                "color": [COST_COLOUR, REFERENCE_COLOUR, GAP_COLOUR if fit.oversized else PRIVATE_COLOURS[0]]
            },
            text=[format_number(v, lang, 1, trim=False) for v in (fit.cost, needed, fit.stable_income)],
            textposition="outside",
            hovertemplate=literal(_("{item}: {amount} thousand")).format(item="%{x}", amount="%{y:,.1f}")
            + "<extra></extra>",
        )
    )
    return layout(
        fig,
        340,
        lang,
        title={"text": _("Structure cost against stable income")},
        yaxis={"title": _("Thousands a year"), "rangemode": "tozero"},
        showlegend=False,
    )


def service_income_bars(
    income: Mapping[str, float], names: Mapping[str, str], lang: Language = "en"
) -> go.Figure:
    """The yearly income each priced service of the plan would bring (`names` as given, in `lang`)."""
    _ = gettext_for(lang)
    items = sorted(income.items(), key=lambda kv: kv[1])
    labels = [names.get(k, k) for k, _ in items]
    fig = go.Figure(
        go.Bar(
            x=[v for _, v in items],
            y=[html.escape(label) for label in labels],
            orientation="h",
            marker={"color": PRIVATE_COLOURS[1]},
            hovertemplate=literal(_("{amount} thousand a year")).format(amount="%{x:,.1f}")
            + "<extra></extra>",
        )
    )
    return layout(
        fig,
        max(240, 40 + 32 * len(items)),
        lang,
        title={"text": _("Income of the service plan")},
        xaxis={"title": _("Thousands a year"), "rangemode": "tozero"},
        margin={"l": 220, "r": 40, "t": 50, "b": 50},
    )
