"""The programme's own peers: the median score per dimension of its other submitted clusters.

The sources give no per-dimension reference for a sustainable cluster, so the results draw
none of their own making; what an officer can rightly compare a cluster with is the rest of
the programme it is funded in. A median needs enough clusters to mean something and to
hide any one of them, so below `PEER_MINIMUM` other submissions nothing is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from assessment.questionnaire import Questionnaire
from programmes.portfolio import round_scores
from storage import Store

# Five others: a median of fewer would let a reader guess a single cluster's scores.
PEER_MINIMUM = 5


@dataclass(frozen=True, slots=True)
class PeerMedians:
    """The median per dimension (and of the index) over `count` other clusters of `programme`."""

    programme: str
    count: int
    dimensions: dict[str, float]
    overall: float | None


def peer_medians(store: Store, questionnaire: Questionnaire, cluster_id: int) -> PeerMedians | None:
    """The medians of the latest submitted assessment of every other cluster in this one's programme.

    None when the cluster is in no programme or the programme has fewer than PEER_MINIMUM
    other clusters with a submitted assessment.
    """
    slug = store.cluster_programme(cluster_id)
    if slug is None:
        return None
    programme = store.programme(slug)
    others = [c for c in programme.clusters if c != cluster_id]
    if len(others) < PEER_MINIMUM:
        return None
    frame = round_scores(store, questionnaire, clusters=others, latest=True)
    if len(frame) < PEER_MINIMUM:
        return None
    dimensions = {
        d.id: float(frame[d.id].median())
        for d in questionnaire.dimensions
        if frame[d.id].notna().sum() >= PEER_MINIMUM
    }
    overall = frame["overall"].median()
    return PeerMedians(
        programme.name, len(frame), dimensions, None if pd.isna(overall) else round(float(overall), 1)
    )
