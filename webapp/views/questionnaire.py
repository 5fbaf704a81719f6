"""The questionnaire: the profile, the seven dimensions one at a time, then review and submit.

Every answer is saved to the store as it is given (see webapp.inputs); the assessment's
id is in the URL, so closing the tab, reloading or restarting the server resumes it.
Everything is worded in the session's language: the questionnaire's texts by `Text.get`,
the page's own by `_()`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import streamlit as st

from assessment.errors import AnswersError, AssessmentError
from assessment.i18n import gettext_for
from assessment.loading import dump_yaml, read_answers
from assessment.numbering import question_number
from assessment.questionnaire import Dimension, Questionnaire
from assessment.questions import QuestionBase
from assessment.text import Language
from scoring import ENGINE_VERSION, result_to_json
from scoring.progress import (
    PROFILE_SECTION,
    Progress,
    missing_items,
    progress,
    short_of_floor,
    visible_questions,
)
from storage import AssessmentInfo
from webapp import inputs, state
from webapp.files import upload_help
from webapp.i18n import _, current_language, datetime_text, ngettext, number, percent
from webapp.logic import SUBMIT_SECTION
from webapp.text import md
from webapp.views import home, review

SECTION_KEY = "nav:section"
CONFIRM_KEY = "submit:confirm"


def sections(questionnaire: Questionnaire) -> list[str]:
    """The sections in order: the profile, each dimension, then review and submit."""
    return [PROFILE_SECTION, *(d.id for d in questionnaire.dimensions), SUBMIT_SECTION]


def section_label(questionnaire: Questionnaire, per: Mapping[str, Progress], section: str) -> str:
    """The selector's label of a section, with its progress, in the session's language."""
    if section == PROFILE_SECTION:
        return _("Profile")
    if section == SUBMIT_SECTION:
        return _("Review and submit")
    index = next(i for i, d in enumerate(questionnaire.dimensions, 1) if d.id == section)
    dim = questionnaire.dimensions[index - 1]
    p = per[section]
    done = " ✓" if p.asked and p.answered == p.asked else ""
    return f"{index}. {dim.title.get(current_language())} ({p.answered}/{p.asked}){done}"


def export_name(info: AssessmentInfo, extension: str) -> str:
    """A file name for exports, e.g. cluster-vasco-2025-v2-answers.yaml."""
    slug = re.sub(r"[^a-z0-9]+", "-", info.cluster_name.lower()).strip("-")[:50] or "cluster"
    return f"{slug}-{info.year}-v{info.number}-answers.{extension}"


def _on_section() -> None:
    st.session_state[state.SECTION] = st.session_state[SECTION_KEY]
    st.session_state.pop(state.FOCUS, None)


def _move(to: str) -> None:
    st.session_state[state.SECTION] = to
    st.session_state[SECTION_KEY] = to
    st.session_state.pop(state.FOCUS, None)


def lesson_texts(questionnaire: Questionnaire, lang: Language = "en") -> dict[str, tuple[str, str]]:
    """Question id -> (the label of its "why we ask" expander, its Markdown body), in `lang`.

    The body holds the question's help, then each lesson behind it with its source.
    """
    _ = gettext_for(lang)
    why = _("Why we ask · {lessons} ({sources})")
    out = {}
    for question in questionnaire.questions.values():
        lessons = [questionnaire.lesson_index[i] for i in question.lessons if i in questionnaire.lesson_index]
        sources = sorted({lesson.source for lesson in lessons})
        label = why.format(lessons=", ".join(question.lessons), sources="; ".join(sources))
        body = "\n\n".join(
            [md(question.help.get(lang))]
            + [
                f"- **{md(lesson.id)}** · *{md(lesson.source)}*: {md(lesson.fact.get(lang))}"
                for lesson in lessons
            ]
        )
        out[question.id] = (label, body)
    return out


def question_labels(questionnaire: Questionnaire, lang: Language = "en") -> dict[str, str]:
    """Question id -> the Markdown label of its input in `lang`: its number, its text, and why it is asked."""
    numbers = question_number(questionnaire)
    asked_because = gettext_for(lang)("(asked because {condition})")
    out = {}
    for question in questionnaire.questions.values():
        label = f"**{numbers[question.id]}** · {md(question.text.get(lang))}"
        if question.show_if is not None:
            why = asked_because.format(condition=md(condition_words(question, numbers, lang)))
            label += f" :gray[{why}]"
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
) -> None:
    labels, lessons = _texts(lang)
    # No box around each question: every element drawn costs every rerun (see
    # benchmarks/app_rerun.py); the bold number in the label starts each question.
    if st.session_state.get(state.FOCUS) == question.id:
        st.info(_("A finding on the results page rests on this question."), icon=":material/arrow_downward:")
    words = inputs.widget_words(lang).get(question.id)
    value = answers.get(question.id)
    inputs.question_input(info.id, questionnaire, question, value, disabled, labels[question.id], words)
    review.question_comments(info, question.id)
    if value is None:
        st.caption(":orange[" + _("Not answered yet") + "]")
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
    for question in dim.questions:
        if shown[question.id]:
            _question(info, questionnaire, question, answers, disabled, lang)


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


def _export(info: AssessmentInfo, data: Mapping[str, Any]) -> None:
    # The files are made only when a button is clicked (deferred data), not on every rerun.
    with st.container(horizontal=True):
        st.download_button(
            _("Export answers (YAML)"),
            lambda: dump_yaml(data),
            file_name=export_name(info, "yaml"),
            mime="application/x-yaml",
            key="export:yaml",
            on_click="ignore",
            icon=":material/download:",
        )
        st.download_button(
            _("Export answers (JSON)"),
            lambda: json.dumps(data, ensure_ascii=False, indent=2),
            file_name=export_name(info, "json"),
            mime="application/json",
            key="export:json",
            on_click="ignore",
            icon=":material/download:",
        )


def _import(info: AssessmentInfo) -> None:
    uploaded = st.file_uploader(
        _("Replace this draft's answers with an answers file (YAML or JSON)"),
        type=["yaml", "yml", "json"],
        key="import:file",
        help=upload_help(),
    )
    if uploaded is None:
        return
    text = uploaded.getvalue().decode("utf-8", errors="replace")
    try:
        valid = read_answers(text, uploaded.name, state.questionnaire())
    except AnswersError as exc:
        home.show_problems(exc)
        return
    st.caption(home.file_summary(uploaded.name, valid.year, len(valid.answers)))
    if st.button(_("Replace the answers with the file's"), key="import:apply"):
        try:
            state.store().import_answers(info.id, valid.to_data(), state.ACTOR)
        except AssessmentError as exc:
            st.error(md(exc))
            return
        state.reset_answer_widgets()
        state.flash(_("Answers imported from {file}.").format(file=uploaded.name))
        st.rerun()


def submit(info: AssessmentInfo, data: Mapping[str, Any]) -> AssessmentInfo:
    """Score the answers and submit them with their result; the assessment is then frozen.

    Raises:
        AnswersError: when the answers together are not valid (e.g. founded after the year).
        AssessmentError: from the store.
    """
    valid = state.checker().check(data, current_language())
    # The stored result is always worded in English, whoever submits: every reader's page
    # words what it shows in its own language, and stored results stay comparable.
    result = state.engine("en").score(valid)
    stage = result.stage.id
    return state.store().submit(
        info.id, result_to_json(result), result.overall, stage, ENGINE_VERSION, state.ACTOR
    )


def _review(
    info: AssessmentInfo, questionnaire: Questionnaire, data: Mapping[str, Any], disabled: bool
) -> None:
    lang = current_language()
    st.subheader(_("Review and submit"))
    missing = missing_items(questionnaire, data, lang)
    titles = {d.id: d.title.get(lang) for d in questionnaire.dimensions} | {PROFILE_SECTION: _("Profile")}
    if missing:
        st.warning(
            ngettext(
                "{count} item is not answered yet. It is left out of the scores (never "
                "counted as zero) and lowers the completeness.",
                "{count} items are not answered yet. They are left out of the scores (never "
                "counted as zero) and lower the completeness.",
                len(missing),
            ).format(count=len(missing)),
            icon=":material/pending_actions:",
        )
        by_section: dict[str, list[str]] = {}
        for m in missing:
            by_section.setdefault(m.section, []).append(m.label)
        for section, labels in by_section.items():
            with st.container(border=True):
                missing_count = _("({count} missing)").format(count=len(labels))
                st.markdown(f"**{titles[section]}** {missing_count}")
                st.markdown("\n".join(f"- {md(label)}" for label in labels))
                st.button(
                    _("Go to {section}").format(section=titles[section]),
                    key=f"goto:{section}",
                    on_click=_move,
                    args=(section,),
                    disabled=False,
                )
    else:
        st.success(_("Every question asked has an answer."), icon=":material/task_alt:")

    short = short_of_floor(questionnaire, data.get("answers") or {})
    if disabled:
        st.info(_("This assessment is submitted; its answers can no longer change."))
    elif short:
        floor = questionnaire.provisional.completeness_floor if questionnaire.provisional else 0
        st.warning(
            _(
                "To submit, answer at least {floor} of the questions of each dimension: an officer "
                "decides on the index, which stays provisional until then. Still short: {dimensions}."
            ).format(floor=percent(floor, 0), dimensions=", ".join(titles[d] for d in short)),
            icon=":material/block:",
        )
    else:
        confirmed = True
        if missing:
            confirmed = st.checkbox(
                ngettext(
                    "Submit anyway, with {count} item unanswered",
                    "Submit anyway, with {count} items unanswered",
                    len(missing),
                ).format(count=len(missing)),
                key=CONFIRM_KEY,
                value=False,
            )
        if st.button(_("Submit the assessment"), key="submit:go", type="primary", disabled=not confirmed):
            try:
                submit(info, data)
            except AnswersError as exc:
                lines = "\n".join(f"- {md(p)}" for p in exc.problems)
                st.error(_("The answers cannot be submitted yet:") + f"\n\n{lines}")
                return
            except AssessmentError as exc:
                st.error(md(exc))
                return
            state.flash(_("Submitted. The assessment is now read-only; 'Revise' starts a new version."))
            state.go(state.RESULTS_PAGE)
        if missing and not confirmed:
            st.caption(_("Tick the box to submit with the items above unanswered, or answer them first."))

    st.divider()
    st.markdown("**" + _("Answers file") + "**")
    _export(info, data)
    if not disabled:
        _import(info)
    history = st.expander(_("History of changes"), key="history", on_change="rerun")
    if not history.open:
        return
    with history:
        entries = state.store().audit(info.id)
        if not entries:
            st.caption(_("No change yet."))
        else:
            st.dataframe(
                [
                    {
                        "when": datetime_text(e.at),
                        "who": e.actor,
                        "action": e.action,
                        "field": e.field,
                        "old": json.dumps(e.old, ensure_ascii=False) if e.old is not None else "",
                        "new": json.dumps(e.new, ensure_ascii=False) if e.new is not None else "",
                    }
                    for e in reversed(entries)
                ],
                hide_index=True,
                key="history:table",
                column_config={
                    "when": _("When"),
                    "who": _("Who"),
                    "action": _("Action"),
                    "field": _("Field"),
                    "old": _("Before"),
                    "new": _("After"),
                },
            )


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
        st.session_state[SECTION_KEY] = goto
    current = st.session_state.get(state.SECTION, PROFILE_SECTION)
    state.seed(SECTION_KEY, current if current in names else PROFILE_SECTION)
    section = st.radio(
        _("Section"),
        names,
        format_func={s: section_label(questionnaire, per, s) for s in names}.__getitem__,
        horizontal=True,
        key=SECTION_KEY,
        on_change=_on_section,
        label_visibility="collapsed",
    )
    st.divider()
    if section == PROFILE_SECTION:
        _profile(info, questionnaire, data, disabled)
    elif section == SUBMIT_SECTION:
        _review(info, questionnaire, data, disabled)
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
                on_click=_move,
                args=(names[position - 1],),
            )
        if position < len(names) - 1:
            st.button(
                f"{section_label(questionnaire, per, names[position + 1])} →",
                key="nav:next",
                on_click=_move,
                args=(names[position + 1],),
                type="primary",
            )
