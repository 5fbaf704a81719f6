"""The results page's "What members say": the members' survey beside the manager's answers.

Right under the index, because with enough responses the members' figures changed it:
the reader must see at once that the score rests on the firms' own word, and where that
word and the managing body's part. The words are those of the reports (reports.members).
"""

from __future__ import annotations

import streamlit as st

from assessment.text import Language
from reports.members import SATISFACTION_TOP, members_view
from scoring.result import Result
from webapp import state
from webapp.text import md


def render(result: Result, lang: Language) -> None:
    """The members' block of `result` (nothing when no member answered a survey)."""
    survey = state.questionnaire().survey
    top = len(survey.satisfaction_levels) if survey is not None else SATISFACTION_TOP
    view = members_view(result.members, lang, top)
    if view is None:
        return
    with st.container(border=True, key="results:members"):
        st.subheader(view.heading)
        for line in view.summary:
            if view.used:
                st.markdown(md(line))
            else:
                st.caption(md(line))
        if view.replaced:
            st.markdown(
                f"**{md(view.replaced_heading)}**\n\n" + "\n".join(f"- {md(r)}" for r in view.replaced)
            )
        if view.disagreements:
            st.markdown(
                f"**{md(view.disagreements_heading)}**\n\n"
                + "\n".join(f"- {md(d)}" for d in view.disagreements)
            )
