"""The page's two small scripts (the session cookie, the scroll back to a question) survive Streamlit.

`st.html` passes its body through DOMPurify, which silently drops a script whose text holds
a "<"; the scroll script once did, and never ran.
"""

from __future__ import annotations

import re

import pytest
import streamlit as st

from webapp import scroll, session_cookie


@pytest.fixture
def sent(monkeypatch) -> list[str]:
    bodies: list[str] = []
    monkeypatch.setattr(st, "html", lambda body, **kwargs: bodies.append(body))
    return bodies


def script_text(body: str) -> str:
    found = re.fullmatch(r"<script>(.*)</script>", body, flags=re.S)
    assert found, body
    return found.group(1)


def test_the_scroll_script_finds_the_widget_by_its_key_and_holds_no_angle_bracket(sent):
    assert scroll.key_class("q:critical_mass") == "st-key-q-critical_mass"
    scroll.scroll_to("q:critical_mass")
    [body] = sent
    text = script_text(body)
    assert ".st-key-q-critical_mass" in text and "<" not in text


def test_the_cookie_scripts_hold_no_angle_bracket(sent, monkeypatch):
    monkeypatch.setattr(st, "session_state", {})
    monkeypatch.setenv("CLUSTER_ASSESS_SECRET", "s" * 64)
    session_cookie.remember("maria", "stamp")
    session_cookie.write_pending()
    session_cookie.forget()
    session_cookie.write_pending()
    assert len(sent) == 2
    for body in sent:
        assert "<" not in script_text(body)
    assert "Max-Age=0" in sent[1]
