"""Method: how the answers are scored, the dimensions, the lessons and the sources behind them.

Everything here is read from the questionnaire's YAML, the single source of truth.
"""

from __future__ import annotations

import streamlit as st

from assessment.questionnaire import Questionnaire
from webapp import state
from webapp.logic import question_number, rating_words
from webapp.reference import EUROPEAN_PUBLIC_SHARE, REFERENCE_SCORE
from webapp.text import md

SOURCES = {
    "002": "EU-LAC Foundation (2018), Clusters and Cluster Policy, by section (s6: sustainability).",
    "000, 001, 003": "Short articles by cluster managers and policy makers in Catalonia, Colombia, "
    "Mexico, Ecuador and Argentina.",
}
KIND_WORDS = {
    "success": "success factor",
    "limit": "risk or barrier",
    "basic": "precondition",
    "benchmark": "figure to compare with",
    "practice": "practice",
}
STAGE_WORDS = {"any": "any stage", "launch": "first years", "after_launch": "after the launch"}


def _scoring() -> None:
    st.subheader("How the answers are scored")
    st.markdown(
        "- Each question scores 0-100 by its type: maturity levels 0-4 (level × 25), choices (the "
        "option's score; several choices add points up to 100), yes/no, numbers and percentages on a "
        "scale, the **funding mix** (the public share on the scale of the cluster's stage) and the "
        "**service portfolio** (the share of offered services that, in Table 6, both bring income and "
        "are highly valued; free ones count half). Free text is never scored.\n"
        "- Missing answers are left out of the weighted means, **never counted as zero**; they lower "
        "the completeness.\n"
        "- **Cross-checks** read several answers at once: the funding mix against the stage and the "
        "European reference, structure cost against stable private income, the pattern of the Spanish "
        "AEI clusters that closed when structure funding ended, the portfolio against Table 6, capture "
        "by a few companies and more.\n"
        "- A **dimension** is the weighted mean of its scored items; the **sustainability index** is the "
        "weighted mean of the dimensions.\n"
        "- **Findings** (red flags, gaps, strengths) come most important first, each with its lesson, "
        "source section, evidence and recommendation."
    )


def _stages(questionnaire: Questionnaire) -> None:
    st.subheader("Life-cycle stages")
    st.caption(
        "The same answers score differently by stage: 70% public money is expected in year 2 "
        "and a red flag in year 8."
    )
    last = 0
    rows = []
    for stage in questionnaire.stages:
        years = f"{last + 1}-{stage.until_year}" if stage.until_year else f"{last + 1} on"
        rows.append({"Stage": stage.label.en, "Years of life": years, "What it means": stage.description.en})
        last = stage.until_year or last
    st.dataframe(rows, hide_index=True, key="method:stages")


def _reference() -> None:
    st.subheader("The references drawn on the results")
    periods = ", ".join(f"about {v:g}% in {k}" for k, v in EUROPEAN_PUBLIC_SHARE.items())
    st.markdown(
        f"- **Radar reference: {REFERENCE_SCORE:g} in every dimension.** An established European "
        "cluster organisation as 002 s6.2 describes the sustainable ones (about 40% public income, "
        "members paying for the Table 6 services that bring income and are highly valued, a structure "
        "its stable income carries, a board led by private members) answers at level 3 of the "
        f"maturity scales, which scores {REFERENCE_SCORE:g}: the score at which this questionnaire "
        "records a strength. It is a line to reach, not a ceiling.\n"
        f"- **Funding benchmark.** The public share of European cluster organisations' income: {periods} "
        "(002 s6.2.1, Figure 1, ESCA data).\n"
        "- **Index bands** on the results page (fragile below 40, partly sustainable below 60, on the way "
        f"below {REFERENCE_SCORE:g}) are a reading aid set on the same scales, not a rule of the sources."
    )


def _dimensions(questionnaire: Questionnaire) -> None:
    st.subheader("Dimensions, lessons and questions")
    numbers = question_number(questionnaire)
    lessons_of: dict[str, list] = {}
    for lesson in questionnaire.lessons:
        lessons_of.setdefault(lesson.dimension, []).append(lesson)
    for i, dim in enumerate(questionnaire.dimensions, 1):
        with st.expander(
            f"{i}. {dim.title.en} · weight {dim.weight:g} · {dim.source}", key=f"method:dim:{dim.id}"
        ):
            st.markdown(md(dim.description.en))
            st.markdown("**Lessons**")
            st.dataframe(
                [
                    {
                        "Lesson": lesson.id,
                        "Kind": KIND_WORDS.get(lesson.kind, lesson.kind),
                        "When": STAGE_WORDS.get(lesson.stage, lesson.stage),
                        "Source": lesson.source,
                        "What the sources say": lesson.fact.en,
                    }
                    for lesson in lessons_of.get(dim.id, [])
                ],
                hide_index=True,
                key=f"method:lessons:{dim.id}",
            )
            st.markdown("**Questions**")
            st.dataframe(
                [
                    {
                        "#": numbers[q.id],
                        "Question": q.text.en,
                        "Type": q.type.replace("_", " "),  # type: ignore[attr-defined]
                        "Weight": q.weight,
                        "Lessons": ", ".join(q.lessons),
                        "Asked when": q.show_if.describe() if q.show_if else "always",
                    }
                    for q in dim.questions
                ],
                hide_index=True,
                key=f"method:questions:{dim.id}",
            )
            checks = [c for c in questionnaire.checks if c.dimension == dim.id]
            if checks:
                st.markdown("**Cross-checks**")
                st.markdown("\n".join(f"- {md(c.title.en)} (weight {c.weight:g})" for c in checks))


def _table6(questionnaire: Questionnaire) -> None:
    st.subheader("Table 6: common cluster services")
    st.caption(
        "002 s6.2.2, after ESCA (2017): how widespread each service is, the income it brings "
        "and how members value it."
    )
    st.dataframe(
        [
            {
                "Service": s.name.en,
                "How common": rating_words(s.extension),
                "Financial contribution": rating_words(s.financial_contribution),
                "Members' valuation": rating_words(s.member_valuation),
                "Paying core": "yes" if s.brings_income and s.highly_valued else "",
            }
            for s in questionnaire.services
        ],
        hide_index=True,
        key="method:table6",
    )


def render() -> None:
    """The method page."""
    questionnaire = state.questionnaire()
    st.title("Method and sources")
    st.markdown(md(questionnaire.description.en))
    st.caption(
        f"Questionnaire {questionnaire.ref}; {len(questionnaire.questions)} questions "
        f"in {len(questionnaire.dimensions)} dimensions."
    )
    _scoring()
    _stages(questionnaire)
    _reference()
    _dimensions(questionnaire)
    _table6(questionnaire)
    st.subheader("Sources")
    st.markdown("\n".join(f"- **{code}**: {md(text)}" for code, text in SOURCES.items()))
