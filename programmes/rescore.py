"""Re-score every submitted assessment after the questionnaire changed (e.g. a weight change).

A programme that moves weight between dimensions wants its whole portfolio on the new
scale at once. Each batch of submitted assessments is read with one aggregated query
(`Store.submitted_answer_sets`), validated again and evaluated with `Engine.evaluate` (the
numbers and findings, without the explanations that make a full result 70 kB), and the new
overall index, stage and summary (dimension scores, red-flag lessons) are written back in
one transaction (`Store.rewrite_scores`) once every batch is scored (writing each batch as
it came, beside the workers, measured slower on two cores). The result JSON each
assessment was submitted with stays as it was: it is the record of what the cluster saw.

Batches can be spread over several processes (`workers`); each opens its own store on the
same URL, and only the calling process writes.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from assessment.answers import AnswerChecker
from assessment.errors import AnswersError
from assessment.questionnaire import Questionnaire
from programmes.gc_pause import collector_paused
from scoring import Engine
from storage import Store
from storage.results import ScoreUpdate
from storage.summary import make_summary

BATCH = 2_000
# Told after each batch: (batches done, batches in all, assessments re-scored so far).
Progress = Callable[[int, int, int], None]


@dataclass(frozen=True)
class RescoreReport:
    """What a re-score did: results rewritten, answer sets that no longer validate, and the time taken.

    Besides the total (`seconds`, wall clock), the time of each phase, so that a benchmark
    can tell which one to make faster without timing the product's code again: `reading`
    (the answer sets read from the database) and `scoring` (validate + evaluate) are summed
    over the batches, whichever process ran them (with two workers they add up to about
    twice their share of the wall clock); `writing` is the one write-back transaction.
    """

    rescored: int
    invalid: tuple[tuple[int, str], ...] = field(default=())
    seconds: float = 0.0
    reading: float = 0.0
    scoring: float = 0.0
    writing: float = 0.0

    def summary(self) -> str:
        """One line, e.g. "50000 re-scored, 0 invalid in 6.2 s"."""
        return f"{self.rescored} re-scored, {len(self.invalid)} invalid in {self.seconds:.1f} s"


@dataclass
class Batch:
    """One batch's new scores, the answer sets that failed validation, and the seconds of its two phases."""

    updates: list[ScoreUpdate]
    invalid: list[tuple[int, str]]
    reading: float
    scoring: float


def score_batch(store: Store, checker: AnswerChecker, engine: Engine, low: int, high: int) -> Batch:
    """The new scores of the submitted assessments with ids in [low, high), and those that fail validation.

    An answer set that no longer validates (the questionnaire changed under it) keeps its
    old scores and is reported with its problems (each naming the question or profile field).
    """
    updates: list[ScoreUpdate] = []
    invalid: list[tuple[int, str]] = []
    start = time.perf_counter()
    with collector_paused():
        sets = store.submitted_answer_sets(low, high)
    read = time.perf_counter()
    with collector_paused():
        for aid, data in sets:
            try:
                evaluation = engine.evaluate(checker.check(data))
            except AnswersError as exc:
                invalid.append((aid, "; ".join(str(p) for p in exc.problems) or str(exc)))
                continue
            updates.append(
                ScoreUpdate(
                    aid,
                    evaluation.overall,
                    evaluation.stage.id,
                    make_summary(
                        evaluation.dimensions, evaluation.lessons_flagged(), evaluation.completeness
                    ),
                )
            )
    return Batch(updates, invalid, read - start, time.perf_counter() - read)


def default_workers() -> int:
    """Processes a re-score uses when not told: one per core (the CLI's and the benchmark's default)."""
    return os.cpu_count() or 1


def _ranges(low: int, high: int, batch: int) -> list[tuple[int, int]]:
    return [(start, min(start + batch, high + 1)) for start in range(low, high + 1, batch)]


# What each worker process holds: its own store and the prepared questionnaire.
_WORKER: dict[str, Any] = {}


def _start_worker(url: str, questionnaire: Questionnaire) -> None:
    _WORKER["store"] = Store(url)
    _WORKER["checker"] = AnswerChecker(questionnaire)
    _WORKER["engine"] = Engine(questionnaire)


def _worker_batch(bounds: tuple[int, int]) -> Batch:
    return score_batch(_WORKER["store"], _WORKER["checker"], _WORKER["engine"], *bounds)


def _batches(
    store: Store, questionnaire: Questionnaire, ranges: list[tuple[int, int]], workers: int
) -> Iterator[Batch]:
    if workers <= 1 or len(ranges) <= 1:
        checker, engine = AnswerChecker(questionnaire), Engine(questionnaire)
        for low, high in ranges:
            yield score_batch(store, checker, engine, low, high)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(workers, initializer=_start_worker, initargs=(store.url, questionnaire)) as pool:
        yield from pool.imap_unordered(_worker_batch, ranges)


def rescore_all(
    store: Store,
    questionnaire: Questionnaire,
    actor: str,
    reason: str,
    workers: int = 1,
    batch: int = BATCH,
    progress: Progress | None = None,
) -> RescoreReport:
    """Re-score every submitted assessment with `questionnaire` and write the new scores; see the module.

    `progress`, if given, hears after each batch how far the re-score is (a whole
    programme takes seconds to minutes, and the CLI shows a bar).

    Raises:
        InvalidValue: for an empty actor or reason.
    """
    start = time.perf_counter()
    store.rewrite_scores((), actor, reason)  # checks actor and reason before the work; writes nothing
    bounds = store.submitted_id_range()
    if bounds is None:
        return RescoreReport(0, (), time.perf_counter() - start)
    updates: list[ScoreUpdate] = []
    invalid: list[tuple[int, str]] = []
    reading = scoring = 0.0
    ranges = _ranges(*bounds, max(1, batch))
    with collector_paused():
        for count, done in enumerate(_batches(store, questionnaire, ranges, workers), 1):
            updates += done.updates
            invalid += done.invalid
            reading, scoring = reading + done.reading, scoring + done.scoring
            if progress is not None:
                progress(count, len(ranges), len(updates))
        write = time.perf_counter()
        rescored = store.rewrite_scores([updates], actor, reason)
    end = time.perf_counter()
    invalid.sort()
    return RescoreReport(rescored, tuple(invalid), end - start, reading, scoring, end - write)
