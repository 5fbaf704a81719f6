"""Evidence per answer: the manager backs an answer with notes, links and files; the officer marks it.

Under each answered question the manager finds a folded "Evidence" box: what backs the
answer (each piece deletable) and a note, a link or a file to add. Evidence changes no
answer, so it may be added to a submitted assessment too. In the review of a submitted
assessment the officer sees each answer's evidence (files to download) and marks the answer
self-declared, documented or verified. What is checked, stored and refused is decided in
`storage.evidence`; this page only draws it. Everything users typed is shown as text, never
as Markdown, and every question is named by its number and text, never its id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from assessment.i18n import N_
from storage import Forbidden, InvalidValue, StorageError
from storage.errors import InvalidFile
from storage.evidence import MAX_NOTE, URL_LENGTH, EvidenceInfo
from storage.evidence_models import EVIDENCE_LEVELS
from storage.filetypes import EXTENSIONS, MAX_FILE_MB
from webapp import state
from webapp.i18n import _, datetime_text, ngettext, number
from webapp.text import md
from webapp.views.labels import question_label

#: The officer's levels in English words, translated where they are shown.
LEVEL_WORDS = {
    "self_declared": N_("Self-declared"),
    "documented": N_("Documented"),
    "verified": N_("Verified"),
}
REVIEW_BOX = "ev:review"
_ERROR = "ev:error:"  # + question id: why the last addition was refused, shown in its box


def by_question(items: Sequence[EvidenceInfo]) -> dict[str, list[EvidenceInfo]]:
    """An assessment's evidence grouped by question id (read once per run by the page)."""
    out: dict[str, list[EvidenceInfo]] = {}
    for item in items:
        out.setdefault(item.question_id, []).append(item)
    return out


def _size(size: int | None) -> str:
    if not size:
        return ""
    if size < 1024 * 1024:
        return _("{size} kB").format(size=number(size / 1024, 0 if size >= 10 * 1024 else 1))
    return _("{size} MB").format(size=number(size / 1024 / 1024, 1))


def _refused(question_id: str, exc: StorageError) -> None:
    if isinstance(exc, Forbidden):
        message = state.refusal_text(_("Not added"), exc)
    elif isinstance(exc, InvalidFile):
        message = _(
            "{name} was not added: only PDF, XLSX, DOCX, PNG, JPEG, GIF or WebP files of up to {size} MB "
            "are kept, and the type is told by the file's content, not its name."
        ).format(name=exc.filename, size=MAX_FILE_MB)
    elif isinstance(exc, InvalidValue) and exc.field.endswith(".url"):
        message = _(
            "Not added: a link starts with http:// or https:// and has at most {limit} characters."
        ).format(limit=URL_LENGTH)
    elif isinstance(exc, InvalidValue):
        message = _("Not added: write the note first (at most {limit} characters).").format(limit=MAX_NOTE)
    else:
        message = str(exc)
    st.session_state[_ERROR + question_id] = message


def _add(question_id: str, action: Callable[[], Any], done: str, clear: str | None) -> None:
    """Run an addition in a callback: flash what was done, or keep why it was refused for its box."""
    try:
        action()
    except StorageError as exc:
        _refused(question_id, exc)
        return
    st.session_state.pop(_ERROR + question_id, None)
    if clear is not None:
        st.session_state[clear] = ""
    state.flash(done)


def _add_note(assessment_id: int, question_id: str) -> None:
    key = f"ev:note:{question_id}"
    note = st.session_state.get(key) or ""
    _add(question_id, lambda: state.store().add_note(assessment_id, question_id, note), _("Note added."), key)


def _add_link(assessment_id: int, question_id: str) -> None:
    key = f"ev:link:{question_id}"
    url = (st.session_state.get(key) or "").strip()
    _add(question_id, lambda: state.store().add_link(assessment_id, question_id, url), _("Link added."), key)


def _uploader_key(question_id: str) -> str:
    # A new key after each file added: an uploader cannot be emptied through the session.
    return f"ev:file:{question_id}:{st.session_state.get(f'ev:files:{question_id}', 0)}"


def _add_file(assessment_id: int, question_id: str) -> None:
    upload = st.session_state.get(_uploader_key(question_id))
    if upload is None:
        st.session_state[_ERROR + question_id] = _("Choose a file first.")
        return
    name, content = upload.name, upload.getvalue()
    _add(
        question_id,
        lambda: state.store().add_file(assessment_id, question_id, name, content),
        _("File {name} added.").format(name=name),
        None,
    )
    if st.session_state.get(_ERROR + question_id) is None:
        counter = f"ev:files:{question_id}"
        st.session_state[counter] = st.session_state.get(counter, 0) + 1


def _delete(assessment_id: int, evidence_id: int) -> None:
    try:
        state.store().delete_evidence(assessment_id, evidence_id)
    except Forbidden as exc:
        state.refuse(_("Not deleted"), exc)
        return
    except StorageError as exc:
        st.session_state[state.REFUSAL] = str(exc)
        return
    state.flash(_("Evidence deleted."))


def _item(assessment_id: int, item: EvidenceInfo, can_delete: bool) -> None:
    """One piece of evidence: what it is, who added it when, and its download or delete button."""
    who = _("{author} · {when}").format(author=item.created_by, when=datetime_text(item.created_at, "short"))
    with st.container(horizontal=True, vertical_alignment="center"):
        if item.kind == "note":
            st.text(item.note or "")
        elif item.kind == "link":
            st.text(item.url or "")
        else:
            st.text(f"{item.filename} ({_size(item.size)})")
            st.download_button(
                _("Download"),
                lambda: state.store().evidence_file(assessment_id, item.id).content,
                file_name=item.filename,
                mime=item.media_type,
                key=f"ev:download:{item.id}",
                icon=":material/download:",
            )
        st.caption(md(who))
        if can_delete:
            st.button(
                _("Delete"), key=f"ev:delete:{item.id}", on_click=_delete, args=(assessment_id, item.id),
                icon=":material/delete:",
            )  # fmt: skip


def manager_box(assessment_id: int, question_id: str, items: Sequence[EvidenceInfo]) -> None:
    """The folded "Evidence" box under an answered question: what backs it, and a note, link or file to add.

    Its content is drawn only when opened (as the "why we ask" box), so a rerun does not send
    every question's uploader.
    """
    # One label whatever the count: the label is part of the box's identity, and a new one would fold it.
    box = st.expander(
        _("Evidence"), key=f"ev:box:{question_id}", on_change="rerun", icon=":material/attach_file:"
    )
    if not box.open:
        if items:
            st.caption(
                ngettext("{count} piece of evidence", "{count} pieces of evidence", len(items)).format(
                    count=len(items)
                )
            )
        return
    with box:
        error = st.session_state.pop(_ERROR + question_id, None)
        if error:
            st.error(md(error), icon=":material/block:")
        for item in items:
            _item(assessment_id, item, can_delete=True)
        st.text_area(_("Note"), key=f"ev:note:{question_id}", max_chars=MAX_NOTE, height=80)
        st.button(_("Add the note"), key=f"ev:add_note:{question_id}", on_click=_add_note,
                  args=(assessment_id, question_id))  # fmt: skip
        st.text_input(
            _("Link"), key=f"ev:link:{question_id}", max_chars=URL_LENGTH, placeholder="https://",
            help=_("An http:// or https:// address of a page or document that backs the answer."),
        )  # fmt: skip
        st.button(_("Add the link"), key=f"ev:add_link:{question_id}", on_click=_add_link,
                  args=(assessment_id, question_id))  # fmt: skip
        st.file_uploader(
            _("File"), type=list(EXTENSIONS), key=_uploader_key(question_id), max_upload_size=MAX_FILE_MB,
            help=_("PDF, XLSX, DOCX, PNG, JPEG, GIF or WebP, up to {size} MB; the type is checked by "
                   "the file's content.").format(size=MAX_FILE_MB),
        )  # fmt: skip
        st.button(_("Add the file"), key=f"ev:add_file:{question_id}", on_click=_add_file,
                  args=(assessment_id, question_id))  # fmt: skip


def level_words(level: str) -> str:
    """A level of the officer's mark in the session's language."""
    return _(LEVEL_WORDS[level]) if level in LEVEL_WORDS else level


def _mark(assessment_id: int, question_id: str) -> None:
    level = st.session_state.get(f"ev:mark:{question_id}") or "self_declared"
    try:
        state.store().set_mark(assessment_id, question_id, level)
    except Forbidden as exc:
        state.refuse(_("Not marked"), exc)
        return
    except StorageError as exc:
        st.session_state[state.REFUSAL] = str(exc)
        return
    state.flash(
        _("Marked {level}: {question}.").format(
            level=level_words(level), question=question_label(question_id)
        )
    )


def review_box(assessment_id: int, answers: Mapping[str, Any], may_mark: bool) -> None:
    """The officer's box: each answered question with its evidence and the mark it has (or a choice of it).

    Drawn only when opened: it holds a choice per answered question.
    """
    box = st.expander(
        _("Evidence and verification of the answers"),
        key=REVIEW_BOX,
        on_change="rerun",
        icon=":material/fact_check:",
    )
    if not box.open:
        return
    store = state.store()
    items = by_question(store.evidence(assessment_id))
    marks = store.marks(assessment_id)
    # Labels worded now, in this run's language (see `review._reviewer_actions`).
    words = {level: level_words(level) for level in EVIDENCE_LEVELS}
    with box:
        st.caption(
            _(
                "Mark an answer documented when its evidence supports it, verified when you have checked it. "
                "Marks are kept for this version only: each round is verified again."
            )
        )
        for question_id in state.questionnaire().questions:
            if answers.get(question_id) is None:
                continue
            with st.container(border=True):
                label = question_label(question_id)
                current = marks.get(question_id, "self_declared")
                if may_mark:
                    state.seed(f"ev:mark:{question_id}", current)
                    st.radio(
                        label, list(words), format_func=words.__getitem__, horizontal=True,
                        key=f"ev:mark:{question_id}", on_change=_mark, args=(assessment_id, question_id),
                    )  # fmt: skip
                else:
                    st.markdown(f"{md(label)} · **{md(words[current])}**")
                found = items.get(question_id, [])
                if not found:
                    st.caption(_("No evidence."))
                for item in found:
                    _item(assessment_id, item, can_delete=False)
