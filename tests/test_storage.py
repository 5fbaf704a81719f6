"""The store: migrations, answers saved one by one with their audit trail, submission, versions, demo data.

Every test that takes `store` or `db_url` runs on SQLite (a file) and on PostgreSQL (a
server started once per session by tests/pg.py).
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import storage.answers
from assessment.answers import check_answers
from assessment.errors import AssessmentError
from assessment.loading import parse_answers_text
from assessment.questionnaire import Questionnaire
from scoring import Engine, result_from_json, result_to_json
from storage import (
    FrozenAssessment,
    InvalidValue,
    NotFound,
    NotSubmitted,
    Store,
    demo_enabled,
    load_demo,
)
from storage.db import (
    alembic_config,
    current_revision,
    default_url,
    head_revision,
    make_engine,
    newest_migration,
)
from storage.models import Answer, Base
from tests.conftest import EXAMPLES, ROOT

pytest_plugins = ["tests.pg"]

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
Q, V = "cluster-sustainability", "1.1"
TABLES = {"clusters", "assessments", "answers", "results", "audit", "plans"}


def draft(store: Store, name: str = "Clúster de prueba", year: int = 2025) -> int:
    cluster = store.create_cluster(name, "ana")
    return store.start_assessment(cluster.id, Q, V, year, "ana").id


def set_values(data: dict[str, Any]) -> dict[str, Any]:
    """An answers-file dict as the store gives it back: null profile fields and answers left out."""
    out = dict(data)
    for section in ("profile", "answers"):
        out[section] = {k: v for k, v in (data.get(section) or {}).items() if v is not None}
    return out


def scored(questionnaire: Questionnaire, data: dict[str, Any]) -> tuple[str, float | None, str | None, str]:
    result = Engine(questionnaire).score(check_answers(questionnaire, data))
    return result_to_json(result), result.overall, result.stage.id, result.engine_version


def aware_utc(moment: datetime) -> bool:
    return moment.tzinfo is not None and moment.utcoffset().total_seconds() == 0


# ---- migrations and connection ----


def test_migrations_run_on_an_empty_database_and_agree_with_the_models(db_url):
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        assert not TABLES & set(sa.inspect(engine).get_table_names())
        Store(db_url).close()
        assert head_revision() is not None
        assert current_revision(engine) == head_revision()
        assert TABLES | {"alembic_version"} <= set(sa.inspect(engine).get_table_names())
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            # The comparison sees differences: a column the migration lacks is one.
            other = sa.MetaData()
            for table in Base.metadata.tables.values():
                table.to_metadata(other)
            other.tables["answers"].append_column(sa.Column("note", sa.Text()))
            diff = compare_metadata(context, other)
            assert [d[0] for d in diff] == ["add_column"]
        Store(db_url).close()  # opening again: already at head, nothing to do
    finally:
        engine.dispose()


def test_the_newest_migration_is_read_off_the_file_names_as_alembic_finds_it():
    # Opening a store on an up-to-date database trusts the file names (no Alembic import):
    # each migration's file must start with its own revision id, counting up from its parent.
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    for script in scripts.walk_revisions():
        assert Path(script.path).name.startswith(f"{script.revision}_"), script.path
        if script.down_revision is not None:
            assert int(script.revision) == int(script.down_revision) + 1, script.path
    assert newest_migration() == head_revision()


@pytest.mark.postgres
def test_migrations_on_a_new_postgresql_database(postgres_server):
    # The other tests use a schema of their own; the app uses a database's default schema.
    url = postgres_server.new_database()
    engine = make_engine(url)
    try:
        Store(url).close()
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT current_schema()").scalar() == "public"
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert set(sa.inspect(engine).get_table_names(schema="public")) >= TABLES
    finally:
        engine.dispose()


@pytest.mark.parametrize("target", ["base", "-1"], ids=["empty", "one migration behind"])
def test_a_database_behind_the_files_is_upgraded_when_opened(db_url, target):
    Store(db_url).close()
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), target)
        assert current_revision(engine) != newest_migration()
        if target == "base":
            assert not TABLES & set(sa.inspect(engine).get_table_names())
        with Store(db_url) as store:
            assert store.clusters() == []
        assert current_revision(engine) == newest_migration() == head_revision()
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_creates_its_folder(tmp_path):
    path = tmp_path / "deep" / "er" / "assessments.db"
    with Store(f"sqlite:///{path}") as store:
        assert path.exists()
        assert store.dialect == "sqlite"
        engine = make_engine(store.url)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        engine.dispose()


def test_default_url_is_the_data_folder_unless_database_url_is_set(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert default_url() == f"sqlite:///{ROOT / 'data' / 'assessments.db'}"
    url = f"sqlite:///{tmp_path / 'from_env.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    with Store() as store:
        assert store.url == url
        store.create_cluster("Env", "ana")
    assert (tmp_path / "from_env.db").exists()


def test_display_url_hides_the_password():
    store = Store.__new__(Store)
    store.url = "postgresql+psycopg://app:s3cret@db.example/assess"
    assert store.display_url == "postgresql+psycopg://app:***@db.example/assess"


# ---- clusters and drafts ----


def test_create_cluster_and_start_a_draft(store):
    zeta = store.create_cluster("  Zeta cluster ", "ana")
    alpha = store.create_cluster("alpha cluster", "ben")
    assert zeta.name == "Zeta cluster"
    assert [c.name for c in store.clusters()] == ["alpha cluster", "Zeta cluster"]
    assert store.cluster(zeta.id) == zeta
    assert aware_utc(zeta.created_at)
    assert store.assessments(alpha.id) == []
    assert store.latest_draft(alpha.id) is None

    first = store.start_assessment(alpha.id, Q, V, 2024, "ben")
    second = store.start_assessment(alpha.id, Q, V, 2025, "ben")
    assert (first.number, second.number) == (1, 2)
    assert first.status == "draft" and first.submitted_at is None
    assert (first.cluster_id, first.cluster_name, first.questionnaire, first.version, first.year) == (
        alpha.id,
        "alpha cluster",
        Q,
        V,
        2024,
    )
    assert first.overall is None and first.stage is None
    assert aware_utc(first.created_at) and aware_utc(first.updated_at)
    assert store.assessment(first.id) == first
    assert [a.id for a in store.assessments(alpha.id)] == [first.id, second.id]
    assert store.latest_draft(alpha.id) == second
    assert store.answer_data(first.id) == {
        "questionnaire": Q,
        "version": V,
        "year": 2024,
        "profile": {},
        "answers": {},
    }

    [started] = store.audit(first.id)
    assert (started.actor, started.action, started.field, started.old) == ("ben", "start", None, None)
    assert started.new == {"questionnaire": Q, "version": V, "year": 2024, "number": 1}
    history = store.cluster_audit(alpha.id)
    assert [(e.action, e.assessment_id) for e in history] == [
        ("create_cluster", None),
        ("start", first.id),
        ("start", second.id),
    ]
    assert history[0].new == "alpha cluster"


def test_unknown_ids_raise_not_found_naming_the_id(store):
    assessment_id = draft(store)
    for call in (
        lambda: store.cluster(4242),
        lambda: store.assessments(4242),
        lambda: store.start_assessment(4242, Q, V, 2025, "ana"),
        lambda: store.assessment(4242),
        lambda: store.save_answer(4242, "critical_mass", 3, "ana"),
        lambda: store.answer_data(4242),
        lambda: store.audit(4242),
        lambda: store.result_json(4242),
    ):
        with pytest.raises(NotFound, match="4242") as caught:
            call()
        assert isinstance(caught.value, AssessmentError)
    assert store.answer_data(assessment_id)["answers"] == {}


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda s, a: s.create_cluster("   ", "ana"), "name"),
        (lambda s, a: s.save_answer(a, "critical_mass", 3, ""), "actor"),
        (lambda s, a: s.save_answer(a, "", 3, "ana"), "question id"),
        (lambda s, a: s.save_answer(a, "turnover_share_gdp", math.nan, "ana"), "finite"),
        (lambda s, a: s.save_answer(a, "x", {1: "a"}, "ana"), "key 1"),
        (lambda s, a: s.save_answer(a, "x", {"a", "b"}, "ana"), "JSON"),
        (lambda s, a: s.save_answer(a, "x", datetime(2025, 1, 1), "ana"), "JSON"),
        (lambda s, a: s.set_year(a, 1800, "ana"), "year"),
        (lambda s, a: s.set_year(a, "2025", "ana"), "year"),
        (lambda s, a: s.save_profile(a, "name", "x" * 201, "ana"), "at most 200"),
    ],
)
def test_values_the_store_cannot_keep_are_refused_and_nothing_changes(store, call, match):
    assessment_id = draft(store)
    before = store.answer_data(assessment_id), store.audit(assessment_id)
    with pytest.raises(InvalidValue, match=match):
        call(store, assessment_id)
    assert (store.answer_data(assessment_id), store.audit(assessment_id)) == before


# ---- answers, one by one ----


def test_save_overwrite_and_delete_answers_one_by_one_with_the_audit_trail(store, db_url):
    a = draft(store)
    store.save_answer(a, "critical_mass", 2, "ana")
    store.save_answer(a, "funding_mix", {"public_baseline": 60, "membership_fees": 40}, "ana")
    store.save_answer(a, "related_activities", ["suppliers", "training"], "ben")
    store.save_answer(a, "critical_mass", 3, "ben")  # overwrite
    store.save_answer(a, "related_activities", None, "ana")  # delete
    store.save_answer(a, "critical_mass", 3, "ana")  # the same value again: nothing to record
    store.save_answer(a, "never_answered", None, "ana")  # deleting what is not there: nothing either

    assert store.answer_data(a)["answers"] == {
        "critical_mass": 3,
        "funding_mix": {"public_baseline": 60, "membership_fees": 40},
    }
    changes = [(e.actor, e.action, e.field, e.old, e.new) for e in store.audit(a)][1:]
    assert changes == [
        ("ana", "save", "answers.critical_mass", None, 2),
        ("ana", "save", "answers.funding_mix", None, {"public_baseline": 60, "membership_fees": 40}),
        ("ben", "save", "answers.related_activities", None, ["suppliers", "training"]),
        ("ben", "save", "answers.critical_mass", 2, 3),
        ("ana", "delete", "answers.related_activities", ["suppliers", "training"], None),
    ]
    stamps = [e.at for e in store.audit(a)]
    assert all(aware_utc(t) for t in stamps) and stamps == sorted(stamps)

    # Saving one answer never touches the others: their rows keep their ids and timestamps.
    engine = make_engine(db_url)
    try:
        query = sa.select(Answer.key, Answer.id, Answer.updated_at).where(Answer.assessment_id == a)
        with engine.connect() as connection:
            before = {k: (i, t) for k, i, t in connection.execute(query)}
        store.save_answer(a, "critical_mass", 4, "ana")
        with engine.connect() as connection:
            after = {k: (i, t) for k, i, t in connection.execute(query)}
    finally:
        engine.dispose()
    assert after["funding_mix"] == before["funding_mix"]
    assert after["critical_mass"][0] == before["critical_mass"][0]
    assert after["critical_mass"][1] > before["critical_mass"][1]


def test_values_are_kept_exactly_as_given(store):
    a = draft(store)
    values = {
        "int": 3,
        "float": 3.0,
        "small": 0.1 + 0.2,
        "true": True,
        "text": "Clúster del Mueble — “Ocotlán” 家具",
        "digits": "0042",
        "list": ["suppliers", "customers"],
        "nested": {
            "zeta": {"offered": True, "uptake": 30.5},
            "alpha": {"name": "Own service", "offered": False},
        },
        "empty_text": "",
        "empty_list": [],
        "zero": 0,
    }
    for key, value in values.items():
        store.save_answer(a, key, value, "ana")
    back = store.answer_data(a)["answers"]
    assert back == values
    # Same JSON text: types (3 and 3.0, True and 1) and the order of keys are kept.
    assert json.dumps(back) == json.dumps(values)
    assert list(back) == list(values)

    # 3 -> 3.0 and True -> 1 are changes (the answers file would differ), and are recorded.
    store.save_answer(a, "int", 3.0, "ana")
    store.save_answer(a, "true", 1, "ana")
    store.save_answer(
        a, "nested", {"alpha": values["nested"]["alpha"], "zeta": values["nested"]["zeta"]}, "ana"
    )
    back = store.answer_data(a)["answers"]
    assert type(back["int"]) is float and type(back["true"]) is int
    assert list(back["nested"]) == ["alpha", "zeta"]
    assert [e.field for e in store.audit(a)][-3:] == ["answers.int", "answers.true", "answers.nested"]


def test_profile_fields_and_the_cluster_name(store):
    a = draft(store, name="Old name")
    cluster_id = store.assessment(a).cluster_id
    store.save_profile(a, "founded_year", 2018, "ana")
    store.save_profile(a, "name", "New name", "ben")
    store.save_profile(a, "name", "   ", "ben")  # kept as given, but no blank cluster name
    assert store.cluster(cluster_id).name == "New name"
    assert store.assessment(a).cluster_name == "New name"
    store.save_profile(a, "name", None, "ben")
    assert store.cluster(cluster_id).name == "New name"
    assert store.answer_data(a)["profile"] == {"founded_year": 2018}
    assert [(e.action, e.field, e.old, e.new) for e in store.audit(a)][1:] == [
        ("save", "profile.founded_year", None, 2018),
        ("save", "profile.name", None, "New name"),
        ("rename_cluster", "cluster.name", "Old name", "New name"),
        ("save", "profile.name", "New name", "   "),
        ("delete", "profile.name", "   ", None),
    ]


def test_set_year(store):
    a = draft(store, year=2024)
    before = store.assessment(a).updated_at
    store.set_year(a, 2024, "ana")
    assert len(store.audit(a)) == 1
    store.set_year(a, 2025, "ben")
    assert store.assessment(a).year == 2025 and store.answer_data(a)["year"] == 2025
    assert store.assessment(a).updated_at > before
    last = store.audit(a)[-1]
    assert (last.actor, last.action, last.field, last.old, last.new) == ("ben", "save", "year", 2024, 2025)


# ---- answers files ----


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_answer_data_round_trips_each_example(store, questionnaire, path):
    data = parse_answers_text(path.read_text(encoding="utf-8"), path.name)
    cluster = store.create_cluster(data["profile"]["name"], "ana")
    a = store.start_assessment(cluster.id, data["questionnaire"], str(data["version"]), 2000, "ana").id
    store.save_answer(a, "critical_mass", 0, "ana")  # replaced by the import
    store.save_answer(a, "no_such_question", "gone", "ana")  # removed by the import

    store.import_answers(a, data, "ben")
    back = store.answer_data(a)
    assert back == set_values(data)
    assert json.dumps(back["answers"]) == json.dumps(set_values(data)["answers"])  # order and types too
    assert check_answers(questionnaire, back) == check_answers(questionnaire, data)

    imported = [e for e in store.audit(a) if e.action == "import"]
    answered = set_values(data)
    assert (
        len(imported) == 1 + len(answered["profile"]) + len(answered["answers"]) + 1
    )  # year, all, the gone one
    assert {e.actor for e in imported} == {"ben"}
    assert ("answers.critical_mass", 0, data["answers"]["critical_mass"]) in [
        (e.field, e.old, e.new) for e in imported
    ]
    assert ("answers.no_such_question", "gone", None) in [(e.field, e.old, e.new) for e in imported]

    # Importing the same data again changes nothing and records nothing.
    before = store.audit(a)
    store.import_answers(a, data, "ben")
    assert store.audit(a) == before and store.answer_data(a) == back


def test_import_replaces_a_draft_and_is_one_transaction(store, monkeypatch):
    full = parse_answers_text((EXAMPLES / "mature_member_financed.yaml").read_text(), "full.yaml")
    partial = parse_answers_text((EXAMPLES / "draft_partial.yaml").read_text(), "partial.yaml")
    a = draft(store)
    store.import_answers(a, full, "ana")
    store.import_answers(a, partial, "ben")
    assert store.answer_data(a) == set_values(partial)
    assert store.assessment(a).cluster_name == partial["profile"]["name"]

    # A failure half-way leaves the draft as it was: no answer and no audit row written.
    before = store.answer_data(a), store.audit(a)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(storage.answers, "_rename", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        store.import_answers(a, full, "ana")
    assert (store.answer_data(a), store.audit(a)) == before

    with pytest.raises(InvalidValue, match="other-questionnaire"):
        store.import_answers(a, {**full, "questionnaire": "other-questionnaire"}, "ana")
    with pytest.raises(InvalidValue, match="version 2.0"):
        store.import_answers(a, {**full, "version": "2.0"}, "ana")
    with pytest.raises(InvalidValue, match="answers.funding_mix"):
        store.import_answers(a, {**full, "answers": {"funding_mix": {"public": math.inf}}}, "ana")
    assert (store.answer_data(a), store.audit(a)) == before


# ---- submission, results and versions ----


def test_submit_freezes_the_assessment(store, questionnaire):
    data = parse_answers_text((EXAMPLES / "young_public_launch.yaml").read_text(), "young.yaml")
    a = draft(store)
    store.import_answers(a, data, "ana")
    result, overall, stage, engine_version = scored(questionnaire, data)
    info = store.submit(a, result, overall, stage, engine_version, "ben")
    assert info.status == "submitted" and aware_utc(info.submitted_at)
    assert (info.overall, info.stage) == (overall, stage) == (result_from_json(result).overall, "launch")
    assert store.result_json(a) == result
    assert store.latest_draft(info.cluster_id) is None
    last = store.audit(a)[-1]
    assert (last.actor, last.action) == ("ben", "submit")
    assert last.new == {"overall": overall, "stage": stage, "engine_version": engine_version}

    before = store.answer_data(a), store.audit(a), store.assessment(a)
    for call in (
        lambda: store.save_answer(a, "critical_mass", 0, "ana"),
        lambda: store.save_answer(a, "critical_mass", None, "ana"),
        lambda: store.save_profile(a, "name", "Renamed", "ana"),
        lambda: store.set_year(a, 2020, "ana"),
        lambda: store.import_answers(a, data, "ana"),
        lambda: store.save_result(a, "{}", 1.0, None, "0"),
        lambda: store.submit(a, result, overall, stage, engine_version, "ana"),
    ):
        with pytest.raises(FrozenAssessment, match=f"assessment {a} ") as caught:
            call()
        assert isinstance(caught.value, AssessmentError)
    assert (store.answer_data(a), store.audit(a), store.assessment(a)) == before
    assert store.result_json(a) == result


def test_drafts_keep_their_latest_result(store):
    a = draft(store)
    assert store.result_json(a) is None
    store.save_result(a, '{"overall": 40}', 40.0, "launch", "1.0.0")
    store.save_result(a, '{"overall": 55.5}', 55.5, "consolidation", "1.0.0")
    info = store.assessment(a)
    assert (info.overall, info.stage, info.status) == (55.5, "consolidation", "draft")
    assert store.result_json(a) == '{"overall": 55.5}'
    store.save_result(a, '{"overall": null}', None, None, "1.0.0")
    assert (store.assessment(a).overall, store.assessment(a).stage) == (None, None)
    assert [e.action for e in store.audit(a)] == ["start"]  # results are not audited


def test_new_version_copies_the_answers_and_leaves_the_old_version_readable(store, questionnaire):
    data = parse_answers_text((EXAMPLES / "captured_by_few.yaml").read_text(), "captured.yaml")
    a = draft(store)
    store.import_answers(a, data, "ana")
    result, overall, stage, engine_version = scored(questionnaire, data)
    first = store.submit(a, result, overall, stage, engine_version, "ana")
    second = store.new_version(first.id, "ben")
    with pytest.raises(NotSubmitted, match=f"assessment {second.id} is a draft"):
        store.new_version(second.id, "ben")
    assert (second.number, second.status, second.year, second.questionnaire, second.version) == (
        2,
        "draft",
        2025,
        Q,
        V,
    )
    assert second.overall is None and second.submitted_at is None
    assert store.answer_data(second.id) == store.answer_data(first.id) == set_values(data)
    assert store.latest_draft(first.cluster_id) == second
    [copied] = store.audit(second.id)
    assert (copied.actor, copied.action) == ("ben", "new_version")
    assert (copied.old, copied.new) == (
        {"assessment": first.id, "number": 1},
        {"assessment": second.id, "number": 2},
    )

    store.save_answer(second.id, "critical_mass", 0, "ben")
    store.save_answer(second.id, "funding_mix", None, "ben")
    store.set_year(second.id, 2026, "ben")
    assert store.answer_data(first.id) == set_values(data)
    assert store.assessment(first.id) == first
    assert store.result_json(first.id) == result
    assert result_from_json(store.result_json(first.id)).overall == overall

    # A version can also start again from an older submitted one.
    third = store.new_version(first.id, "ana")
    assert third.number == 3 and store.answer_data(third.id) == set_values(data)
    assert [x.number for x in store.assessments(first.cluster_id)] == [1, 2, 3]
    assert store.latest_draft(first.cluster_id).number == 3


# ---- demo data ----


def test_load_demo_adds_each_example_once(store, questionnaire):
    assert load_demo(store, questionnaire=questionnaire) == len(EXAMPLE_FILES)
    clusters = store.clusters()
    assert len(clusters) == len(EXAMPLE_FILES)
    by_name = {c.name: c for c in clusters}
    for path in EXAMPLE_FILES:
        data = parse_answers_text(path.read_text(encoding="utf-8"), path.name)
        [a] = store.assessments(by_name[data["profile"]["name"]].id)
        assert (a.status, a.number, a.year) == ("submitted", 1, data["year"])
        assert store.answer_data(a.id) == set_values(data)
        result = result_from_json(store.result_json(a.id))
        assert (result.overall, result.stage.id) == (a.overall, a.stage)
        assert result_to_json(result) == scored(questionnaire, data)[0]
        assert {e.actor for e in store.audit(a.id)} == {"demo"}

    # Idempotent, even after a demo cluster was renamed (it is known by the file it came from).
    first = store.assessments(clusters[0].id)[0]
    draft_id = store.new_version(first.id, "ana").id
    store.save_profile(draft_id, "name", "Renamed by its manager", "ana")
    assert load_demo(store, questionnaire=questionnaire) == 0
    assert load_demo(store) == 0
    assert len(store.clusters()) == len(EXAMPLE_FILES)


def test_a_restart_on_loaded_demo_data_reads_the_clusters_once(store, questionnaire):
    load_demo(store, questionnaire=questionnaire)
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(store._engine, "before_cursor_execute", seen)
    try:
        assert load_demo(store) == 0
    finally:
        sa.event.remove(store._engine, "before_cursor_execute", seen)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def test_load_demo_from_another_folder(store, tmp_path, questionnaire):
    (tmp_path / "one.yaml").write_text((EXAMPLES / "young_public_launch.yaml").read_text(encoding="utf-8"))
    (tmp_path / "notes.txt").write_text("not an example")
    assert load_demo(store, tmp_path, questionnaire) == 1
    assert load_demo(store, tmp_path, questionnaire) == 0
    [cluster] = store.clusters()
    assert store.cluster_by_origin("demo:one") == cluster


def test_demo_enabled_reads_cluster_assess_demo():
    assert demo_enabled({})
    assert demo_enabled({"CLUSTER_ASSESS_DEMO": "1"})
    assert not demo_enabled({"CLUSTER_ASSESS_DEMO": "0"})
    assert not demo_enabled({"CLUSTER_ASSESS_DEMO": " off "})


# ---- restarts ----


def _fill(store: Store, questionnaire: Questionnaire) -> dict[str, Any]:
    data = parse_answers_text((EXAMPLES / "argentina_consolidation.yaml").read_text(), "arg.yaml")
    a = draft(store)
    store.import_answers(a, data, "ana")
    result, overall, stage, engine_version = scored(questionnaire, data)
    submitted = store.submit(a, result, overall, stage, engine_version, "ana")
    second = store.new_version(a, "ben")
    store.save_answer(second.id, "critical_mass", 1, "ben")
    return _snapshot(store, submitted.cluster_id)


def _snapshot(store: Store, cluster_id: int) -> dict[str, Any]:
    return {
        "clusters": store.clusters(),
        "assessments": store.assessments(cluster_id),
        "answers": [store.answer_data(x.id) for x in store.assessments(cluster_id)],
        "audit": [store.audit(x.id) for x in store.assessments(cluster_id)],
        "result": store.result_json(store.assessments(cluster_id)[0].id),
    }


def test_a_reopened_store_sees_everything(db_url, questionnaire):
    with Store(db_url) as first:
        before = _fill(first, questionnaire)
    with Store(db_url) as again:
        assert _snapshot(again, before["clusters"][0].id) == before
        assert again.latest_draft(before["clusters"][0].id).number == 2


@pytest.mark.postgres
def test_postgresql_server_restart_loses_nothing(postgres_server, questionnaire):
    url = postgres_server.new_database()
    with Store(url) as store:
        before = _fill(store, questionnaire)
        postgres_server.restart()
        # The open store reconnects (its pooled connections died with the server) ...
        assert _snapshot(store, before["clusters"][0].id) == before
        store.save_answer(before["assessments"][1].id, "critical_mass", 2, "ben")
    # ... and a new one sees everything too.
    with Store(url) as again:
        assert again.answer_data(before["assessments"][1].id)["answers"]["critical_mass"] == 2


def test_timestamps_are_utc_whatever_the_session_time_zone(db_url):
    if db_url.startswith("postgresql"):
        db_url = db_url.replace("options=", "options=-cTimeZone%3DAsia%2FKolkata%20")
    store = Store(db_url)
    a = draft(store)
    store.save_answer(a, "critical_mass", 1, "ana")
    info = store.assessment(a)
    now = datetime.now(UTC)
    for moment in (info.created_at, info.updated_at, *(e.at for e in store.audit(a))):
        assert aware_utc(moment)
        assert abs((now - moment).total_seconds()) < 120
    store.close()


def test_path_of_examples_is_the_project_folder():
    assert Path(storage.demo.EXAMPLES_DIR) == EXAMPLES
