"""The programme officer's portfolio: one row per cluster with its latest submitted assessment.

`portfolio_frame` reads the store once (a handful of queries, whatever the number of
clusters) and returns a pandas DataFrame; filters, sorting and the data behind the charts
are pure functions of that frame.

Why the portfolio reads the tables itself: the `Store` API returns one cluster's
assessments at a time and whole results, and a programme of thousands of clusters must
load in under a second. The reads here are read-only SELECTs on the store's tables
(`storage.models`), on a connection of their own made from the store's URL. A stored result
is a large JSON text (about 70 kB, most of it explanations), so the scores are read from the
narrow `result_summaries` row written with each result (and rewritten by a re-score), and
the few answers needed (country, region, sector, the funding mix, the criteria's inputs)
with one aggregated row per assessment and section.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from contextlib import contextmanager
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.sql import ColumnElement

from assessment.answers import AnswerChecker
from assessment.errors import AnswersError
from assessment.questionnaire import Questionnaire
from assessment.questions import FundingMixQuestion
from programmes.criteria import Programme, judge, verdict_counts
from programmes.gc_pause import collector_paused
from programmes.verification import verified_shares
from storage import Store
from storage.answers import grouped_values
from storage.db import make_engine
from storage.models import Answer, Assessment, Cluster, ResultSummary

PROFILE_COLUMNS = ("country", "region", "sector")
#: Profile figures shown as numbers (column → profile field): the officer's queue shows them.
FIGURE_COLUMNS = {"members": "members_total", "budget": "annual_budget"}
DEFAULT_STATUS = "submitted"
_CHUNK = 500
MEMO_LIMIT = 500_000
# Submitted assessments are frozen: the answers read for them are remembered, per store URL and
# assessment (and when it was submitted, and which keys were read).
_VALUES: dict[tuple[str, int, Any], dict[str, dict[str, Any]]] = {}


@contextmanager
def _connection(store: Store) -> Any:
    engine: Engine = make_engine(store.url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _submitted(cluster_ids: Collection[int] | None, latest: bool) -> Any:
    """A subquery of submitted assessment ids: every one, or each cluster's latest."""
    where: list[ColumnElement[bool]] = [Assessment.status == "submitted"]
    if cluster_ids is not None:
        where.append(Assessment.cluster_id.in_(list(cluster_ids)))
    if not latest:
        return select(Assessment.id.label("id")).where(*where).subquery()
    newest = (
        select(Assessment.cluster_id, func.max(Assessment.number).label("number"))
        .where(*where)
        .group_by(Assessment.cluster_id)
        .subquery()
    )
    return (
        select(Assessment.id.label("id"))
        .join(
            newest,
            (newest.c.cluster_id == Assessment.cluster_id) & (newest.c.number == Assessment.number),
        )
        .subquery()
    )


def _summaries(connection: Any, ids: Any) -> dict[int, dict[str, Any]]:
    """Per assessment: cluster, year, number, overall, stage, dimension scores and red-flag lessons.

    Scores come from the narrow `result_summaries` row (written with the result, and by a
    re-score), never from the full result JSON.
    """
    with collector_paused():
        return _read_summaries(connection, ids)


def _read_summaries(connection: Any, ids: Any) -> dict[int, dict[str, Any]]:
    rows = connection.execute(
        select(
            Assessment.id,
            Assessment.cluster_id,
            Cluster.name,
            Assessment.year,
            Assessment.number,
            Assessment.questionnaire,
            Assessment.questionnaire_version,
            Assessment.submitted_at,
            ResultSummary.overall,
            ResultSummary.stage,
            ResultSummary.summary,
        )
        .join(ids, ids.c.id == Assessment.id)
        .join(Cluster, Cluster.id == Assessment.cluster_id)
        .outerjoin(ResultSummary, ResultSummary.assessment_id == Assessment.id)
    ).all()
    out: dict[int, dict[str, Any]] = {}
    for aid, cid, name, year, number, qid, qversion, submitted, overall, stage, summary in rows:
        summary = summary if isinstance(summary, dict) else {}
        out[aid] = {
            "assessment_id": aid,
            "cluster_id": cid,
            "cluster": name,
            "year": year,
            "version": number,
            "questionnaire": f"{qid}@{qversion}",
            "submitted_at": submitted,
            "overall": overall,
            "stage": stage,
            "dimensions": summary.get("dimensions") or {},
            "red_flag_lessons": tuple(summary.get("red_flags") or ()),
            "completeness": summary.get("completeness"),
        }
    return out


def clear_memo() -> None:
    """Forget the answers remembered from earlier portfolios."""
    _VALUES.clear()


def _values(
    connection: Any,
    url: str,
    ids: Mapping[int, Any],
    profile_keys: Iterable[str],
    answer_keys: Iterable[str],
) -> dict[int, dict[str, dict[str, Any]]]:
    """The profile fields and answers asked for, per assessment (remembered, as submitted ones are frozen).

    `ids` maps each assessment id to when it was submitted, which is part of what is remembered.
    """
    keys = (frozenset(profile_keys), frozenset(answer_keys))
    memo = {aid: (url, aid, (submitted, keys)) for aid, submitted in ids.items()}
    missing = [aid for aid, key in memo.items() if key not in _VALUES]
    if len(_VALUES) + len(missing) > MEMO_LIMIT:
        _VALUES.clear()
        missing = list(ids)
    found: dict[int, dict[str, dict[str, Any]]] = {aid: {"profile": {}, "answers": {}} for aid in missing}
    wanted = ((Answer.section == "profile") & Answer.key.in_(sorted(keys[0]))) | (
        (Answer.section == "answers") & Answer.key.in_(sorted(keys[1]))
    )
    grouped = grouped_values(connection.dialect.name)
    for start in range(0, len(missing), _CHUNK):
        chunk = missing[start : start + _CHUNK]
        if grouped is None:
            stmt = select(Answer.assessment_id, Answer.section, Answer.key, Answer.value).where(
                Answer.assessment_id.in_(chunk), wanted
            )
            for aid, section, key, value in connection.execute(stmt):
                found[aid][section][key] = value
            continue
        stmt = (
            select(Answer.assessment_id, Answer.section, grouped)
            .where(Answer.assessment_id.in_(chunk), wanted)
            .group_by(Answer.assessment_id, Answer.section)
        )
        for aid, section, values in connection.execute(stmt):
            found[aid][section] = json.loads(values) if isinstance(values, str) else dict(values)
    for aid, values in found.items():
        _VALUES[memo[aid]] = values
    return {aid: _VALUES[key] for aid, key in memo.items()}


def public_sources(questionnaire: Questionnaire) -> tuple[str | None, frozenset[str]]:
    """The funding-mix question's id and its public sources (None when there is none)."""
    for question in questionnaire.questions.values():
        if isinstance(question, FundingMixQuestion):
            return question.id, frozenset(s.id for s in question.sources if s.public)
    return None, frozenset()


def portfolio_frame(
    store: Store,
    questionnaire: Questionnaire,
    clusters: Collection[int] | None = None,
    programme: Programme | None = None,
    review_status: Mapping[int, str] | None = None,
) -> pd.DataFrame:
    """One row per cluster with a submitted assessment: its latest submitted one.

    `clusters` limits the rows to a programme's clusters (ids; None for all). Columns:
    assessment_id, cluster_id, cluster, country, region, sector, year, version (the
    assessment's number), questionnaire, submitted_at, overall, stage, completeness (% of the
    asked questions answered), members and budget (the profile's number of member
    organisations and annual budget, in thousands of `currency`), currency, one column per
    dimension id, red_flags (a count), red_flag_lessons (a tuple of lesson ids),
    public_share (% of funding from public sources), verified_share and documented_share
    (% of the index's weight an officer verified, and found at least documented;
    `programmes.verification`), status (from `review_status` by assessment id, else
    "submitted"), and, with a `programme`, criteria_met,
    criteria_failed and criteria_unknown (criteria that cannot be judged).
    """
    with collector_paused():
        return _frame(store, questionnaire, clusters, programme, review_status, latest=True)


def rounds_frame(
    store: Store,
    questionnaire: Questionnaire,
    clusters: Collection[int] | None = None,
    programme: Programme | None = None,
) -> pd.DataFrame:
    """Like `portfolio_frame`, with every submitted assessment (every round), not only the latest."""
    with collector_paused():
        return _frame(store, questionnaire, clusters, programme, None, latest=False)


ROUND_COLUMNS = ("assessment_id", "cluster_id", "cluster", "year", "version", "overall", "stage")


def round_scores(
    store: Store, questionnaire: Questionnaire, clusters: Collection[int] | None = None, latest: bool = False
) -> pd.DataFrame:
    """Every submitted assessment's scores, for `score_movement`: no profile, answers or criteria.

    Columns: assessment_id, cluster_id, cluster, year, version, overall, stage and one per
    dimension. Reading only the result summaries keeps the chart of the rounds cheap when
    a programme has tens of thousands of them (`rounds_frame` also reads their answers).
    """
    dimension_ids = [d.id for d in questionnaire.dimensions]
    with _connection(store) as connection:
        summaries = _summaries(connection, _submitted(clusters, latest=latest))
    rows = [
        {**{k: s[k] for k in ROUND_COLUMNS}, **{d: s["dimensions"].get(d) for d in dimension_ids}}
        for s in summaries.values()
    ]
    frame = pd.DataFrame(rows, columns=[*ROUND_COLUMNS, *dimension_ids])
    for col in ("overall", *dimension_ids):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    return frame.sort_values(["cluster_id", "year", "version"], kind="stable").reset_index(drop=True)


def _frame(
    store: Store,
    questionnaire: Questionnaire,
    clusters: Collection[int] | None,
    programme: Programme | None,
    review_status: Mapping[int, str] | None,
    latest: bool,
) -> pd.DataFrame:
    dimension_ids = [d.id for d in questionnaire.dimensions]
    funding_id, public = public_sources(questionnaire)
    criteria = programme.criteria if programme is not None else []
    profile_keys = {
        *PROFILE_COLUMNS,
        "currency",
        *FIGURE_COLUMNS.values(),
        *(c.profile for c in criteria if c.profile),
    }
    answer_keys = {*([funding_id] if funding_id else []), *(c.question for c in criteria if c.question)}
    checker = AnswerChecker(questionnaire)
    with _connection(store) as connection:
        summaries = _summaries(connection, _submitted(clusters, latest))
        submitted = {aid: s["submitted_at"] for aid, s in summaries.items()}
        values = _values(connection, store.url, submitted, profile_keys, answer_keys)
    shares = verified_shares(store, questionnaire, {aid: s["overall"] for aid, s in summaries.items()})
    rows = []
    for aid, s in summaries.items():
        profile, answers = values[aid]["profile"], _normalised(checker, values[aid]["answers"])
        row = {k: v for k, v in s.items() if k != "dimensions"}
        row["red_flag_lessons"] = tuple(s["red_flag_lessons"])
        for key in PROFILE_COLUMNS:
            value = profile.get(key)
            row[key] = value.strip() if isinstance(value, str) else value
        currency = profile.get("currency")
        row["currency"] = currency.strip() if isinstance(currency, str) and currency.strip() else None
        for column, field in FIGURE_COLUMNS.items():
            row[column] = profile.get(field)
        for dim in dimension_ids:
            row[dim] = s["dimensions"].get(dim)
        row["red_flags"] = len(s["red_flag_lessons"])
        mix = answers.get(funding_id) if funding_id else None
        row["public_share"] = round(sum(v for k, v in mix.items() if k in public), 1) if mix else None
        row["verified_share"], row["documented_share"] = shares[aid]
        row["status"] = (review_status or {}).get(aid, DEFAULT_STATUS)
        if programme is not None:
            counts = verdict_counts(
                judge(
                    programme,
                    {"answers": answers, "profile": profile},
                    {"overall": s["overall"], "dimensions": s["dimensions"]},
                )
            )
            row["criteria_met"] = counts["met"]
            row["criteria_failed"] = counts["failed"]
            row["criteria_unknown"] = counts["cannot_judge"]
        rows.append(row)
    columns = [
        "assessment_id", "cluster_id", "cluster", *PROFILE_COLUMNS, "year", "version", "questionnaire",
        "submitted_at", "overall", "stage", "completeness", "members", "budget", "currency", *dimension_ids,
        "red_flags", "red_flag_lessons",
        "public_share", "verified_share", "documented_share", "status",
    ]  # fmt: skip
    if programme is not None:
        columns += ["criteria_met", "criteria_failed", "criteria_unknown"]
    frame = pd.DataFrame(rows, columns=columns)
    numbers = ("overall", "completeness", *FIGURE_COLUMNS, *dimension_ids, "public_share", "verified_share")
    for col in (*numbers, "documented_share"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    return frame.sort_values(["cluster", "year", "version"], key=_casefold, kind="stable").reset_index(
        drop=True
    )


def _casefold(column: pd.Series) -> pd.Series:
    return column.str.casefold() if pd.api.types.is_string_dtype(column) else column


def _normalised(checker: AnswerChecker, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Stored answers as validation gives them; an answer that fails validation counts as missing."""
    out = {}
    for key, value in answers.items():
        try:
            out[key] = checker.check_answer(key, value)
        except (AnswersError, KeyError):
            continue
    return out
