"""Users and programmes (administrators): list, create and disable accounts; assign clusters and programmes.

Every change is written to the audit trail with the administrator as the actor. For a person
who signs in through OpenID Connect, create the account with their e-mail address as the
username (see webapp.auth). Every text is in the session's language; usernames, programme
ids and names are shown as typed.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assessment.i18n import N_, format_datetime
from storage import ROLES, User
from storage.errors import StorageError
from webapp import state
from webapp.i18n import _, current_language, ngettext, pgettext
from webapp.text import md
from webapp.views.admin_rescore import render_rescore

#: Roles in English words, translated where shown.
ROLE_WORDS = {
    "manager": N_("Cluster manager"),
    "officer": N_("Programme officer"),
    "admin": N_("Administrator"),
}
NO_PROGRAMME = ""


def role_words(role: str) -> str:
    """A role in the session's language."""
    return _(ROLE_WORDS[role]) if role in ROLE_WORDS else role


def scope_words(user: User) -> str:
    """What an account covers, in the session's language: its clusters, its programme or everything."""
    if user.role == "manager":
        if not user.clusters:
            return _("no cluster")
        ids = ", ".join(map(str, user.clusters))
        return ngettext("cluster {ids}", "clusters {ids}", len(user.clusters)).format(ids=ids)
    if user.role == "officer":
        return _("programme {programme}").format(programme=user.programme)
    return pgettext("account scope", "all")


def _done(message: str) -> None:
    state.flash(message)
    st.rerun()


def _users() -> None:
    st.subheader(_("Accounts"))
    rows = [
        {"username": u.username, "role": role_words(u.role), "scope": scope_words(u), "disabled": u.disabled}
        for u in state.base_store().users()
    ]
    config = {
        "username": st.column_config.TextColumn(_("Username")),
        "role": st.column_config.TextColumn(_("Role")),
        "scope": st.column_config.TextColumn(_("Scope")),
        "disabled": st.column_config.CheckboxColumn(_("Disabled")),
    }
    st.dataframe(pd.DataFrame(rows, columns=["username", "role", "scope", "disabled"]), hide_index=True,
                 column_config=config, key="adm:users")  # fmt: skip


def _create_user(actor: str, clusters: dict[int, str], programmes: list[str]) -> None:
    st.subheader(_("Create an account"))
    with st.form("adm:create", clear_on_submit=False):
        username = st.text_input(
            _("Username (or the e-mail address, for OpenID Connect)"), key="adm:username"
        )
        password = st.text_input(_("Password (8 characters or more)"), type="password", key="adm:password")
        roles = {r: role_words(r) for r in ROLES}  # worded now, in this run's language
        role = st.selectbox(_("Role"), list(roles), format_func=roles.__getitem__, key="adm:role")
        chosen = st.multiselect(
            _("Clusters (a manager's)"), list(clusters), format_func=clusters.__getitem__, key="adm:clusters"
        )
        worded = {p: p or _("none") for p in [NO_PROGRAMME, *programmes]}
        programme = st.selectbox(
            _("Programme (an officer's)"), list(worded), format_func=worded.__getitem__, key="adm:programme"
        )
        pressed = st.form_submit_button(_("Create the account"), type="primary", key="adm:create_go")
    if pressed:
        try:
            created = state.base_store().create_user(
                (username or "").strip().lower(), password or "", role, chosen, programme or None, actor
            )
        except StorageError as exc:
            st.error(md(exc))
            return
        _done(
            _("Account {username} created ({role}, {scope}).").format(
                username=created.username, role=role_words(created.role), scope=scope_words(created)
            )
        )


def _disable(actor: str) -> None:
    st.subheader(_("Disable an account"))
    enabled = [u.username for u in state.base_store().users() if not u.disabled and u.username != actor]
    if not enabled:
        st.caption(_("No other enabled account."))
        return
    with st.container(horizontal=True, vertical_alignment="bottom"):
        name = st.selectbox(_("Account"), enabled, key="adm:disable_user")
        if st.button(_("Disable"), key="adm:disable") and name:
            try:
                state.base_store().disable_user(name, actor)
            except StorageError as exc:
                st.error(md(exc))
                return
            _done(_("Account {username} disabled: it can no longer sign in.").format(username=name))


def _grant(actor: str, clusters: dict[int, str]) -> None:
    st.subheader(_("Give a manager a cluster"))
    managers = [u.username for u in state.base_store().users() if u.role == "manager" and not u.disabled]
    if not managers or not clusters:
        st.caption(_("No manager or no cluster yet."))
        return
    with st.container(horizontal=True, vertical_alignment="bottom"):
        name = st.selectbox(_("Manager"), managers, key="adm:grant_user")
        cluster = st.selectbox(
            _("Cluster"), list(clusters), format_func=clusters.__getitem__, key="adm:grant_cluster"
        )
        if st.button(_("Give"), key="adm:grant") and name and cluster is not None:
            try:
                state.base_store().grant_cluster(name, int(cluster), actor)
            except StorageError as exc:
                st.error(md(exc))
                return
            _done(_("{username} now manages cluster {cluster}.").format(username=name, cluster=cluster))


def _programmes(actor: str, clusters: dict[int, str], programmes: list[str]) -> None:
    st.subheader(_("Programmes"))
    base = state.base_store()
    st.dataframe(
        pd.DataFrame(
            [{"programme": p.slug, "name": p.name, "clusters": len(p.clusters)} for p in base.programmes()],
            columns=["programme", "name", "clusters"],
        ),
        hide_index=True,
        column_config={
            "programme": st.column_config.TextColumn(_("Programme")),
            "name": st.column_config.TextColumn(_("Name")),
            "clusters": st.column_config.NumberColumn(_("Clusters")),
        },
        key="adm:programmes",
    )
    with st.container(horizontal=True, vertical_alignment="bottom"):
        slug = st.text_input(_("New programme (short id)"), key="adm:slug", placeholder="basque-2025")
        name = st.text_input(_("Its name"), key="adm:programme_name")
        if st.button(_("Create the programme"), key="adm:create_programme"):
            try:
                base.create_programme((slug or "").strip(), (name or "").strip(), actor)
            except StorageError as exc:
                st.error(md(exc))
                return
            _done(_("Programme {programme} created.").format(programme=slug))
    if not programmes or not clusters:
        return
    with st.container(horizontal=True, vertical_alignment="bottom"):
        cluster = st.selectbox(
            _("Cluster"), list(clusters), format_func=clusters.__getitem__, key="adm:assign_cluster"
        )
        programme = st.selectbox(_("Into programme"), programmes, key="adm:assign_programme")
        if st.button(_("Assign"), key="adm:assign") and cluster is not None and programme:
            try:
                base.assign_cluster(int(cluster), programme, actor)
            except StorageError as exc:
                st.error(md(exc))
                return
            _done(
                _("Cluster {cluster} is now in programme {programme}.").format(
                    cluster=cluster, programme=programme
                )
            )


def _unassigned() -> None:
    """Submissions no officer sees: their cluster is in no programme."""
    waiting = state.store().unassigned_submissions()
    if not waiting:
        return
    st.subheader(_("Submitted, in no programme"))
    st.warning(
        ngettext(
            "{count} submitted assessment reaches no officer until its cluster is in a programme.",
            "{count} submitted assessments reach no officer until their clusters are in a programme.",
            len(waiting),
        ).format(count=len(waiting)),
        icon=":material/visibility_off:",
    )
    lang = current_language()
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "cluster": w.cluster_name,
                    "version": w.number,
                    "year": str(w.year),
                    "submitted": format_datetime(w.submitted_at, lang, "short") if w.submitted_at else "",
                }
                for w in waiting
            ],
            columns=["cluster", "version", "year", "submitted"],
        ),
        hide_index=True,
        column_config={
            "cluster": st.column_config.TextColumn(_("Cluster")),
            "version": st.column_config.NumberColumn(_("Version")),
            "year": st.column_config.TextColumn(_("Year")),
            "submitted": st.column_config.TextColumn(_("Submitted")),
        },
        key="adm:unassigned",
    )


def render() -> None:
    """The administrators' page."""
    st.title(_("Users and programmes"))
    state.show_flash()
    user = state.user()
    if user is None or user.role != "admin":
        st.error(_("Not allowed. Only administrators manage accounts and programmes."))
        return
    clusters = {
        c.id: _("{name} (id {id})").format(name=c.name, id=c.id) for c in state.base_store().clusters()
    }
    programmes = [p.slug for p in state.base_store().programmes()]
    _unassigned()
    _users()
    left, right = st.columns(2, gap="large")
    with left:
        _create_user(user.username, clusters, programmes)
        _disable(user.username)
    with right:
        _grant(user.username, clusters)
        _programmes(user.username, clusters, programmes)
    render_rescore(user.username)
