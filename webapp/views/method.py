"""Method: how the answers are scored, the dimensions, the lessons and the sources behind them.

Everything here is read from the questionnaire's YAML, the single source of truth, in the
session's language (`Text.get`); the page's own words go through the catalogue.
"""

from __future__ import annotations

import streamlit as st

from assessment.i18n import N_
from assessment.numbering import question_number
from assessment.questionnaire import Questionnaire
from assessment.ratings import rating_words
from programmes.peers import PEER_MINIMUM
from reports.reference import EUROPEAN_PUBLIC_SHARE
from webapp import state
from webapp.i18n import _, current_language, number, percent
from webapp.text import md

SOURCES = {
    "002": N_("EU-LAC Foundation (2018), Clusters and Cluster Policy, by section (s6: sustainability)."),
    "000, 001, 003": N_(
        "Short articles by cluster managers and policy makers in Catalonia, Colombia, "
        "Mexico, Ecuador and Argentina."
    ),
}
KIND_WORDS = {
    "success": N_("success factor"),
    "limit": N_("risk or barrier"),
    "basic": N_("precondition"),
    "benchmark": N_("figure to compare with"),
    "practice": N_("practice"),
}
STAGE_WORDS = {"any": N_("any stage"), "launch": N_("first years"), "after_launch": N_("after the launch")}
TYPE_WORDS = {
    "maturity": N_("maturity"),
    "single_choice": N_("single choice"),
    "multiple_choice": N_("multiple choice"),
    "yes_no": N_("yes no"),
    "number": N_("number"),
    "percentage": N_("percentage"),
    "funding_mix": N_("funding mix"),
    "service_portfolio": N_("service portfolio"),
    "text": N_("text"),
}


def _words(table: dict[str, str], value: str) -> str:
    """A word of one of the tables above in the session's language (an unknown value as it is)."""
    return _(table[value]) if value in table else value.replace("_", " ")


def _scoring() -> None:
    st.subheader(_("How the answers are scored"))
    st.markdown(
        _(
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
    )


def _stages(questionnaire: Questionnaire) -> None:
    lang = current_language()
    st.subheader(_("Life-cycle stages"))
    st.caption(
        _(
            "The same answers score differently by stage: 70% public money is expected in year 2 "
            "and a red flag in year 8."
        )
    )
    last = 0
    rows = []
    for stage in questionnaire.stages:
        if stage.until_year:
            years = _("{first}-{last}").format(first=last + 1, last=stage.until_year)
        else:
            years = _("{first} on").format(first=last + 1)
        rows.append(
            {
                _("Stage"): stage.label.get(lang),
                _("Years of life"): years,
                _("What it means"): stage.description.get(lang),
            }
        )
        last = stage.until_year or last
    st.dataframe(rows, hide_index=True, key="method:stages")


def _reference(questionnaire: Questionnaire) -> None:
    st.subheader(_("The references drawn on the results"))
    periods = ", ".join(
        _("about {share} in {period}").format(share=percent(v, 6), period=k)
        for k, v in EUROPEAN_PUBLIC_SHARE.items()
    )
    st.markdown(
        _(
            "- **No reference score per dimension.** The sources describe sustainable clusters but "
            "give no score to reach in each dimension, so the radar draws none of its own making. "
            "When the cluster's programme has at least {minimum} other submitted assessments, it "
            "shows their median instead (never naming a cluster).\n"
            "- **Funding benchmark.** The public share of European cluster organisations' income: {periods} "
            "(002 s6.2.1, Figure 1, ESCA data): an average to compare with, not a pass line; the "
            "horizon for moving to private funding varies by sector, territory and policy (s6.2.3).\n"
            "- **Index bands** on the results page (fragile below 40, partly in place below 60, on the "
            "way below 75) are a reading aid set on the maturity scales (level 3, in place and "
            "documented, scores 75), not a rule of the sources."
        ).format(minimum=PEER_MINIMUM, periods=periods)
    )
    _gates(questionnaire)


def _gates(questionnaire: Questionnaire) -> None:
    """The gates of the YAML: what caps the index, so that no failed precondition is averaged away."""
    lang = current_language()
    st.subheader(_("What caps the index"))
    numbers = question_number(questionnaire)
    rows = []
    for gate in questionnaire.gates:
        if gate.when.item is not None:
            question = questionnaire.questions.get(gate.when.item)
            text = question.text.get(lang) if question else ""
            what = _("{question}: scores below {score}").format(
                question=f"{numbers.get(gate.when.item, '')} {text}".strip(),
                score=number(gate.when.score_below or 0, 6),
            )
        else:
            what = _("Any high red flag") if gate.when.severity == "high" else _("Any red flag")
        rows.append(
            {
                _("When"): what,
                _("Cap on its dimension"): number(gate.cap_dimension, 6)
                if gate.cap_dimension is not None
                else "–",
                _("Cap on the index"): number(gate.cap_overall, 6) if gate.cap_overall is not None else "–",
                _("Source"): gate.source,
            }
        )
    st.dataframe(rows, hide_index=True, key="method:gates")
    if questionnaire.provisional is not None:
        st.caption(
            _(
                "Below {floor} of a dimension's questions answered, the index is shown as provisional, "
                "with the range it could still take ({source})."
            ).format(
                floor=percent(questionnaire.provisional.completeness_floor, 6),
                source=questionnaire.provisional.source,
            )
        )


def _dimensions(questionnaire: Questionnaire) -> None:
    lang = current_language()
    st.subheader(_("Dimensions, lessons and questions"))
    numbers = question_number(questionnaire)
    lessons_of: dict[str, list] = {}
    for lesson in questionnaire.lessons:
        lessons_of.setdefault(lesson.dimension, []).append(lesson)
    for i, dim in enumerate(questionnaire.dimensions, 1):
        heading = _("{number}. {title} · weight {weight} · {source}").format(
            number=i, title=dim.title.get(lang), weight=number(dim.weight, 6), source=dim.source
        )
        with st.expander(heading, key=f"method:dim:{dim.id}"):
            st.markdown(md(dim.description.get(lang)))
            st.markdown("**" + _("Lessons") + "**")
            st.dataframe(
                [
                    {
                        _("Lesson"): lesson.id,
                        _("Kind"): _words(KIND_WORDS, lesson.kind),
                        _("When"): _words(STAGE_WORDS, lesson.stage),
                        _("Source"): lesson.source,
                        _("What the sources say"): lesson.fact.get(lang),
                    }
                    for lesson in lessons_of.get(dim.id, [])
                ],
                hide_index=True,
                key=f"method:lessons:{dim.id}",
            )
            st.markdown("**" + _("Questions") + "**")
            st.dataframe(
                [
                    {
                        "#": numbers[q.id],
                        _("Question"): q.text.get(lang),
                        _("Type"): _words(TYPE_WORDS, q.type),  # type: ignore[attr-defined]
                        _("Weight"): q.weight,
                        _("Lessons"): ", ".join(q.lessons),
                        _("Asked when"): q.show_if.describe(lang) if q.show_if else _("always"),
                    }
                    for q in dim.questions
                ],
                hide_index=True,
                key=f"method:questions:{dim.id}",
            )
            checks = [c for c in questionnaire.checks if c.dimension == dim.id]
            if checks:
                st.markdown("**" + _("Cross-checks") + "**")
                st.markdown(
                    "\n".join(
                        "- "
                        + _("{check} (weight {weight})").format(
                            check=md(c.title.get(lang)), weight=number(c.weight, 6)
                        )
                        for c in checks
                    )
                )


def _table6(questionnaire: Questionnaire) -> None:
    lang = current_language()
    st.subheader(_("Table 6: common cluster services"))
    st.caption(
        _(
            "002 s6.2.2, after ESCA (2017): how widespread each service is, the income it brings "
            "and how members value it."
        )
    )
    yes = _("yes")
    st.dataframe(
        [
            {
                _("Service"): s.name.get(lang),
                _("How common"): rating_words(s.extension, lang),
                _("Financial contribution"): rating_words(s.financial_contribution, lang),
                _("Members' valuation"): rating_words(s.member_valuation, lang),
                _("Paying core"): yes if s.brings_income and s.highly_valued else "",
            }
            for s in questionnaire.services
        ],
        hide_index=True,
        key="method:table6",
    )


def render() -> None:
    """The method page."""
    questionnaire = state.questionnaire()
    st.title(_("Method and sources"))
    st.markdown(md(questionnaire.description.get(current_language())))
    st.caption(
        _("Questionnaire {ref}; {questions} questions in {dimensions} dimensions.").format(
            ref=questionnaire.ref,
            questions=len(questionnaire.questions),
            dimensions=len(questionnaire.dimensions),
        )
    )
    _scoring()
    _stages(questionnaire)
    _reference(questionnaire)
    _dimensions(questionnaire)
    _table6(questionnaire)
    st.subheader(_("Sources"))
    st.markdown("\n".join(f"- **{code}**: {md(_(text))}" for code, text in SOURCES.items()))
