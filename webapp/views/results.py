"""Results: the index and stage in plain words, the charts, the findings and the downloads.

A submitted assessment shows the result it was submitted with; a draft is scored as it
stands (a provisional result).
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

import streamlit as st

from assessment.answers import ValidAnswers
from assessment.errors import AnswersError
from assessment.loading import dump_yaml
from assessment.questionnaire import Questionnaire
from scoring import result_from_json, result_to_json
from scoring.result import Finding, Result
from storage import AssessmentInfo, UserStore
from storage.plans import InvalidPlan
from webapp import charts, state
from webapp.logic import (
    finding_questions,
    funding_question,
    funding_stage_check,
    rating_words,
)
from webapp.reference import REFERENCE_LABEL, index_meaning, stage_meaning
from webapp.report import ReportPlan, html_report
from webapp.text import md
from webapp.views import review

_KINDS = (
    ("red_flag", "Red flags", ":material/flag:", "red"),
    ("gap", "Gaps", ":material/build:", "orange"),
    ("strength", "Strengths", ":material/verified:", "green"),
)


def load_result(info: AssessmentInfo, data: dict[str, Any]) -> tuple[Result, ValidAnswers]:
    """The result to show and the answers behind it.

    A submitted assessment keeps the result it was submitted with; a draft is scored now.

    Raises:
        AnswersError: when the answers together are not valid (a draft only).
    """
    valid = state.checker().check(data)
    stored = state.store().result_json(info.id) if info.status == "submitted" else None
    result = result_from_json(stored) if stored else state.engine().score(valid)
    return result, valid


def file_stem(info: AssessmentInfo) -> str:
    """The start of download file names, e.g. cluster-vasco-2025-v1."""
    slug = re.sub(r"[^a-z0-9]+", "-", info.cluster_name.lower()).strip("-")[:50] or "cluster"
    return f"{slug}-{info.year}-v{info.number}"


def _headline(result: Result) -> None:
    cols = st.columns(3)
    with cols[0]:
        st.metric("Sustainability index", "–" if result.overall is None else f"{result.overall:g} / 100")
    with cols[1]:
        st.metric("Stage", result.stage.label)
    with cols[2]:
        st.metric("Completeness", f"{result.completeness:g}%")
    st.markdown(f"**What the index means.** {md(index_meaning(result.overall))}")
    st.markdown(
        f"**What the stage means.** "
        f"{md(stage_meaning(result.stage.id, result.stage.label, result.stage.year_of_life))}"
    )
    with st.expander("How the index was computed", key="results:how"):
        st.markdown(md(result.overall_explanation))
        st.markdown(md(result.stage.explanation))


def _dimensions(result: Result, name: str) -> None:
    st.subheader("Seven dimensions")
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(charts.radar([(name, result)]), key="chart:radar", config={"displayModeBar": False})
        st.caption(f"Dashed line: {md(REFERENCE_LABEL)}. See the method page for why.")
    with right:
        st.dataframe(
            [
                {
                    "Dimension": d.title,
                    "Score": d.score,
                    "Weight": d.weight,
                    "Answered": f"{d.answered}/{d.asked}",
                    "How": d.explanation,
                }
                for d in result.dimensions
            ],
            hide_index=True,
            key="table:dimensions",
            column_config={
                "Score": st.column_config.ProgressColumn("Score", min_value=0, max_value=100, format="%.1f")
            },
        )


def _funding(questionnaire: Questionnaire, result: Result, valid: ValidAnswers, name: str) -> None:
    question = funding_question(questionnaire)
    if question is None:
        return
    st.subheader("Funding mix against the European reference")
    shares = valid.answers.get(question.id)
    if not shares:
        st.caption("The funding mix is not answered yet.")
        return
    check = funding_stage_check(questionnaire)
    st.plotly_chart(
        charts.funding_benchmark(
            question, shares, result.stage.id, result.stage.label, check, f"This cluster, {result.year}"
        ),
        key="chart:funding",
        config={"displayModeBar": False},
    )
    st.caption(
        "European cluster organisations: public share about 60% of income in 2010-2012 and about 40% "
        "in 2016-2017 (002 s6.2.1, Figure 1). Public money is expected at launch and a danger later."
    )


def _portfolio(questionnaire: Questionnaire, valid: ValidAnswers) -> None:
    qid = next((q.id for q in questionnaire.questions.values() if q.type == "service_portfolio"), None)  # type: ignore[attr-defined]
    if qid is None:
        return
    st.subheader("Service portfolio against Table 6")
    if qid not in valid.answers:
        st.caption("The service portfolio is not answered yet.")
        return
    plain = valid.to_data()["answers"][qid]
    st.plotly_chart(
        charts.portfolio_matrix(questionnaire, plain), key="chart:portfolio", config={"displayModeBar": False}
    )
    core = [s for s in questionnaire.services if s.brings_income and s.highly_valued]
    missing = [s.name.en for s in core if not (plain.get(s.id) or {}).get("offered", s.id in plain)]
    free = [
        s.name.en
        for s in core
        if s.id in plain and plain[s.id].get("offered", True) and not plain[s.id].get("charged")
    ]
    if missing:
        st.markdown(f"**Paying-core services not offered:** {md(', '.join(missing))}.")
    if free:
        st.markdown(f"**Paying-core services offered free:** {md(', '.join(free))}.")
    own = [str(v.get("name") or k) for k, v in plain.items() if k not in questionnaire.service_index]
    if own:
        st.markdown(f"**Services of the cluster's own** (not in Table 6): {md(', '.join(own))}.")
    st.caption(
        "Table 6 (002 s6.2.2, after ESCA 2017) rates services by the income they bring "
        f"({', '.join(rating_words(v) for v in charts.FINANCIAL_LEVELS)}) and by members' valuation."
    )


def _finding(
    questionnaire: Questionnaire, result: Result, f: Finding, index: int, numbers: dict[str, str], colour: str
) -> None:
    with st.container(border=True, key=f"finding:{index}"):
        st.markdown(
            f":{colour}[**{md(f.title)}**]  \n"
            f":gray[{f.severity} importance · {md(questionnaire_dim(questionnaire, f.dimension))}]"
        )
        if f.evidence:
            st.markdown(
                "**Evidence**\n\n" + "\n".join(f"- {md(ev.label)}: **{md(ev.value)}**" for ev in f.evidence)
            )
        st.markdown(f"**Recommendation.** {md(f.recommendation)}")
        st.caption(f"Why: {md(f.explanation)} · Lesson {md(f.lesson)}, source {md(f.source)}")
        with st.container(horizontal=True):
            for qid in finding_questions(questionnaire, result, f):
                if st.button(
                    f"Question {numbers[qid]}",
                    key=f"finding:{index}:{qid}",
                    icon=":material/edit_note:",
                    help=questionnaire.questions[qid].text.en,
                ):
                    state.go(state.QUESTIONNAIRE_PAGE, section=questionnaire.dimension_of[qid], question=qid)


def questionnaire_dim(questionnaire: Questionnaire, dimension_id: str) -> str:
    """A dimension's title (or its id when it is not in the questionnaire)."""
    return next((d.title.en for d in questionnaire.dimensions if d.id == dimension_id), dimension_id)


def _findings(questionnaire: Questionnaire, result: Result) -> None:
    numbers = state.numbers()
    index = 0
    for kind, heading, icon, colour in _KINDS:
        found = result.findings_of(kind)  # type: ignore[arg-type]
        st.subheader(f"{icon} {heading} ({len(found)})")
        if not found:
            st.caption("None.")
        for f in found:
            _finding(questionnaire, result, f, index, numbers, colour)
            index += 1


def _downloads(info: AssessmentInfo, result: Result, valid: ValidAnswers, data: dict[str, Any]) -> None:
    st.subheader("Download")
    stem = file_stem(info)
    questionnaire, engine = state.questionnaire(), state.engine()
    # Read in the script run: the report is made when the button is clicked, outside any run,
    # where the session (and so `state.store()`) is out of reach.
    store = state.store()

    def report() -> str:
        return html_report(
            questionnaire, engine, result, valid, info.status, info.number, plans=saved_plans(info, store)
        )

    with st.container(horizontal=True):
        st.download_button(
            "Report (HTML, prints to PDF)",
            report,
            file_name=f"{stem}-report.html",
            mime="text/html",
            key="download:report",
            on_click="ignore",
            icon=":material/description:",
            type="primary",
        )
        st.download_button(
            "Result (JSON)",
            lambda: result_to_json(result),
            file_name=f"{stem}-result.json",
            mime="application/json",
            key="download:result",
            on_click="ignore",
            icon=":material/data_object:",
        )
        st.download_button(
            "Answers (YAML)",
            lambda: dump_yaml(data),
            file_name=f"{stem}-answers.yaml",
            mime="application/x-yaml",
            key="download:answers_yaml",
            on_click="ignore",
            icon=":material/download:",
        )
        st.download_button(
            "Answers (JSON)",
            lambda: json.dumps(data, ensure_ascii=False, indent=2),
            file_name=f"{stem}-answers.json",
            mime="application/json",
            key="download:answers_json",
            on_click="ignore",
            icon=":material/download:",
        )
    st.caption(
        "The report is one HTML file with its charts inside: it opens offline and prints cleanly to PDF."
    )


def saved_plans(info: AssessmentInfo, store: UserStore) -> list[ReportPlan]:
    """The assessment's saved plans for the report; one whose payload no longer validates is left out."""
    out = []
    for p in store.plans(info.id):
        with contextlib.suppress(InvalidPlan):
            out.append(ReportPlan(p.kind, p.name, store.plan(info.id, p.kind, p.name).payload))
    return out


def _planning_links() -> None:
    """A button per planner of the planning page (issue 5): what to change after the score."""
    from webapp.views.planning_hub import TOOLS, open_tool

    st.subheader("Plan what to change")
    st.caption("Plans are saved with this assessment, also once it is submitted, and go into the report.")
    icons = {
        "funding": ":material/trending_down:",
        "services": ":material/storefront:",
        "structure": ":material/groups:",
    }
    with st.container(horizontal=True):
        for tool, title in TOOLS.items():
            if st.button(title, key=f"results:plan:{tool}", icon=icons[tool]):
                open_tool(tool)


def render() -> None:
    """The results page."""
    info = state.current_info()
    questionnaire = state.questionnaire()
    st.title("Results")
    state.show_flash()
    if info is None:
        st.info("No assessment is open. Start one or open one on the home page.")
        if st.button("Go to the home page", key="results:home"):
            st.switch_page(state.HOME_PAGE)
        return
    data = state.answer_data(info)
    try:
        result, valid = load_result(info, data)
    except AnswersError as exc:
        lines = "\n".join(f"- {md(p)}" for p in exc.problems)
        st.error(f"These answers cannot be scored until this is fixed:\n\n{lines}")
        return
    name = result.cluster or info.cluster_name
    st.markdown(f"**{md(name)}** · answers for {result.year} · version {info.number}")
    if info.status == "submitted":
        when = info.submitted_at.strftime("%Y-%m-%d") if info.submitted_at else ""
        st.success(f"Submitted {when}. This is the result it was submitted with.", icon=":material/lock:")
    else:
        st.warning(
            "Provisional: this draft is scored as it stands; "
            "submit it from the questionnaire's last section.",
            icon=":material/pending:",
        )
        if st.button("Back to the questionnaire", key="results:questionnaire"):
            state.go(state.QUESTIONNAIRE_PAGE)
    review.render_panel(info)
    _headline(result)
    _dimensions(result, name)
    _funding(questionnaire, result, valid, name)
    _portfolio(questionnaire, valid)
    _findings(questionnaire, result)
    if result.unanswered:
        with st.expander(f"Not answered yet ({len(result.unanswered)})", key="results:unanswered"):
            numbers = state.numbers()
            st.markdown(
                "\n".join(
                    f"- {numbers.get(item, 'profile')} {md(_item_label(questionnaire, item))}"
                    for item in result.unanswered
                )
            )
    for note in result.notes:
        st.caption(md(note))
    _planning_links()
    _downloads(info, result, valid, data)


def _item_label(questionnaire: Questionnaire, item: str) -> str:
    if item.startswith("profile."):
        field = questionnaire.profile_fields.get(item.removeprefix("profile."))
        return field.label.en if field else item
    question = questionnaire.questions.get(item)
    return question.text.en if question else item
