"""The portfolio of a programme (officers; administrators see every cluster).

At the top, the review queue (`webapp.views.review_queue`): what waits for a decision. Below,
one row per cluster with its latest submitted assessment: index, dimension scores, stage, red
flags, review status and the programme criteria met. Filters, sorting and a search by name;
charts of the whole filtered portfolio; drill down to a cluster's result (read-only, with
the review) by selecting its row, or with the "Open a cluster" box and button from the
keyboard; exports as CSV and Excel and an anonymised benchmark. Cluster names are shown
in tables (as text) and escaped in chart labels. Every other text, the charts' and the
exports' headers included, is in the session's language.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from assessment.i18n import N_
from programmes import (
    Programme,
    anonymised_benchmark,
    dimension_distribution,
    filter_portfolio,
    findings_frame,
    frequent_red_flags,
    headed,
    portfolio_frame,
    public_share_vs_index,
    round_scores,
    score_movement,
    sheet_name,
    shipped_programmes,
    sort_portfolio,
    to_csv,
    to_excel,
)
from webapp import state
from webapp.i18n import _, current_language, ngettext, pgettext
from webapp.text import md
from webapp.views import review_queue
from webapp.views.review import STATUS_WORDS, status_words

#: Filter and sort choices in English words, translated where they are shown.
CRITERIA_CHOICES: dict[str | None, str] = {
    None: N_("Any"),
    "all_met": N_("Every criterion met"),
    "some_failed": N_("Some criterion failed"),
    "none_failed": N_("No criterion failed"),
}
SORT_COLUMNS = {
    "cluster": N_("Name"),
    "overall": N_("Overall index"),
    "red_flags": N_("Red flags"),
    "criteria_met": N_("Criteria met"),
    "submitted_at": N_("Submitted"),
    "status": N_("Review status"),
    "verified_share": N_("Verified share"),
}


def _worded(words: dict) -> dict:
    """Each choice's words, worded now: a format_func must not depend on when it is called."""
    return {key: _(text) for key, text in words.items()}


def stage_label(stage: object) -> str:
    """A stage id in the session's language ("maturity" → "Madurez"); an unknown one as it is."""
    labels = {s.id: s.label.get(current_language()) for s in state.questionnaire().stages}
    return labels.get(str(stage), str(stage))


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
        st.text_input(_("Search by name"), key="pf:search", placeholder=_("part of the cluster's name"))
        a, b, c = st.columns(3)
        country = a.multiselect(_("Country"), _options(frame, "country"), key="pf:country")
        region = b.text_input(_("Region contains"), key="pf:region")
        sector = c.text_input(_("Sector contains"), key="pf:sector")
        stage = a.multiselect(_("Stage"), _options(frame, "stage"), format_func=stage_label, key="pf:stage")
        status = b.multiselect(
            _("Review status"), list(STATUS_WORDS)[1:], format_func=status_words, key="pf:status"
        )
        low, high = c.slider(_("Overall index"), 0, 100, (0, 100), key="pf:score")
        why = _("The share of the index's weight whose answers an officer verified.")
        verified = b.slider(_("Verified share at least (%)"), 0, 100, 0, 5, key="pf:verified", help=why)
        criteria = None
        if has_criteria:
            criteria = a.selectbox(
                _("Programme criteria"), list(CRITERIA_CHOICES),
                format_func=_worded(CRITERIA_CHOICES).__getitem__, key="pf:criteria",
            )  # fmt: skip
    return {
        "country": country or None,
        "region": region or None,
        "sector": sector or None,
        "stage": stage or None,
        "status": status or None,
        "min_overall": float(low) if low > 0 else None,
        "max_overall": float(high) if high < 100 else None,
        "min_verified": float(verified) if verified > 0 else None,
        "criteria": criteria,
        "search": st.session_state.get("pf:search") or None,
    }


TABLE = "pf:table"
# The table's selection (row positions) as last seen, so a row opens once, when it is selected.
SEEN_SELECTION = "pf:seen_selection"


def table(frame: pd.DataFrame) -> None:
    """The rows as a table; every text in it is shown as text. Selecting a row opens that cluster's result."""
    q = state.questionnaire()
    lang = current_language()
    dims = [d.id for d in q.dimensions]
    shown = frame.drop(columns=["red_flag_lessons", "questionnaire"], errors="ignore").copy()
    shown["status"] = shown["status"].map(status_words)
    stages = [str(s) for s in shown["stage"].dropna().unique()]
    config: dict[str, Any] = {
        "assessment_id": None,
        "cluster_id": None,
        "cluster": st.column_config.TextColumn(_("Cluster")),
        "country": st.column_config.TextColumn(_("Country")),
        "region": st.column_config.TextColumn(_("Region")),
        "sector": st.column_config.TextColumn(_("Sector")),
        "year": st.column_config.NumberColumn(_("Year"), format="%d"),
        "version": st.column_config.NumberColumn(_("Version"), format="%d"),
        "overall": st.column_config.ProgressColumn(_("Index"), min_value=0, max_value=100, format="%.0f"),
        "stage": st.column_config.SelectboxColumn(_("Stage"), options=stages, format_func=stage_label),
        "submitted_at": st.column_config.DatetimeColumn(_("Submitted"), format="YYYY-MM-DD"),
        "public_share": st.column_config.NumberColumn(_("Public %"), format="%.0f"),
        "verified_share": st.column_config.NumberColumn(_("Verified %"), format="%.0f"),
        "documented_share": st.column_config.NumberColumn(_("Documented %"), format="%.0f"),
        "red_flags": st.column_config.NumberColumn(_("Red flags")),
        "status": st.column_config.TextColumn(pgettext("portfolio column", "Review")),
        "criteria_met": st.column_config.NumberColumn(_("Criteria met")),
        "criteria_failed": st.column_config.NumberColumn(_("Criteria failed")),
        **{d.id: st.column_config.NumberColumn(d.title.get(lang), format="%.0f") for d in q.dimensions},
    }
    order = ["cluster", "country", "region", "sector", "year", "version", "overall", "stage", *dims]
    extra = ("red_flags", "public_share", "verified_share", "documented_share", "status", "criteria_met",
             "criteria_failed")  # fmt: skip
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
    rows = {
        int(r.assessment_id): _("{cluster} · {year} · version {version}").format(
            cluster=r.cluster, year=r.year, version=r.version
        )
        for r in frame.itertuples()
    }
    with st.container(horizontal=True, vertical_alignment="bottom"):
        chosen = st.selectbox(_("Open a cluster"), list(rows), format_func=rows.__getitem__, key="pf:open")
        go = st.button(_("Open its result and review"), key="pf:open_go", type="primary")
        if go and chosen is not None:
            _open(int(chosen))


def _escaped(frame: pd.DataFrame, column: str = "cluster") -> pd.DataFrame:
    out = frame.copy()
    out[column] = out[column].map(lambda v: html.escape(str(v)))
    return out


def charts(frame: pd.DataFrame) -> None:
    """The four charts of the filtered portfolio, every title, axis and legend in the session's language."""
    q = state.questionnaire()
    lang = current_language()
    titles = {d.id: d.title.get(lang) for d in q.dimensions}
    left, right = st.columns(2)
    with left:
        dist = dimension_distribution(frame, q, lang=lang)
        fig = px.bar(dist, x="band", y="count", color="title", barmode="group",
                     title=_("Dimension scores: clusters per band"),
                     labels={"band": _("score"), "count": _("clusters"),
                             "title": _("dimension")})  # fmt: skip
        st.plotly_chart(fig, key="pf:chart:dimensions")
    with right:
        points = _escaped(public_share_vs_index(frame))
        points["stage"] = points["stage"].map(stage_label)
        fig = px.scatter(points, x="public_share", y="overall", color="stage", hover_name="cluster",
                         title=_("Public share of funding against the overall index"),
                         labels={"public_share": _("public share (%)"), "overall": _("overall index"),
                                 "stage": _("stage")})  # fmt: skip
        st.plotly_chart(fig, key="pf:chart:public")
    left, right = st.columns(2)
    with left:
        flags = frequent_red_flags(frame, q, lang=lang)
        if flags.empty:
            st.caption(_("No red flag in these clusters."))
        else:
            fig = px.bar(flags, x="count", y="label", orientation="h", hover_data=["fact", "clusters"],
                         title=_("Most frequent red flags (by lesson)"),
                         labels={"count": _("red flags"), "label": _("lesson"), "fact": _("fact"),
                                 "clusters": _("clusters")})  # fmt: skip
            st.plotly_chart(fig, key="pf:chart:flags")
    with right:
        ids = [int(c) for c in frame["cluster_id"]]
        rounds = round_scores(state.base_store(), q, clusters=ids)
        moved = score_movement(rounds, q) if not rounds.empty else pd.DataFrame()
        if len(moved) < 2:
            st.caption(_("Score movement between rounds shows once clusters submitted in two or more years."))
        else:
            named = moved.rename(columns={"overall_mean": _("Overall index (mean)"), **titles})
            fig = px.line(named, x="year", y=[_("Overall index (mean)"), *titles.values()], markers=True,
                          title=_("Mean scores by round (year)"),
                          labels={"year": _("year"), "value": _("mean score"),
                                  "variable": _("score")})  # fmt: skip
            st.plotly_chart(fig, key="pf:chart:rounds")
        if not moved.empty:
            st.dataframe(moved, hide_index=True, key="pf:rounds", column_config=_round_columns(titles))


def _round_columns(titles: dict[str, str]) -> dict[str, Any]:
    """The headers of the rounds table in the session's language (the data keeps its column ids)."""
    return {
        "year": st.column_config.NumberColumn(_("Year"), format="%d"),
        "clusters": st.column_config.NumberColumn(_("Clusters")),
        "overall_mean": st.column_config.NumberColumn(_("Overall index (mean)")),
        "overall_median": st.column_config.NumberColumn(_("Overall index (median)")),
        "overall_change": st.column_config.NumberColumn(_("Change of the mean")),
        **{dim: st.column_config.NumberColumn(title) for dim, title in titles.items()},
    }


def exports(frame: pd.DataFrame) -> None:
    """Downloads: the portfolio and its findings as CSV and Excel; an anonymised benchmark.

    The findings are read from the full results, which takes seconds for thousands of
    clusters, so they are read only when a findings download is asked for (deferred data,
    a callable that holds the unchecked store and the rows the officer may see). Headers and
    sheet names are in the session's language (`programmes.headed`).
    """
    base = state.base_store()
    q = state.questionnaire()
    lang = current_language()
    exported = headed(frame.drop(columns=["red_flag_lessons"], errors="ignore"), q, lang)

    def findings() -> pd.DataFrame:
        return headed(findings_frame(base, frame), q, lang) if not frame.empty else pd.DataFrame()

    with st.container(horizontal=True):
        st.download_button(_("Portfolio (CSV)"), to_csv(exported), "portfolio.csv", "text/csv", key="pf:csv")
        st.download_button(
            _("Findings (CSV)"), lambda: to_csv(findings()), "findings.csv", "text/csv", key="pf:findings_csv"
        )
        st.download_button(
            _("Portfolio and findings (Excel)"),
            lambda: to_excel(
                {sheet_name("portfolio", lang): exported, sheet_name("findings", lang): findings()}
            ),
            "portfolio.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="pf:xlsx",
        )
    secret = st.text_input(
        _("Secret for the anonymised benchmark"),
        type="password",
        key="pf:secret",
        help=_("The cluster codes are made from it: the same secret gives the same codes every time."),
    )
    if secret:
        bench = headed(anonymised_benchmark(frame, q, secret), q, lang)
        st.download_button(
            _("Anonymised benchmark (CSV)"), to_csv(bench), "benchmark.csv", "text/csv", key="pf:bench"
        )
    else:
        st.caption(_("Type a secret to download the anonymised benchmark (no names, no regions)."))


def criteria_list(criteria: Programme) -> None:
    """The programme's criteria in the session's language, with what each asks."""
    lang = current_language()
    with st.expander(
        _("Criteria of {programme}").format(programme=criteria.title.get(lang)), key="pf:criteria_list"
    ):
        if criteria.description is not None:
            st.caption(md(criteria.description.get(lang)))
        for c in criteria.criteria:
            line = _("{label} ({subject}: {wanted})").format(
                label=md(c.label.get(lang)), subject=md(c.subject), wanted=md(c.describe(lang))
            )
            st.markdown(f"- {line}")


def render() -> None:
    """The portfolio page."""
    st.title(_("Portfolio"))
    state.show_flash()
    if state.role() not in ("officer", "admin"):
        st.error(_("Not allowed. The portfolio is for programme officers and administrators."))
        return
    criteria = criteria_programme()
    lang = current_language()
    user = state.user()
    if user is not None and user.role == "admin":
        scope = _(
            "The latest submitted assessment of each cluster of every programme; drafts are never shown."
        )
    else:
        scope = _(
            "The latest submitted assessment of each cluster of programme {programme}; "
            "drafts are never shown."
        ).format(programme=md(user.programme if user is not None else ""))
    if criteria is not None:
        scope += " " + _("Criteria: {programme}.").format(programme=md(criteria.title.get(lang)))
    st.caption(scope)
    frame = load_frame(criteria)
    if frame.empty:
        st.info(_("No cluster of this portfolio has submitted an assessment yet."))
        return
    review_queue.render(frame)
    st.subheader(_("All clusters"))
    if criteria is not None:
        criteria_list(criteria)
    wanted = filters(frame, criteria is not None)
    shown = filter_portfolio(frame, **wanted)
    with st.container(horizontal=True):
        by = st.selectbox(
            _("Sort by"), list(SORT_COLUMNS), format_func=_worded(SORT_COLUMNS).__getitem__, key="pf:sort"
        )
        descending = st.checkbox(_("Descending"), key="pf:desc")
    if by in shown.columns:
        shown = sort_portfolio(shown, by, descending)
    count = ngettext("{shown} of {total} cluster", "{shown} of {total} clusters", len(frame))
    st.markdown(f"**{count.format(shown=len(shown), total=len(frame))}**")
    table(shown)
    drill_down(shown)
    if shown.empty:
        return
    st.subheader(_("Charts"))
    charts(shown)
    st.subheader(_("Exports"))
    exports(shown)
