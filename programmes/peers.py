"""The programme's own peers: the median and the cluster's percentile among its other clusters.

The sources give no per-dimension reference for a sustainable cluster, so the results draw
none of their own making; what an officer can rightly compare a cluster with is the rest of
the programme it is funded in. A median or a percentile needs enough clusters to mean
something and to hide any one of them, so below `PEER_MINIMUM` other submissions nothing
is shown.

A manager may see where their cluster stands without being allowed to open the others: the
percentiles (`peer_ranks`) say what share of the other clusters score below, never a score,
a name or an id of any of them. Clusters are compared within their life-cycle stage when
the stage has enough of them (a launch-stage cluster is not judged against mature ones),
else with the whole programme, and the result says which.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from assessment.questionnaire import Questionnaire
from programmes.portfolio import round_scores
from scoring.result import Result
from storage import ProgrammeInfo, Store

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
    found = _others(store, questionnaire, cluster_id)
    if found is None:
        return None
    programme, frame = found
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


Group = Literal["stage", "programme"]


@dataclass(frozen=True, slots=True)
class PeerRanks:
    """Where one cluster stands among `count` other clusters of `programme`: percentiles only.

    `group` is "stage" when the comparison is with the other clusters of the same stage
    (`stage`, its id), "programme" when with all of the programme's other clusters (then
    `stage` is None). A percentile is the share of those clusters scoring below (ties count
    half), 0-100; a dimension that fewer than PEER_MINIMUM of them have a score for, or that
    the cluster has no score for, is left out. Nothing here names or identifies another cluster.
    """

    programme: str
    group: Group
    stage: str | None
    count: int
    dimensions: dict[str, int]
    overall: int | None


def percentile(value: float, others: Sequence[float]) -> int:
    """The share of `others` below `value`, ties counting half, as a whole percentage (0-100).

    The mid-rank form keeps a cluster equal to every other at 50, not at 0 or 100.
    """
    below = sum(1 for o in others if o < value)
    equal = sum(1 for o in others if o == value)
    return round(100 * (below + equal / 2) / len(others))


def _rank(value: float | None, column: pd.Series) -> int | None:
    scores = [float(v) for v in column.dropna()]
    if value is None or pd.isna(value) or len(scores) < PEER_MINIMUM:
        return None
    return percentile(float(value), scores)


def rank_among(
    others: pd.DataFrame,
    own_dimensions: Mapping[str, float | None],
    own_overall: float | None,
    stage: str | None,
    dimension_ids: Sequence[str],
    programme: str,
) -> PeerRanks | None:
    """The cluster's percentiles among `others` (one row per other cluster: stage, overall, dimensions).

    The same-stage rows are used when there are at least PEER_MINIMUM of them, else every
    row when there are that many; None when there are fewer.
    """
    same = others[others["stage"] == stage] if stage is not None else others.iloc[0:0]
    group: Group
    if len(same) >= PEER_MINIMUM:
        frame, group = same, "stage"
    elif len(others) >= PEER_MINIMUM:
        frame, group, stage = others, "programme", None
    else:
        return None
    dimensions = {}
    for d in dimension_ids:
        if d in frame.columns:
            rank = _rank(own_dimensions.get(d), frame[d])
            if rank is not None:
                dimensions[d] = rank
    return PeerRanks(programme, group, stage, len(frame), dimensions, _rank(own_overall, frame["overall"]))


def peer_ranks(
    store: Store, questionnaire: Questionnaire, cluster_id: int, result: Result
) -> PeerRanks | None:
    """`result`'s percentiles among the latest submitted assessment of every other cluster in its programme.

    `result` is the one shown (any version of the cluster, a draft too); the others are
    their latest submitted. None when the cluster is in no programme or the programme has
    fewer than PEER_MINIMUM other clusters with a submitted assessment.
    """
    found = _others(store, questionnaire, cluster_id)
    if found is None:
        return None
    programme, frame = found
    return rank_among(
        frame,
        {d.id: d.score for d in result.dimensions},
        result.overall,
        result.stage.id,
        [d.id for d in questionnaire.dimensions],
        programme.name,
    )


def _others(
    store: Store, questionnaire: Questionnaire, cluster_id: int
) -> tuple[ProgrammeInfo, pd.DataFrame] | None:
    """The cluster's programme and the latest submitted scores of its other clusters, when enough exist."""
    slug = store.cluster_programme(cluster_id)
    if slug is None:
        return None
    programme = store.programme(slug)
    others = [c for c in programme.clusters if c != cluster_id]
    if len(others) < PEER_MINIMUM:
        return None
    return programme, round_scores(store, questionnaire, clusters=others, latest=True)
