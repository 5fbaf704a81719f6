"""Compare a cluster's assessments over time: what moved per dimension and per finding."""

from __future__ import annotations

import streamlit as st

from assessment.errors import AnswersError
from scoring import result_from_json
from scoring.result import Finding, Result
from storage import AssessmentInfo
from webapp import charts, state
from webapp.logic import FindingChanges, compare_findings, dimension_table
from webapp.text import md

_KIND_WORDS = {"red_flag": "Red flag", "gap": "Gap", "strength": "Strength"}


def label(info: AssessmentInfo) -> str:
    """A short label of a version, e.g. "v2 · 2025 (draft)"."""
    return f"v{info.number} · {info.year}" + (" (draft)" if info.status == "draft" else "")


def result_of(info: AssessmentInfo) -> Result | None:
    """The stored result of a submitted version, or a draft scored as it stands (None if it cannot be)."""
    stored = state.store().result_json(info.id) if info.status == "submitted" else None
    if stored:
        return result_from_json(stored)
    try:
        valid = state.checker().check(state.store().answer_data(info.id))
    except AnswersError:
        return None
    return state.engine().score(valid)


def _finding_line(f: Finding) -> str:
    return f"- **{_KIND_WORDS[f.kind]}**: {md(f.title)} :gray[({md(f.lesson)}, {md(f.source)})]"


def _changes(changes: FindingChanges, before: str, after: str) -> None:
    st.subheader(f"Findings from {before} to {after}")
    cols = st.columns(3)
    with cols[0]:
        st.markdown(f"**New** ({len(changes.new)})")
        st.markdown("\n".join(_finding_line(f) for f in changes.new) or "None.")
    with cols[1]:
        st.markdown(f"**Resolved** ({len(changes.resolved)})")
        st.markdown("\n".join(_finding_line(f) for f in changes.resolved) or "None.")
    with cols[2]:
        st.markdown(f"**Kept** ({len(changes.kept)})")
        st.markdown("\n".join(_finding_line(after_f) for _, after_f in changes.kept) or "None.")


def render() -> None:
    """The compare page."""
    st.title("Compare over time")
    st.caption("Two or more versions of one cluster's assessment: what moved per dimension and per finding.")
    clusters = state.cluster_choices(state.store().clusters())
    if not clusters:
        st.info("No cluster yet.")
        return
    info = state.current_info()
    ids = list(clusters)
    default = ids.index(info.cluster_id) if info is not None and info.cluster_id in clusters else 0
    cluster_id = st.selectbox(
        "Cluster", ids, index=default, format_func=clusters.__getitem__, key="compare:cluster"
    )
    versions = state.store().assessments(cluster_id)
    if len(versions) < 2:
        st.info(
            "This cluster has one assessment so far. Revise a submitted assessment (or start another "
            "year's) to compare them."
        )
        return
    by_id = {v.id: v for v in versions}
    chosen = st.multiselect(
        "Versions to compare (oldest first)",
        list(by_id),
        default=list(by_id)[-4:],
        format_func=lambda i: label(by_id[i]),
        key="compare:versions",
    )
    chosen = sorted(chosen, key=lambda i: (by_id[i].number, i))
    if len(chosen) < 2:
        st.warning("Choose at least two versions.")
        return
    pairs = [(label(by_id[i]), result_of(by_id[i])) for i in chosen]
    skipped = [name for name, r in pairs if r is None]
    if skipped:
        st.warning(f"Left out (answers not valid together yet): {', '.join(skipped)}.")
    pairs = [(name, r) for name, r in pairs if r is not None]
    if len(pairs) < 2:
        return
    labels = [name for name, _ in pairs]
    results = [r for _, r in pairs]
    st.subheader("Dimensions")
    st.dataframe(
        dimension_table(labels, results),
        hide_index=True,
        key="compare:table",
        column_config={
            "change": st.column_config.NumberColumn(f"Change {labels[0]} → {labels[-1]}", format="%+.1f")
        },
    )
    st.plotly_chart(
        charts.radar(pairs, title="Dimensions over time"),
        key="chart:compare",
        config={"displayModeBar": False},
    )
    _changes(compare_findings(results[0], results[-1]), labels[0], labels[-1])
