"""The portfolio of a programme (officers; administrators see every cluster).

One row per cluster with its latest submitted assessment: index, dimension scores, stage, red
flags, review status and the programme criteria met. Filters, sorting and a search by name;
charts of the whole filtered portfolio; drill down to a cluster's result (read-only, with
the review) by selecting its row, or with the "Open a cluster" box and button from the
keyboard; exports as CSV and Excel and an anonymised benchmark. Cluster names are shown
in tables (as text) and escaped in chart labels.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from programmes import (
    Programme,
    anonymised_benchmark,
    dimension_distribution,
    filter_portfolio,
    findings_frame,
    frequent_red_flags,
    portfolio_frame,
    public_share_vs_index,
    round_scores,
    score_movement,
    shipped_programmes,
    sort_portfolio,
    to_csv,
    to_excel,
)
from webapp import state
from webapp.text import md
from webapp.views.review import STATUS_WORDS

CRITERIA_CHOICES: dict[str | None, str] = {
    None: "Any",
    "all_met": "Every criterion met",
    "some_failed": "Some criterion failed",
    "none_failed": "No criterion failed",
}
SORT_COLUMNS = {
    "cluster": "Name",
    "overall": "Overall index",
    "red_flags": "Red flags",
    "criteria_met": "Criteria met",
    "submitted_at": "Submitted",
    "status": "Review status",
}


@st.cache_resource(show_spinner=False)
def criteria_programmes() -> list[Programme]:
    """The programmes with criteria shipped in questionnaires/programmes/ (e.g. the Basque one)."""
    return shipped_programmes(state.questionnaire())


def criteria_programme() -> Programme | None:
    """The programme whose criteria the portfolio judges (the first shipped one, or None)."""
    found = criteria_programmes()
    return found[0] if found else None


def load_frame(criteria: Programme | None = None) -> pd.DataFrame:
    """The portfolio the signed-in user may see, with each assessment's review status."""
    user_store = state.store()
    visible = [c.id for c in user_store.clusters()]
    frame = portfolio_frame(state.base_store(), state.questionnaire(), clusters=visible, programme=criteria)
    statuses = user_store.review_statuses(int(a) for a in frame["assessment_id"])
    frame["status"] = [statuses[int(a)] for a in frame["assessment_id"]]
    return frame


def _options(frame: pd.DataFrame, column: str) -> list[str]:
    return sorted({str(v) for v in frame[column].dropna() if str(v).strip()}, key=str.casefold)


def filters(frame: pd.DataFrame, has_criteria: bool) -> dict[str, Any]:
    """The filter widgets; returns the arguments of `filter_portfolio`."""
    with st.container(border=True):
        st.text_input("Search by name", key="pf:search", placeholder="part of the cluster's name")
        a, b, c = st.columns(3)
        country = a.multiselect("Country", _options(frame, "country"), key="pf:country")
        region = b.text_input("Region contains", key="pf:region")
        sector = c.text_input("Sector contains", key="pf:sector")
        stage = a.multiselect("Stage", _options(frame, "stage"), key="pf:stage")
        status = b.multiselect(
            "Review status", list(STATUS_WORDS)[1:], format_func=STATUS_WORDS.__getitem__, key="pf:status"
        )
        low, high = c.slider("Overall index", 0, 100, (0, 100), key="pf:score")
        criteria = None
        if has_criteria:
            criteria = a.selectbox(
                "Programme criteria", list(CRITERIA_CHOICES), format_func=CRITERIA_CHOICES.__getitem__,
                key="pf:criteria",
            )  # fmt: skip
    return {
        "country": country or None,
        "region": region or None,
        "sector": sector or None,
        "stage": stage or None,
        "status": status or None,
        "min_overall": float(low) if low > 0 else None,
        "max_overall": float(high) if high < 100 else None,
        "criteria": criteria,
        "search": st.session_state.get("pf:search") or None,
    }


TABLE = "pf:table"
# The table's selection (row positions) as last seen, so a row opens once, when it is selected.
SEEN_SELECTION = "pf:seen_selection"


def table(frame: pd.DataFrame) -> None:
    """The rows as a table; every text in it is shown as text. Selecting a row opens that cluster's result."""
    q = state.questionnaire()
    dims = [d.id for d in q.dimensions]
    shown = frame.drop(columns=["red_flag_lessons", "questionnaire"], errors="ignore").copy()
    shown["status"] = shown["status"].map(lambda s: STATUS_WORDS.get(s, s))
    config: dict[str, Any] = {
        "assessment_id": None,
        "cluster_id": None,
        "cluster": st.column_config.TextColumn("Cluster"),
        "overall": st.column_config.ProgressColumn("Index", min_value=0, max_value=100, format="%.0f"),
        "submitted_at": st.column_config.DatetimeColumn("Submitted", format="YYYY-MM-DD"),
        "public_share": st.column_config.NumberColumn("Public %", format="%.0f"),
        "red_flags": st.column_config.NumberColumn("Red flags"),
        "status": st.column_config.TextColumn("Review"),
        **{d.id: st.column_config.NumberColumn(d.title.en, format="%.0f") for d in q.dimensions},
    }
    order = ["cluster", "country", "region", "sector", "year", "version", "overall", "stage", *dims]
    extra = ("red_flags", "public_share", "status", "criteria_met", "criteria_failed")
    order += [c for c in extra if c in shown]
    event = st.dataframe(
        shown,
        column_config=config,
        column_order=order,
        hide_index=True,
        key=TABLE,
        on_select="rerun",
        selection_mode="single-row",
    )
    chosen = newly_selected(frame, event.selection.rows)
    if chosen is not None:
        _open(chosen)


def newly_selected(frame: pd.DataFrame, rows: list[int]) -> int | None:
    """The assessment of the row the officer just selected, or None.

    The selection is compared with the one seen at the previous run, so that a row opens
    once: a rerun for another reason (a filter changed, the officer came back from the
    result) never opens a cluster by itself, and selecting the same row again does.
    """
    seen = st.session_state.get(SEEN_SELECTION, [])
    st.session_state[SEEN_SELECTION] = list(rows)
    if not rows or list(rows) == seen or not 0 <= rows[0] < len(frame):
        return None
    return int(frame.iloc[rows[0]]["assessment_id"])


def _open(assessment_id: int) -> None:
    state.open_assessment(assessment_id)
    state.go(state.RESULTS_PAGE)


def drill_down(frame: pd.DataFrame) -> None:
    """The keyboard way to open one cluster's full result (read-only, with the review)."""
    if frame.empty:
        return
    rows = {int(r.assessment_id): f"{r.cluster} · {r.year} · version {r.version}" for r in frame.itertuples()}
    with st.container(horizontal=True, vertical_alignment="bottom"):
        chosen = st.selectbox("Open a cluster", list(rows), format_func=rows.__getitem__, key="pf:open")
        if st.button("Open its result and review", key="pf:open_go", type="primary") and chosen is not None:
            _open(int(chosen))


def _escaped(frame: pd.DataFrame, column: str = "cluster") -> pd.DataFrame:
    out = frame.copy()
    out[column] = out[column].map(lambda v: html.escape(str(v)))
    return out


def charts(frame: pd.DataFrame) -> None:
    """The four charts of the filtered portfolio."""
    q = state.questionnaire()
    left, right = st.columns(2)
    with left:
        dist = dimension_distribution(frame, q)
        fig = px.bar(dist, x="band", y="count", color="title", barmode="group",
                     title="Dimension scores: clusters per band",
                     labels={"band": "score", "count": "clusters", "title": "dimension"})  # fmt: skip
        st.plotly_chart(fig, key="pf:chart:dimensions")
    with right:
        points = _escaped(public_share_vs_index(frame))
        fig = px.scatter(points, x="public_share", y="overall", color="stage", hover_name="cluster",
                         title="Public share of funding against the overall index",
                         labels={"public_share": "public share (%)", "overall": "overall index"})  # fmt: skip
        st.plotly_chart(fig, key="pf:chart:public")
    left, right = st.columns(2)
    with left:
        flags = frequent_red_flags(frame, q)
        if flags.empty:
            st.caption("No red flag in these clusters.")
        else:
            fig = px.bar(flags, x="count", y="lesson", orientation="h", hover_data=["fact", "clusters"],
                         title="Most frequent red flags (by lesson)")  # fmt: skip
            st.plotly_chart(fig, key="pf:chart:flags")
    with right:
        ids = [int(c) for c in frame["cluster_id"]]
        rounds = round_scores(state.base_store(), q, clusters=ids)
        moved = score_movement(rounds, q) if not rounds.empty else pd.DataFrame()
        if len(moved) < 2:
            st.caption("Score movement between rounds shows once clusters submitted in two or more years.")
        else:
            fig = px.line(moved, x="year", y=["overall_mean", *[d.id for d in q.dimensions]], markers=True,
                          title="Mean scores by round (year)")  # fmt: skip
            st.plotly_chart(fig, key="pf:chart:rounds")
        if not moved.empty:
            st.dataframe(moved, hide_index=True, key="pf:rounds")


def exports(frame: pd.DataFrame) -> None:
    """Downloads: the portfolio and its findings as CSV and Excel; an anonymised benchmark.

    The findings are read from the full results, which takes seconds for thousands of
    clusters, so they are read only when a findings download is asked for (deferred data,
    a callable that holds the unchecked store and the rows the officer may see).
    """
    base = state.base_store()
    exported = frame.drop(columns=["red_flag_lessons"], errors="ignore")

    def findings() -> pd.DataFrame:
        return findings_frame(base, frame) if not frame.empty else pd.DataFrame()

    with st.container(horizontal=True):
        st.download_button("Portfolio (CSV)", to_csv(exported), "portfolio.csv", "text/csv", key="pf:csv")
        st.download_button(
            "Findings (CSV)", lambda: to_csv(findings()), "findings.csv", "text/csv", key="pf:findings_csv"
        )
        st.download_button(
            "Portfolio and findings (Excel)",
            lambda: to_excel({"portfolio": exported, "findings": findings()}),
            "portfolio.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="pf:xlsx",
        )
    secret = st.text_input(
        "Secret for the anonymised benchmark",
        type="password",
        key="pf:secret",
        help="The cluster codes are made from it: the same secret gives the same codes every time.",
    )
    if secret:
        bench = anonymised_benchmark(frame, state.questionnaire(), secret)
        st.download_button(
            "Anonymised benchmark (CSV)", to_csv(bench), "benchmark.csv", "text/csv", key="pf:bench"
        )
    else:
        st.caption("Type a secret to download the anonymised benchmark (no names, no regions).")


def render() -> None:
    """The portfolio page."""
    st.title("Portfolio")
    state.show_flash()
    if state.role() not in ("officer", "admin"):
        st.error("Not allowed. The portfolio is for programme officers and administrators.")
        return
    criteria = criteria_programme()
    user = state.user()
    scope = "every programme" if user is not None and user.role == "admin" else f"programme {user.programme}"
    st.caption(
        f"The latest submitted assessment of each cluster of {md(scope)}; drafts are never shown."
        + (f" Criteria: {md(criteria.title)}." if criteria is not None else "")
    )
    frame = load_frame(criteria)
    if frame.empty:
        st.info("No cluster of this portfolio has submitted an assessment yet.")
        return
    wanted = filters(frame, criteria is not None)
    shown = filter_portfolio(frame, **wanted)
    with st.container(horizontal=True):
        by = st.selectbox("Sort by", list(SORT_COLUMNS), format_func=SORT_COLUMNS.__getitem__, key="pf:sort")
        descending = st.checkbox("Descending", key="pf:desc")
    if by in shown.columns:
        shown = sort_portfolio(shown, by, descending)
    st.markdown(f"**{len(shown)} of {len(frame)} clusters**")
    table(shown)
    drill_down(shown)
    if shown.empty:
        return
    st.subheader("Charts")
    charts(shown)
    st.subheader("Exports")
    exports(shown)
