"""The planning page: the three planners for the open assessment, one at a time.

A manager (or administrator) changes plans and every change is saved at once, on a draft
or a submitted assessment alike (plans are decided after the score); an officer sees the
plans of a submitted assessment of their programme, read only.
"""

from __future__ import annotations

import streamlit as st

from assessment.errors import AnswersError, AssessmentError
from webapp import state
from webapp.i18n import _, current_language
from webapp.text import md
from webapp.views import planning_funding, planning_services, planning_structure
from webapp.views.planning_hub import OPEN, TOOL, TOOLS, WIDGET_PREFIXES, Context, forget_widgets, tool_label


def render() -> None:
    """The planning page."""
    st.title(_("Planning"))
    state.show_flash()
    info = state.current_info()
    if info is None:
        st.info(_("No assessment is open. Open one on the home page, then plan from its results."))
        return
    data = state.answer_data(info)
    try:
        valid = state.checker().check(data, current_language())
    except AnswersError as exc:
        lines = "\n".join(f"- {md(p)}" for p in exc.problems)
        head = _("Plans start from the answers, which cannot be read until this is fixed:")
        st.error(f"{head}\n\n{lines}")
        return
    if st.session_state.get(OPEN) != info.id:
        forget_widgets(WIDGET_PREFIXES)
        st.session_state[OPEN] = info.id
    writable = state.role() != "officer"
    which = _("answers for {year} · version {number}").format(year=info.year, number=info.number)
    st.markdown(f"**{md(info.cluster_name)}** · {which}")
    if not writable:
        st.info(
            _("You see the manager's plans; only the cluster's manager changes them."),
            icon=":material/visibility:",
        )
    else:
        st.caption(_("Every change is saved at once with this assessment, submitted or not."))
    with st.container(horizontal=True):
        if st.button(_("Back to the results"), key="plan:results", icon=":material/insights:"):
            state.go(state.RESULTS_PAGE)
    if st.session_state.get(TOOL) not in TOOLS:
        st.session_state[TOOL] = "funding"
    tool = st.segmented_control(
        _("Planner"),
        list(TOOLS),
        format_func={t: tool_label(t) for t in TOOLS}.__getitem__,
        key=TOOL,
        required=True,
    )
    context = Context(info, valid, writable)
    renderers = {
        "funding": planning_funding.render,
        "services": planning_services.render,
        "structure": planning_structure.render,
    }
    try:
        renderers[tool or "funding"](context)
    except AssessmentError as exc:
        st.error(md(str(exc)), icon=":material/error:")
    last = st.session_state.get(state.LAST_SAVED)
    if last and writable:
        st.caption(_("Saved: {what} at {time}").format(what=md(last[0]), time=last[1]))
