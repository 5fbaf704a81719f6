"""Compare two to five clusters of the portfolio side by side: radar overlay, scores and findings.

Every result is shown in the session's language: a stored result is explained again by an
engine of that language when the numbers agree (`webapp.views.results.load_result`), and the
findings table is built from those results, so titles and severities read in that language.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from assessment.errors import AnswersError
from assessment.i18n import N_
from assessment.text import Language
from reports import charts
from reports.html import FINDING_KINDS, severity_words
from scoring.result import Result
from webapp import state
from webapp.i18n import _, current_language
from webapp.views.portfolio import load_frame, stage_label
from webapp.views.results import load_result

MIN_CLUSTERS, MAX_CLUSTERS = 2, 5
#: Kinds of finding in English words, translated where shown.
KIND_WORDS = {"red_flag": N_("Red flag"), "gap": N_("Gap"), "strength": N_("Strength")}


def findings_table(results: Sequence[tuple[str, Result]], lang: Language) -> pd.DataFrame:
    """One row per finding (kind, lesson, title) and one column per cluster holding its severity.

    Most important kind first (red flags, gaps, strengths), then by lesson; a cluster without
    that finding has an empty cell. Headers and words are in `lang`; the titles are the
    results' own (in `lang` when the results were explained in it).
    """
    kind, lesson, title = _("Kind"), _("Lesson"), _("Finding")
    rows: dict[tuple[int, str, str], dict[str, str]] = {}
    for label, result in results:
        for f in result.findings:
            key = (FINDING_KINDS.index(f.kind), f.lesson, f.title)
            rows.setdefault(key, {})[label] = severity_words(f.severity, lang)
    labels = [label for label, _result in results]
    out = [
        {kind: _(KIND_WORDS[FINDING_KINDS[k]]), lesson: ls, title: t, **{c: cells.get(c, "") for c in labels}}
        for (k, ls, t), cells in sorted(rows.items())
    ]
    return pd.DataFrame(out, columns=[kind, lesson, title, *labels])


def render() -> None:
    """The compare-clusters page."""
    st.title(_("Compare clusters"))
    state.show_flash()
    if state.role() not in ("officer", "admin"):
        st.error(_("Not allowed. Comparing clusters is for programme officers and administrators."))
        return
    frame = load_frame()
    if len(frame) < MIN_CLUSTERS:
        st.info(_("Two or more clusters with a submitted assessment are needed to compare."))
        return
    lang = current_language()
    rows = {int(r.assessment_id): f"{r.cluster} · {r.year}" for r in frame.itertuples()}
    chosen = st.multiselect(
        _("Clusters to compare ({least} to {most})").format(least=MIN_CLUSTERS, most=MAX_CLUSTERS),
        list(rows),
        format_func=rows.__getitem__,
        max_selections=MAX_CLUSTERS,
        key="cmp:clusters",
    )
    if len(chosen) < MIN_CLUSTERS:
        st.caption(_("Choose two to five clusters."))
        return
    store = state.store()
    results = []
    for aid in chosen:
        info = store.assessment(aid)
        try:
            result, _valid, _as_stored = load_result(info, store.answer_data(aid), lang)
        except AnswersError:
            st.warning(_("{cluster}: its answers cannot be scored; left out.").format(cluster=rows[aid]))
            continue
        results.append((rows[aid], result))
    radar = charts.radar(results, _("Dimensions of the clusters chosen"), lang=lang)
    st.plotly_chart(radar, key="cmp:radar")
    q = state.questionnaire()
    scores = frame[frame["assessment_id"].isin(chosen)]
    st.dataframe(
        scores[["cluster", "year", "overall", "stage", *[d.id for d in q.dimensions], "red_flags"]],
        hide_index=True,
        key="cmp:scores",
        column_config={
            "cluster": st.column_config.TextColumn(_("Cluster")),
            "year": st.column_config.NumberColumn(_("Year"), format="%d"),
            "overall": st.column_config.NumberColumn(_("Overall index"), format="%.0f"),
            "stage": st.column_config.SelectboxColumn(
                _("Stage"),
                options=[str(s) for s in scores["stage"].dropna().unique()],
                format_func=stage_label,
            ),
            "red_flags": st.column_config.NumberColumn(_("Red flags")),
            **{d.id: st.column_config.NumberColumn(d.title.get(lang), format="%.0f") for d in q.dimensions},
        },
    )
    findings = findings_table(results, lang)
    if findings.empty:
        st.caption(_("No finding."))
        return
    heading = _("Findings: which cluster has each (its severity)")
    st.markdown(f"**{heading}**")
    st.dataframe(findings, hide_index=True, key="cmp:findings")
