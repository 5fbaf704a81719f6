"""The manager's members' survey panel, on the questionnaire and results pages of a draft.

A manager opens a survey (closing date, number of links), hands the single-use links to
member firms and watches the count of responses; the scoring uses them from the survey's
minimum on. The links are shown once, right after they are made: the store keeps only
their hashes (storage.surveys), so they cannot be listed again, and the panel says so.
An officer, or anyone on a submitted assessment, sees the count only.

The links point at the app's public address: `CLUSTER_ASSESS_PUBLIC_URL` when the
deployment sets it (behind a proxy the browser's address may not be the public one), else
the address the manager's browser uses, else http://localhost:8501.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from storage import AssessmentInfo, SurveyInfo, SurveyRefused
from storage.errors import StorageError
from webapp import state
from webapp.i18n import _, current_language, date, ngettext, number
from webapp.text import md

PUBLIC_URL = "CLUSTER_ASSESS_PUBLIC_URL"
LOCAL_URL = "http://localhost:8501"
DEFAULT_DAYS = 30
DEFAULT_LINKS = 20
NEW_LINKS = "survey:new_links"  # session: (assessment id, tokens) just made, shown once
PANEL = "survey:panel:"  # the panel's key, then "links" while new links are shown, else "count"
# The page scripts' names, which the browser's address ends with on a page other than the first.
_PAGE_NAMES = {
    os.path.splitext(os.path.basename(p))[0]
    for p in (state.HOME_PAGE, state.QUESTIONNAIRE_PAGE, state.RESULTS_PAGE, state.PLANNING_PAGE)
}


def base_url() -> str:
    """The app's address as member firms reach it, without a trailing slash."""
    configured = os.environ.get(PUBLIC_URL, "").strip()
    if configured:
        return configured.rstrip("/")
    url = st.context.url
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        parts = urlsplit(url)
        path = parts.path.rstrip("/")
        head, _sep, last = path.rpartition("/")
        if last in _PAGE_NAMES:
            path = head
        return urlunsplit((parts.scheme, parts.netloc, path, "", "")).rstrip("/")
    host = st.context.headers.get("Host") if st.context.headers is not None else None
    if isinstance(host, str) and host:
        return f"http://{host}"
    return LOCAL_URL


def survey_links(base: str, tokens: list[str], lang: str) -> list[str]:
    """The full link of each token, opening the survey in `lang` (members may change it)."""
    return [f"{base}/?{urlencode({'survey': token, 'lang': lang})}" for token in tokens]


def links_csv(links: list[str]) -> str:
    """The links as a CSV file, one per row and numbered, to merge into the e-mails to members."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["number", "link"])
    writer.writerows((i, link) for i, link in enumerate(links, 1))
    return out.getvalue()


def count_text(survey: SurveyInfo, minimum: int) -> str:
    """The count of responses and used links, and the minimum; numbers in the session's language."""
    return ngettext(
        "{count} response ({used} of {links} links used) — scoring uses them from {minimum}",
        "{count} responses ({used} of {links} links used) — scoring uses them from {minimum}",
        survey.responses,
    ).format(
        count=number(survey.responses, 0),
        used=number(survey.used, 0),
        links=number(survey.invitations, 0),
        minimum=number(minimum, 0),
    )


def _keep_links(assessment_id: int, tokens: list[str]) -> None:
    st.session_state[NEW_LINKS] = (assessment_id, tokens)
    state.forget_survey_responses()


def _open(info: AssessmentInfo, closes_on: datetime.date, links: int) -> None:
    try:
        _survey, tokens = state.store().open_survey(info.id, closes_on, int(links), state.ACTOR)
    except StorageError as exc:
        message = _("The survey could not be opened: {reason}").format(reason=exc)
        st.error(md(message), icon=":material/block:")
        return
    _keep_links(info.id, tokens)
    st.rerun()


def _add(info: AssessmentInfo, count: int) -> None:
    try:
        tokens = state.store().add_invitations(info.id, int(count), state.ACTOR)
    except SurveyRefused:
        st.error(_("The survey is closed: no links can be added."), icon=":material/block:")
        return
    except StorageError as exc:
        st.error(md(_("No links were added: {reason}").format(reason=exc)), icon=":material/block:")
        return
    _keep_links(info.id, tokens)
    st.rerun()


def _hide_links(shown: bool) -> None:
    """Forget the links just made; when they were shown, the panel drawn next under its other key stays open.

    (When they were not, this run drew the panel under that key, and its state is already its own.)
    """
    st.session_state.pop(NEW_LINKS, None)
    if shown:
        st.session_state[PANEL + "count"] = True


def _show_new_links(info: AssessmentInfo) -> None:
    kept = st.session_state.get(NEW_LINKS)
    if not kept or kept[0] != info.id:
        return
    links = survey_links(base_url(), kept[1], current_language())
    st.warning(
        _(
            "Send each member firm one of these links. Each link works once, and the links are not "
            "shown again: download them now."
        ),
        icon=":material/key:",
    )
    st.dataframe({_("Link"): links}, hide_index=True, key="survey:links")
    with st.container(horizontal=True):
        st.download_button(
            _("Download the links (CSV)"),
            links_csv(links),
            file_name=f"survey-links-{info.id}.csv",
            mime="text/csv",
            key="survey:download",
            on_click="ignore",
            icon=":material/download:",
            type="primary",
        )
        if st.button(_("I have kept the links: hide them"), key="survey:hide"):
            _hide_links(shown=True)
            st.rerun()


def _open_form(info: AssessmentInfo, data: dict[str, Any]) -> None:
    members = (data.get("profile") or {}).get("members_total")
    default = int(members) if isinstance(members, (int, float)) and 1 <= members <= 2000 else DEFAULT_LINKS
    today = datetime.date.today()
    with st.form("survey:open_form", border=False):
        cols = st.columns(2)
        closes_on = cols[0].date_input(
            _("Closing date"), value=today + datetime.timedelta(days=DEFAULT_DAYS), min_value=today,
            key="survey:closes_on",
        )  # fmt: skip
        links = cols[1].number_input(
            _("Number of links"), min_value=1, max_value=2000, value=default, step=1, key="survey:count",
            help=_("One link per member firm: each works once. You can add more later."),
        )  # fmt: skip
        if st.form_submit_button(_("Open the survey"), icon=":material/campaign:"):
            _open(info, closes_on, int(links))


def render(info: AssessmentInfo, data: dict[str, Any]) -> None:
    """The panel for the open assessment: run the survey on a draft, else its count only."""
    questionnaire = state.questionnaire()
    if questionnaire.survey is None:
        return
    minimum = questionnaire.survey.min_responses
    store = state.store()
    may_run = info.status == "draft" and state.role() != "officer"
    if not may_run:
        survey = store.survey(info.id)
        if survey is not None:
            st.caption(
                ngettext(
                    "Members' survey: {count} response.",
                    "Members' survey: {count} responses.",
                    survey.responses,
                ).format(count=number(survey.responses, 0))
            )
        return
    fresh = st.session_state.get(NEW_LINKS)
    showing = bool(fresh and fresh[0] == info.id)
    # Opened while new links are shown (they are shown once); the key follows, so the
    # expander is drawn afresh, open, when links are made. Its content is drawn only when
    # open (as the evidence boxes): a rerun of the questionnaire does not build the form.
    box = st.expander(
        _("Members' survey"),
        expanded=showing,
        icon=":material/campaign:",
        key=PANEL + ("links" if showing else "count"),
        on_change="rerun",
    )
    if not box.open:
        return
    # Read only when open: a folded panel costs a questionnaire rerun no database read.
    survey = store.survey(info.id)
    with box:
        st.caption(
            _(
                "Ask the member firms themselves how they use and value the services, and how they "
                "see trust and cooperation. From {minimum} responses on, their answers stand in for "
                "yours in the scores, and the results say where the two views differ."
            ).format(minimum=number(minimum, 0))
        )
        _show_new_links(info)
        if survey is not None and survey.is_open():
            st.markdown(md(count_text(survey, minimum)))
            st.caption(_("Open until {date}.").format(date=date(survey.closes_on)))
            with st.container(horizontal=True, vertical_alignment="bottom"):
                more = st.number_input(
                    _("More links"), min_value=1, max_value=2000, value=5, step=1, key="survey:more"
                )
                if st.button(_("Add the links"), key="survey:add", icon=":material/add_link:"):
                    _add(info, int(more))
                if st.button(_("Close the survey"), key="survey:close", icon=":material/lock:"):
                    store.close_survey(info.id, state.ACTOR)
                    _hide_links(shown=showing)
                    st.rerun()
            return
        if survey is not None:
            st.markdown(md(count_text(survey, minimum)))
            st.caption(
                _(
                    "The survey is closed. A new survey starts again from no response: the scores then "
                    "use the new survey's responses only."
                )
            )
        _open_form(info, data)
