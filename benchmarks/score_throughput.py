"""Assessments validated and scored per second, on one core.

Generates N random valid answer sets for the shipped questionnaire (all questions
answered), then times validation plus scoring of each. Target: 10,000 in under 2 s.

    python benchmarks/score_throughput.py [-n 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import time

from assessment.answers import check_answers
from assessment.loading import load_questionnaire
from assessment.random_answers import random_answers
from scoring import Engine

TARGET_SECONDS_PER_10K = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="number of answer sets")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    questionnaire = load_questionnaire()
    rng = random.Random(args.seed)
    sets = [random_answers(questionnaire, rng) for _ in range(args.n)]
    engine = Engine(questionnaire)

    start = time.perf_counter()
    validated = [check_answers(questionnaire, data) for data in sets]
    mid = time.perf_counter()
    results = [engine.score(answers) for answers in validated]
    end = time.perf_counter()

    total = end - start
    per_10k = total / args.n * 10_000
    findings = sum(len(r.findings) for r in results)
    print(f"questionnaire: {questionnaire.ref}, {len(questionnaire.questions)} questions, {len(questionnaire.checks)} checks")
    print(f"answer sets: {args.n} (seed {args.seed}), {findings} findings in all")
    print(f"validation: {mid - start:.3f} s, scoring: {end - mid:.3f} s, total: {total:.3f} s")
    print(f"throughput: {args.n / total:,.0f} assessments validated and scored per second")
    print(f"time for 10,000: {per_10k:.2f} s (target < {TARGET_SECONDS_PER_10K:.0f} s): "
          f"{'met' if per_10k < TARGET_SECONDS_PER_10K else 'NOT met'}")


if __name__ == "__main__":
    main()
