"""The results' comparisons over place and time: percentiles among the programme, trends over rounds.

A thin renderer: the percentiles come from programmes.peers and the trends from
programmes.trends; the words and charts from reports. Nothing here names another cluster.
"""

from __future__ import annotations

import streamlit as st

from assessment.questionnaire import Questionnaire
from assessment.text import Language
from programmes.peers import PeerRanks
from programmes.trends import Trends
from reports.reference import ranks_caption
from reports.trend_charts import currency_changed_text, indicator_label, trend_chart, wrong_way_text
from scoring.result import Result
from webapp import state
from webapp.i18n import _
from webapp.text import md


def peer_ranks(ranks: PeerRanks | None, questionnaire: Questionnaire, result: Result, lang: Language) -> None:
    """The cluster's percentile per dimension and of the index; nothing at all below the minimum."""
    if ranks is None or (ranks.overall is None and not ranks.dimensions):
        return
    st.subheader(_("Among the programme's clusters"))
    st.caption(md(ranks_caption(ranks, result.stage.label if result.stage.id else None, lang)))
    dimension, where = _("Dimension"), _("Percentile")
    rows = []
    if ranks.overall is not None:
        rows.append({dimension: _("Sustainability index"), where: ranks.overall})
    rows += [
        {dimension: d.title.get(lang), where: ranks.dimensions[d.id]}
        for d in questionnaire.dimensions
        if d.id in ranks.dimensions
    ]
    st.dataframe(
        rows,
        hide_index=True,
        key="table:percentiles",
        column_config={
            where: st.column_config.ProgressColumn(where, min_value=0, max_value=100, format="%d")
        },
    )


def trends(found: Trends, lang: Language) -> None:
    """A line per indicator over the submitted rounds, and a warning for each that turned the wrong way."""
    st.subheader(_("Trends over rounds"))
    if found.rounds == 0:
        st.caption(_("No submitted round yet: the trends start with the first submitted assessment."))
        return
    if not found.has_trend:
        year = next((t.points[0].year for t in found.indicators if t.points), None)
        st.caption(
            _("One submitted round so far ({year}): a trend needs a second one.").format(year=year or "–")
        )
    for trend in found.wrong_way:
        st.warning(md(wrong_way_text(trend, lang)), icon=":material/trending_down:")
    shown = [t for t in found.indicators if t.points]
    columns = st.columns(2)
    for i, trend in enumerate(shown):
        with columns[i % 2]:
            st.plotly_chart(
                trend_chart(trend, lang),
                key=f"chart:trend:{trend.indicator}",
                config={"displayModeBar": False},
            )
            if trend.currency_changed:
                st.caption(md(currency_changed_text(trend, lang)))
    missing = [indicator_label(t.indicator, lang) for t in found.indicators if not t.points]
    if missing:
        st.caption(
            _("Not given in any submitted round: {indicators}.").format(indicators=md(", ".join(missing)))
        )
    if found.has_trend:
        st.caption(
            _(
                "Each round is the latest submitted assessment of its year; a fall between the last "
                "two rounds that give an indicator is flagged. Income is the annual budget of the "
                "profile, fee income its membership-fee share of the funding mix."
            )
        )


def render(cluster_id: int, questionnaire: Questionnaire, result: Result, lang: Language) -> None:
    """Both parts for the open assessment's cluster: its percentiles, then its trends."""
    peer_ranks(state.peer_ranks(cluster_id, result), questionnaire, result, lang)
    trends(state.trends(cluster_id), lang)
