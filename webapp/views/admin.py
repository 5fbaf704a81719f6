"""Users and programmes (administrators): list, create and disable accounts; assign clusters and programmes.

Every change is written to the audit trail with the administrator as the actor. For a person
who signs in through OpenID Connect, create the account with their e-mail address as the
username (see webapp.auth).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from storage import ROLES
from storage.errors import StorageError
from webapp import state
from webapp.text import md

ROLE_WORDS = {"manager": "Cluster manager", "officer": "Programme officer", "admin": "Administrator"}
NO_PROGRAMME = ""


def _done(message: str) -> None:
    state.flash(message)
    st.rerun()


def _users() -> None:
    st.subheader("Accounts")
    rows = [
        {"username": u.username, "role": ROLE_WORDS[u.role], "scope": u.scope, "disabled": u.disabled}
        for u in state.base_store().users()
    ]
    st.dataframe(pd.DataFrame(rows, columns=["username", "role", "scope", "disabled"]), hide_index=True,
                 key="adm:users")  # fmt: skip


def _create_user(actor: str, clusters: dict[int, str], programmes: list[str]) -> None:
    st.subheader("Create an account")
    with st.form("adm:create", clear_on_submit=False):
        username = st.text_input("Username (or the e-mail address, for OpenID Connect)", key="adm:username")
        password = st.text_input("Password (8 characters or more)", type="password", key="adm:password")
        role = st.selectbox("Role", list(ROLES), format_func=ROLE_WORDS.__getitem__, key="adm:role")
        chosen = st.multiselect(
            "Clusters (a manager's)", list(clusters), format_func=clusters.__getitem__, key="adm:clusters"
        )
        programme = st.selectbox(
            "Programme (an officer's)", [NO_PROGRAMME, *programmes], format_func=lambda p: p or "none",
            key="adm:programme",
        )  # fmt: skip
        pressed = st.form_submit_button("Create the account", type="primary")
    if pressed:
        try:
            created = state.base_store().create_user(
                (username or "").strip().lower(), password or "", role, chosen, programme or None, actor
            )
        except StorageError as exc:
            st.error(md(exc))
            return
        _done(f"Account {created.username} created ({ROLE_WORDS[created.role]}, {created.scope}).")


def _disable(actor: str) -> None:
    st.subheader("Disable an account")
    enabled = [u.username for u in state.base_store().users() if not u.disabled and u.username != actor]
    if not enabled:
        st.caption("No other enabled account.")
        return
    with st.container(horizontal=True, vertical_alignment="bottom"):
        name = st.selectbox("Account", enabled, key="adm:disable_user")
        if st.button("Disable", key="adm:disable") and name:
            try:
                state.base_store().disable_user(name, actor)
            except StorageError as exc:
                st.error(md(exc))
                return
            _done(f"Account {name} disabled: it can no longer sign in.")


def _grant(actor: str, clusters: dict[int, str]) -> None:
    st.subheader("Give a manager a cluster")
    managers = [u.username for u in state.base_store().users() if u.role == "manager" and not u.disabled]
    if not managers or not clusters:
        st.caption("No manager or no cluster yet.")
        return
    with st.container(horizontal=True, vertical_alignment="bottom"):
        name = st.selectbox("Manager", managers, key="adm:grant_user")
        cluster = st.selectbox(
            "Cluster", list(clusters), format_func=clusters.__getitem__, key="adm:grant_cluster"
        )
        if st.button("Give", key="adm:grant") and name and cluster is not None:
            try:
                state.base_store().grant_cluster(name, int(cluster), actor)
            except StorageError as exc:
                st.error(md(exc))
                return
            _done(f"{name} now manages cluster {cluster}.")


def _programmes(actor: str, clusters: dict[int, str], programmes: list[str]) -> None:
    st.subheader("Programmes")
    base = state.base_store()
    st.dataframe(
        pd.DataFrame(
            [{"programme": p.slug, "name": p.name, "clusters": len(p.clusters)} for p in base.programmes()],
            columns=["programme", "name", "clusters"],
        ),
        hide_index=True,
        key="adm:programmes",
    )
    with st.container(horizontal=True, vertical_alignment="bottom"):
        slug = st.text_input("New programme (short id)", key="adm:slug", placeholder="basque-2025")
        name = st.text_input("Its name", key="adm:programme_name")
        if st.button("Create the programme", key="adm:create_programme"):
            try:
                base.create_programme((slug or "").strip(), (name or "").strip(), actor)
            except StorageError as exc:
                st.error(md(exc))
                return
            _done(f"Programme {slug} created.")
    if not programmes or not clusters:
        return
    with st.container(horizontal=True, vertical_alignment="bottom"):
        cluster = st.selectbox(
            "Cluster", list(clusters), format_func=clusters.__getitem__, key="adm:assign_cluster"
        )
        programme = st.selectbox("Into programme", programmes, key="adm:assign_programme")
        if st.button("Assign", key="adm:assign") and cluster is not None and programme:
            try:
                base.assign_cluster(int(cluster), programme, actor)
            except StorageError as exc:
                st.error(md(exc))
                return
            _done(f"Cluster {cluster} is now in programme {programme}.")


def render() -> None:
    """The administrators' page."""
    st.title("Users and programmes")
    state.show_flash()
    user = state.user()
    if user is None or user.role != "admin":
        st.error("Not allowed. Only administrators manage accounts and programmes.")
        return
    clusters = {c.id: f"{c.name} (id {c.id})" for c in state.base_store().clusters()}
    programmes = [p.slug for p in state.base_store().programmes()]
    _users()
    left, right = st.columns(2, gap="large")
    with left:
        _create_user(user.username, clusters, programmes)
        _disable(user.username)
    with right:
        _grant(user.username, clusters)
        _programmes(user.username, clusters, programmes)
