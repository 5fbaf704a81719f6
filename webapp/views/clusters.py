"""Compare two to five clusters of the portfolio side by side: radar overlay, scores and findings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assessment.errors import AnswersError
from programmes import findings_frame
from webapp import charts, state
from webapp.i18n import current_language
from webapp.views.portfolio import load_frame
from webapp.views.results import load_result

MIN_CLUSTERS, MAX_CLUSTERS = 2, 5


def render() -> None:
    """The compare-clusters page."""
    st.title("Compare clusters")
    state.show_flash()
    if state.role() not in ("officer", "admin"):
        st.error("Not allowed. Comparing clusters is for programme officers and administrators.")
        return
    frame = load_frame()
    if len(frame) < MIN_CLUSTERS:
        st.info("Two or more clusters with a submitted assessment are needed to compare.")
        return
    rows = {int(r.assessment_id): f"{r.cluster} · {r.year}" for r in frame.itertuples()}
    chosen = st.multiselect(
        f"Clusters to compare ({MIN_CLUSTERS} to {MAX_CLUSTERS})",
        list(rows),
        format_func=rows.__getitem__,
        max_selections=MAX_CLUSTERS,
        key="cmp:clusters",
    )
    if len(chosen) < MIN_CLUSTERS:
        st.caption("Choose two to five clusters.")
        return
    store = state.store()
    results = []
    for aid in chosen:
        info = store.assessment(aid)
        try:
            result, _valid, _as_stored = load_result(info, store.answer_data(aid), current_language())
        except AnswersError:
            st.warning(f"{rows[aid]}: its answers cannot be scored; left out.")
            continue
        results.append((rows[aid], result))
    st.plotly_chart(charts.radar(results, "Dimensions of the clusters chosen"), key="cmp:radar")
    q = state.questionnaire()
    scores = frame[frame["assessment_id"].isin(chosen)]
    st.dataframe(
        scores[["cluster", "year", "overall", "stage", *[d.id for d in q.dimensions], "red_flags"]],
        hide_index=True,
        key="cmp:scores",
        column_config={d.id: st.column_config.NumberColumn(d.title.en, format="%.0f") for d in q.dimensions},
    )
    findings = findings_frame(state.base_store(), scores)
    if findings.empty:
        st.caption("No finding.")
        return
    table = findings.pivot_table(
        index=["kind", "lesson", "title"], columns="cluster", values="severity", aggfunc="first"
    ).reset_index()
    table = table.fillna("")
    st.markdown("**Findings: which cluster has each (its severity)**")
    st.dataframe(pd.DataFrame(table), hide_index=True, key="cmp:findings")
