"""Assessments validated and scored per second, in one process on one core.

Generates N random valid answer sets for the shipped questionnaire (every question
answered), then validates and scores each one in turn, as a re-score of a whole
programme would. "Scored" is the engine's `evaluate`: every question, check, dimension
and overall score, the stage and the findings that fire. Putting a result in words
(`score`: reasons, evidence, titles, recommendations) is timed separately, since it is
done only for results someone reads.

The floor is a minimal hand-written loop doing the lookups scoring cannot avoid (one
weighted lookup per question and check, then the dimension means); the ratio to it says
how much the engine spends beyond that. Targets (issue 15): validate + score at least
50,000 a second, explained results at least 10,000 a second.

    python benchmarks/score_throughput.py [-n 10000] [--seed 1] [--explain 1000]
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from collections.abc import Mapping, Sequence
from typing import Any

from assessment.answers import AnswerChecker
from assessment.loading import load_questionnaire
from assessment.questionnaire import Questionnaire
from assessment.random_answers import random_answers
from scoring import Engine

TARGET_SCORED_PER_S = 50_000
TARGET_EXPLAINED_PER_S = 10_000

# (item id, dimension index, weight, score by answer or None)
FloorPlan = list[tuple[str, int, float, dict[Any, float] | None]]


def floor_plan(questionnaire: Questionnaire) -> FloorPlan:
    """One row per question and check: where its score goes, and a score table where there is one."""
    plan: FloorPlan = []
    index = {d.id: i for i, d in enumerate(questionnaire.dimensions)}
    for d in questionnaire.dimensions:
        for q in d.questions:
            table: dict[Any, float] | None = None
            if q.type == "maturity":  # type: ignore[attr-defined]
                table = {level.value: level.value * 25.0 for level in q.levels}  # type: ignore[attr-defined]
            elif q.type == "single_choice":  # type: ignore[attr-defined]
                table = {c.id: c.score or 0.0 for c in q.choices}  # type: ignore[attr-defined]
            elif q.type == "yes_no":  # type: ignore[attr-defined]
                table = {True: q.yes_score, False: q.no_score}  # type: ignore[attr-defined]
            plan.append((q.id, index[d.id], q.weight, table))
    plan += [(c.id, index[c.dimension], c.weight, None) for c in questionnaire.checks]
    return plan


def floor_loop(sets: Sequence[Mapping[str, Any]], plan: FloorPlan, dimensions: int) -> int:
    """The least work per answer set: a weighted lookup per item, then the dimension means."""
    scored = 0
    for data in sets:
        answers = data["answers"]
        weighted, weights = [0.0] * dimensions, [0.0] * dimensions
        for item_id, di, weight, table in plan:
            value = answers.get(item_id)
            score = table.get(value, 50.0) if table is not None and value is not None else 50.0
            weighted[di] += weight * score
            weights[di] += weight
        means = [w / t if t else None for w, t in zip(weighted, weights, strict=True)]
        scored += len(means)
    return scored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="number of answer sets")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explain", type=int, default=1_000, help="how many results to put in words")
    args = parser.parse_args()

    questionnaire = load_questionnaire()
    rng = random.Random(args.seed)
    sets = [random_answers(questionnaire, rng) for _ in range(args.n)]
    checker = AnswerChecker(questionnaire)
    engine = Engine(questionnaire)
    plan = floor_plan(questionnaire)
    gc.collect()
    gc.freeze()  # the generated inputs are not part of what is measured

    start = time.perf_counter()
    validated = [checker.check(data) for data in sets]
    validate_s = time.perf_counter() - start

    start = time.perf_counter()
    fired = red_flags = 0
    for answers in validated:
        evaluation = engine.evaluate(answers)
        fired += len(evaluation.fired)
        red_flags += sum(1 for fire in evaluation.fired if fire[4].kind == "red_flag")
    score_s = time.perf_counter() - start

    sample = validated[: args.explain]
    start = time.perf_counter()
    for answers in sample:
        engine.score(answers)
    explain_s = time.perf_counter() - start

    start = time.perf_counter()
    floor_loop(sets, plan, len(questionnaire.dimensions))
    floor_s = time.perf_counter() - start

    floor_rate = args.n / floor_s
    scored_rate = args.n / (validate_s + score_s)
    size = f"{len(questionnaire.questions)} questions, {len(questionnaire.checks)} checks"
    print(f"questionnaire: {questionnaire.ref}, {size}")
    print(f"answer sets: {args.n} (seed {args.seed}); findings fired: {fired}, red flags: {red_flags}")
    print(
        f"validation {validate_s / args.n * 1e6:.1f} us and scoring {score_s / args.n * 1e6:.1f} us "
        "per answer set"
    )
    print(_line("validate + score", scored_rate, TARGET_SCORED_PER_S, floor_rate))
    if sample:
        explained_rate = len(sample) / (explain_s + validate_s * len(sample) / args.n)
        print(
            _line(
                "explained results (validate + score + explain)",
                explained_rate,
                TARGET_EXPLAINED_PER_S,
                floor_rate,
            )
        )
    print(f"floor (one weighted lookup per question and check): {floor_rate:,.0f} per second")


def _line(what: str, rate: float, target: float, floor_rate: float) -> str:
    verdict = "met" if rate >= target else "NOT met"
    return (
        f"{what}: {rate:,.0f} per second (target {target:,.0f}: {verdict}); "
        f"{floor_rate / rate:.1f}x the floor's time"
    )


if __name__ == "__main__":
    main()
