"""Staying signed in across a reload or a closed tab: a signed, expiring session cookie.

Streamlit starts a new session on every reload, so without this a manager would be
signed out each time. After a sign-in the browser keeps a cookie holding the username
and a fingerprint of the account's password hash, signed (itsdangerous, which Streamlit
already brings) with the server's secret and valid for `MAX_AGE`; never the password. A
new session that finds a valid cookie for an enabled account whose password has not
changed since is signed in again. Signing out removes the cookie, and the session that
signed out never signs itself in again from the cookie its page was loaded with.

The secret is `CLUSTER_ASSESS_SECRET` when set (set it, and the same on every server, in
production); else a random one kept in `data/session-secret` beside the embedded
database, made on first use.

Streamlit offers no way to set a cookie from Python, so a short script in the page sets
it (`st.html` with JavaScript): it cannot be HttpOnly, and is SameSite=Strict (Secure on
HTTPS) instead.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path

import streamlit as st
from itsdangerous import BadSignature, URLSafeTimedSerializer

from storage.db import DATA_DIR

COOKIE = "cluster_assess_session"
MAX_AGE = 8 * 60 * 60  # a working day
SECRET_VARIABLE = "CLUSTER_ASSESS_SECRET"
SECRET_FILE = DATA_DIR / "session-secret"
_SALT = "cluster-assess-session"
_PENDING = "session_cookie:pending"  # the cookie to set on the next run, after a sign-in
_FORGET = "session_cookie:forget"  # remove the cookie on the next run, after a sign-out
_SIGNED_OUT = "session_cookie:signed_out"  # this session signed out: never restore


def secret(path: Path = SECRET_FILE) -> str:
    """The server's signing secret: the environment's, else the one kept in `path` (made once)."""
    given = os.environ.get(SECRET_VARIABLE)
    if given:
        return given
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        made = secrets.token_hex(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another server process made it first
            return path.read_text().strip()
        with os.fdopen(fd, "w") as out:
            out.write(made)
        return made


def _serializer(key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(key, salt=_SALT)


def make_token(username: str, stamp: str, key: str) -> str:
    """The cookie's value for `username` with the account's credential stamp."""
    return _serializer(key).dumps({"u": username, "s": stamp})


def username_in(
    token: str | None, stamp_of: Callable[[str], str | None], key: str, max_age: int = MAX_AGE
) -> str | None:
    """The username a valid, unexpired token names, when its account's stamp still matches; else None."""
    if not token:
        return None
    try:
        data = _serializer(key).loads(token, max_age=max_age)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), str) or not isinstance(data.get("s"), str):
        return None
    current = stamp_of(data["u"])
    return data["u"] if current is not None and secrets.compare_digest(current, data["s"]) else None


def remember(username: str, stamp: str | None) -> None:
    """Set the cookie on the next run (the sign-in reruns at once, before anything is drawn)."""
    st.session_state.pop(_SIGNED_OUT, None)
    if stamp is not None:
        st.session_state[_PENDING] = make_token(username, stamp, secret())


def forget() -> None:
    """Remove the cookie on the next run; this session never signs in from it again."""
    st.session_state.pop(_PENDING, None)
    st.session_state[_SIGNED_OUT] = True
    st.session_state[_FORGET] = True


def restored(stamp_of: Callable[[str], str | None]) -> str | None:
    """The username of the cookie this page was loaded with, unless this session signed out."""
    if st.session_state.get(_SIGNED_OUT):
        return None
    return username_in(st.context.cookies.get(COOKIE), stamp_of, secret())


def write_pending() -> None:
    """Send the browser the cookie change a sign-in or sign-out asked for, once."""
    token = st.session_state.pop(_PENDING, None)
    if st.session_state.pop(_FORGET, False):
        _script(f"{COOKIE}=; Path=/; Max-Age=0; SameSite=Strict")
    elif token is not None:
        _script(f"{COOKIE}={token}; Path=/; Max-Age={MAX_AGE}; SameSite=Strict")


def _script(cookie: str) -> None:
    secure = " + (location.protocol === 'https:' ? '; Secure' : '')"
    st.html(
        "<script>document.cookie = " + json.dumps(cookie) + secure + ";</script>",
        unsafe_allow_javascript=True,
        width="content",
    )
