"""What every page shares once per process: the questionnaire, its checker, the engines and the store.

Each is made on first use and kept (`st.cache_resource`); the per-session state is in
webapp.state, which exposes these under the same names. Whatever the sign-in page does not
need (the questionnaire, scoring, the programme statistics and their pandas) is imported
inside the function that makes it, so the first page does not wait for it (issue 15).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import streamlit as st

from storage import Store, demo_enabled, load_demo
from webapp.i18n import current_language

if TYPE_CHECKING:
    from assessment.answers import AnswerChecker
    from assessment.questionnaire import Questionnaire
    from assessment.text import Language
    from programmes.peers import PeerMedians, PeerRanks
    from scoring import Engine
    from scoring.result import Result

URL_VARIABLE = "DATABASE_URL"


@st.cache_resource(show_spinner=False)
def questionnaire() -> Questionnaire:
    """The shipped questionnaire, loaded and validated once per process.

    Imported here, not at the top: the sign-in page needs no questionnaire, and its first
    drawing should not wait for one (issue 15).
    """
    from assessment.loading import DEFAULT_QUESTIONNAIRE, load_questionnaire

    return load_questionnaire(DEFAULT_QUESTIONNAIRE)


@st.cache_resource(show_spinner=False)
def checker() -> AnswerChecker:
    """The answer checker of the questionnaire, prepared once."""
    from assessment.answers import AnswerChecker

    return AnswerChecker(questionnaire())


@st.cache_resource(show_spinner=False)
def _engine(lang: Language) -> Engine:
    """The engine for `lang`, compiled once per process; scoring is imported only when a page scores."""
    from scoring import Engine

    return Engine(questionnaire(), lang)


def engine(lang: Language | None = None) -> Engine:
    """The scoring engine compiled for the questionnaire in `lang`, once per language.

    Without `lang`, the session's language: every page that shows the engine's words
    (explanations, findings, recommendations) then speaks the language the user chose.

    Raises:
        UnknownLanguageError: `lang` (or the session's) is not en, es or pt.
    """
    return _engine(lang or current_language())


@st.cache_resource(show_spinner=False)
def numbers() -> dict[str, str]:
    """Question id -> its number on the questionnaire page, e.g. "2.3"."""
    from assessment.numbering import question_number

    return question_number(questionnaire())


@st.cache_resource(show_spinner=False)
def _open_store(url: str | None, demo: bool) -> Store:
    """The store, opened once per process; the demo data is loaded (if missing) then, not at every run.

    `load_demo` reads the questionnaire itself only when an example is not loaded yet, so a
    restart on a database that has the demo data does not load the questionnaire for it.
    """
    store = Store(url)
    if demo:
        load_demo(store)
    return store


def base_store() -> Store:
    """The store of this process: DATABASE_URL, or the SQLite file data/assessments.db.

    The example clusters are loaded on first run unless CLUSTER_ASSESS_DEMO=0. Its methods
    check no rights: pages use `store()`, the view of the signed-in user.
    """
    return _open_store(os.environ.get(URL_VARIABLE) or None, demo_enabled())


def peers(cluster_id: int) -> PeerMedians | None:
    """The programme's peer medians for this cluster's radar (None below five other submissions).

    Read through the base store: the medians name no cluster, so the manager of one cluster
    may see them although they may not open the others.
    """
    from programmes.peers import peer_medians  # pandas, only once results are shown

    return peer_medians(base_store(), questionnaire(), cluster_id)


def peer_ranks(cluster_id: int, result: Result) -> PeerRanks | None:
    """Where `result` stands among the programme's other clusters (None below five of them).

    Read through the base store for the same reason as `peers`: percentiles name no other
    cluster and give none of their scores.
    """
    from programmes.peers import peer_ranks as ranks  # pandas, only once results are shown

    return ranks(base_store(), questionnaire(), cluster_id, result)
