"""What the AppTest files share: the app's path, a signed-in user and a store (a tmp SQLite file, or a URL)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

import storage.accounts
from assessment.loading import load_questionnaire
from storage import NotFound, Store, demo_accounts, load_demo

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
EXAMPLES = ROOT / "examples"
QUESTIONNAIRE = load_questionnaire()
TIMEOUT = 60
# The app needs a signed-in user: an administrator named "manager" (it may do all a manager does).
USERNAME = "manager"


def sign_in(at: AppTest) -> None:
    """Sign the app in (as the session would after the sign-in page), making the account if needed."""
    with Store(os.environ["DATABASE_URL"]) as s:
        try:
            s.user(USERNAME)
        except NotFound:
            s.create_user(USERNAME, "a-password-for-tests", "admin")
    at.session_state["signed_in"] = USERNAME


def open_store(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    demo: bool,
    accounts: bool = False,
    url: str | None = None,
) -> Iterator[Store]:
    """A store that the app opens too (DATABASE_URL): on `url`, else on a fresh SQLite file.

    `demo` loads the example clusters; `accounts` adds the demo accounts, hashed quickly.
    `url` is an empty database, e.g. the `db_url` fixture of tests.pg (SQLite or PostgreSQL).
    """
    url = url or f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CLUSTER_ASSESS_DEMO", "0")
    if accounts:
        monkeypatch.setattr(
            storage.accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
        )
    with Store(url) as s:
        if demo:
            load_demo(s, EXAMPLES, QUESTIONNAIRE)
        if accounts:
            demo_accounts(s)
        yield s


# Elements whose `value` is text a user reads, and widgets whose `label` (and options) they read.
_TEXT_ELEMENTS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "info",
    "warning",
    "error",
    "success",
)
_LABELLED = (
    "button",
    "checkbox",
    "multiselect",
    "number_input",
    "radio",
    "segmented_control",
    "selectbox",
    "text_input",
    "metric",
)


def page_texts(at: AppTest) -> set[str]:
    """Every text the main area of a rendered page shows: element texts, widget labels and options,
    metric values and table column names (for comparing a page across languages)."""
    main = at.main
    texts: set[str] = set()
    for kind in _TEXT_ELEMENTS:
        texts.update(str(e.value) for e in main.get(kind))
    for kind in _LABELLED:
        for widget in main.get(kind):
            texts.add(str(widget.label))
            if kind == "metric":
                texts.add(str(widget.value))
            texts.update(str(o) for o in getattr(widget, "options", None) or ())
    for frame in main.get("dataframe"):
        texts.update(str(c) for c in frame.value.columns)
    return {t for t in texts if t.strip()}


def left_in_english(english: set[str], translated: set[str], data: set[str] = frozenset()) -> list[str]:
    """The texts shown identically in English and in another language that are not user data.

    A text with no word of three letters or more (numbers, ids like "2026-2031", symbols) or
    named in `data` (cluster and scenario names, ids) may be the same in every language.
    """

    def may_repeat(text: str) -> bool:
        plain = text.replace("\\", "")
        return plain in data or not re.search(r"[A-Za-z]{3,}", plain)

    return sorted(t for t in english & translated if not may_repeat(t))


def keyed_table(at: AppTest, key: str):
    """The table (st.dataframe) made with `key`; its element id ends with the key.

    A page with several tables (the portfolio: the review queue, then all clusters) is read
    by key rather than by position, so that a table added above never shifts the others.
    """
    found = [d for d in at.dataframe if str(d.proto.id).endswith(f"-{key}")]
    assert len(found) == 1, f"{len(found)} tables with key {key!r}"
    return found[0]


def portfolio_table(at: AppTest):
    """The portfolio's table of all clusters (key "pf:table")."""
    return keyed_table(at, "pf:table")
