"""Home: what this is; start an assessment, continue a draft, or start from an answers file.

Worded in the session's language; cluster names, which users typed, are shown as text.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from assessment.answers import ValidAnswers
from assessment.errors import AnswersError, AssessmentError
from assessment.i18n import N_
from assessment.loading import read_answers
from storage import AssessmentInfo
from webapp import state
from webapp.files import upload_help
from webapp.i18n import _, current_language, ngettext, number
from webapp.text import md
from webapp.views import review

NO_PROGRAMME = ""
NEW_CLUSTER = "new"
EXISTING_CLUSTER = "existing"


def default_year() -> int:
    """Last year: the answers describe the last closed financial year."""
    return dt.date.today().year - 1


STATUS_WORDS = {
    "draft": N_("draft"),
    "submitted": N_("submitted"),
    "in_review": N_("in review"),
    "accepted": N_("accepted"),
    "returned": N_("returned"),
}


def describe_assessment(a: AssessmentInfo, review_status: str | None = None) -> str:
    """One line about an assessment, for select boxes (plain text); with its review status if given."""
    status = "submitted" if a.status == "submitted" else "draft"
    if review_status is not None and review_status not in ("draft", "submitted"):
        status = review_status
    words = _(STATUS_WORDS[status]) if status in STATUS_WORDS else status.replace("_", " ")
    if a.overall is None:
        return _("Version {number} · answers for {year} · {status}").format(
            number=a.number, year=a.year, status=words
        )
    return _("Version {number} · answers for {year} · {status}, index {index}").format(
        number=a.number, year=a.year, status=words, index=number(a.overall, 6)
    )


def start_assessment(
    cluster_id: int | None, new_name: str | None, year: int, programme: str | None = None
) -> AssessmentInfo:
    """Create the cluster if needed and start a draft; the profile is copied from its latest version.

    Raises:
        AssessmentError: from the store (e.g. an empty name or a year out of range).
    """
    store = state.store()
    q = state.questionnaire()
    if cluster_id is None:
        cluster = store.create_cluster((new_name or "").strip(), state.ACTOR, programme)
        cluster_id, name = cluster.id, cluster.name
        previous = []
    else:
        name = store.cluster(cluster_id).name
        previous = store.assessments(cluster_id)
    info = store.start_assessment(cluster_id, q.id, q.version, year, state.ACTOR)
    profile = dict(store.answer_data(previous[-1].id)["profile"]) if previous else {}
    profile["name"] = name
    for field_id, value in profile.items():
        if field_id in q.profile_fields and value is not None:
            store.save_profile(info.id, field_id, value, state.ACTOR)
    return info


def _current(info: AssessmentInfo) -> None:
    with st.container(border=True):
        status = (
            _("Submitted (read-only)")
            if info.status == "submitted"
            else _("Draft: every answer is saved as you give it")
        )
        st.markdown("**" + _("Open now: {cluster}").format(cluster=md(info.cluster_name)) + "**")
        st.caption(
            _("Answers for {year} · version {number} · {status}").format(
                year=info.year, number=info.number, status=status
            )
        )
        with st.container(horizontal=True):
            label = _("Continue the questionnaire") if info.status == "draft" else _("See its answers")
            if st.button(label, key="home:goto_questionnaire", type="primary"):
                state.go(state.QUESTIONNAIRE_PAGE)
            if st.button(_("See the results"), key="home:goto_results"):
                state.go(state.RESULTS_PAGE)
            if st.button(_("Close it"), key="home:close", help=_("It stays saved; open it again below.")):
                state.close_assessment()
                st.rerun()


def _start_section(clusters: dict[int, str]) -> None:
    st.subheader(_("Start a new assessment"))
    choice = NEW_CLUSTER
    if clusters:
        words = {EXISTING_CLUSTER: _("A cluster already here"), NEW_CLUSTER: _("A new cluster")}
        choice = st.radio(
            _("For"),
            [EXISTING_CLUSTER, NEW_CLUSTER],
            format_func=words.__getitem__,
            horizontal=True,
            key="home:for",
        )
    cluster_id = None
    new_name = None
    programme = None
    if choice == EXISTING_CLUSTER:
        cluster_id = st.selectbox(
            _("Cluster"), list(clusters), format_func=clusters.__getitem__, key="home:cluster"
        )
        draft = state.store().latest_draft(cluster_id) if cluster_id is not None else None
        if draft is not None:
            st.info(
                _(
                    "This cluster has a draft: version {number}, answers for {year}. "
                    "Continue it rather than starting another."
                ).format(number=draft.number, year=draft.year),
                icon=":material/edit_note:",
            )
            if st.button(_("Continue its draft"), key="home:continue_draft", type="primary"):
                state.open_assessment(draft.id)
                state.go(state.QUESTIONNAIRE_PAGE)
    else:
        new_name = st.text_input(
            _("Name of the cluster initiative"),
            key="home:new_name",
            max_chars=200,
            placeholder=_("e.g. Cluster de ..."),
        )
        programme = _programme_choice()
    year = st.number_input(
        _("Year the answers describe"),
        min_value=1950,
        max_value=2100,
        value=default_year(),
        step=1,
        key="home:year",
        help=_("The last closed financial year: answer from last year's accounts."),
    )
    if st.button(_("Start the assessment"), key="home:start", icon=":material/play_arrow:"):
        if choice == NEW_CLUSTER and not (new_name or "").strip():
            st.error(_("Type the name of the cluster initiative first."))
            return
        try:
            info = start_assessment(cluster_id, new_name, int(year), programme)
        except AssessmentError as exc:
            st.error(md(exc))
            return
        state.open_assessment(info.id)
        state.go(state.QUESTIONNAIRE_PAGE, section="profile")


def _programme_choice() -> str | None:
    """Which programme funds a new cluster: its officers then see its submissions."""
    names = state.store().programme_names()
    if not names:
        st.caption(
            _("No programme exists yet: no officer will see this cluster until an administrator assigns it.")
        )
        return None
    chosen = st.selectbox(
        _("Programme that funds it"),
        [NO_PROGRAMME, *names],
        format_func=({NO_PROGRAMME: _("None yet")} | names).__getitem__,
        key="home:programme",
        help=_("The programme officers of this programme review what you submit."),
    )
    if chosen == NO_PROGRAMME:
        st.warning(
            _("No programme officer will see this cluster until an administrator assigns it to a programme."),
            icon=":material/visibility_off:",
        )
        return None
    return chosen


def _open_section(clusters: dict[int, str]) -> None:
    st.subheader(_("Continue or open an assessment"))
    if not clusters:
        st.caption(_("No cluster yet: start one on the left, or from an answers file below."))
        return
    cluster_id = st.selectbox(
        _("Cluster"), list(clusters), format_func=clusters.__getitem__, key="home:open_cluster"
    )
    if cluster_id is None:
        return
    assessments = state.store().assessments(cluster_id)
    if not assessments:
        st.caption(_("This cluster has no assessment yet."))
        return
    by_id = {a.id: a for a in reversed(assessments)}
    statuses = {a.id: state.store().review_status(a.id) for a in assessments if a.status != "draft"}
    drafts = [a.id for a in by_id.values() if a.status == "draft"]
    chosen = st.selectbox(
        _("Version"),
        list(by_id),
        index=list(by_id).index(drafts[0]) if drafts else 0,
        format_func={i: describe_assessment(a, statuses.get(i)) for i, a in by_id.items()}.__getitem__,
        key="home:open_assessment",
    )
    with st.container(horizontal=True):
        label = _("Continue the draft") if by_id[chosen].status == "draft" else _("See its answers")
        if st.button(label, key="home:open_questionnaire", type="primary"):
            state.open_assessment(chosen)
            state.go(state.QUESTIONNAIRE_PAGE)
        if st.button(_("See its results"), key="home:open_results"):
            state.open_assessment(chosen)
            state.go(state.RESULTS_PAGE)


def import_file(name: str, valid: ValidAnswers) -> AssessmentInfo:
    """Start an assessment from a read answers file, for its cluster (found by name or new).

    Raises:
        AssessmentError: from the store.
    """
    q = state.questionnaire()
    store = state.store()
    cluster_name = str(valid.profile.get("name") or "").strip() or name.rsplit(".", 1)[0]
    existing = next((c for c in store.clusters() if c.name.casefold() == cluster_name.casefold()), None)
    cluster = existing or store.create_cluster(cluster_name, state.ACTOR)
    info = store.start_assessment(cluster.id, q.id, q.version, valid.year, state.ACTOR)
    store.import_answers(info.id, valid.to_data(), state.ACTOR)
    return info


def uploaded_answers(uploaded: UploadedFile) -> ValidAnswers | None:
    """An uploaded answers file read and checked, or None after showing every problem with its line."""
    text = uploaded.getvalue().decode("utf-8", errors="replace")
    try:
        return read_answers(text, uploaded.name, state.questionnaire())
    except AnswersError as exc:
        show_problems(exc)
        return None


def show_problems(exc: AnswersError) -> None:
    """Every problem of an answers file, each with its line and question."""
    lines = "\n".join(f"- {md(p)}" for p in exc.problems)
    count = len(exc.problems)
    heading = ngettext(
        "The file cannot be used as it is ({count} problem):",
        "The file cannot be used as it is ({count} problems):",
        count,
    ).format(count=count)
    st.error(f"{heading}\n\n{lines}")


def file_summary(name: str, year: int, answered: int) -> str:
    """What an answers file holds, in one line (Markdown; `name` is escaped)."""
    return ngettext(
        "{name}: answers for {year}, {count} question answered.",
        "{name}: answers for {year}, {count} questions answered.",
        answered,
    ).format(name=md(name), year=year, count=answered)


def _file_section() -> None:
    st.subheader(_("Start from an answers file"))
    st.caption(
        _(
            "A YAML or JSON answers file, as the command line `cluster-assess template` writes it "
            "or as this app exports it. Its cluster is found by name, or added."
        )
    )
    uploaded = st.file_uploader(
        _("Answers file"), type=["yaml", "yml", "json"], key="home:file", help=upload_help()
    )
    valid = uploaded_answers(uploaded) if uploaded is not None else None
    if uploaded is None or valid is None:
        return
    st.success(file_summary(str(valid.profile.get("name") or uploaded.name), valid.year, len(valid.answers)))
    if st.button(_("Create an assessment from this file"), key="home:import", type="primary"):
        try:
            info = import_file(uploaded.name, valid)
        except AssessmentError as exc:
            st.error(md(exc))
            return
        state.open_assessment(info.id)
        state.go(state.QUESTIONNAIRE_PAGE, section="submit")


def render() -> None:
    """The home page."""
    q = state.questionnaire()
    st.title(q.title.get(current_language()))
    st.markdown(
        _(
            "Rate how sustainable your **cluster initiative** is, in about half an hour, from last "
            "year's accounts: where its money comes from, whether members value and pay for its "
            "services, whether its structure fits its income and who leads it. The questions follow "
            "the EU-LAC Foundation's study *Clusters and Cluster Policy* (2018, section 6) and the "
            "experience of cluster managers in Spain and Latin America; every result says which "
            "lesson and source it rests on."
        )
    )
    st.caption(
        _(
            "Every answer is saved as you give it. The address of the page names your assessment: "
            "keep the link to come back to it, from any computer."
        )
    )
    state.show_flash()
    current = state.current_id()
    if current is not None:
        _current(state.store().assessment(current))
        review.comments_panel(state.store().assessment(current))
    clusters = state.cluster_choices(state.store().clusters())
    left, right = st.columns(2, gap="large")
    with left:
        _start_section(clusters)
    with right:
        _open_section(clusters)
    st.divider()
    _file_section()
