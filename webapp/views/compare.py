"""Compare a cluster's assessments over time: what moved per dimension and per finding.

Stored results are worded in English; in another language a submitted version's frozen
answers are explained again by the engine of that language when that gives the same
numbers (webapp.explain), so dimension titles and findings read in the session's language.
"""

from __future__ import annotations

import streamlit as st

from assessment.errors import AnswersError
from assessment.i18n import N_
from reports import charts
from scoring import result_from_json
from scoring.compare import FindingChanges, compare_findings, dimension_table
from scoring.members import score_with_members
from scoring.result import Finding, Result
from storage import AssessmentInfo
from webapp import state
from webapp.explain import in_language
from webapp.i18n import _, current_language
from webapp.text import md

_KIND_WORDS = {"red_flag": N_("Red flag"), "gap": N_("Gap"), "strength": N_("Strength")}


def label(info: AssessmentInfo) -> str:
    """A short label of a version, e.g. "v2 · 2025 (draft)"."""
    if info.status == "draft":
        return _("v{number} · {year} (draft)").format(number=info.number, year=info.year)
    return _("v{number} · {year}").format(number=info.number, year=info.year)


def result_of(info: AssessmentInfo) -> Result | None:
    """The result of a version in the session's language (None when a draft cannot be scored yet).

    A submitted version's stored result, explained again in the session's language when that
    gives the same numbers (webapp.explain); a draft is scored as it stands.
    """
    lang = current_language()
    stored = state.store().result_json(info.id) if info.status == "submitted" else None
    result = result_from_json(stored) if stored else None
    if result is not None and lang == "en":
        return result
    try:
        valid = state.checker().check(state.store().answer_data(info.id), lang)
    except AnswersError:
        return result
    responses = state.survey_responses(info.id)
    if result is None:
        return score_with_members(state.engine(lang), valid, responses)
    return in_language(result, state.engine(lang), valid, responses) or result


def _finding_line(f: Finding) -> str:
    return f"- **{_(_KIND_WORDS[f.kind])}**: {md(f.title)} :gray[({md(f.source)})]"


def _changes(changes: FindingChanges, before: str, after: str) -> None:
    st.subheader(_("Findings from {before} to {after}").format(before=before, after=after))
    none = _("None.")
    cols = st.columns(3)
    with cols[0]:
        st.markdown(_("**New** ({count})").format(count=len(changes.new)))
        st.markdown("\n".join(_finding_line(f) for f in changes.new) or none)
    with cols[1]:
        st.markdown(_("**Resolved** ({count})").format(count=len(changes.resolved)))
        st.markdown("\n".join(_finding_line(f) for f in changes.resolved) or none)
    with cols[2]:
        st.markdown(_("**Kept** ({count})").format(count=len(changes.kept)))
        st.markdown("\n".join(_finding_line(after_f) for _before, after_f in changes.kept) or none)


def render() -> None:
    """The compare page."""
    st.title(_("Compare over time"))
    st.caption(
        _("Two or more versions of one cluster's assessment: what moved per dimension and per finding.")
    )
    clusters = state.cluster_choices(state.store().clusters())
    if not clusters:
        st.info(_("No cluster yet."))
        return
    info = state.current_info()
    ids = list(clusters)
    default = ids.index(info.cluster_id) if info is not None and info.cluster_id in clusters else 0
    cluster_id = st.selectbox(
        _("Cluster"), ids, index=default, format_func=clusters.__getitem__, key="compare:cluster"
    )
    versions = state.store().assessments(cluster_id)
    if len(versions) < 2:
        st.info(
            _(
                "This cluster has one assessment so far. Revise a submitted assessment (or start another "
                "year's) to compare them."
            )
        )
        return
    by_id = {v.id: v for v in versions}
    chosen = st.multiselect(
        _("Versions to compare (oldest first)"),
        list(by_id),
        default=list(by_id)[-4:],
        format_func={i: label(v) for i, v in by_id.items()}.__getitem__,
        key="compare:versions",
    )
    chosen = sorted(chosen, key=lambda i: (by_id[i].number, i))
    if len(chosen) < 2:
        st.warning(_("Choose at least two versions."))
        return
    pairs = [(label(by_id[i]), result_of(by_id[i])) for i in chosen]
    skipped = [name for name, r in pairs if r is None]
    if skipped:
        st.warning(
            _("Left out (answers not valid together yet): {versions}.").format(versions=", ".join(skipped))
        )
    pairs = [(name, r) for name, r in pairs if r is not None]
    if len(pairs) < 2:
        return
    lang = current_language()
    labels = [name for name, _r in pairs]
    results = [r for _name, r in pairs]
    st.subheader(_("Dimensions"))
    st.dataframe(
        dimension_table(labels, results, lang),
        hide_index=True,
        key="compare:table",
        column_config={
            "dimension": st.column_config.TextColumn(_("Dimension")),
            "change": st.column_config.NumberColumn(
                _("Change {first} → {last}").format(first=labels[0], last=labels[-1]), format="%+.1f"
            ),
        },
    )
    st.plotly_chart(
        charts.radar(pairs, title=_("Dimensions over time"), lang=lang),
        key="chart:compare",
        config={"displayModeBar": False},
    )
    _changes(compare_findings(results[0], results[-1]), labels[0], labels[-1])
