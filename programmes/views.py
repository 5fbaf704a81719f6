"""Filters, sorting and chart data over a portfolio frame: pure functions, no database.

Each takes the DataFrame `portfolio_frame` returns and gives a new one; none changes its input.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Collection, Sequence
from typing import Literal

import pandas as pd

from assessment.questionnaire import Questionnaire
from assessment.text import Language

CriteriaFilter = Literal["all_met", "some_failed", "none_failed"]
SCORE_BANDS = (0.0, 20.0, 40.0, 60.0, 80.0, 100.0)


def _one_of(column: pd.Series, wanted: str | Collection[str]) -> pd.Series:
    values = {wanted} if isinstance(wanted, str) else set(wanted)
    folded = {v.casefold() for v in values}
    return column.fillna("").astype(str).str.casefold().isin(folded)


def _contains(column: pd.Series, text: str) -> pd.Series:
    return column.fillna("").astype(str).str.casefold().str.contains(text.casefold(), regex=False)


def filter_portfolio(
    frame: pd.DataFrame,
    *,
    country: str | Collection[str] | None = None,
    region: str | None = None,
    sector: str | None = None,
    stage: str | Collection[str] | None = None,
    status: str | Collection[str] | None = None,
    min_overall: float | None = None,
    max_overall: float | None = None,
    min_verified: float | None = None,
    criteria: CriteriaFilter | None = None,
    search: str | None = None,
) -> pd.DataFrame:
    """The rows that pass every filter given; None (or an empty text) leaves a filter off.

    Country, stage and status match one value or any of several, ignoring case; region and
    sector match when they contain the text given; `search` looks in the cluster's name.
    The score range keeps rows whose overall index is known and within [min, max];
    `min_verified` keeps rows at least that % of whose index's weight is verified.
    `criteria`: "all_met" (every criterion met), "some_failed" (at least one failed) or
    "none_failed" (none failed; some may not be judged yet); it needs the criteria columns.
    """
    keep = pd.Series(True, index=frame.index)
    if country:
        keep &= _one_of(frame["country"], country)
    if stage:
        keep &= _one_of(frame["stage"], stage)
    if status:
        keep &= _one_of(frame["status"], status)
    if region:
        keep &= _contains(frame["region"], region)
    if sector:
        keep &= _contains(frame["sector"], sector)
    if search:
        keep &= _contains(frame["cluster"], search)
    if min_overall is not None:
        keep &= frame["overall"] >= min_overall
    if max_overall is not None:
        keep &= frame["overall"] <= max_overall
    if min_verified is not None:
        keep &= frame["verified_share"] >= min_verified
    if criteria is not None:
        if "criteria_failed" not in frame.columns:
            raise ValueError("the frame has no criteria columns: build it with a programme")
        failed = frame["criteria_failed"] > 0
        if criteria == "all_met":
            keep &= ~failed & (frame["criteria_unknown"] == 0)
        elif criteria == "some_failed":
            keep &= failed
        else:
            keep &= ~failed
    return frame[keep].copy()


def sort_portfolio(
    frame: pd.DataFrame, by: str | Sequence[str] = "overall", descending: bool = False
) -> pd.DataFrame:
    """The rows sorted by one or more columns (texts ignoring case), missing values last, ties by name."""
    keys = [by] if isinstance(by, str) else list(by)
    for key in keys:
        if key not in frame.columns:
            raise ValueError(f"no column {key!r} to sort by")
    ascending = [not descending] * len(keys)
    if "cluster" not in keys:
        keys, ascending = [*keys, "cluster"], [*ascending, True]
    return frame.sort_values(
        keys,
        ascending=ascending,
        key=lambda c: c.str.casefold() if pd.api.types.is_string_dtype(c) else c,
        na_position="last",
        kind="stable",
    ).reset_index(drop=True)


def dimension_distribution(
    frame: pd.DataFrame,
    questionnaire: Questionnaire,
    bands: Sequence[float] = SCORE_BANDS,
    lang: Language = "en",
) -> pd.DataFrame:
    """How many clusters score in each band of each dimension: columns dimension, title, band, count.

    `title` is the dimension's title in `lang`.

    Bands are closed on the left and the last one includes 100 ("0-20", ..., "80-100");
    a cluster without a score in a dimension is not counted there.
    """
    labels = [f"{lo:g}-{hi:g}" for lo, hi in zip(bands, bands[1:], strict=False)]
    rows = []
    for dim in questionnaire.dimensions:
        scores = frame[dim.id].dropna() if dim.id in frame.columns else pd.Series(dtype=float)
        banded = pd.cut(scores, bins=list(bands), labels=labels, right=False, include_lowest=True)
        banded = banded.where(scores < bands[-1], labels[-1]) if len(scores) else banded
        counts = banded.value_counts()
        rows += [
            {
                "dimension": dim.id,
                "title": dim.title.get(lang),
                "band": label,
                "count": int(counts.get(label, 0)),
            }
            for label in labels
        ]
    return pd.DataFrame(rows, columns=["dimension", "title", "band", "count"])


def public_share_vs_index(frame: pd.DataFrame) -> pd.DataFrame:
    """Points for a scatter of public share of funding against the overall index, by stage."""
    cols = ["cluster_id", "cluster", "stage", "public_share", "overall"]
    return frame[cols].dropna(subset=["public_share", "overall"]).reset_index(drop=True)


def frequent_red_flags(
    frame: pd.DataFrame,
    questionnaire: Questionnaire | None = None,
    top: int | None = 10,
    lang: Language = "en",
) -> pd.DataFrame:
    """The lessons most often raised as red flags: columns lesson, fact (in `lang`), label, clusters, count.

    `count` counts every red flag; `clusters` the clusters with at least one of that lesson.
    `label` is the fact shortened for a chart's axis, so that people read the lesson, not its
    code. Sorted by count, then by lesson id.
    """
    flags: Counter[str] = Counter()
    clusters: Counter[str] = Counter()
    for lessons in frame["red_flag_lessons"]:
        flags.update(lessons)
        clusters.update(set(lessons))
    index = questionnaire.lesson_index if questionnaire is not None else {}
    rows = [
        {
            "lesson": lesson,
            "fact": index[lesson].fact.get(lang) if lesson in index else "",
            "label": textwrap.shorten(index[lesson].fact.get(lang), 60, placeholder=" …")
            if lesson in index
            else lesson,
            "clusters": clusters[lesson],
            "count": count,
        }
        for lesson, count in sorted(flags.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    out = pd.DataFrame(rows, columns=["lesson", "fact", "label", "clusters", "count"])
    return out.head(top) if top is not None else out


def score_movement(rounds: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """How the programme's scores moved between rounds (years): one row per year.

    Takes `rounds_frame`; when a cluster submitted more than once in a year its latest
    version counts. Columns: year, clusters, overall_mean, overall_median, one mean per
    dimension, and overall_change (the mean's change since the previous year).
    """
    dims = [d.id for d in questionnaire.dimensions]
    latest = rounds.sort_values(["cluster_id", "year", "version"]).groupby(["cluster_id", "year"]).tail(1)
    grouped = latest.groupby("year")
    out = pd.DataFrame(
        {
            "clusters": grouped["cluster_id"].nunique(),
            "overall_mean": grouped["overall"].mean().round(1),
            "overall_median": grouped["overall"].median().round(1),
            **{dim: grouped[dim].mean().round(1) for dim in dims},
        }
    ).reset_index()
    out["overall_change"] = out["overall_mean"].diff().round(1)
    return out
