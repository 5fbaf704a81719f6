"""The remembered session: a signed, expiring token naming the user and a stamp of the credentials.

It never holds the password, is refused when tampered with, expired, signed with another
secret, or when the account's password changed or the account was disabled since.
"""

from __future__ import annotations

import os
import stat

import pytest
from argon2 import PasswordHasher

import storage.accounts
from storage import Store
from webapp.session_cookie import make_token, secret, username_in

KEY = "k" * 64
PASSWORD = "a-password-for-tests"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setattr(
        storage.accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )
    with Store(f"sqlite:///{tmp_path / 's.db'}") as opened:
        opened.create_user("maria", PASSWORD, "admin")
        yield opened


def token_for(store: Store, username: str = "maria", key: str = KEY) -> str:
    return make_token(username, store.credential_stamp(username), key)


def test_a_fresh_token_names_its_user_and_holds_no_password(store):
    token = token_for(store)
    assert username_in(token, store.credential_stamp, KEY) == "maria"
    assert PASSWORD not in token


@pytest.mark.parametrize(
    "spoil",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # tampered signature
        lambda t: t.replace(t.split(".")[0], make_token("admin", "x", KEY).split(".")[0]),  # swapped payload
        lambda t: "",
        lambda t: None,
        lambda t: "not-a-token",
    ],
)
def test_a_spoilt_token_signs_nobody_in(store, spoil):
    assert username_in(spoil(token_for(store)), store.credential_stamp, KEY) is None


def test_another_secret_or_an_expired_token_signs_nobody_in(store, monkeypatch):
    token = token_for(store)
    assert username_in(token, store.credential_stamp, "another" * 8) is None
    import itsdangerous.timed

    later = itsdangerous.timed.TimestampSigner.get_timestamp(None) + 9 * 3600  # type: ignore[arg-type]
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: later)
    assert username_in(token, store.credential_stamp, KEY) is None


def test_a_new_password_or_a_disabled_account_ends_remembered_sessions(store):
    token = token_for(store)
    store.set_password("maria", "another-password-1")
    assert username_in(token, store.credential_stamp, KEY) is None
    fresh = token_for(store)
    assert username_in(fresh, store.credential_stamp, KEY) == "maria"
    store.create_user("root", PASSWORD, "admin")
    store.disable_user("maria")
    assert username_in(fresh, store.credential_stamp, KEY) is None
    assert store.credential_stamp("nobody") is None


def test_the_secret_is_made_once_readable_by_the_server_only(tmp_path, monkeypatch):
    monkeypatch.delenv("CLUSTER_ASSESS_SECRET", raising=False)
    path = tmp_path / "data" / "session-secret"
    made = secret(path)
    assert len(made) == 64 and secret(path) == made
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    monkeypatch.setenv("CLUSTER_ASSESS_SECRET", "from-the-environment")
    assert secret(path) == "from-the-environment"
