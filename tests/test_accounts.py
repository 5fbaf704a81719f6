"""Accounts and programmes: migration 0002, users with roles, argon2 sign-in, demo accounts, the `user` CLI.

Every test that takes `store` or `db_url` runs on SQLite and on PostgreSQL (tests/pg.py).
"""

from __future__ import annotations

import io
import shutil
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from argon2 import PasswordHasher

import storage.accounts
from interfaces.cli import main
from storage import AlreadyExists, Forbidden, InvalidValue, NotFound, Store, demo_accounts, load_demo
from storage.db import alembic_config, current_revision, head_revision, make_engine
from storage.models import Base, User
from tests.conftest import EXAMPLES

pytest_plugins = ["tests.pg"]

NEW_TABLES = {
    "programmes",
    "cluster_programmes",
    "users",
    "user_clusters",
    "reviews",
    "comments",
    "revisions",
}
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fast_hasher(monkeypatch):
    """Cheap argon2 parameters: the tests hash many passwords."""
    monkeypatch.setattr(
        storage.accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )
    monkeypatch.setattr(storage.accounts, "_dummy_hash", None)


# ---- migration 0002 ----


def test_migration_0002_applies_on_top_of_0001_keeps_the_data_and_agrees_with_the_models(db_url):
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0001")
        assert current_revision(engine) == "0001"
        assert not NEW_TABLES & set(sa.inspect(engine).get_table_names())
        now = datetime.now(UTC)
        with engine.begin() as connection:
            connection.execute(
                sa.text("INSERT INTO clusters (name, created_at) VALUES ('Old', :at)"), {"at": now}
            )

        with Store(db_url) as store:  # opening migrates to the head
            assert [c.name for c in store.clusters()] == ["Old"]
            assert store.users() == [] and store.programmes() == []
        assert current_revision(engine) == head_revision()
        assert set(sa.inspect(engine).get_table_names()) >= NEW_TABLES
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []

        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0001")
        assert not NEW_TABLES & set(sa.inspect(engine).get_table_names())
        with Store(db_url) as store:
            assert [c.name for c in store.clusters()] == ["Old"]
    finally:
        engine.dispose()


# ---- programmes ----


def test_programmes_group_clusters(store):
    a = store.create_cluster("Alpha", "ana")
    b = store.create_cluster("Beta", "ana")
    north = store.create_programme("basque-2025", "Basque programme 2025", "root")
    store.create_programme("south", "South", "root")
    assert (north.slug, north.name, north.clusters) == ("basque-2025", "Basque programme 2025", ())
    store.assign_cluster(a.id, "basque-2025", "root")
    store.assign_cluster(b.id, "south", "root")
    store.assign_cluster(b.id, "basque-2025", "root")  # moves it
    store.assign_cluster(b.id, "basque-2025", "root")  # already there: nothing to record
    assert store.programme("basque-2025").clusters == (a.id, b.id)
    assert store.programme("south").clusters == ()
    assert [p.slug for p in store.programmes()] == ["basque-2025", "south"]
    assert store.cluster_programme(b.id) == "basque-2025"
    moves = [
        (e.actor, e.action, e.old, e.new) for e in store.cluster_audit(b.id) if e.action == "assign_programme"
    ]
    assert moves == [
        ("root", "assign_programme", None, "south"),
        ("root", "assign_programme", "south", "basque-2025"),
    ]

    with pytest.raises(AlreadyExists, match="programme south already exists"):
        store.create_programme("south", "Again")
    with pytest.raises(InvalidValue, match="programme"):
        store.create_programme("Has Spaces", "Bad")
    with pytest.raises(NotFound, match="programme nowhere not found"):
        store.assign_cluster(a.id, "nowhere")
    with pytest.raises(NotFound, match="cluster 4242 not found"):
        store.assign_cluster(4242, "south")


# ---- users and sign-in ----


def test_users_with_roles_and_scopes(store):
    a = store.create_cluster("Alpha", "ana")
    b = store.create_cluster("Beta", "ana")
    store.create_programme("north", "North")
    maria = store.create_user("maria", PASSWORD, "manager", clusters=[b.id, a.id, a.id])
    olga = store.create_user("olga", PASSWORD, "officer", programme="north")
    root = store.create_user("root", PASSWORD, "admin")
    assert (maria.role, maria.clusters, maria.programme, maria.disabled) == (
        "manager",
        (a.id, b.id),
        None,
        False,
    )
    assert maria.scope == f"clusters {a.id}, {b.id}"
    assert (olga.role, olga.clusters, olga.programme, olga.scope) == (
        "officer",
        (),
        "north",
        "programme north",
    )
    assert (root.role, root.scope) == ("admin", "all")
    assert [u.username for u in store.users()] == ["maria", "olga", "root"]
    assert store.user("maria") == maria
    c = store.create_cluster("Gamma", "ana")
    assert store.grant_cluster("maria", c.id).clusters == (a.id, b.id, c.id)


def test_passwords_are_kept_only_as_argon2_hashes(store, db_url):
    store.create_user("maria", PASSWORD, "admin")
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(sa.select(User.password_hash)).scalar_one()
    finally:
        engine.dispose()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"username": "Maria"}, InvalidValue, "username"),
        ({"username": "ma ria"}, InvalidValue, "username"),
        ({"username": ""}, InvalidValue, "username"),
        ({"password": "short"}, InvalidValue, "password"),
        ({"role": "boss", "clusters": []}, InvalidValue, "role"),
        ({"clusters": []}, InvalidValue, "a manager needs one or more clusters"),
        ({"clusters": [4242]}, NotFound, "cluster 4242 not found"),
        (
            {"role": "officer", "clusters": [], "programme": "nowhere"},
            NotFound,
            "programme nowhere not found",
        ),
        ({"role": "officer", "clusters": []}, InvalidValue, "an officer needs a programme"),
        ({"role": "admin"}, InvalidValue, "administrator has neither"),
        ({"username": "taken"}, AlreadyExists, "user taken already exists"),
    ],
)
def test_bad_accounts_are_refused_and_nothing_is_added(store, kwargs, error, match):
    cluster = store.create_cluster("Alpha", "ana")
    store.create_user("taken", PASSWORD, "admin")
    args = {"username": "maria", "password": PASSWORD, "role": "manager", "clusters": [cluster.id]} | kwargs
    with pytest.raises(error, match=match):
        store.create_user(**args)
    assert [u.username for u in store.users()] == ["taken"]


def test_authenticate(store):
    cluster = store.create_cluster("Alpha", "ana")
    maria = store.create_user("maria", PASSWORD, "manager", clusters=[cluster.id])
    assert store.authenticate("maria", PASSWORD) == maria
    assert store.authenticate("maria", PASSWORD + "x") is None
    assert store.authenticate("maria", "") is None
    assert store.authenticate("nobody", PASSWORD) is None
    assert store.authenticate("maria", None) is None  # type: ignore[arg-type]
    store.set_password("maria", "another password")
    assert store.authenticate("maria", PASSWORD) is None
    assert store.authenticate("maria", "another password") == maria

    disabled = store.disable_user("maria")
    assert disabled.disabled and store.user("maria").disabled
    assert store.authenticate("maria", "another password") is None
    assert store.disable_user("maria").disabled  # again: nothing changes
    with pytest.raises(NotFound, match="user nobody not found"):
        store.disable_user("nobody")


def test_a_hash_made_with_older_parameters_is_replaced_at_sign_in(store, db_url, monkeypatch):
    old = PasswordHasher(time_cost=1, memory_cost=32, parallelism=1)
    monkeypatch.setattr(storage.accounts, "HASHER", old)
    store.create_user("maria", PASSWORD, "admin")
    new = PasswordHasher(time_cost=2, memory_cost=64, parallelism=1)
    monkeypatch.setattr(storage.accounts, "HASHER", new)

    def stored() -> str:
        engine = make_engine(db_url)
        try:
            with engine.connect() as connection:
                return connection.execute(sa.select(User.password_hash)).scalar_one()
        finally:
            engine.dispose()

    assert old.check_needs_rehash(stored()) is False and new.check_needs_rehash(stored())
    assert store.authenticate("maria", PASSWORD) is not None
    assert not new.check_needs_rehash(stored())
    assert store.authenticate("maria", PASSWORD) is not None


# ---- the language each user chose (migration 0005) ----


def test_migration_0005_adds_an_empty_language_to_existing_users_and_downgrades(db_url):
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0004")
            connection.execute(
                sa.text(
                    "INSERT INTO users (username, password_hash, role, created_at) "
                    "VALUES ('old', 'x', 'admin', :at)"
                ),
                {"at": datetime.now(UTC)},
            )
        assert "language" not in {c["name"] for c in sa.inspect(engine).get_columns("users")}
        with Store(db_url) as store:  # opening migrates to the head
            assert store.user("old").language is None
            assert storage.accounts.set_language(store, "old", "pt").language == "pt"
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0004")
        assert "language" not in {c["name"] for c in sa.inspect(engine).get_columns("users")}
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT username FROM users")).scalars().all() == ["old"]
    finally:
        engine.dispose()


def test_a_users_language_is_kept_changed_and_forgotten(store):
    maria = store.create_user("maria", PASSWORD, "admin")
    assert maria.language is None
    assert storage.accounts.set_language(store, "maria", "es").language == "es"
    assert store.user("maria").language == "es"
    assert store.authenticate("maria", PASSWORD).language == "es"
    storage.accounts.set_language(store, "maria", "pt")
    assert store.user("maria").language == "pt"
    assert storage.accounts.set_language(store, "maria", None).language is None
    assert store.user("maria").language is None


@pytest.mark.parametrize(
    ("username", "language", "error", "match"),
    [
        ("maria", "fr", InvalidValue, "language: 'fr' is not one of en, es, pt"),
        ("maria", "ES", InvalidValue, "language: 'ES' is not one of en, es, pt"),
        ("maria", "", InvalidValue, "language: '' is not one of en, es, pt"),
        ("nobody", "es", NotFound, "user nobody not found"),
    ],
)
def test_a_bad_language_or_user_is_refused_and_nothing_changes(store, username, language, error, match):
    store.create_user("maria", PASSWORD, "admin")
    storage.accounts.set_language(store, "maria", "es")
    with pytest.raises(error, match=match):
        storage.accounts.set_language(store, username, language)
    assert store.user("maria").language == "es"


def test_a_user_sets_only_their_own_language_in_the_checked_view(store):
    cluster = store.create_cluster("Alpha", "ana")
    maria = store.create_user("maria", PASSWORD, "manager", clusters=[cluster.id])
    root = store.create_user("root", PASSWORD, "admin")
    view = store.as_user(maria)
    assert view.set_language("pt").language == "pt"
    assert view.user.language == "pt" and store.user("maria").language == "pt"
    assert view.set_language("es", username="maria").language == "es"
    with pytest.raises(Forbidden, match="user maria may not change the language of user root"):
        view.set_language("es", username="root")
    with pytest.raises(Forbidden, match="user root may not change the language of user maria"):
        store.as_user(root).set_language("en", username="maria")  # not even an administrator
    assert store.user("root").language is None and store.user("maria").language == "es"
    store.disable_user("maria")
    with pytest.raises(Forbidden, match="the account is disabled"):
        view.set_language("en")
    assert store.user("maria").language == "es"


# ---- demo accounts ----


def test_demo_accounts_are_created_once(store, tmp_path, questionnaire):
    for name in ("aei_pattern_year8.yaml", "young_public_launch.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    assert load_demo(store, tmp_path, questionnaire) == 2
    other = store.create_cluster("Not a demo cluster", "ana")
    accounts = demo_accounts(store)
    assert [(u, r) for u, _, r, _ in accounts] == [
        ("manager-aei_pattern_year8", "manager"),
        ("manager-young_public_launch", "manager"),
        ("officer-demo", "officer"),
        ("admin", "admin"),
    ]
    demo_ids = tuple(c.id for c in store.clusters() if c.id != other.id)
    assert store.programme("demo").clusters == tuple(sorted(demo_ids))
    for username, password, role, scope in accounts:
        user = store.authenticate(username, password)
        assert user is not None and (user.role, user.scope) == (role, scope)
    assert accounts[2][3] == "programme demo"
    officer = store.as_user(store.user("officer-demo"))
    assert {c.id for c in officer.clusters()} == set(demo_ids)
    manager = store.as_user(store.user("manager-aei_pattern_year8"))
    assert len(manager.clusters()) == 1

    assert demo_accounts(store) == accounts  # again: the same accounts, nothing added
    assert len(store.users()) == 4


# ---- the command line ----


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    with Store(url) as store:
        store.create_cluster("Alpha", "ana")
        store.create_cluster("Beta", "ana")
        store.create_programme("basque-2025", "Basque programme 2025")
    return url


def run(args, capsys, monkeypatch, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_user_add_list_disable(cli_db, capsys, monkeypatch):
    code, out, err = run(
        ["user", "add", "maria", "--role", "manager", "--cluster", "1", "--cluster", "2", "--password-stdin"],
        capsys,
        monkeypatch,
        stdin=PASSWORD + "\n",
    )
    assert (code, err) == (0, "")
    assert out == "Added user maria (manager, clusters 1, 2)\n"
    code, out, _ = run(
        ["user", "add", "olga", "--role", "officer", "--programme", "basque-2025", "--password-stdin"],
        capsys,
        monkeypatch,
        stdin=PASSWORD + "\n",
    )
    assert code == 0
    code, out, _ = run(["user", "add", "root", "--role", "admin"], capsys, monkeypatch)
    assert code == 0 and out.startswith("Added user root (admin, all)\nPassword: ")
    generated = out.split("Password: ")[1].strip()

    with Store(cli_db) as store:
        assert store.authenticate("maria", PASSWORD).clusters == (1, 2)
        assert store.authenticate("olga", PASSWORD).programme == "basque-2025"
        assert store.authenticate("root", generated).role == "admin"

    assert run(["user", "disable", "olga"], capsys, monkeypatch)[:2] == (0, "Disabled user olga\n")
    code, out, _ = run(["user", "list"], capsys, monkeypatch)
    assert code == 0
    assert out.splitlines() == [
        "username  role     scope                  status",
        "maria     manager  clusters 1, 2          active",
        "olga      officer  programme basque-2025  disabled",
        "root      admin    all                    active",
    ]
    with Store(cli_db) as store:
        assert store.authenticate("olga", PASSWORD) is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["user", "add", "taken", "--role", "admin", "--password-stdin"], "user taken already exists"),
        (
            ["user", "add", "maria", "--role", "manager", "--cluster", "99", "--password-stdin"],
            "cluster 99 not found",
        ),
        (
            ["user", "add", "maria", "--role", "officer", "--programme", "nowhere", "--password-stdin"],
            "programme nowhere not found",
        ),
        (
            ["user", "add", "maria", "--role", "manager", "--password-stdin"],
            "a manager needs one or more clusters",
        ),
        (["user", "add", "Maria!", "--role", "admin", "--password-stdin"], "username: 'Maria!'"),
        (["user", "disable", "nobody"], "user nobody not found"),
    ],
)
def test_cli_user_errors_exit_2_with_a_clear_message(cli_db, capsys, monkeypatch, args, message):
    with Store(cli_db) as store:
        store.create_user("taken", PASSWORD, "admin")
    code, out, err = run(args, capsys, monkeypatch, stdin=PASSWORD + "\n")
    assert (code, out) == (2, "")
    assert message in err
    with Store(cli_db) as store:
        assert [u.username for u in store.users()] == ["taken"]


def test_cli_short_password_from_stdin_is_refused(cli_db, capsys, monkeypatch):
    code, _, err = run(
        ["user", "add", "root", "--role", "admin", "--password-stdin"], capsys, monkeypatch, "short\n"
    )
    assert code == 2 and "password" in err


def test_cli_programme_add_and_assign(cli_db, capsys, monkeypatch):
    assert run(["programme", "add", "north", "North programme"], capsys, monkeypatch)[:2] == (
        0,
        "Added programme north (North programme)\n",
    )
    assert run(["programme", "assign", "north", "1", "2"], capsys, monkeypatch)[:2] == (
        0,
        "Programme north: clusters 1, 2\n",
    )
    code, _, err = run(["programme", "add", "north", "Again"], capsys, monkeypatch)
    assert code == 2 and "programme north already exists" in err
