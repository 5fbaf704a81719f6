"""A cluster's indicators over its rounds in words and charts: names, values, wrong-way warnings.

The trends themselves are worked out in programmes.trends; this module only says them in a
language, with the results' look (reports.charts: layout, colours, separators, a year axis
that is never grouped).
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from assessment.i18n import format_number, format_percent, gettext_for, percent_sign
from assessment.text import Language
from programmes.trends import FEE_INCOME, INCOME_PER_STAFF, MEMBERS, PRIVATE_SHARE, Trend
from reports.charts import PRIVATE_COLOURS, SERIES_COLOURS, YEAR_AXIS, layout

_COLOURS = {
    PRIVATE_SHARE: PRIVATE_COLOURS[0],
    MEMBERS: SERIES_COLOURS[0],
    FEE_INCOME: SERIES_COLOURS[2],
    INCOME_PER_STAFF: SERIES_COLOURS[3],
}


def indicator_label(indicator: str, lang: Language = "en") -> str:
    """The indicator's name in `lang`."""
    _ = gettext_for(lang)
    labels = {
        PRIVATE_SHARE: _("Private share of income"),
        MEMBERS: _("Member organisations"),
        FEE_INCOME: _("Membership fee income"),
        INCOME_PER_STAFF: _("Income per staff member"),
    }
    return labels.get(indicator, indicator)


def _unit(indicator: str, currency: str | None, lang: Language) -> str:
    _ = gettext_for(lang)
    money = currency or _("the cluster's currency")
    if indicator == FEE_INCOME:
        return _("thousands, {currency}").format(currency=money)
    if indicator == INCOME_PER_STAFF:
        return _("thousands per full-time equivalent, {currency}").format(currency=money)
    if indicator == PRIVATE_SHARE:
        return _("% of income")
    return _("organisations")


def value_text(indicator: str, value: float, lang: Language = "en") -> str:
    """A value of the indicator as `lang` writes it (a share with its percent sign, members whole)."""
    if indicator == PRIVATE_SHARE:
        return format_percent(value, lang)
    return format_number(value, lang, 0 if indicator == MEMBERS else 1)


def wrong_way_text(trend: Trend, lang: Language = "en") -> str:
    """The warning of an indicator that fell between its last two rounds (plain text)."""
    _ = gettext_for(lang)
    before, last = trend.points[-2], trend.points[-1]
    values = {
        "before": value_text(trend.indicator, before.value, lang),
        "after": value_text(trend.indicator, last.value, lang),
        "start": before.year,
        "end": last.year,
    }
    if trend.indicator == PRIVATE_SHARE:
        return _(
            "The private share of income fell from {before} in {start} to {after} in {end}: the "
            "cluster depends more on public money again, while members should carry a growing "
            "part of the costs (002 s6.2.1)."
        ).format(**values)
    if trend.indicator == MEMBERS:
        return _(
            "Members fell from {before} in {start} to {after} in {end}: fewer organisations share "
            "the costs and the value of the cluster."
        ).format(**values)
    if trend.indicator == FEE_INCOME:
        return _(
            "Membership fee income fell from {before} in {start} to {after} in {end} (thousands, "
            "{currency}): the most stable private income is shrinking."
        ).format(currency=last.currency or "–", **values)
    return _(
        "Income per staff member fell from {before} in {start} to {after} in {end} (thousands, "
        "{currency}): the team has grown faster than the money that pays for it."
    ).format(currency=last.currency or "–", **values)


def currency_changed_text(trend: Trend, lang: Language = "en") -> str:
    """Why a money indicator shows no trend: its last two rounds are in different currencies."""
    _ = gettext_for(lang)
    before, last = trend.points[-2], trend.points[-1]
    return _("{indicator}: the currency changed between {start} and {end}, so no trend is drawn.").format(
        indicator=indicator_label(trend.indicator, lang), start=before.year, end=last.year
    )


def trend_chart(trend: Trend, lang: Language = "en") -> go.Figure:
    """One indicator year by year as a line; a fall in its last step is drawn in red."""
    _ = gettext_for(lang)
    years = [p.year for p in trend.points]
    values = [p.value for p in trend.points]
    currency = trend.points[-1].currency if trend.points else None
    decimals = ".0f" if trend.indicator == MEMBERS else ",.1f"
    suffix = percent_sign(lang) if trend.indicator == PRIVATE_SHARE else ""
    colour = _COLOURS.get(trend.indicator, SERIES_COLOURS[0])
    label = indicator_label(trend.indicator, lang)
    fig = go.Figure(
        go.Scatter(
            x=years,
            y=values,
            mode="lines+markers",
            line={"color": colour, "width": 3},
            marker={"size": 9},
            hovertemplate="%{x}: %{y:" + decimals + "}" + suffix + "<extra>" + label + "</extra>",
            showlegend=False,
        )
    )
    if trend.wrong_way:
        fig.add_trace(
            go.Scatter(
                x=years[-2:],
                y=values[-2:],
                mode="lines",
                line={"color": "#b91c1c", "width": 3},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    yaxis: dict[str, object] = {
        "title": html.escape(_unit(trend.indicator, currency, lang)),
        "rangemode": "tozero",
    }
    if trend.indicator == PRIVATE_SHARE:
        yaxis |= {"range": [0, 100], "ticksuffix": suffix}
    return layout(
        fig,
        280,
        lang,
        title={"text": label},
        xaxis=YEAR_AXIS | {"title": _("Year")},
        yaxis=yaxis,
    )
