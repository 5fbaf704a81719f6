"""Bulk import (officers and administrators): a zip of answer files becomes submitted assessments.

Each file is validated, scored and stored on its own (`programmes.bulk_import`): as a new round
of the cluster of the portfolio it names, or as a new cluster; the report names every file
with what happened to it and each problem with its line. Clusters an officer imports join
the officer's programme, so they appear in the portfolio.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from programmes import ImportReport, bulk_import
from webapp import state

REPORT = "imp:report"


def run_import(name: str, content: bytes) -> ImportReport:
    """Import the zip's files as the signed-in user; an officer's new clusters join their programme.

    A file naming a cluster the user can see (an officer: one of the programme's) becomes a
    new round of it; see `programmes.bulk_import`.
    """
    user = state.user()
    assert user is not None and user.role in ("officer", "admin")
    base = state.base_store()
    existing = {c.id: c.name for c in state.store().clusters()}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(name).name or "upload.zip")
        path.write_bytes(content)
        report = bulk_import(
            base, path, state.questionnaire(), user.username, engine=state.engine(), existing=existing
        )
    if user.role == "officer" and user.programme:
        for outcome in report.of("imported"):
            if outcome.new_cluster and outcome.cluster_id is not None:
                base.assign_cluster(outcome.cluster_id, user.programme, user.username)
    return report


def report_rows(report: ImportReport) -> pd.DataFrame:
    """A row per file: name, outcome, cluster, what it became, assessment id and its problems (as text)."""
    return pd.DataFrame(
        [
            {
                "file": o.name,
                "outcome": o.status,
                "cluster": o.cluster or "",
                "added as": o.added_as,
                "assessment": o.assessment_id,
                "problems": "\n".join(str(p) for p in o.problems),
            }
            for o in report.outcomes
        ],
        columns=["file", "outcome", "cluster", "added as", "assessment", "problems"],
    )


def render() -> None:
    """The bulk import page."""
    st.title("Bulk import")
    state.show_flash()
    if state.role() not in ("officer", "admin"):
        st.error("Not allowed. Bulk import is for programme officers and administrators.")
        return
    st.caption(
        "A zip of answers files (YAML or JSON, as `cluster-assess template` writes them). A file "
        "whose profile name is the name of a cluster of your portfolio (ignoring case) becomes a new "
        "round of that cluster; any other becomes a new cluster with one submitted assessment. A "
        "file that cannot be read or validated is rejected with its problems; one bad file never "
        "stops the others."
    )
    uploaded = st.file_uploader("Zip of answers files", type=["zip"], key="imp:file")
    if uploaded is not None and st.button("Import", key="imp:go", type="primary"):
        st.session_state[REPORT] = run_import(uploaded.name, uploaded.getvalue())
    report: ImportReport | None = st.session_state.get(REPORT)
    if report is None:
        return
    summary = report.summary()
    if report.of("rejected"):
        st.warning(summary)
    else:
        st.success(summary)
    st.dataframe(report_rows(report), hide_index=True, key="imp:table")
