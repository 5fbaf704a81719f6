"""Result summaries, the re-score of a whole programme and the batch read of review statuses.

On SQLite and PostgreSQL: every result saved writes its summary row; migration 0004 fills
the summaries of results stored before it; `rescore_all` after a weight change gives each
submitted assessment the overall, dimension scores and red flags a fresh `Engine.score`
gives, leaves drafts and the submitted result JSON alone and reports answer sets that no
longer validate; `review_statuses` answers for many ids at once and refuses like
`review_status`.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from alembic import command

from assessment.answers import check_answers
from assessment.questionnaire import Questionnaire
from programmes import portfolio_frame
from programmes.rescore import rescore_all
from scoring import Engine
from storage import Forbidden, InvalidValue, NotFound, Store, load_demo
from storage.db import alembic_config, make_engine
from storage.models import Answer, Result, ResultSummary
from storage.results import ScoreUpdate
from storage.summary import summary_of_result
from tests.test_access import fast_hasher, world  # noqa: F401  (fixtures)

pytest_plugins = ["tests.pg"]


def moved(questionnaire: Questionnaire, points: float = 5.0) -> Questionnaire:
    """The questionnaire with `points` of weight moved from its last dimension to its second."""
    data = questionnaire.model_dump(by_alias=True, exclude_none=True)
    data["dimensions"][1]["weight"] += points
    data["dimensions"][-1]["weight"] -= points
    return Questionnaire.model_validate(data)


def _rows(store: Store, model: type, *columns: str) -> dict[int, tuple]:
    engine = make_engine(store.url)
    try:
        with engine.connect() as c:
            table = model.__table__
            stmt = sa.select(table.c.assessment_id, *(table.c[col] for col in columns))
            return {aid: tuple(rest) for aid, *rest in c.execute(stmt)}
    finally:
        engine.dispose()


def test_saving_a_result_writes_its_summary(store, questionnaire):
    load_demo(store, questionnaire=questionnaire)
    summaries = _rows(store, ResultSummary, "overall", "stage", "summary", "rescored")
    results = _rows(store, Result, "overall", "stage", "result_json")
    assert summaries and set(summaries) == set(results)
    for aid, (overall, stage, text) in results.items():
        assert summaries[aid] == (overall, stage, summary_of_result(text), False)
        data = json.loads(text)
        assert summaries[aid][2]["dimensions"] == {d["id"]: d["score"] for d in data["dimensions"]}
    # a draft's result is summarised too, and replaced with it
    cluster = store.clusters()[0]
    draft = store.new_version(store.assessments(cluster.id)[0].id, "ana")
    store.save_result(draft.id, '{"overall": 1}', 1.0, "launch", "1")
    assert _rows(store, ResultSummary, "overall", "summary")[draft.id] == (
        1.0,
        {"dimensions": {}, "red_flags": []},
    )
    store.save_result(draft.id, "not json", 2.0, "launch", "1")
    assert _rows(store, ResultSummary, "overall", "summary")[draft.id] == (2.0, None)


@pytest.mark.parametrize("workers", [1, 2])
def test_rescore_gives_what_a_fresh_engine_gives_and_leaves_the_rest(store, questionnaire, workers):
    load_demo(store, questionnaire=questionnaire)
    first = store.clusters()[0]
    draft = store.new_version(store.assessments(first.id)[0].id, "ana")
    store.save_result(draft.id, '{"overall": 1}', 1.0, "launch", "1")
    before_json = _rows(store, Result, "result_json")
    before = portfolio_frame(store, questionnaire).set_index("assessment_id")
    changed = moved(questionnaire)

    report = rescore_all(store, changed, "olga", "weights moved", workers=workers, batch=3)

    assert report.rescored == len(before) and report.invalid == ()
    after = portfolio_frame(store, changed).set_index("assessment_id")
    engine = Engine(changed)
    differs = 0
    for aid, row in after.iterrows():
        fresh = engine.score(check_answers(changed, store.answer_data(int(aid))))
        assert row["overall"] == fresh.overall
        assert row["stage"] == fresh.stage.id
        for dim in fresh.dimensions:
            assert (dim.score is None and row[dim.id] != row[dim.id]) or row[dim.id] == dim.score
        assert list(row["red_flag_lessons"]) == [f.lesson for f in fresh.findings_of("red_flag")]
        differs += row["overall"] != before.loc[aid, "overall"]
    assert differs > 0  # the weight change moved some index
    assert _rows(store, Result, "result_json") == before_json  # the submitted results stay the record
    summaries = _rows(store, ResultSummary, "overall", "rescored")
    assert summaries[draft.id] == (1.0, False)  # drafts are not touched
    assert all(summaries[int(a)][1] for a in after.index)
    audit = [e for e in store.cluster_audit(first.id) if e.action == "rescore"]
    assert audit == []  # one row for the whole re-score, on no cluster
    engine_ = make_engine(store.url)
    try:
        with engine_.connect() as c:
            rows = c.execute(sa.text("SELECT actor, action, new FROM audit WHERE action = 'rescore'")).all()
    finally:
        engine_.dispose()
    assert len(rows) == 1 and rows[0][0] == "olga"
    new = rows[0][2] if isinstance(rows[0][2], dict) else json.loads(rows[0][2])
    assert new == {"reason": "weights moved", "results": len(before)}


def test_an_answer_set_that_no_longer_validates_is_reported_and_keeps_its_scores(store, questionnaire):
    load_demo(store, questionnaire=questionnaire)
    victim = int(portfolio_frame(store, questionnaire)["assessment_id"].iloc[0])
    engine = make_engine(store.url)
    try:
        with engine.begin() as c:  # as if the questionnaire had changed under a stored answer
            c.execute(
                sa.update(Answer)
                .where(
                    Answer.assessment_id == victim, Answer.section == "profile", Answer.key == "founded_year"
                )
                .values(value="not a year")
            )
    finally:
        engine.dispose()
    kept = _rows(store, ResultSummary, "overall", "summary", "rescored")[victim]
    report = rescore_all(store, moved(questionnaire), "olga", "weights moved")
    assert [aid for aid, _ in report.invalid] == [victim]
    assert "founded_year" in report.invalid[0][1]
    assert _rows(store, ResultSummary, "overall", "summary", "rescored")[victim] == kept
    assert report.rescored == len(store.clusters()) - 1


def test_rewrite_scores_refuses_a_bad_score_and_writes_nothing(store, questionnaire):
    load_demo(store, questionnaire=questionnaire)
    before = _rows(store, ResultSummary, "overall", "summary")
    ids = sorted(before)
    good = ScoreUpdate(ids[0], 1.0, "launch", {"dimensions": {}, "red_flags": []})
    bad = ScoreUpdate(ids[1], float("nan"), "launch", None)
    with pytest.raises(InvalidValue, match="overall"):
        store.rewrite_scores([[good], [bad]], "olga", "test")
    with pytest.raises(InvalidValue, match="reason"):
        store.rewrite_scores([[good]], "olga", " ")
    assert _rows(store, ResultSummary, "overall", "summary") == before
    with pytest.raises(InvalidValue, match="actor"):  # refused before any work
        rescore_all(store, questionnaire, " ", "weights moved")
    assert rescore_all(Store(store.url), questionnaire, "olga", "same weights").rescored == len(ids)


def test_an_empty_store_rescored_does_nothing(store, questionnaire):
    report = rescore_all(store, questionnaire, "olga", "weights moved", workers=2)
    assert (report.rescored, report.invalid) == (0, ())


def test_migration_0004_summarises_the_results_stored_before_it(db_url, questionnaire):
    with Store(db_url) as store:
        load_demo(store, questionnaire=questionnaire)
        cluster = store.clusters()[0]
        draft = store.new_version(store.assessments(cluster.id)[0].id, "ana")
        store.save_result(draft.id, "[not a result", None, None, "1")
        expected = _rows(store, ResultSummary, "overall", "stage", "summary")
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0003")
        assert "result_summaries" not in sa.inspect(engine).get_table_names()
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0004")
        with engine.connect() as connection:
            got = {
                aid: (overall, stage, summary if isinstance(summary, dict | None) else json.loads(summary))
                for aid, overall, stage, summary in connection.execute(
                    sa.text("SELECT assessment_id, overall, stage, summary FROM result_summaries")
                )
            }
    finally:
        engine.dispose()
    # 0004 summarised the scores and red flags; 0007 (at the next opening) adds the completeness
    without = {
        aid: (o, st, None if s is None else {k: v for k, v in s.items() if k != "completeness"})
        for aid, (o, st, s) in expected.items()
    }
    assert got == without and got[draft.id] == (None, None, None)
    with Store(db_url) as store:
        got = _rows(store, ResultSummary, "overall", "stage", "summary")
    assert got == expected and all(s is None or "completeness" in s for _, _, s in got.values())


def test_review_statuses_in_one_call_match_the_single_reads(world):  # noqa: F811
    store, ids = world.store, world.ids
    store.set_review_status(ids["a_sub"], "in_review", "olga")
    wanted = [ids["a_sub"], ids["a_draft"], ids["c_sub"]]
    assert store.review_statuses(wanted) == {i: store.review_status(i) for i in wanted}
    assert store.review_statuses([]) == {}
    with pytest.raises(NotFound, match=r"999999"):
        store.review_statuses([ids["a_sub"], 999_999])
    olga = world.as_("olga")
    assert olga.review_statuses([ids["a_sub"]]) == {ids["a_sub"]: "in_review"}
    for refused in (ids["a_draft"], ids["c_sub"], 999_999):  # a draft, another programme, no such id
        with pytest.raises(Forbidden, match=str(refused)):
            olga.review_statuses([ids["a_sub"], refused])
    assert world.as_("mia").review_statuses([ids["a_sub"], ids["a_draft"]]) == {
        ids["a_sub"]: "in_review", ids["a_draft"]: "draft"
    }  # fmt: skip
    with pytest.raises(Forbidden):
        world.as_("mia").review_statuses([ids["c_sub"]])
    assert world.as_("root").review_statuses(wanted) == store.review_statuses(wanted)


def test_rescore_tells_its_progress_after_every_batch(store, questionnaire):
    load_demo(store, questionnaire=questionnaire)
    heard: list[tuple[int, int, int]] = []
    report = rescore_all(
        store, questionnaire, "olga", "progress", batch=3, progress=lambda *p: heard.append(p)
    )
    assert heard and heard[-1][0] == heard[-1][1] == len(heard)
    assert [done for done, _, _ in heard] == list(range(1, len(heard) + 1))
    assert heard[-1][2] == report.rescored


def test_rewrite_scores_given_a_drafts_id_leaves_the_draft_alone(store, questionnaire):
    load_demo(store, questionnaire=questionnaire)
    first = store.clusters()[0]
    submitted = store.assessments(first.id)[0].id
    draft = store.new_version(submitted, "ana")
    store.save_result(draft.id, '{"overall": 1}', 1.0, "launch", "1")
    summary = {"dimensions": {}, "red_flags": []}
    done = store.rewrite_scores(
        [[ScoreUpdate(draft.id, 99.0, "maturity", summary), ScoreUpdate(submitted, 42.0, "launch", summary)]],
        "olga",
        "a draft slipped in",
    )
    rows = _rows(store, ResultSummary, "overall", "stage", "rescored")
    assert done == 1
    assert rows[draft.id] == (1.0, "launch", False)  # the draft is never rewritten
    assert rows[submitted] == (42.0, "launch", True)
