"""The programme's peer median: drawn only with five other submitted clusters, never with fewer."""

from __future__ import annotations

import statistics

import pytest

from programmes.peers import PEER_MINIMUM, peer_medians
from storage import load_demo

pytest_plugins = ["tests.pg"]


@pytest.fixture
def demo(store, questionnaire):
    load_demo(store, questionnaire=questionnaire)
    store.create_programme("basque", "Basque programme")
    return store


def test_no_programme_no_line(demo, questionnaire):
    first = demo.clusters()[0]
    assert peer_medians(demo, questionnaire, first.id) is None


def test_fewer_than_five_others_draw_nothing(demo, questionnaire):
    clusters = [c.id for c in demo.clusters()][:PEER_MINIMUM]  # the cluster and four others
    for c in clusters:
        demo.assign_cluster(c, "basque")
    assert peer_medians(demo, questionnaire, clusters[0]) is None


def test_the_median_of_the_other_clusters_latest_submissions(demo, questionnaire):
    clusters = [c.id for c in demo.clusters()]
    assert len(clusters) > PEER_MINIMUM
    for c in clusters:
        demo.assign_cluster(c, "basque")
    own = clusters[0]
    peers = peer_medians(demo, questionnaire, own)
    assert peers is not None and peers.programme == "Basque programme"
    others = [demo.assessments(c)[-1] for c in clusters[1:]]
    submitted = [a for a in others if a.status == "submitted"]
    assert peers.count == len(submitted) >= PEER_MINIMUM
    assert peers.overall == pytest.approx(statistics.median(a.overall for a in submitted), abs=0.05)
    assert set(peers.dimensions) <= {d.id for d in questionnaire.dimensions}
    assert all(0 <= v <= 100 for v in peers.dimensions.values())


# --- percentiles (issue 12): where the cluster stands, never another cluster's score or name ----

DIMS = ("funding_mix", "governance")


def _others(rows: list[tuple[str | None, float | None, float | None, float | None]]):
    """Other clusters as `round_scores` gives them: stage, overall and the two dimensions."""
    import pandas as pd

    return pd.DataFrame(
        [
            {"cluster_id": 100 + i, "cluster": f"Secret cluster {i}", "stage": s, "overall": o,
             "funding_mix": f, "governance": g}
            for i, (s, o, f, g) in enumerate(rows)
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "own", "expected"),
    [
        # four others: nothing at all
        ([("maturity", 10, 10, 10)] * 4, (50, 50, 50), None),
        # five others of the own stage: 3 below, 1 equal, 1 above -> (3 + 0.5) / 5 = 70%
        (
            [("maturity", 10, 10, 10), ("maturity", 20, 20, 20), ("maturity", 30, 30, 30),
             ("maturity", 40, 40, 40), ("maturity", 60, 60, 60)],
            (40, 35, 70),
            ("stage", "maturity", 5, 70, {"funding_mix": 60, "governance": 100}),
        ),
        # three of the own stage, six in all: the whole programme, 2 of 6 below -> 33%
        (
            [("maturity", 10, 10, 10), ("maturity", 20, 20, 20), ("maturity", 90, 90, 90),
             ("launch", 80, 80, 80), ("launch", 70, 70, 70), ("consolidation", 60, 60, 60)],
            (50, 5, 95),
            ("programme", None, 6, 33, {"funding_mix": 0, "governance": 100}),
        ),
        # six of the own stage among eight: the stage only, 1 below, 0 equal -> 17%
        (
            [("maturity", v, v, v) for v in (10, 50, 60, 70, 80, 90)]
            + [("launch", 1, 1, 1), ("launch", 2, 2, 2)],
            (20, 20, 20),
            ("stage", "maturity", 6, 17, {"funding_mix": 17, "governance": 17}),
        ),
        # a dimension only four others have a score for is left out
        (
            [("maturity", 10, 10, None), ("maturity", 20, 20, 20), ("maturity", 30, 30, 30),
             ("maturity", 40, 40, 40), ("maturity", 50, 50, 50)],
            (60, 60, 60),
            ("stage", "maturity", 5, 100, {"funding_mix": 100, "governance": 100}),
        ),
    ],
)  # fmt: skip
def test_percentiles_by_stage_else_the_programme(rows, own, expected):
    from programmes.peers import rank_among

    overall, funding, governance = own
    ranks = rank_among(
        _others(rows), {"funding_mix": funding, "governance": governance}, overall, "maturity", DIMS, "P"
    )
    if expected is None:
        assert ranks is None
        return
    group, stage, count, overall_rank, dimensions = expected
    assert ranks is not None
    assert (ranks.group, ranks.stage, ranks.count, ranks.overall) == (group, stage, count, overall_rank)
    if rows[0][3] is None:  # the case with a governance score missing
        dimensions = {"funding_mix": 100}
    assert ranks.dimensions == dimensions


def test_a_dimension_the_cluster_has_no_score_for_has_no_percentile():
    from programmes.peers import rank_among

    rows = [("launch", v, v, v) for v in (10, 20, 30, 40, 50)]
    ranks = rank_among(_others(rows), {"funding_mix": None}, None, "launch", DIMS, "P")
    assert ranks is not None and ranks.dimensions == {} and ranks.overall is None


def test_percentiles_name_no_other_cluster():
    import dataclasses

    from programmes.peers import PeerRanks, rank_among

    rows = [("maturity", v, v, v) for v in (11.5, 22.5, 33.5, 44.5, 55.5)]
    ranks = rank_among(_others(rows), {"funding_mix": 30, "governance": 30}, 30, "maturity", DIMS, "P")
    assert [f.name for f in dataclasses.fields(PeerRanks)] == [
        "programme", "group", "stage", "count", "dimensions", "overall",
    ]  # fmt: skip
    text = repr(ranks)
    assert "Secret cluster" not in text and "10" not in text  # no name, no id (100-104)
    assert not any(str(v) in text for v in (11.5, 22.5, 33.5, 44.5, 55.5))  # no score


def test_peer_ranks_of_the_demo_compare_with_the_whole_programme(demo, questionnaire):
    from assessment.answers import check_answers
    from programmes.peers import peer_ranks
    from scoring import Engine

    clusters = demo.clusters()
    for c in clusters:
        demo.assign_cluster(c.id, "basque")
    own = next(c for c in clusters if c.name.startswith("Agrupación"))
    [aid] = [a.id for a in demo.assessments(own.id)]
    result = Engine(questionnaire).score(check_answers(questionnaire, demo.answer_data(aid)))
    ranks = peer_ranks(demo, questionnaire, own.id, result)
    # 6 other clusters, only 2 of them mature like this one: the whole programme
    assert ranks is not None and ranks.group == "programme" and ranks.stage is None and ranks.count == 6
    assert set(ranks.dimensions) == {d.id for d in questionnaire.dimensions}
    assert all(0 <= v <= 100 for v in [*ranks.dimensions.values(), ranks.overall])
    assert not any(c.name in repr(ranks) for c in clusters)


def test_peer_ranks_need_five_others(demo, questionnaire):
    from assessment.answers import check_answers
    from programmes.peers import peer_ranks
    from scoring import Engine

    clusters = [c.id for c in demo.clusters()][:PEER_MINIMUM]
    for c in clusters:
        demo.assign_cluster(c, "basque")
    [a] = demo.assessments(clusters[0])
    result = Engine(questionnaire).score(check_answers(questionnaire, demo.answer_data(a.id)))
    assert peer_ranks(demo, questionnaire, clusters[0], result) is None
    assert peer_ranks(demo, questionnaire, demo.clusters()[-1].id, result) is None  # in no programme
