"""What every page shares: the questionnaire, the engine, the store and the open assessment.

The questionnaire, its answer checker, the engine and the store are opened once per
process (`st.cache_resource`, in webapp.resources; this module gives them under the same
names). The assessment being worked on lives in the URL
(`?assessment=<id>`), so a link, a reload or a server restart resumes it; the session
keeps a copy so that moving between pages never loses it.

The session also keeps the signed-in user's username (`USER`, see webapp.auth); `store()`
is the store as that user sees it (`Store.as_user`), so every read and write is checked, and
a refusal (`Forbidden`) is shown as a message (`refuse`, `show_flash`), never a traceback.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from assessment.errors import AssessmentError
from storage import AssessmentInfo, Forbidden, NotFound, User, UserStore
from webapp import place
from webapp.i18n import _
from webapp.i18n import begin_run as begin_language_run

# The process-wide resources, under the names every page has always called them by.
from webapp.resources import URL_VARIABLE as URL_VARIABLE
from webapp.resources import base_store as base_store
from webapp.resources import checker as checker
from webapp.resources import engine as engine
from webapp.resources import numbers as numbers
from webapp.resources import peer_ranks as peer_ranks
from webapp.resources import peers as peers
from webapp.resources import questionnaire as questionnaire
from webapp.text import md

if TYPE_CHECKING:
    from programmes.trends import Trends

# The actor of every change: None lets the signed-in user's `UserStore` write their username.
ACTOR: str | None = None
# The signed-in user's username (see webapp.auth); tests sign in by setting it before run().
USER = "signed_in"
RUN_STORE = "store_view_this_run"
RUN_RESPONSES = "survey_responses_this_run"
PARAM = "assessment"

HOME_PAGE = "webapp/pages/home.py"
QUESTIONNAIRE_PAGE = "webapp/pages/questionnaire.py"
RESULTS_PAGE = "webapp/pages/results.py"
METHOD_PAGE = "webapp/pages/method.py"
COMPARE_PAGE = "webapp/pages/compare.py"
PORTFOLIO_PAGE = "webapp/pages/portfolio.py"
CLUSTERS_PAGE = "webapp/pages/clusters.py"
IMPORT_PAGE = "webapp/pages/bulk_import.py"
ADMIN_PAGE = "webapp/pages/admin.py"
PLANNING_PAGE = "webapp/pages/planning.py"

# Session-state keys that are not widgets.
CURRENT = "assessment_id"
ERRORS = "answer_errors"
FUNDING_DRAFT = "funding_draft"
GOTO_SECTION = "goto_section"
FOCUS = "focus_question"
SECTION = "section"
LAST_SAVED = "last_saved"
FLASH = "flash"
REFUSAL = "refusal"
INFO = "assessment_info"
DATA = "answer_data"
# Prefixes of the widget keys that show an assessment's answers; cleared when another
# assessment is opened so that every widget is filled again from the store.
ANSWER_KEY_PREFIXES = ("q:", "p:", "a:")


def trends(cluster_id: int) -> Trends:
    """The cluster's indicators over its submitted rounds, read through the signed-in user's view."""
    from programmes.trends import cluster_trends

    return cluster_trends(store(), questionnaire(), cluster_id)


def begin_run() -> None:
    """Start a script run: the signed-in user, their rights and the language are read again, once per run."""
    st.session_state.pop(RUN_STORE, None)
    st.session_state.pop(RUN_RESPONSES, None)
    place.mark_session_start()
    begin_language_run()


def _run_view() -> UserStore | None:
    """The signed-in user's checked view of the store, read once per run (`begin_run`).

    One transaction reads the account and its rights; a disabled or deleted account is
    signed out at its next run, and the store checks the rights at every read and write.
    """
    username = st.session_state.get(USER)
    if not username:
        return None
    view = st.session_state.get(RUN_STORE)
    if view is not None and view.user.username == username:
        return view
    try:
        view = UserStore.signed_in(base_store(), username)
    except NotFound:
        view = None
    if view is None or view.user.disabled:
        st.session_state.pop(USER, None)
        st.session_state.pop(RUN_STORE, None)
        return None
    st.session_state[RUN_STORE] = view
    return view


def user() -> User | None:
    """The signed-in user, as read at the start of this run."""
    view = _run_view()
    return view.user if view is not None else None


def role() -> str | None:
    """The signed-in user's role: manager, officer or admin (None when nobody is signed in)."""
    found = user()
    return found.role if found is not None else None


def store() -> UserStore:
    """The store as the signed-in user sees it: every read and write checked (`Forbidden`).

    Raises:
        Forbidden: when nobody is signed in.
    """
    view = _run_view()
    if view is None:
        raise Forbidden("(nobody)", "use", "the store", reason="sign in first")
    return view


def survey_responses(assessment_id: int) -> list[dict[str, Any]]:
    """The members' survey responses of an assessment, read once per run (`begin_run` forgets them).

    Per run rather than per process: responses arrive from other sessions (the members'
    links), so a manager's next run, a reload say, must read them again; within one run
    the results, the report and the panel share one read. Treat the list as read-only.
    """
    kept = st.session_state.setdefault(RUN_RESPONSES, {})
    if assessment_id not in kept:
        kept[assessment_id] = store().survey_responses(assessment_id)
    return kept[assessment_id]


def forget_survey_responses() -> None:
    """Read the responses again at their next use (a response arrived, or a survey was opened)."""
    st.session_state.pop(RUN_RESPONSES, None)


# --- the open assessment ----------------------------------------------------------------------


def _parse_id(raw: Any) -> int | None:
    if isinstance(raw, list):
        raw = raw[-1] if raw else None
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return None


def sync_assessment() -> AssessmentInfo | None:
    """Make the URL and the session agree on the open assessment, and return it.

    The URL wins (a link or a reload names the assessment); when a page change dropped
    it from the URL, the session's copy puts it back.
    """
    raw = st.query_params.get(PARAM)
    url_id = _parse_id(raw) if raw is not None else None
    session_id = st.session_state.get(CURRENT)
    wanted = url_id if url_id is not None else session_id
    st.session_state.pop(INFO, None)
    if wanted is None:
        if raw is not None:
            st.session_state[FLASH] = _("The link names no assessment ({link}).").format(link=repr(raw))
            del st.query_params[PARAM]
        return None
    try:
        info = store().assessment(wanted)
    except Forbidden as exc:
        refuse(_("You may not open assessment {number}").format(number=wanted), exc)
        st.session_state.pop(CURRENT, None)
        if PARAM in st.query_params:
            del st.query_params[PARAM]
        return None
    except AssessmentError:
        st.session_state[FLASH] = _("Assessment {number} was not found; choose one on the home page.").format(
            number=wanted
        )
        st.session_state.pop(CURRENT, None)
        if PARAM in st.query_params:
            del st.query_params[PARAM]
        return None
    if session_id != info.id:
        reset_answer_widgets()
        st.session_state[CURRENT] = info.id
    if st.query_params.get(PARAM) != str(info.id):
        st.query_params[PARAM] = str(info.id)
    st.session_state[INFO] = info
    return info


def current_info() -> AssessmentInfo | None:
    """The open assessment as read at the start of this run (fresh after every callback)."""
    info = st.session_state.get(INFO)
    if info is None or info.id != current_id():
        aid = current_id()
        if aid is None:
            return None
        try:
            info = store().assessment(aid)
        except AssessmentError:
            return None
        st.session_state[INFO] = info
    return info


def answer_data(info: AssessmentInfo) -> dict[str, Any]:
    """The assessment's answers-file dict, read again from the store only when it changed.

    Every change to an assessment moves its `updated_at`, and `info` is read at the start
    of each run (after the callbacks that save), so a copy kept for the same
    `updated_at` is current. Treat the dict as read-only.
    """
    cached = st.session_state.get(DATA)
    if cached is not None and cached[0] == (info.id, info.updated_at, info.status):
        return cached[1]
    data = store().answer_data(info.id)
    st.session_state[DATA] = ((info.id, info.updated_at, info.status), data)
    return data


def open_assessment(assessment_id: int) -> None:
    """Make `assessment_id` the open assessment, in the session and in the URL."""
    if st.session_state.get(CURRENT) != assessment_id:
        reset_answer_widgets()
    st.session_state[CURRENT] = assessment_id
    st.query_params[PARAM] = str(assessment_id)


def close_assessment() -> None:
    """Forget the open assessment (it stays in the store)."""
    reset_answer_widgets()
    st.session_state.pop(CURRENT, None)
    if PARAM in st.query_params:
        del st.query_params[PARAM]


def current_id() -> int | None:
    """The id of the open assessment, if any."""
    return st.session_state.get(CURRENT)


def reset_answer_widgets() -> None:
    """Forget what the answer widgets hold, so that they are filled again from the store."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(ANSWER_KEY_PREFIXES)]:
        with contextlib.suppress(KeyError, StreamlitAPIException):
            del st.session_state[key]
    for key in (ERRORS, FUNDING_DRAFT, LAST_SAVED, FOCUS):
        st.session_state.pop(key, None)


def go(page: str, section: str | None = None, question: str | None = None) -> None:
    """Switch to a page keeping the open assessment in the URL; optionally at a section."""
    if section is not None:
        st.session_state[GOTO_SECTION] = section
    if question is not None:
        st.session_state[FOCUS] = question
    aid = current_id()
    st.switch_page(page, query_params={PARAM: str(aid)} if aid is not None else None)


def errors() -> dict[str, str]:
    """Messages of the answers that were refused, by question or field id."""
    return st.session_state.setdefault(ERRORS, {})


def seed(key: str, value: Any) -> None:
    """Give a widget its stored value the first time it is drawn (never over the user's input)."""
    if key not in st.session_state and value is not None:
        st.session_state[key] = value


def flash(message: str) -> None:
    """A message to show once on the next run."""
    st.session_state[FLASH] = message


def show_flash() -> None:
    """Show (once) the message left by an action on the previous run, and any refusal."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.info(message)
    refusal = st.session_state.pop(REFUSAL, None)
    if refusal:
        st.error(md(refusal), icon=":material/block:")


def refusal_text(what: str, exc: Forbidden) -> str:
    """A refusal in words (plain text: the reason names the user and the object, no user text)."""
    return _("Not allowed. {what}: {reason}.").format(what=what, reason=exc)


def refuse(what: str, exc: Forbidden) -> None:
    """Keep a refusal to show once, at the top of the next page drawn."""
    st.session_state[REFUSAL] = refusal_text(what, exc)


def cluster_choices(infos: Iterable[Any]) -> dict[int, str]:
    """Cluster id -> name, for select boxes (names are shown as plain text there)."""
    return {c.id: c.name for c in infos}
