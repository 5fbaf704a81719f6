"""The questionnaire: the profile, the seven dimensions one at a time, then review and submit.

Every answer is saved to the store as it is given (see webapp.inputs); the assessment's
id is in the URL, so closing the tab, reloading or restarting the server resumes it.
Everything is worded in the session's language: the questionnaire's texts by `Text.get`,
the page's own by `_()`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from assessment.i18n import gettext_for
from assessment.numbering import question_number
from assessment.questionnaire import Dimension, Questionnaire
from assessment.questions import QuestionBase
from assessment.text import Language
from scoring.progress import (
    PROFILE_SECTION,
    Progress,
    progress,
    visible_questions,
)
from storage import AssessmentInfo
from storage.evidence import EvidenceInfo
from webapp import inputs, place, state
from webapp.i18n import _, current_language, ngettext, number
from webapp.logic import SUBMIT_SECTION
from webapp.saving import answer_key
from webapp.scroll import scroll_to
from webapp.text import md
from webapp.views import evidence, review, survey_panel
from webapp.views.sections import move_to, on_section, section_key, section_label, section_title, sections
from webapp.views.submit_section import render_review


def lesson_texts(questionnaire: Questionnaire, lang: Language = "en") -> dict[str, tuple[str, str]]:
    """Question id -> (the label of its "why we ask" expander, its Markdown body), in `lang`.

    The body holds the question's help, then each lesson behind it with its source.
    """
    _ = gettext_for(lang)
    why = _("Why we ask ({sources})")
    out = {}
    for question in questionnaire.questions.values():
        lessons = [questionnaire.lesson_index[i] for i in question.lessons if i in questionnaire.lesson_index]
        sources = sorted({lesson.source for lesson in lessons})
        label = why.format(sources="; ".join(sources))
        body = "\n\n".join(
            [md(question.help.get(lang))]
            + [f"- *{md(lesson.source)}*: {md(lesson.fact.get(lang))}" for lesson in lessons]
        )
        out[question.id] = (label, body)
    return out


def question_labels(questionnaire: Questionnaire, lang: Language = "en") -> dict[str, str]:
    """Question id -> the label of its input in `lang`: its number, its text, and why it is asked.

    Plain text, no Markdown styling: screen readers read a label as written, so bold marks
    or colour tags would be spoken. Only characters Markdown would take are escaped.
    """
    numbers = question_number(questionnaire)
    asked_because = gettext_for(lang)("(asked because {condition})")
    out = {}
    for question in questionnaire.questions.values():
        label = f"{numbers[question.id]} · {md(question.text.get(lang))}"
        if question.show_if is not None:
            label += " " + asked_because.format(condition=md(condition_words(question, numbers, lang)))
        out[question.id] = label
    return out


@st.cache_resource(show_spinner=False)
def _texts(lang: Language) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    # Worded once per process and language: the page draws them for every question at every rerun.
    questionnaire = state.questionnaire()
    return question_labels(questionnaire, lang), lesson_texts(questionnaire, lang)


def _lessons(question: QuestionBase, label: str, body: str) -> None:
    # Drawn only when opened (on_change="rerun" tracks it), so a rerun does not send every help text.
    box = st.expander(label, key=f"why:{question.id}", on_change="rerun")
    if box.open:
        box.markdown(body)


def condition_words(question: QuestionBase, numbers: Mapping[str, str], lang: Language = "en") -> str:
    """Why a conditional question is asked, in `lang`, naming the earlier question by its number."""
    cond = question.show_if
    if cond is None:
        return ""
    _ = gettext_for(lang)
    earlier = _("the answer to question {number}").format(number=numbers[cond.question])
    return cond.describe(lang).replace(cond.question, earlier, 1)


def _question(
    info: AssessmentInfo,
    questionnaire: Questionnaire,
    question: QuestionBase,
    answers: Mapping[str, Any],
    disabled: bool,
    lang: Language,
    backing: Sequence[EvidenceInfo] | None,
    texts: tuple[dict[str, str], dict[str, tuple[str, str]], Mapping[str, inputs.WidgetWords]],
) -> None:
    labels, lessons, widget_words = texts
    # No box around each question: every element drawn costs every rerun (see
    # benchmarks/app_rerun.py); the number at the start of each label sets questions apart.
    if st.session_state.get(state.FOCUS) == question.id:
        st.info(_("A finding on the results page rests on this question."), icon=":material/arrow_downward:")
    words = widget_words.get(question.id)
    value = answers.get(question.id)
    inputs.question_input(info.id, questionnaire, question, value, disabled, labels[question.id], words)
    review.question_comments(info, question.id)
    if value is None:
        st.caption(":orange[" + _("Not answered yet") + "]")
    elif backing is not None:
        evidence.manager_box(info.id, question.id, backing)
    _lessons(question, *lessons[question.id])


def _dimension(
    info: AssessmentInfo,
    questionnaire: Questionnaire,
    dim: Dimension,
    index: int,
    answers: Mapping[str, Any],
    shown: Mapping[str, bool],
    p: Progress,
    disabled: bool,
) -> None:
    lang = current_language()
    title = dim.title.get(lang)
    st.subheader(f"{index}. {title}")
    st.caption(
        _("{description} Source: {source}. Weight {weight} of 100.").format(
            description=md(dim.description.get(lang)), source=md(dim.source), weight=number(dim.weight, 6)
        )
    )
    st.progress(p.fraction, text=f"{title}: {p.label(lang)}")
    # The evidence is read once per run; an officer marks it in the review, not here.
    backing = evidence.by_question(state.store().evidence(info.id)) if state.role() != "officer" else None
    # The worded labels are looked up once per section, not per question: each cached
    # call hashes its arguments, which cost about a millisecond a rerun on a long section.
    texts = (*_texts(lang), inputs.widget_words(lang))
    for question in dim.questions:
        if shown[question.id]:
            found = backing.get(question.id, []) if backing is not None else None
            _question(info, questionnaire, question, answers, disabled, lang, found, texts)
    back = place.question_to_bring_back([q.id for q in dim.questions if shown[q.id]])
    if back is not None:  # a reload: open where the user last answered
        scroll_to(answer_key(back))


def _profile(
    info: AssessmentInfo, questionnaire: Questionnaire, data: Mapping[str, Any], disabled: bool
) -> None:
    st.subheader(_("Cluster profile"))
    st.caption(
        _(
            "Facts about the cluster initiative. They are not scored, but the founding year sets the "
            "life-cycle stage, and the same answers score differently by stage. * marks required fields."
        )
    )
    inputs.year_input(info.id, data["year"], disabled)
    columns = st.columns(2)
    for i, field in enumerate(questionnaire.profile):
        with columns[i % 2]:
            inputs.profile_input(info.id, field, data["profile"].get(field.id), disabled)


def revise(info: AssessmentInfo) -> AssessmentInfo:
    """Start a new draft version from a submitted assessment, and open it."""
    new = state.store().new_version(info.id, state.ACTOR)
    state.open_assessment(new.id)
    return new


def _sidebar(questionnaire: Questionnaire, overall: Progress, per: Mapping[str, Progress]) -> None:
    # One bar for the whole and one Markdown block for the dimensions: each element drawn
    # costs every rerun, and the dimension's own page has its full progress bar.
    lang = current_language()
    lines = ["**" + _("Progress by dimension") + "**", ""]
    for dim in questionnaire.dimensions:
        p = per[dim.id]
        done = " ✓" if p.asked and p.answered == p.asked else ""
        lines.append(f"- {md(dim.title.get(lang))}: {p.answered}/{p.asked}{done}  \n  `{p.bar()}`")
    with st.sidebar:
        st.progress(overall.fraction, text=_("All: {progress}").format(progress=overall.label(lang)))
        st.markdown("\n".join(lines))


def render() -> None:
    """The questionnaire page."""
    info = state.current_info()
    questionnaire = state.questionnaire()
    st.title(_("Questionnaire"))
    state.show_flash()
    if info is None:
        st.info(_("No assessment is open. Start one or continue a draft on the home page."))
        if st.button(_("Go to the home page"), key="q:none:home"):
            st.switch_page(state.HOME_PAGE)
        return
    data = state.answer_data(info)
    answers = data["answers"]
    shown = visible_questions(questionnaire, answers)
    overall, per = progress(questionnaire, answers, shown)
    disabled = info.status == "submitted"

    heading = _("**{cluster}** · answers for {year} · version {number}").format(
        cluster=md(info.cluster_name), year=data["year"], number=info.number
    )
    if disabled:
        st.markdown(heading)
    else:
        saved = st.session_state.get(state.LAST_SAVED)
        note = _("Every answer is saved as you give it.")
        if saved:
            note += " " + _("Last saved: {what} at {time}.").format(what=md(saved[0]), time=saved[1])
        # One element for the heading and the saving note: see the comment in `_question`.
        st.markdown(f"{heading}  \n:gray[{note}]")
    review.comments_panel(info)
    survey_panel.render(info, data)
    if disabled and state.role() == "officer":
        st.info(
            _("Submitted and read-only. Comment on the answers from the results and review page."),
            icon=":material/lock:",
        )
    elif disabled:
        with st.container(border=True):
            st.info(
                _(
                    "This assessment is submitted and read-only. To change answers, revise it: a new "
                    "version (number {number}) starts with a copy of these answers."
                ).format(number=info.number + 1),
                icon=":material/lock:",
            )
            if st.button(_("Revise: start a new version"), key="revise", icon=":material/edit:"):
                new = revise(info)
                state.flash(
                    _("Version {new} started from version {old}; edit it below.").format(
                        new=new.number, old=info.number
                    )
                )
                st.rerun()
    st.progress(
        overall.fraction,
        text=ngettext(
            "{answered} of {asked} question answered",
            "{answered} of {asked} questions answered",
            overall.asked,
        ).format(answered=overall.answered, asked=overall.asked),
    )
    _sidebar(questionnaire, overall, per)

    names = sections(questionnaire)
    goto = st.session_state.pop(state.GOTO_SECTION, None)
    if goto in names:
        st.session_state[state.SECTION] = goto
    current = st.session_state.get(state.SECTION) or place.section_from_url()
    current = current if current in names else PROFILE_SECTION
    st.session_state[state.SECTION] = current
    place.keep_section(current)
    key = section_key(current_language())
    if st.session_state.get(key) != current:
        st.session_state[key] = current
    section = st.radio(
        _("Section"),
        names,
        format_func={s: section_title(questionnaire, s) for s in names}.__getitem__,
        horizontal=True,
        key=key,
        on_change=on_section,
        args=(key,),
        label_visibility="collapsed",
    )
    st.divider()
    if section == PROFILE_SECTION:
        _profile(info, questionnaire, data, disabled)
    elif section == SUBMIT_SECTION:
        render_review(info, questionnaire, data, disabled)
    else:
        index = names.index(section)
        dim = questionnaire.dimensions[index - 1]
        _dimension(info, questionnaire, dim, index, answers, shown, per[dim.id], disabled)

    position = names.index(section)
    with st.container(horizontal=True):
        if position > 0:
            st.button(
                f"← {section_label(questionnaire, per, names[position - 1])}",
                key="nav:prev",
                on_click=move_to,
                args=(names[position - 1],),
            )
        if position < len(names) - 1:
            st.button(
                f"{section_label(questionnaire, per, names[position + 1])} →",
                key="nav:next",
                on_click=move_to,
                args=(names[position + 1],),
                type="primary",
            )
