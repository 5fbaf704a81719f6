"""The top of the results: the index with its caveats, what holds it down and the action plan.

An officer decides on what is read first, so the first screen says whether the index is
final, which gate holds it down, and the few steps that would raise it most; the charts
and the full lists of findings come below.
"""

from __future__ import annotations

import streamlit as st

from assessment.text import Language
from reports.reference import index_meaning, stage_meaning
from scoring.headline import held_down_note, provisional_note, steps
from scoring.result import Result
from scoring.verification import scored_questions, verified_share
from storage import AssessmentInfo
from webapp import state
from webapp.i18n import _, number, percent
from webapp.text import md


def verified_line(result: Result, info: AssessmentInfo) -> str | None:
    """How much of the index's weight an officer verified (and found documented), for a submitted one.

    None for a draft (an officer marks submitted answers only) or when nothing is scored.
    """
    if info.status != "submitted":
        return None
    items = scored_questions((i.id, i.kind, i.status) for i in result.items)
    share = verified_share(state.questionnaire(), items, state.store().marks(info.id))
    if share.weight <= 0:
        return None
    return _("{verified} of the index's weight verified ({documented} documented)").format(
        verified=percent(100 * share.verified, 0), documented=percent(100 * share.documented, 0)
    )


def headline(result: Result, lang: Language, info: AssessmentInfo) -> None:
    """The index, stage and completeness, and the sentences that qualify the index."""
    cols = st.columns(3)
    with cols[0]:
        if result.overall is None:
            index = "–"
        elif result.provisional:
            index = _("{score} / 100 (provisional)").format(score=number(result.overall))
        else:
            index = _("{score} / 100").format(score=number(result.overall))
        st.metric(_("Sustainability index"), index)
        verified = verified_line(result, info)
        if verified:
            why = _("An officer marks each answer self-declared, documented or verified.")
            st.caption(verified, help=why)
    with cols[1]:
        st.metric(_("Stage"), result.stage.label)
    with cols[2]:
        st.metric(_("Completeness"), percent(result.completeness))
    provisional = provisional_note(result, lang)
    if provisional:
        st.warning(md(provisional), icon=":material/hourglass_top:")
    held = held_down_note(result, lang)
    if held:
        st.warning(md(held), icon=":material/vertical_align_top:")
    heading = _("What the index means.")
    st.markdown(f"**{heading}** {md(index_meaning(result.overall, lang))}")
    meaning = stage_meaning(result.stage.id, result.stage.label, result.stage.year_of_life, lang)
    heading = _("What the stage means.")
    st.markdown(f"**{heading}** {md(meaning)}")
    with st.expander(_("How the index was computed"), key="results:how"):
        st.markdown(md(result.overall_explanation))
        st.markdown(md(result.stage.explanation))


def action_plan(result: Result, lang: Language) -> None:
    """The three to five steps the engine finds would raise the index most, each with its source."""
    plan = steps(result, lang)
    st.subheader(_("Action plan"))
    if not plan:
        st.caption(_("No red flag or gap holds the index down: keep the strengths listed below."))
        return
    st.caption(
        _(
            "The steps that would raise the index most, worked out from the rules; "
            "the full list of findings is below."
        )
    )
    for i, step in enumerate(plan, 1):
        with st.container(border=True):
            st.markdown(f"**{i}. {md(step.title)}** · {md(step.gain)}")
            if step.together:
                st.markdown(md(step.together))
            st.markdown(md(step.recommendation))
            st.caption(_("Source: {source}").format(source=md(step.source)))
