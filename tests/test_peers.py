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
