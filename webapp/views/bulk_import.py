"""Bulk import (officers and administrators): a zip of answer files becomes submitted assessments.

Each file is validated, scored and stored on its own (`programmes.bulk_import`): as a new round
of the cluster of the portfolio it names, or as a new cluster; the report names every file
with what happened to it and each problem with its line. Clusters an officer imports join
the officer's programme, so they appear in the portfolio. What is stored is scored by the
English engine, as the app's submit stores results; the report is in the session's language.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from programmes import ImportReport, bulk_import, status_word
from webapp import state
from webapp.files import upload_help
from webapp.i18n import _, current_language

REPORT = "imp:report"


def run_import(name: str, content: bytes) -> ImportReport:
    """Import the zip's files as the signed-in user; an officer's new clusters join their programme.

    A file naming a cluster the user can see (an officer: one of the programme's) becomes a
    new round of it; see `programmes.bulk_import`. Results are stored in English (like a
    submit from the questionnaire); the problems are worded in the session's language.
    """
    user = state.user()
    assert user is not None and user.role in ("officer", "admin")
    base = state.base_store()
    existing = {c.id: c.name for c in state.store().clusters()}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(name).name or "upload.zip")
        path.write_bytes(content)
        report = bulk_import(
            base,
            path,
            state.questionnaire(),
            user.username,
            engine=state.engine("en"),
            existing=existing,
            lang=current_language(),
        )
    if user.role == "officer" and user.programme:
        for outcome in report.of("imported"):
            if outcome.new_cluster and outcome.cluster_id is not None:
                base.assign_cluster(outcome.cluster_id, user.programme, user.username)
    return report


def report_rows(report: ImportReport) -> pd.DataFrame:
    """A row per file: name, outcome, cluster, what it became, assessment id and its problems (as text).

    Headers and outcomes in the session's language; names and problems as the import wrote them.
    """
    lang = current_language()
    columns = [_("file"), _("outcome"), _("cluster"), _("added as"), _("assessment"), _("problems")]
    return pd.DataFrame(
        [
            dict(
                zip(
                    columns,
                    [
                        o.name,
                        status_word(o.status, lang),
                        o.cluster or "",
                        o.added_as_in(lang),
                        o.assessment_id,
                        "\n".join(str(p) for p in o.problems),
                    ],
                    strict=True,
                )
            )
            for o in report.outcomes
        ],
        columns=columns,
    )


def render() -> None:
    """The bulk import page."""
    st.title(_("Bulk import"))
    state.show_flash()
    if state.role() not in ("officer", "admin"):
        st.error(_("Not allowed. Bulk import is for programme officers and administrators."))
        return
    st.caption(
        _(
            "A zip of answers files (YAML or JSON, as `{command}` writes them). A file "
            "whose profile name is the name of a cluster of your portfolio (ignoring case) becomes a new "
            "round of that cluster; any other becomes a new cluster with one submitted assessment. A "
            "file that cannot be read or validated is rejected with its problems; one bad file never "
            "stops the others."
        ).format(command="cluster-assess template")
    )
    uploaded = st.file_uploader(_("Zip of answers files"), type=["zip"], key="imp:file", help=upload_help())
    if uploaded is not None and st.button(_("Import"), key="imp:go", type="primary"):
        st.session_state[REPORT] = run_import(uploaded.name, uploaded.getvalue())
    report: ImportReport | None = st.session_state.get(REPORT)
    if report is None:
        return
    summary = report.summary(current_language())
    if report.of("rejected"):
        st.warning(summary)
    else:
        st.success(summary)
    st.dataframe(report_rows(report), hide_index=True, key="imp:table")
