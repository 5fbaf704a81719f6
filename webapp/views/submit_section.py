"""The questionnaire's last section: what is missing, the completeness floor, submitting, answers files.

Submitting scores the answers and freezes the assessment; a draft short of the
completeness floor (the YAML's, as the engine applies it) is not submitted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import streamlit as st

from assessment.errors import AnswersError, AssessmentError
from assessment.loading import dump_yaml
from assessment.questionnaire import Questionnaire
from scoring import ENGINE_VERSION, result_to_json
from scoring.members import score_with_members
from scoring.progress import (
    PROFILE_SECTION,
    missing_items,
    short_of_floor,
)
from storage import AssessmentInfo
from webapp import state
from webapp.files import file_stem, upload_help
from webapp.i18n import _, current_language, datetime_text, ngettext, percent
from webapp.text import md
from webapp.views import home
from webapp.views.sections import move_to

CONFIRM_KEY = "submit:confirm"


def export_name(info: AssessmentInfo, extension: str) -> str:
    """A file name for exports, e.g. cluster-vasco-2025-v2-answers.yaml."""
    return f"{file_stem(info)}-answers.{extension}"


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
    valid = home.uploaded_answers(uploaded) if uploaded is not None else None
    if uploaded is None or valid is None:
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
    # With the members' survey responses, which the stored result keeps (`members`) for the officer.
    result = score_with_members(state.engine("en"), valid, state.survey_responses(info.id))
    stage = result.stage.id
    return state.store().submit(
        info.id, result_to_json(result), result.overall, stage, ENGINE_VERSION, state.ACTOR
    )


def render_review(
    info: AssessmentInfo, questionnaire: Questionnaire, data: Mapping[str, Any], disabled: bool
) -> None:
    """The review-and-submit section: what is missing, the floor, the submit button and the answers file."""
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
                    on_click=move_to,
                    args=(section,),
                    disabled=False,
                )
    else:
        st.success(_("Every question asked has an answer."), icon=":material/task_alt:")

    short = short_of_floor(questionnaire, data.get("answers") or {})
    if not disabled and info.programme is None:
        st.warning(
            _(
                "This cluster is in no programme: no programme officer will see the submission "
                "until an administrator assigns the cluster to one."
            ),
            icon=":material/visibility_off:",
        )
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
