"""The member firm's page: the members' survey, opened by a single-use link, with no account.

A link `<app>/?survey=<token>` is the only right a member firm needs: app.py draws this
page instead of the sign-in when the URL carries one. The page asks, for each service the
cluster offers (from the draft's service portfolio, so a member never rates what is not
offered), whether the firm used it, what it is worth on Table 6's scale and whether and how
much it would pay; then overall satisfaction, and the level questions in the words of the
questionnaire's own maturity scale. One form, so one rerun sends everything.

The link is checked before anything is shown and again when the answers are sent (by the
store, in the transaction that spends it); each refusal (unknown, used, closed, flood)
says why in the member's language and stores nothing. After sending, the session
remembers the link so the page thanks the firm instead of showing the form again; another
visit of the same link is told it was used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from assessment.i18n import LANGUAGES, N_
from assessment.questionnaire import Questionnaire
from assessment.questions import MaturityQuestion, ServicePortfolioQuestion
from assessment.survey import MembersSurvey, SurveyAnswerError, check_response
from assessment.text import Language
from storage import SurveyRefused
from storage.errors import StorageError
from webapp import language, state
from webapp.i18n import _, current_language, date, set_language
from webapp.inputs import words_for
from webapp.text import md

PARAM = "survey"
LANG_PARAM = "lang"
SENT = "survey:sent"  # session: the token whose response was stored
LANG_APPLIED = "survey:lang_applied"  # session: the `lang` of the link was taken once
VALUES = ("high", "medium", "medium_low")  # Table 6's scale, highest first as members read it
MAX_AMOUNT = 10_000_000.0

REFUSALS: dict[str, str] = {
    "unknown": N_(
        "This survey link is not valid. Check that the whole link was copied, or ask your "
        "cluster's managing body for a new one."
    ),
    "used": N_("This survey link has already been used: each link works once. Thank you if it was you."),
    "closed": N_("This survey is closed: it takes no more responses. Thank you for your interest."),
    "flood": N_(
        "Too many responses have come from this browser in a short time. Please try again in a few minutes."
    ),
}


def client_address() -> str | None:
    """The browser's address, which the store hashes to refuse a flood (None when unknown)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None


def offered_services(questionnaire: Questionnaire, data: Mapping[str, Any], lang: Language) -> dict[str, str]:
    """Service id -> its name in `lang`, for each service the draft's portfolio offers, in its order.

    A Table 6 service is named by the questionnaire; a service of the cluster's own by the
    name the cluster gave it. Entries that are not mappings are skipped: a draft's answers
    may not be valid yet, and the survey only needs to know what is offered.
    """
    question = next(
        (q for q in questionnaire.questions.values() if isinstance(q, ServicePortfolioQuestion)), None
    )
    given = (data.get("answers") or {}).get(question.id) if question is not None else None
    if not isinstance(given, Mapping):
        return {}
    names = {s.id: s.name.get(lang) for s in questionnaire.services}
    out: dict[str, str] = {}
    for sid, entry in given.items():
        if not isinstance(entry, Mapping) or entry.get("offered", True) is not True:
            continue
        own = entry.get("name")
        out[str(sid)] = names.get(sid) or (own.strip() if isinstance(own, str) and own.strip() else str(sid))
    return out


def _language() -> None:
    """The picker, preset once from the link's `lang`; the firm's choice goes back into the URL."""
    if not st.session_state.get(LANG_APPLIED):
        st.session_state[LANG_APPLIED] = True
        raw = st.query_params.get(LANG_PARAM)
        if raw in LANGUAGES:
            set_language(raw)
    with st.columns([1, 3])[0]:
        language.picker()
    lang = current_language()
    if st.query_params.get(LANG_PARAM) != lang:  # a reload of the page keeps the language chosen
        st.query_params[LANG_PARAM] = lang


def _service(survey: MembersSurvey, sid: str, name: str, lang: Language) -> None:
    with st.container(border=True, key=f"survey:service:{sid}"):
        st.markdown(f"**{md(name)}**")
        st.checkbox(survey.used.get(lang), key=f"sv:{sid}:used")
        st.radio(
            survey.value.get(lang),
            VALUES,
            index=None,
            format_func=lambda v: survey.value_levels[v].get(lang),
            horizontal=True,
            key=f"sv:{sid}:value",
        )
        cols = st.columns(2)
        with cols[0]:
            st.checkbox(survey.would_pay.get(lang), key=f"sv:{sid}:pay")
        with cols[1]:
            st.number_input(
                survey.amount.get(lang),
                min_value=0.0,
                max_value=MAX_AMOUNT,
                value=None,
                step=50.0,
                key=f"sv:{sid}:amount",
                help=_("Only counted when your firm would pay for it."),
            )


def _levels(questionnaire: Questionnaire, survey: MembersSurvey, lang: Language) -> None:
    for lq in survey.levels:
        target = questionnaire.questions.get(lq.informs)
        if not isinstance(target, MaturityQuestion):
            continue
        words = words_for(target, lang)
        st.radio(
            lq.text.get(lang),
            list(words.options),
            index=None,
            format_func=words.options.__getitem__,
            captions=list(words.captions) if words.captions else None,
            key=f"sv:level:{lq.id}",
        )


def response_data(survey: MembersSurvey, services: Mapping[str, str]) -> dict[str, Any]:
    """The form's answers in the shape `check_response` reads."""
    got = st.session_state
    return {
        "services": {
            sid: {
                "used": bool(got.get(f"sv:{sid}:used")),
                "value": got.get(f"sv:{sid}:value"),
                "would_pay": bool(got.get(f"sv:{sid}:pay")),
                "amount": got.get(f"sv:{sid}:amount"),
            }
            for sid in services
        },
        "satisfaction": got.get("sv:satisfaction"),
        "levels": {lq.id: got.get(f"sv:level:{lq.id}") for lq in survey.levels},
    }


def _send(token: str, survey: MembersSurvey, services: Mapping[str, str]) -> None:
    try:
        checked = check_response(survey, list(services), response_data(survey, services))
        state.base_store().submit_survey_response(
            token, checked, st.session_state.get("sv:firm"), client_address()
        )
    except SurveyRefused as exc:
        st.error(_(REFUSALS[exc.reason]), icon=":material/block:")
        return
    except (SurveyAnswerError, StorageError) as exc:
        message = _("Your answers could not be stored: {reason}").format(reason=exc)
        st.error(md(message), icon=":material/error:")
        return
    st.session_state[SENT] = token
    state.forget_survey_responses()
    st.rerun()


def render() -> None:
    """The survey page of the link in the URL."""
    _language()
    lang = current_language()
    questionnaire = state.questionnaire()
    survey = questionnaire.survey
    raw = st.query_params.get(PARAM)
    token = raw if isinstance(raw, str) else ""
    if survey is None:
        st.error(_(REFUSALS["closed"]), icon=":material/block:")
        return
    st.title(survey.title.get(lang))
    if token and st.session_state.get(SENT) == token:
        thanks = _("Thank you: your answers were received. You can close this page.")
        st.success(thanks, icon=":material/check_circle:")
        return
    store = state.base_store()
    try:
        invitation = store.survey_invitation(token)
    except SurveyRefused as exc:
        st.error(_(REFUSALS[exc.reason]), icon=":material/block:")
        return
    data = store.answer_data(invitation.assessment_id)
    services = offered_services(questionnaire, data, lang)
    st.markdown(md(survey.intro.get(lang)))
    st.caption(_("Open until {date}.").format(date=date(invitation.closes_on)))
    with st.form("survey:form", border=False):
        if services:
            st.subheader(_("The cluster's services"))
            for sid, name in services.items():
                _service(survey, sid, name, lang)
        st.subheader(_("The cluster as a whole"))
        levels = survey.satisfaction_levels
        st.radio(
            survey.satisfaction.get(lang),
            list(range(1, len(levels) + 1)),
            index=None,
            format_func=lambda n: levels[n - 1].get(lang),
            key="sv:satisfaction",
        )
        _levels(questionnaire, survey, lang)
        st.text_input(survey.firm_name.get(lang), max_chars=200, key="sv:firm")
        sent = st.form_submit_button(_("Send"), type="primary", icon=":material/send:")
    if sent:
        _send(token, survey, services)
