"""The review of a submitted assessment: its status, the reviewers' comments and their actions.

An officer (or administrator) starts the review, comments on the whole assessment or on one
answer (by question), returns it to the manager with comments or accepts it. The manager sees
the status and the comments on the results and questionnaire pages (also those on the version a
draft was revised from) and, when it was returned, revises it: a new version to submit again.
Comments are shown as text, exactly as typed, never as Markdown or HTML; everything else is
in the session's language.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from assessment.i18n import N_
from storage import AssessmentInfo, CommentInfo, Forbidden
from storage.errors import StorageError
from webapp import state
from webapp.attempt import attempt
from webapp.i18n import _, datetime_text, ngettext
from webapp.text import md
from webapp.views import evidence
from webapp.views.labels import question_label

#: Review statuses in English words; `status_words` gives them in the session's language.
STATUS_WORDS = {
    "draft": N_("Draft (not submitted)"),
    "submitted": N_("Submitted, waiting for review"),
    "in_review": N_("In review"),
    "accepted": N_("Accepted"),
    "returned": N_("Returned to the manager with comments"),
}
WHOLE = ""
ERROR = "review:error"
COMMENT_TEXT = "review:comment_text"
COMMENT_TARGET = "review:comment_target"
RETURN_TEXT = "review:return_text"
CACHE = "review:comments_cache"


def status_words(status: str) -> str:
    """A review status in words, in the session's language."""
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status.replace("_", " ")


def text_block(text: str) -> str:
    """User text for st.markdown: escaped line by line, line breaks kept."""
    return "  \n".join(md(line) for line in text.splitlines() if line.strip()) or md(text)


def _comment(c: CommentInfo) -> None:
    with st.container(border=True):
        st.caption(
            _("{author} · {when} · on {subject}").format(
                author=md(c.author),
                when=md(datetime_text(c.created_at, "short")),
                subject=md(question_label(c.question_id)),
            )
        )
        st.markdown(text_block(c.body))


def _act(action: Callable[[], None], done: str, clear: tuple[str, ...] = ()) -> None:
    """Run a review action in a callback: flash what was done, or keep the refusal or error."""
    if not attempt(action, ERROR):
        return
    for key in clear:
        st.session_state[key] = ""
    state.flash(done)


def _add_comment(assessment_id: int) -> None:
    body = st.session_state.get(COMMENT_TEXT) or ""
    target = st.session_state.get(COMMENT_TARGET) or WHOLE
    question = None if target == WHOLE else target
    _act(
        lambda: state.store().comment(assessment_id, body, question),
        _("Comment added on {subject}.").format(subject=question_label(question)),
        (COMMENT_TEXT,),
    )


DRAFT_COMMENTS = "review:draft_comments"


def _return(assessment_id: int) -> None:
    body = (st.session_state.get(RETURN_TEXT) or "").strip() or None
    _act(
        lambda: state.store().return_assessment(assessment_id, body),
        _("Returned to the manager; they see the comments and can revise it."),
        (RETURN_TEXT,),
    )


def _revise(info: AssessmentInfo) -> None:
    try:
        new = state.store().new_version(info.id, state.ACTOR)
    except Forbidden as exc:
        st.session_state[ERROR] = state.refusal_text(_("Not done"), exc)
        return
    except StorageError as exc:
        st.session_state[ERROR] = str(exc)
        return
    state.open_assessment(new.id)
    state.flash(
        _(
            "Version {number} started from version {previous}: change what the comments ask, "
            "then submit it again."
        ).format(number=new.number, previous=info.number)
    )
    st.session_state[state.GOTO_SECTION] = "profile"


def comments_of(info: AssessmentInfo) -> tuple[list[CommentInfo], int | None]:
    """The comments on this assessment; for a draft, those on the version it was revised from.

    A draft's comments come from the frozen version before it, so they are read once per
    state of the draft (every saved answer moves `updated_at`), not at every rerun.
    """
    key = (info.id, info.updated_at, info.status)
    cached = st.session_state.get(DRAFT_COMMENTS)
    if info.status == "draft" and cached is not None and cached[0] == key:
        return cached[1]
    store = state.store()
    if info.status != "draft":
        return store.comments(info.id), None
    previous = store.previous_version(info.id)
    found = (store.comments(previous), previous) if previous is not None else ([], None)
    st.session_state[DRAFT_COMMENTS] = (key, found)
    return found


def question_comments(info: AssessmentInfo, question_id: str) -> None:
    """The reviewers' comments on one answer, under its question (as read by `comments_panel` this run)."""
    cached = st.session_state.get(CACHE)
    if cached is None or cached[0] != info.id:
        return
    for c in cached[1]:
        if c.question_id == question_id:
            st.warning(
                _("Reviewer {author}: {comment}").format(author=md(c.author), comment=text_block(c.body)),
                icon=":material/rate_review:",
            )


def comments_panel(info: AssessmentInfo) -> None:
    """The reviewers' comments, for the manager's pages (nothing when there are none)."""
    found, previous = comments_of(info)
    st.session_state[CACHE] = (info.id, found)  # for `question_comments`, later in this run
    if not found:
        return
    if previous:
        title = ngettext(
            "Reviewers' comment ({count}) on the version this draft was revised from (assessment {previous})",
            "Reviewers' comments ({count}) on the version this draft was revised from "
            "(assessment {previous})",
            len(found),
        ).format(count=len(found), previous=previous)
    else:
        title = ngettext("Reviewers' comment ({count})", "Reviewers' comments ({count})", len(found)).format(
            count=len(found)
        )
    with st.expander(title, expanded=True, icon=":material/rate_review:", key=f"review:comments:{info.id}"):
        for c in found:
            _comment(c)


def render_panel(info: AssessmentInfo) -> None:
    """The review box of the results page: status, comments, and the actions the user may take."""
    role = state.role()
    error = st.session_state.pop(ERROR, None)
    if error:
        st.error(md(error), icon=":material/block:")
    if info.status == "draft":
        comments_panel(info)
        return
    store = state.store()
    status = store.review_status(info.id)
    with st.container(border=True, key="review:box"):
        heading = _("Review status: {status}").format(status=status_words(status))
        st.markdown(f"**{heading}**")
        found = store.comments(info.id)
        for c in found:
            _comment(c)
        reviewer = role in ("officer", "admin")
        if reviewer:
            _reviewer_actions(info, status)
        elif status == "returned":
            st.warning(
                _(
                    "The programme officer returned this assessment. Revise it: a new version starts "
                    "with a copy of these answers; change what the comments ask and submit it again."
                ),
                icon=":material/undo:",
            )
            st.button(_("Revise: start a new version"), key="review:revise", on_click=_revise, args=(info,))
        evidence.review_box(info.id, state.answer_data(info)["answers"], may_mark=reviewer)


def _reviewer_actions(info: AssessmentInfo, status: str) -> None:
    if status == "submitted":
        st.button(
            _("Start the review"),
            key="review:start",
            type="primary",
            on_click=_act,
            args=(lambda: state.store().start_review(info.id), _("The review has started.")),
        )
    if status not in ("submitted", "in_review"):
        st.caption(_("The review of this version is closed."))
        return
    # Labels worded now, in this run's language: a format_func that read the session later
    # (AppTest calls it outside the run) would word them in another one.
    labels = {t: question_label(t or None) for t in [WHOLE, *state.questionnaire().questions]}
    st.selectbox(_("Comment on"), list(labels), format_func=labels.__getitem__, key=COMMENT_TARGET)
    st.text_area(_("Comment"), key=COMMENT_TEXT, max_chars=20_000)
    st.button(_("Add the comment"), key="review:comment", on_click=_add_comment, args=(info.id,))
    if status == "in_review":
        st.divider()
        st.text_area(_("Comment to send with the return (optional)"), key=RETURN_TEXT, max_chars=20_000)
        with st.container(horizontal=True):
            st.button(_("Return to the manager"), key="review:return", on_click=_return, args=(info.id,))
            st.button(
                _("Accept"),
                key="review:accept",
                type="primary",
                on_click=_act,
                args=(lambda: state.store().accept(info.id), _("Accepted.")),
            )
