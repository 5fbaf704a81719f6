"""Assessments validated and scored per second, in one process on one core.

Generates N random valid answer sets for the shipped questionnaire (every question
answered), then validates and scores each one in turn, as a re-score of a whole
programme would. "Scored" is the engine's `evaluate`: every question, check, dimension
and overall score, the stage and the findings that fire. Putting a result in words
(`explain`: reasons, evidence, titles, recommendations) is timed separately, since it
is done only for results someone reads. Target: 10,000 validated and scored in < 2 s.

    python benchmarks/score_throughput.py [-n 10000] [--seed 1] [--explain 1000]
"""

from __future__ import annotations

import argparse
import gc
import random
import time

from assessment.answers import AnswerChecker
from assessment.loading import load_questionnaire
from assessment.random_answers import random_answers
from scoring import Engine

TARGET_SECONDS_PER_10K = 2.0


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

    total = validate_s + score_s
    per_10k = total / args.n * 10_000
    size = f"{len(questionnaire.questions)} questions, {len(questionnaire.checks)} checks"
    print(f"questionnaire: {questionnaire.ref}, {size}")
    print(f"answer sets: {args.n} (seed {args.seed}); findings fired: {fired}, red flags: {red_flags}")
    print(f"validation: {validate_s:.3f} s ({validate_s / args.n * 1e6:.0f} us each)")
    print(f"scoring:    {score_s:.3f} s ({score_s / args.n * 1e6:.0f} us each)")
    print(f"throughput: {args.n / total:,.0f} assessments validated and scored per second")
    verdict = "met" if per_10k < TARGET_SECONDS_PER_10K else "NOT met"
    print(f"time for 10,000: {per_10k:.2f} s (target < {TARGET_SECONDS_PER_10K:.0f} s): {verdict}")
    if sample:
        print(
            f"full explained results (validate + score + explain), {len(sample)} sets: "
            f"{len(sample) / (explain_s + validate_s * len(sample) / args.n):,.0f} per second"
        )


if __name__ == "__main__":
    main()
