"""The officer's review queue, at the top of the portfolio: what waits for a decision, oldest first.

With dozens of submissions an officer needs what is theirs to do before the whole portfolio:
the assessments submitted and not yet decided, the longest waiting first
(`programmes.review_queue`), with the figures a decision rests on in the first columns. A
selected row can be accepted or returned to its manager from here, in one click: the review
starts in the same step (`UserStore.accept(..., start=True)`), so the audit trail still shows
"submitted → in review → accepted" by the officer. "Open" leads to the full result and
review. Managers never see the queue. Every figure is written in the session's language
(numbers, percentages, dates; years never grouped); cluster names are shown as text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from assessment.i18n import format_datetime, format_number, format_percent
from programmes import review_queue, to_review
from webapp import state
from webapp.attempt import attempt
from webapp.i18n import _, current_language
from webapp.text import md
from webapp.views.review import status_words

ROUND = "rq:round"  # bumped after every decision, so the table starts with nothing selected
ALL = "rq:all"
COMMENT = "rq:comment"
DONE = "rq:done"
ERROR = "rq:error"
#: The columns of the queue table, in order (the data keeps the portfolio's column ids).
SHOWN = (
    "cluster", "overall", "stage", "completeness", "budget", "members", "status", "submitted_at",
    "country", "sector", "year", "version", "red_flags",
)  # fmt: skip


def table_key() -> str:
    """The key of this run's queue table (a new one after each decision clears the selection)."""
    return f"rq:table:{st.session_state.setdefault(ROUND, 0)}"


def _number(value: Any, decimals: int = 1) -> str:
    return "" if pd.isna(value) else format_number(float(value), current_language(), decimals)


def _percent(value: Any) -> str:
    return "" if pd.isna(value) else format_percent(float(value), current_language(), 0)


def _when(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    return format_datetime(pd.Timestamp(value).to_pydatetime(), current_language(), "short")


def _budget(value: Any, currency: Any) -> str:
    text = _number(value, 0)
    return f"{text} {currency}" if text and isinstance(currency, str) and currency else text


def display(queue: pd.DataFrame) -> pd.DataFrame:
    """The queue as the officer reads it: every figure as text in the session's conventions."""
    lang = current_language()
    stages = {s.id: s.label.get(lang) for s in state.questionnaire().stages}
    out = pd.DataFrame(
        {
            "assessment_id": queue["assessment_id"].astype(int),
            "cluster": queue["cluster"].astype(str),
            "overall": queue["overall"].map(
                lambda v: "" if pd.isna(v) else format_number(float(v), current_language(), 1, trim=False)
            ),
            "stage": queue["stage"].map(lambda s: stages.get(str(s), "" if pd.isna(s) else str(s))),
            "completeness": queue["completeness"].map(_percent),
            "budget": [_budget(v, c) for v, c in zip(queue["budget"], queue["currency"], strict=True)],
            "members": queue["members"].map(lambda v: _number(v, 0)),
            "status": queue["status"].map(status_words),
            "submitted_at": queue["submitted_at"].map(_when),
            "country": queue["country"].fillna("").astype(str),
            "sector": queue["sector"].fillna("").astype(str),
            "year": queue["year"].map(lambda y: "" if pd.isna(y) else str(int(y))),  # never "2,025"
            "version": queue["version"].map(lambda v: _number(v, 0)),
            "red_flags": queue["red_flags"].map(lambda v: _number(v, 0)),
        }
    )
    return out.reset_index(drop=True)


def _columns() -> dict[str, Any]:
    text = st.column_config.TextColumn
    return {
        "assessment_id": None,
        "cluster": text(_("Cluster")),
        "overall": text(_("Index")),
        "stage": text(_("Stage")),
        "completeness": text(_("Completeness")),
        "budget": text(_("Annual budget (thousands)")),
        "members": text(_("Members")),
        "status": text(_("Review status")),
        "submitted_at": text(_("Submitted on")),
        "country": text(_("Country")),
        "sector": text(_("Sector")),
        "year": text(_("Year")),
        "version": text(_("Version")),
        "red_flags": text(_("Red flags")),
    }


def _decide(action: Callable[[], None], done: str) -> None:
    """Run a decision in a callback: say what was done and clear the selection, or keep the refusal."""
    if not attempt(action, ERROR):
        return
    st.session_state[DONE] = done
    st.session_state[COMMENT] = ""
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1


def _accept(assessment_id: int, cluster: str) -> None:
    _decide(
        lambda: state.store().accept(assessment_id, start=True),
        _("Accepted: {cluster}.").format(cluster=cluster),
    )


def _return(assessment_id: int, cluster: str) -> None:
    body = (st.session_state.get(COMMENT) or "").strip() or None
    _decide(
        lambda: state.store().return_assessment(assessment_id, body, start=True),
        _("Returned to the manager: {cluster}. They see the comments and can revise it.").format(
            cluster=cluster
        ),
    )


def _actions(row: pd.Series) -> None:
    """Accept, return (with an optional comment) or open the selected assessment."""
    aid, cluster = int(row["assessment_id"]), str(row["cluster"])
    with st.container(border=True, key="rq:actions"):
        st.markdown(
            "**"
            + _("Selected: {cluster} · {year} · version {version}").format(
                cluster=md(cluster), year=int(row["year"]), version=int(row["version"])
            )
            + "**"
        )
        if row["status"] in ("submitted", "in_review"):
            st.text_area(_("Comment to send with the return (optional)"), key=COMMENT, max_chars=20_000)
        with st.container(horizontal=True):
            if row["status"] in ("submitted", "in_review"):
                st.button(_("Accept"), key="rq:accept", type="primary", on_click=_accept, args=(aid, cluster))
                st.button(_("Return to the manager"), key="rq:return", on_click=_return, args=(aid, cluster))
            if st.button(_("Open"), key="rq:open", help=_("The full result, its evidence and the review.")):
                state.open_assessment(aid)
                state.go(state.RESULTS_PAGE)


def render(frame: pd.DataFrame) -> None:
    """The queue (officers and administrators): "To review (N)", the table and the selected row's actions.

    `frame` is the whole portfolio the user may see (with review statuses), not the filtered one:
    what waits for a decision must never hide behind a filter.
    """
    if state.role() not in ("officer", "admin"):
        return
    done, error = st.session_state.pop(DONE, None), st.session_state.pop(ERROR, None)
    queue = review_queue(frame)
    waiting = to_review(queue)
    st.subheader(_("To review ({count})").format(count=format_number(len(waiting), current_language(), 0)))
    if done:
        st.success(done, icon=":material/check:")
    if error:
        st.error(md(error), icon=":material/block:")
    st.caption(
        _("Submitted and not yet decided, the longest waiting first. Select a row to accept or return it.")
    )
    everything = st.checkbox(_("Show the reviewed ones too (returned, then accepted)"), key=ALL)
    rows = queue if everything else waiting
    if rows.empty:
        st.info(_("Nothing waits for review."))
        return
    event = st.dataframe(
        display(rows),
        column_config=_columns(),
        column_order=list(SHOWN),
        hide_index=True,
        key=table_key(),
        on_select="rerun",
        selection_mode="single-row",
    )
    chosen = event.selection.rows
    if chosen and 0 <= chosen[0] < len(rows):
        _actions(rows.iloc[chosen[0]])
