"""Signing in and out, each role's refusals, the OpenID Connect mapping and the users page (AppTest).

A real store on a tmp SQLite file with the demo clusters and accounts; forbidden accesses are
tried through the app (links naming an assessment) and must end in a refusal message, never a
traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

import storage.accounts
from storage import Store
from tests.apptest_support import APP, TIMEOUT, open_store, portfolio_table
from webapp.auth import oidc_configured, user_for_email

PASSWORD = "-demo-password"
AEI_MANAGER = "manager-aei_pattern_year8"
OTHER_MANAGER = "manager-captured_by_few"


@pytest.fixture
def store(tmp_path, monkeypatch) -> Iterator[Store]:
    yield from open_store(tmp_path, monkeypatch, demo=True, accounts=True)


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def errors(at: AppTest) -> list[str]:
    return [plain(e.value) for e in at.error]


def captions(at: AppTest) -> str:
    return plain("\n".join(c.value for c in at.caption))


def signed_in(username: str, assessment_id: int | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["signed_in"] = username
    if assessment_id is not None:
        at.query_params["assessment"] = str(assessment_id)
    at.run()
    if page is not None:
        at.switch_page(f"webapp/pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def form_sign_in(username: str, password: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.text_input(key="signin:username").input(username)
    at.text_input(key="signin:password").input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def latest(store: Store, username: str):
    cluster_id = store.user(username).clusters[0]
    return cluster_id, store.assessments(cluster_id)[-1]


# --- signing in and out --------------------------------------------------------------------------


def test_nothing_is_shown_before_signing_in(store):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Sign in"]
    assert {w.key for w in at.text_input} == {"signin:username", "signin:password"}


def test_a_wrong_password_is_refused_and_the_right_one_signs_in_then_out(store):
    at = form_sign_in(AEI_MANAGER, "not the password")
    assert any("wrong password" in e for e in errors(at))
    assert "signed_in" not in at.session_state

    at = form_sign_in(AEI_MANAGER, AEI_MANAGER + PASSWORD)
    assert at.session_state["signed_in"] == AEI_MANAGER
    assert "Signed in as" in captions(at)
    # a manager sees only their own cluster
    cluster_id, _ = latest(store, AEI_MANAGER)
    assert at.selectbox(key="home:open_cluster").options == [store.cluster(cluster_id).name]

    at.button(key="signout").click().run()
    assert "signed_in" not in at.session_state
    assert [t.value for t in at.title] == ["Sign in"]


def test_a_disabled_account_cannot_sign_in_and_is_signed_out_at_once(store):
    at = signed_in(AEI_MANAGER)
    assert "Signed in as" in captions(at)
    store.disable_user(AEI_MANAGER)
    at.run()
    assert [t.value for t in at.title] == ["Sign in"]
    at = form_sign_in(AEI_MANAGER, AEI_MANAGER + PASSWORD)
    assert "signed_in" not in at.session_state


def test_oidc_email_maps_to_the_local_account_of_that_name(store):
    store.create_user("ana@agency.example", "a-long-password", "officer", programme="demo")
    assert user_for_email(store, "Ana@Agency.example ").username == "ana@agency.example"
    assert user_for_email(store, "nobody@agency.example") is None
    assert user_for_email(store, "not an address") is None
    assert user_for_email(store, None) is None
    store.disable_user("ana@agency.example")
    assert user_for_email(store, "ana@agency.example") is None


def test_without_an_auth_section_only_local_accounts_are_offered(store):
    assert oidc_configured() is False
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert "signin:oidc" not in {b.key for b in at.button}


# --- refusals -------------------------------------------------------------------------------------


def test_an_officer_opening_a_draft_is_refused(store):
    _, submitted = latest(store, AEI_MANAGER)
    draft = store.new_version(submitted.id, "test")
    at = signed_in("officer-demo", draft.id)
    shown = errors(at)
    assert any(f"You may not open assessment {draft.id}" in e for e in shown), shown
    assert any("user officer-demo may not read assessment" in e for e in shown)
    assert "assessment" not in at.query_params
    assert "Review status" not in "\n".join(m.value for m in at.markdown)


def test_a_manager_opening_another_clusters_assessment_is_refused(store):
    _, theirs = latest(store, OTHER_MANAGER)
    at = signed_in(AEI_MANAGER, theirs.id)
    shown = errors(at)
    assert any(f"You may not open assessment {theirs.id}" in e for e in shown), shown
    assert "assessment" not in at.query_params
    at.switch_page("webapp/pages/results.py").run()
    assert any("No assessment is open" in i.value for i in at.info)


def test_an_officer_cannot_see_another_programmes_cluster(store):
    cluster_id, theirs = latest(store, OTHER_MANAGER)
    store.create_programme("other", "Another programme")
    store.assign_cluster(cluster_id, "other")
    at = signed_in("officer-demo", theirs.id)
    assert any(f"You may not open assessment {theirs.id}" in e for e in errors(at))
    clusters = set(portfolio_table(at).value["cluster"])
    assert store.cluster(cluster_id).name not in clusters


def test_a_manager_cannot_review_and_an_officer_cannot_revise(store):
    _, own = latest(store, AEI_MANAGER)
    at = signed_in(AEI_MANAGER, own.id, "results")
    keys = {b.key for b in at.button}
    assert not {"review:start", "review:accept", "review:return", "review:comment"} & keys
    at = signed_in("officer-demo", own.id, "questionnaire")
    assert "revise" not in {b.key for b in at.button}
    assert at.radio(key="nav:section:en") is not None


def test_pages_of_other_roles_are_not_offered(store):
    at = signed_in("officer-demo")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("webapp/pages/admin.py")
    at = signed_in(AEI_MANAGER)
    for page in ("portfolio", "clusters", "bulk_import", "admin"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"webapp/pages/{page}.py")


# --- the administrators' page -------------------------------------------------------------------


def test_admin_creates_and_disables_an_account(store):
    at = signed_in("admin", page="admin")
    assert "officer-demo" in set(at.dataframe[0].value["username"])
    cluster_id, _ = latest(store, OTHER_MANAGER)
    at.text_input(key="adm:username").input("lucia")
    at.text_input(key="adm:password").input("lucia-password")
    at.selectbox(key="adm:role").set_value("manager")
    at.multiselect(key="adm:clusters").set_value([cluster_id])
    submit = next(b for b in at.button if b.label == "Create the account")
    submit.click().run()
    assert not at.exception, at.exception
    lucia = store.user("lucia")
    assert lucia.role == "manager" and lucia.clusters == (cluster_id,)
    assert "lucia" in set(at.dataframe[0].value["username"])
    # a bad account is refused with a message
    at.text_input(key="adm:username").input("Not Valid!")
    at.text_input(key="adm:password").input("short")
    next(b for b in at.button if b.label == "Create the account").click().run()
    assert any("username" in e or "password" in e for e in errors(at))

    at.selectbox(key="adm:disable_user").set_value("lucia")
    at.button(key="adm:disable").click().run()
    assert store.user("lucia").disabled


def test_an_empty_deployment_creates_its_first_administrator(tmp_path, monkeypatch):
    monkeypatch.setattr(
        storage.accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CLUSTER_ASSESS_DEMO", "0")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert "signin:username" not in {w.key for w in at.text_input}
    at.text_input(key="signin:first_username").input("Boss")
    at.text_input(key="signin:first_password").input("short")
    at.button[0].click().run()
    assert any("password" in e for e in errors(at))
    at.text_input(key="signin:first_password").input("a-good-password")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.session_state["signed_in"] == "boss"
    with Store(url) as s:
        assert s.user("boss").role == "admin"
    # from now on, the form signs in
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert "signin:username" in {w.key for w in at.text_input}


@pytest.mark.parametrize(
    ("username", "pages"),
    [
        (
            "admin",
            ["home", "portfolio", "questionnaire", "results", "compare", "clusters", "bulk_import", "admin"],
        ),
        ("officer-demo", ["portfolio", "results", "questionnaire", "clusters", "compare", "bulk_import"]),
        (OTHER_MANAGER, ["home", "questionnaire", "results", "compare", "method"]),
    ],
)
def test_each_role_opens_its_pages_without_error(store, username, pages):
    _, theirs = latest(store, OTHER_MANAGER)
    at = signed_in(username, theirs.id)
    for name in pages:
        at.switch_page(f"webapp/pages/{name}.py").run()
        assert not at.exception, (name, at.exception)
        assert not at.error, (name, [e.value for e in at.error])


def test_the_pages_are_made_once_per_role_and_language_and_titled_in_it(store):
    from webapp.navigation import BY_ROLE, KEPT

    at = signed_in(AEI_MANAGER)
    key, pages = at.session_state[KEPT]
    assert key == ("manager", "en")
    assert [p.title for p in pages] == [
        "Home", "Questionnaire", "Results and review", "Planning", "Compare over time", "Method and sources",
    ]  # fmt: skip
    at.run()
    assert at.session_state[KEPT][1] == pages and all(  # the same page objects, kept
        a is b for a, b in zip(at.session_state[KEPT][1], pages, strict=True)
    )
    at.session_state["lang"] = "es"
    at.run()
    assert not at.exception, at.exception
    key, pages = at.session_state[KEPT]
    assert key == ("manager", "es") and len(pages) == len(BY_ROLE["manager"])
    assert pages[1].title == "Cuestionario" and pages[0].title != "Home"


def test_ten_wrong_passwords_lock_the_account_and_the_message_reveals_nothing(store, monkeypatch):
    from datetime import UTC, datetime, timedelta

    from storage import throttle

    clock = [datetime(2026, 12, 4, 9, 0, tzinfo=UTC)]
    monkeypatch.setattr(throttle, "_now", lambda: clock[0])
    for failures in range(1, 11):
        at = form_sign_in(AEI_MANAGER, "wrong")
        assert errors(at) == ["Unknown username or wrong password (or the account is disabled)."]
        # past the growing wait (2, 4, 8 ... seconds), all ten within the 15 minutes counted
        clock[0] += timedelta(seconds=max(60, 2 ** (failures - 1)))
    at = form_sign_in(AEI_MANAGER, AEI_MANAGER + PASSWORD)  # the right password, after the lock began
    [locked] = errors(at)
    assert locked.startswith("Too many failed sign-ins. Try again in ") and locked.endswith(" minutes.")
    assert "signin:username" in {w.key for w in at.text_input}  # still signed out
    unknown = form_sign_in("nobody-here", "wrong")  # an unknown name gets the same first answer
    assert errors(unknown) == ["Unknown username or wrong password (or the account is disabled)."]
    clock[0] += throttle.LOCK_FOR
    at = form_sign_in(AEI_MANAGER, AEI_MANAGER + PASSWORD)
    assert not errors(at) and "signin:username" not in {w.key for w in at.text_input}
    from storage.models import AuditEvent

    with store._read() as s:
        kept = [e.action for e in s.query(AuditEvent).filter(AuditEvent.actor == AEI_MANAGER)]
    assert kept.count(throttle.FAILED) == 10 and throttle.LOCKED in kept and kept[-1] == throttle.SUCCEEDED
