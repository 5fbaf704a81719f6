"""Results: the index and stage in plain words, the charts, the findings and the downloads.

A submitted assessment shows the result it was submitted with; a draft is scored as it
stands (a provisional result). Everything is shown in the session's language: the stored
result is explained again by an engine of that language (webapp.explain), and the HTML
report is written in it.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import streamlit as st

from assessment.answers import ValidAnswers
from assessment.errors import AnswersError
from assessment.loading import dump_yaml
from assessment.questionnaire import Questionnaire
from assessment.ratings import rating_words
from assessment.text import Language
from programmes.peers import PeerMedians
from reports import charts
from reports.html import ReportPlan, html_report, item_title
from reports.reference import peers_caption
from scoring import result_from_json, result_to_json
from scoring.funding import funding_question, funding_stage_check
from scoring.members import score_with_members
from scoring.result import Result
from storage import AssessmentInfo, UserStore
from storage.plans import InvalidPlan
from webapp import state
from webapp.explain import in_language
from webapp.files import file_stem
from webapp.i18n import _, current_language, date, number, percent
from webapp.text import md
from webapp.views import results_findings, results_members, results_peers, results_top, review, survey_panel
from webapp.views.planning_hub import TOOLS, open_tool, tool_label


def load_result(
    info: AssessmentInfo, data: dict[str, Any], lang: Language
) -> tuple[Result, ValidAnswers, bool]:
    """The result to show in `lang`, the answers behind it and whether it is shown as it was stored.

    A submitted assessment keeps the result it was submitted with, explained again in `lang`
    when scoring its answers again gives the same numbers (else it is shown as stored: the
    third value is then True); a draft is scored now, with its members' survey responses
    (scoring.members), read again at every run so that a new response shows on a reload.

    Raises:
        AnswersError: when the answers together are not valid (a draft only).
    """
    valid = state.checker().check(data, lang)
    engine = state.engine(lang)
    stored = state.store().result_json(info.id) if info.status == "submitted" else None
    responses = state.survey_responses(info.id)
    if not stored:
        return score_with_members(engine, valid, responses), valid, False
    kept = result_from_json(stored)
    again = in_language(kept, engine, valid, responses)
    return (again, valid, False) if again is not None else (kept, valid, True)


def _dimensions(result: Result, name: str, lang: Language, peers: PeerMedians | None) -> None:
    st.subheader(_("Seven dimensions"))
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(
            charts.radar([(name, result)], lang=lang, peers=peers),
            key="chart:radar",
            config={"displayModeBar": False},
        )
        if peers is not None:
            st.caption(md(peers_caption(peers, lang)))
    score, weight, answered, how = _("Score"), _("Weight"), _("Answered"), _("How")
    with right:
        st.dataframe(
            [
                {
                    _("Dimension"): d.title,
                    score: d.score,
                    weight: number(d.weight),
                    answered: f"{d.answered}/{d.asked}",
                    how: d.explanation,
                }
                for d in result.dimensions
            ],
            hide_index=True,
            key="table:dimensions",
            column_config={
                score: st.column_config.ProgressColumn(score, min_value=0, max_value=100, format="%.1f")
            },
        )


def _funding(questionnaire: Questionnaire, result: Result, valid: ValidAnswers, lang: Language) -> None:
    question = funding_question(questionnaire)
    if question is None:
        return
    st.subheader(_("Funding mix against the European reference"))
    shares = valid.answers.get(question.id)
    if not shares:
        st.caption(_("The funding mix is not answered yet."))
        return
    check = funding_stage_check(questionnaire)
    st.plotly_chart(
        charts.funding_benchmark(
            question,
            shares,
            result.stage.id,
            result.stage.label,
            check,
            _("This cluster, {year}").format(year=result.year),
            lang=lang,
        ),
        key="chart:funding",
        config={"displayModeBar": False},
    )
    st.caption(
        _(
            "European cluster organisations: public share about {early} of income in 2010-2012 and "
            "about {late} in 2016-2017 (002 s6.2.1, Figure 1). Public money is expected at launch and "
            "a danger later."
        ).format(early=percent(60), late=percent(40))
    )


def _portfolio(questionnaire: Questionnaire, valid: ValidAnswers, lang: Language) -> None:
    qid = next((q.id for q in questionnaire.questions.values() if q.type == "service_portfolio"), None)  # type: ignore[attr-defined]
    if qid is None:
        return
    st.subheader(_("Service portfolio against Table 6"))
    if qid not in valid.answers:
        st.caption(_("The service portfolio is not answered yet."))
        return
    plain = valid.to_data()["answers"][qid]
    st.plotly_chart(
        charts.portfolio_matrix(questionnaire, plain, lang=lang),
        key="chart:portfolio",
        config={"displayModeBar": False},
    )
    core = [s for s in questionnaire.services if s.brings_income and s.highly_valued]
    missing = [s.name.get(lang) for s in core if not (plain.get(s.id) or {}).get("offered", s.id in plain)]
    free = [
        s.name.get(lang)
        for s in core
        if s.id in plain and plain[s.id].get("offered", True) and not plain[s.id].get("charged")
    ]
    if missing:
        heading = _("Paying-core services not offered:")
        st.markdown(f"**{heading}** {md(', '.join(missing))}.")
    if free:
        heading = _("Paying-core services offered free:")
        st.markdown(f"**{heading}** {md(', '.join(free))}.")
    own = [str(v.get("name") or k) for k, v in plain.items() if k not in questionnaire.service_index]
    if own:
        heading = _("Services of the cluster's own (not in Table 6):")
        st.markdown(f"**{heading}** {md(', '.join(own))}.")
    st.caption(
        _(
            "Table 6 (002 s6.2.2, after ESCA 2017) rates services by the income they bring ({levels}) "
            "and by members' valuation."
        ).format(levels=", ".join(rating_words(v, lang) for v in charts.FINANCIAL_LEVELS))
    )


def _downloads(
    info: AssessmentInfo, result: Result, valid: ValidAnswers, data: dict[str, Any], lang: Language
) -> None:
    st.subheader(_("Download"))
    stem = file_stem(info)
    questionnaire, engine = state.questionnaire(), state.engine(lang)
    # Read in the script run: the report is made when the button is clicked, outside any run,
    # where the session (and so `state.store()` and the session's language) is out of reach.
    store = state.store()
    peers = state.peers(info.cluster_id)

    def report() -> str:
        return html_report(
            questionnaire,
            engine,
            result,
            valid,
            info.status,
            info.number,
            plans=saved_plans(info, store),
            lang=lang,
            peers=peers,
        )

    with st.container(horizontal=True):
        st.download_button(
            _("Report (HTML, prints to PDF)"),
            report,
            file_name=f"{stem}-report-{lang}.html" if lang != "en" else f"{stem}-report.html",
            mime="text/html",
            key="download:report",
            on_click="ignore",
            icon=":material/description:",
            type="primary",
        )
        st.download_button(
            _("Result (JSON)"),
            lambda: result_to_json(result),
            file_name=f"{stem}-result.json",
            mime="application/json",
            key="download:result",
            on_click="ignore",
            icon=":material/data_object:",
        )
        st.download_button(
            _("Answers (YAML)"),
            lambda: dump_yaml(data),
            file_name=f"{stem}-answers.yaml",
            mime="application/x-yaml",
            key="download:answers_yaml",
            on_click="ignore",
            icon=":material/download:",
        )
        st.download_button(
            _("Answers (JSON)"),
            lambda: json.dumps(data, ensure_ascii=False, indent=2),
            file_name=f"{stem}-answers.json",
            mime="application/json",
            key="download:answers_json",
            on_click="ignore",
            icon=":material/download:",
        )
    st.caption(
        _("The report is one HTML file with its charts inside: it opens offline and prints cleanly to PDF.")
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
    st.subheader(_("Plan what to change"))
    st.caption(_("Plans are saved with this assessment, also once it is submitted, and go into the report."))
    icons = {
        "funding": ":material/trending_down:",
        "services": ":material/storefront:",
        "structure": ":material/groups:",
    }
    with st.container(horizontal=True):
        for tool in TOOLS:
            if st.button(tool_label(tool), key=f"results:plan:{tool}", icon=icons[tool]):
                open_tool(tool)


def render() -> None:
    """The results page, in the session's language."""
    lang = current_language()
    info = state.current_info()
    questionnaire = state.questionnaire()
    st.title(_("Results"))
    state.show_flash()
    if info is None:
        st.info(_("No assessment is open. Start one or open one on the home page."))
        if st.button(_("Go to the home page"), key="results:home"):
            st.switch_page(state.HOME_PAGE)
        return
    data = state.answer_data(info)
    try:
        result, valid, as_stored = load_result(info, data, lang)
    except AnswersError as exc:
        lines = "\n".join(f"- {md(p)}" for p in exc.problems)
        st.error(_("These answers cannot be scored until this is fixed:") + f"\n\n{lines}")
        return
    name = result.cluster or info.cluster_name
    st.markdown(
        _("{cluster} · answers for {year} · version {number}").format(
            cluster=f"**{md(name)}**", year=result.year, number=info.number
        )
    )
    if info.status == "submitted":
        message = (
            _("Submitted {date}. This is the result it was submitted with.").format(
                date=date(info.submitted_at.date())
            )
            if info.submitted_at
            else _("Submitted. This is the result it was submitted with.")
        )
        st.success(message, icon=":material/lock:")
        if as_stored:
            st.caption(
                _(
                    "This result was scored by engine {version}; the rules have changed since, so its "
                    "explanations are shown as they were stored."
                ).format(version=md(result.engine_version))
            )
    else:
        st.warning(
            _(
                "Provisional: this draft is scored as it stands; "
                "submit it from the questionnaire's last section."
            ),
            icon=":material/pending:",
        )
        if st.button(_("Back to the questionnaire"), key="results:questionnaire"):
            state.go(state.QUESTIONNAIRE_PAGE)
    review.render_panel(info)
    survey_panel.render(info, data)
    results_top.headline(result, lang, info)
    results_members.render(result, lang)
    results_top.action_plan(result, lang)
    _downloads(info, result, valid, data, lang)
    _dimensions(result, name, lang, state.peers(info.cluster_id))
    results_peers.render(info.cluster_id, questionnaire, result, lang)
    _funding(questionnaire, result, valid, lang)
    _portfolio(questionnaire, valid, lang)
    results_findings.render(questionnaire, result, lang)
    if result.unanswered:
        label = _("Not answered yet ({count})").format(count=len(result.unanswered))
        with st.expander(label, key="results:unanswered"):
            numbers = state.numbers()
            st.markdown(
                "\n".join(
                    f"- {md(item_title(questionnaire, numbers, item, lang))}" for item in result.unanswered
                )
            )
    for note in result.notes:
        st.caption(md(note))
    _planning_links()
