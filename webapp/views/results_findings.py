"""The results page's findings: each red flag, gap and strength as a card, with its questions.

A card names the source section and what the sources say, never a lesson's code, and its
buttons open the questionnaire at the questions behind the finding.
"""

from __future__ import annotations

import streamlit as st

from assessment.questionnaire import Questionnaire
from assessment.text import Language
from reports.html import kind_heading, severity_words
from scoring.compare import finding_questions
from scoring.result import Finding, Result
from webapp import state
from webapp.i18n import _, pgettext
from webapp.text import md

_KINDS = (
    ("red_flag", ":material/flag:", "red"),
    ("gap", ":material/build:", "orange"),
    ("strength", ":material/verified:", "green"),
)


def _finding(
    questionnaire: Questionnaire,
    result: Result,
    f: Finding,
    index: int,
    numbers: dict[str, str],
    colour: str,
    lang: Language,
) -> None:
    with st.container(border=True, key=f"finding:{index}"):
        tag = _("{importance} · {dimension}").format(
            importance=severity_words(f.severity, lang),
            dimension=md(questionnaire_dim(questionnaire, f.dimension, lang)),
        )
        st.markdown(f":{colour}[**{md(f.title)}**]  \n:gray[{tag}]")
        if f.evidence:
            st.markdown(
                "**"
                + _("Evidence")
                + "**\n\n"
                + "\n".join(f"- {md(ev.label)}: **{md(ev.value)}**" for ev in f.evidence)
            )
        heading = _("Recommendation.")
        st.markdown(f"**{heading}** {md(f.recommendation)}")
        st.caption(
            _("Why: {explanation} · Source {source}").format(
                explanation=md(f.explanation), source=md(f.source)
            )
            + (
                " · " + _("What the sources say: {lesson}").format(lesson=md(f.lesson_text))
                if f.lesson_text
                else ""
            )
        )
        with st.container(horizontal=True):
            for qid in finding_questions(questionnaire, result, f):
                if st.button(
                    _("Question {number}").format(number=numbers[qid]),
                    key=f"finding:{index}:{qid}",
                    icon=":material/edit_note:",
                    help=questionnaire.questions[qid].text.get(lang),
                ):
                    state.go(state.QUESTIONNAIRE_PAGE, section=questionnaire.dimension_of[qid], question=qid)


def questionnaire_dim(questionnaire: Questionnaire, dimension_id: str, lang: Language = "en") -> str:
    """A dimension's title in `lang` (or its id when it is not in the questionnaire)."""
    return next((d.title.get(lang) for d in questionnaire.dimensions if d.id == dimension_id), dimension_id)


def render(questionnaire: Questionnaire, result: Result, lang: Language) -> None:
    """Red flags and gaps open (what to act on), strengths folded (worth keeping, not acted on)."""
    numbers = state.numbers()
    index = 0
    for kind, icon, colour in _KINDS:
        found = result.findings_of(kind)  # type: ignore[arg-type]
        heading = f"{icon} {kind_heading(kind, len(found), lang)}"
        # What to act on stays open; the strengths, worth keeping but not acted on, are folded.
        if kind == "strength":
            block = st.expander(heading, expanded=False, key="results:strengths")
        else:
            st.subheader(heading)
            block = st.container()
        with block:
            if not found:
                st.caption(pgettext("no finding of this kind", "None."))
            for f in found:
                _finding(questionnaire, result, f, index, numbers, colour, lang)
                index += 1
