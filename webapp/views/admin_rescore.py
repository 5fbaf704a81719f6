"""Re-scoring every submitted assessment from the administrators' page, with a progress bar.

When a new questionnaire version is deployed (weights moved, a threshold changed), the
portfolio must compare every cluster on the same scale again. `cluster-assess rescore` does
that from a terminal; this does it from the browser, for an administrator without one. The
result each cluster submitted stays as the cluster saw it; only the scores the portfolio
reads change (see `programmes.rescore`). One process scores here: a pool forked from the
Streamlit server would copy its threads, and the bar shows that the work goes on.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from programmes.rescore import RescoreReport, rescore_all
from storage import NotFound, Store
from storage.errors import StorageError
from webapp import state
from webapp.i18n import _, ngettext, number
from webapp.text import md

REPORT = "adm:rescore_report"


def render_rescore(actor: str) -> None:
    """The form that re-scores the whole store, and the report of the last re-score."""
    st.subheader(_("Re-score every submitted assessment"))
    st.caption(
        _(
            "After the questionnaire changed (a new version with other weights or thresholds), "
            "this puts every submitted assessment on its scale, so that the portfolio compares "
            "like with like. The result each cluster submitted stays as it was; the portfolio "
            "shows the new scores, marked as re-scored."
        )
    )
    with st.form("adm:rescore"):
        reason = st.text_input(
            _("Why (kept in the audit trail)"), key="adm:rescore_reason", placeholder=_("weights of 2027")
        )
        sure = st.checkbox(
            _("I understand that the portfolio's score of every submitted assessment may change"),
            key="adm:rescore_sure",
        )
        pressed = st.form_submit_button(_("Re-score"), type="primary", key="adm:rescore_go")
    if pressed:
        if not sure:
            st.warning(_("Tick the box first: a re-score changes the scores every officer sees."))
        else:
            _run(actor, reason or "")
    report = st.session_state.get(REPORT)
    if isinstance(report, RescoreReport):
        _show(report)


def _run(actor: str, reason: str) -> None:
    bar = st.progress(0.0, text=_("Re-scoring…"))

    def advance(done: int, total: int, rescored: int) -> None:
        bar.progress(
            done / total if total else 1.0,
            text=ngettext(
                "Re-scoring… {count} assessment scored", "Re-scoring… {count} assessments scored", rescored
            ).format(count=number(rescored, 0)),
        )

    try:
        report = rescore_all(
            state.base_store(), state.questionnaire(), actor, reason.strip(), workers=1, progress=advance
        )
    except StorageError as exc:
        st.error(md(exc))
        return
    finally:
        bar.empty()
    st.session_state[REPORT] = report


def _show(report: RescoreReport) -> None:
    if report.seconds < 1.0:
        done = ngettext(
            "{count} submitted assessment re-scored in under a second.",
            "{count} submitted assessments re-scored in under a second.",
            report.rescored,
        )
    else:
        done = ngettext(
            "{count} submitted assessment re-scored in {seconds} s.",
            "{count} submitted assessments re-scored in {seconds} s.",
            report.rescored,
        )
    st.success(done.format(count=number(report.rescored, 0), seconds=number(report.seconds, 1)))
    if not report.invalid:
        return
    st.warning(
        ngettext(
            "{count} answer set no longer fits the questionnaire and kept its old scores; its "
            "cluster's manager sees what to change when opening it.",
            "{count} answer sets no longer fit the questionnaire and kept their old scores; each "
            "cluster's manager sees what to change when opening it.",
            len(report.invalid),
        ).format(count=number(len(report.invalid), 0))
    )
    st.dataframe(
        pd.DataFrame(invalid_rows(state.base_store(), report), columns=["cluster", "year", "version"]),
        hide_index=True,
        column_config={
            "cluster": st.column_config.TextColumn(_("Cluster")),
            "year": st.column_config.TextColumn(_("Year")),
            "version": st.column_config.NumberColumn(_("Version")),
        },
        key="adm:rescore_invalid",
    )


def invalid_rows(store: Store, report: RescoreReport) -> list[dict[str, object]]:
    """A row per answer set that kept its old scores: its cluster, year and version.

    The problems themselves name questions by id, in English; the manager sees them worded
    on the questionnaire page, so the administrator is told only where to look.
    """
    rows: list[dict[str, object]] = []
    for assessment_id, _problems in report.invalid:
        try:
            info = store.assessment(assessment_id)
        except NotFound:
            continue  # deleted since the re-score began
        rows.append(
            {
                "cluster": info.cluster_name,
                "year": str(info.year),
                "version": info.number,
            }
        )
    return rows
