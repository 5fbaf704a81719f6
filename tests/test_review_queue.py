"""The officer's review queue: its order (pure, table-driven), the one-step decisions in storage, and exports.

The queue puts what waits for a decision first (submitted or in review), the longest waiting
at the top; then returned, then accepted. Accepting or returning from the queue starts the
review in the same transaction, and the audit trail has both steps. The exports carry the
completeness, the review status and the submission date, with headers in the language.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pandas as pd
import pytest

from programmes import headed, portfolio_frame, review_queue, sheet_name, to_csv, to_excel, to_review
from programmes.queue import FIRST_COLUMNS
from storage import InvalidTransition, Store, load_demo
from storage.summary import summary_of_result

pytest_plugins = ["tests.pg"]


def _day(day: int | None) -> datetime | None:
    return None if day is None else datetime(2026, 3, day, 9, 0, tzinfo=UTC)


def _frame(rows: list[tuple[str, str, int | None]]) -> pd.DataFrame:
    """A portfolio frame of (cluster, status, day submitted) rows, with the other queue columns."""
    return pd.DataFrame(
        {
            "assessment_id": range(1, len(rows) + 1),
            "country": "ES",
            "cluster": [r[0] for r in rows],
            "status": [r[1] for r in rows],
            "submitted_at": pd.to_datetime([_day(r[2]) for r in rows], utc=True),
            "overall": 50.0,
            "stage": "launch",
            "completeness": 100.0,
            "budget": 10.0,
            "members": 20.0,
        }
    )


@pytest.mark.parametrize(
    ("rows", "order"),
    [
        # every group in turn: to review (submitted and in review alike), returned, accepted
        (
            [
                ("acc", "accepted", 1),
                ("ret", "returned", 2),
                ("sub", "submitted", 3),
                ("rev", "in_review", 4),
            ],
            ["sub", "rev", "ret", "acc"],
        ),
        # within "to review", the oldest submission first, whatever the status
        ([("new", "submitted", 9), ("old", "in_review", 2), ("mid", "submitted", 5)], ["old", "mid", "new"]),
        # a newly submitted cluster is first when everything else was decided
        ([("a", "accepted", 1), ("b", "returned", 1), ("fresh", "submitted", 28)], ["fresh", "b", "a"]),
        # the same day and hour: by name, case-insensitively; no date: last of its group
        (
            [("beta", "submitted", 3), ("Alpha", "submitted", 3), ("nodate", "submitted", None)],
            ["Alpha", "beta", "nodate"],
        ),  # fmt: skip
        # returned and accepted are ordered by date too
        ([("r2", "returned", 8), ("a1", "accepted", 1), ("r1", "returned", 4)], ["r1", "r2", "a1"]),
        # an unknown status goes last
        ([("odd", "draft", 1), ("s", "submitted", 2)], ["s", "odd"]),
    ],
)
def test_the_queue_order(rows, order):
    frame = _frame(rows)
    queue = review_queue(frame)
    assert list(queue["cluster"]) == order
    assert list(frame["cluster"]) == [r[0] for r in rows]  # the input is left as it was
    waiting = to_review(queue)
    assert list(waiting["cluster"]) == [c for c in order if dict((r[0], r[1]) for r in rows)[c] in
                                        ("submitted", "in_review")]  # fmt: skip


def test_the_queue_puts_the_decision_columns_first():
    queue = review_queue(_frame([("a", "submitted", 1)]))
    assert tuple(queue.columns[: len(FIRST_COLUMNS)]) == FIRST_COLUMNS
    assert set(queue.columns) == set(_frame([("a", "submitted", 1)]).columns)
    with pytest.raises(ValueError, match="no status column"):
        review_queue(_frame([("a", "submitted", 1)]).drop(columns="status"))


@pytest.fixture
def demo(store: Store, questionnaire) -> Store:
    load_demo(store, questionnaire=questionnaire)
    store.create_programme("p", "Programme")
    store.create_user("olga", "a-long-password-1", "officer", programme="p")
    for c in store.clusters():
        store.assign_cluster(c.id, "p")
    return store


def test_accept_and_return_in_one_step_keep_both_steps_in_the_audit(demo):
    olga = demo.as_user(demo.user("olga"))
    first, second, third = (demo.assessments(c.id)[-1].id for c in demo.clusters()[:3])
    olga.accept(first, start=True)
    olga.return_assessment(second, "Check the budget.", start=True)
    assert demo.review_status(first) == "accepted" and demo.review_status(second) == "returned"
    steps = [(e.old, e.new) for e in demo.audit(first) if e.action == "review"]
    assert steps == [("submitted", "in_review"), ("in_review", "accepted")]
    steps = [(e.actor, e.old, e.new) for e in demo.audit(second) if e.action == "review"]
    assert steps == [("olga", "submitted", "in_review"), ("olga", "in_review", "returned")]
    assert [c.body for c in demo.comments(second)] == ["Check the budget."]
    # without `start` the workflow is the same as ever; a decided one is never decided again
    with pytest.raises(InvalidTransition):
        olga.accept(third)
    with pytest.raises(InvalidTransition):
        olga.accept(first, start=True)
    olga.start_review(third)
    olga.accept(third, start=True)  # in review: `start` changes nothing
    assert [e.new for e in demo.audit(third) if e.action == "review"] == ["in_review", "accepted"]


def test_the_frame_and_the_exports_have_completeness_status_and_date(demo, questionnaire):
    frame = portfolio_frame(demo, questionnaire)
    for aid, completeness in zip(frame["assessment_id"], frame["completeness"], strict=True):
        summary = summary_of_result(demo.result_json(int(aid)) or "")
        assert summary is not None and completeness == pytest.approx(summary["completeness"])
    assert frame["completeness"].between(0, 100).all() and (frame["completeness"] < 100).any()
    assert frame["members"].notna().all() and frame["budget"].notna().all()
    olga = demo.as_user(demo.user("olga"))
    statuses = {int(a): "submitted" for a in frame["assessment_id"]}
    olga.accept(int(frame["assessment_id"].iloc[0]), start=True)
    statuses |= olga.review_statuses([int(frame["assessment_id"].iloc[0])])
    frame = portfolio_frame(demo, questionnaire, review_status=statuses)
    back = pd.read_csv(io.BytesIO(to_csv(frame)))
    assert {"completeness", "status", "submitted_at", "members", "budget"} <= set(back.columns)
    assert back["completeness"].tolist() == pytest.approx(frame["completeness"].tolist())
    assert back["status"].iloc[0] == "accepted"
    for lang, headers in {
        "es": ("Grado de avance (%)", "Estado de la revisión", "Enviada"),
        "pt": ("Grau de avanço (%)", "Situação da revisão", "Enviada"),
    }.items():
        book = to_excel({sheet_name("portfolio", lang): headed(frame, questionnaire, lang)})
        [sheet] = pd.read_excel(io.BytesIO(book), sheet_name=None).values()
        assert set(headers) <= set(sheet.columns), sorted(sheet.columns)
        assert sheet[headers[0]].tolist() == pytest.approx(frame["completeness"].tolist())
