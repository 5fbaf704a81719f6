"""Signing in and out: local accounts always, and OpenID Connect when the deployment sets it up.

**Local accounts.** A username and password are checked by `Store.authenticate` (argon2);
the session then keeps the username (`state.USER`) and every page reads and writes through
`store.as_user(user)`, which refuses what the user may not do.

**OpenID Connect.** When `.streamlit/secrets.toml` has an `[auth]` table (Streamlit's
`redirect_uri`, `cookie_secret`, `client_id`, `client_secret`, `server_metadata_url`, or one
sub-table per provider), the sign-in page also offers "Sign in with your organisation"
(`st.login()`). The provider proves who the person is; what they may do is still decided by
a **local account**: `st.user.email`, lower-cased, must be the username of an enabled local
account (an administrator creates it on the Users page with the e-mail address as its
username, e.g. `ana@agency.example`). Anyone the provider knows but this app does not is
refused. Signing out forgets the local session and, for OpenID Connect, calls `st.logout()`.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from assessment.i18n import N_
from storage import NotFound, Store, User, throttle
from storage.errors import StorageError
from webapp import language, session_cookie, state
from webapp.i18n import _, ngettext
from webapp.text import md


def oidc_configured() -> bool:
    """Whether `.streamlit/secrets.toml` sets up an OpenID Connect provider (`[auth]`)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file, or one that cannot be read: local accounts only
        return False


def user_for_email(store: Store, email: Any) -> User | None:
    """The enabled local account whose username is `email` (ignoring case), or None.

    This is how a person signed in through OpenID Connect becomes a local user: their
    e-mail address, as the provider gives it (`st.user.email`), is the username.
    """
    if not isinstance(email, str) or "@" not in email:
        return None
    try:
        found = store.user(email.strip().lower())
    except NotFound:
        return None
    except Exception:  # an address that is no valid username cannot be an account
        return None
    return None if found.disabled else found


def sign_in(user: User) -> None:
    """Make `user` the signed-in user of this session (the assessment in the URL stays: a link works).

    The session takes the user's language (see webapp.language).
    """
    st.session_state[state.USER] = user.username
    session_cookie.remember(user.username, state.base_store().credential_stamp(user.username))
    language.on_sign_in(user)


def sign_out() -> None:
    """Forget the signed-in user (and the open assessment); leave OpenID Connect too."""
    state.close_assessment()
    st.session_state.pop(state.USER, None)
    session_cookie.forget()
    if oidc_configured() and _oidc_logged_in():
        st.logout()


def _oidc_logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:
        return False


def oidc_user() -> User | None:
    """The local user of the person signed in through OpenID Connect, if any (and signs them in)."""
    if not oidc_configured() or not _oidc_logged_in():
        return None
    found = user_for_email(state.base_store(), st.user.get("email"))
    if found is not None:
        sign_in(found)
    return found


def current_user() -> User | None:
    """The signed-in user: by local session, else by OpenID Connect, else by the session cookie."""
    return state.user() or oidc_user() or _from_cookie()


def _from_cookie() -> User | None:
    """The user a valid session cookie names (a reload or a new tab), signed in again."""
    store = state.base_store()
    username = session_cookie.restored(store.credential_stamp)
    if username is None:
        return None
    try:
        found = store.user(username)
    except NotFound:
        return None
    if found.disabled:
        return None
    st.session_state[state.USER] = found.username
    language.on_sign_in(found)
    return state.user()


def render() -> None:
    """The sign-in page, with the language picker; it names the app, so a newcomer knows where they are."""
    st.markdown("**" + _("Cluster Sustainability Self-Assessment") + "**")
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.title(_("Sign in"), width="stretch")
        with st.container(width=200):
            language.picker()
    st.caption(
        _(
            "Cluster managers assess their clusters; programme officers review the submitted "
            "assessments of their programme; administrators manage the accounts."
        )
    )
    state.show_flash()
    if not state.base_store().users():
        _first_admin()
        return
    if oidc_configured():
        if _oidc_logged_in() and oidc_user() is None:
            email = st.user.get("email")
            who = md(email) if email else _("this account")
            st.error(
                _(
                    "{email} has no account here. Ask an administrator to create one with this "
                    "e-mail address as its username."
                ).format(email=who)
            )
            if st.button(_("Sign out of the provider"), key="signin:oidc_logout"):
                st.logout()
        elif st.button(_("Sign in with your organisation"), key="signin:oidc", type="primary"):
            st.login()
        st.divider()
    with st.form("signin:form"):
        username = st.text_input(_("Username"), key="signin:username", max_chars=100)
        password = st.text_input(_("Password"), key="signin:password", type="password", max_chars=1024)
        pressed = st.form_submit_button(_("Sign in"), type="primary")
    if pressed:
        name, store, client = (username or "").strip(), state.base_store(), st.context.ip_address
        wait = throttle.refusal(store, name, client)
        if wait is not None:
            # The same words for an account that exists and one that does not.
            if wait.locked:
                minutes = max(1, round(wait.seconds_left() / 60))
                st.error(
                    ngettext(
                        "Too many failed sign-ins. Try again in {count} minute.",
                        "Too many failed sign-ins. Try again in {count} minutes.",
                        minutes,
                    ).format(count=minutes)
                )
            else:
                seconds = wait.seconds_left()
                st.error(
                    ngettext(
                        "Several failed sign-ins: wait {count} second before trying again.",
                        "Several failed sign-ins: wait {count} seconds before trying again.",
                        seconds,
                    ).format(count=seconds)
                )
            return
        found = store.authenticate(name, password or "")
        if found is None:
            throttle.record_failure(store, name, client)
            st.error(_("Unknown username or wrong password (or the account is disabled)."))
            return
        throttle.record_success(store, name, client)
        sign_in(found)
        st.rerun()


def _first_admin() -> None:
    """A new, empty deployment: the first person creates the administrator account."""
    st.info(
        _(
            "No account exists yet. Create the first administrator account; it then creates the "
            "others on the Users page. (`make run` with the demo data prints ready-made accounts.)"
        ),
        icon=":material/person_add:",
    )
    with st.form("signin:first"):
        username = st.text_input(_("Administrator's username"), key="signin:first_username", max_chars=100)
        password = st.text_input(
            _("Password (8 characters or more)"), key="signin:first_password", type="password", max_chars=1024
        )
        pressed = st.form_submit_button(_("Create the administrator and sign in"), type="primary")
    if pressed:
        base = state.base_store()
        if base.users():  # someone was faster
            st.error(_("An account was created meanwhile: sign in with it."))
            return
        name = (username or "").strip().lower()
        try:
            created = base.create_user(name, password or "", "admin", actor=name or "system")
        except StorageError as exc:
            st.error(md(exc))
            return
        sign_in(created)
        st.rerun()


ROLE_WORDS = {
    "manager": N_("cluster manager"),
    "officer": N_("programme officer"),
    "admin": N_("administrator"),
}


def scope_words(user: User) -> str:
    """What the account covers, in the session's language (User.scope says it in English)."""
    if user.role == "manager":
        if not user.clusters:
            return _("no cluster")
        return ngettext("cluster {ids}", "clusters {ids}", len(user.clusters)).format(
            ids=", ".join(map(str, user.clusters))
        )
    if user.role == "officer":
        return _("programme {slug}").format(slug=user.programme)
    return _("all")


def sidebar(user: User) -> None:
    """The language picker, who is signed in, and the sign-out button."""
    with st.sidebar:
        language.picker()
        st.caption(
            _("Signed in as **{username}** ({role}, {scope})").format(
                username=md(user.username), role=_(ROLE_WORDS[user.role]), scope=md(scope_words(user))
            )
        )
        if st.button(_("Sign out"), key="signout", icon=":material/logout:"):
            sign_out()
            st.rerun()
