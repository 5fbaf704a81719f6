"""Peak memory of scoring a whole programme in one process (issue 15: under 500 MB for 50,000).

Generates N random valid answer sets for the shipped questionnaire (every question
answered, as `benchmarks/score_throughput.py` does), then validates and evaluates each
one and keeps what a re-score writes back for it: the overall index, the stage and the
summary (dimension scores, red-flag lessons, completeness). The input sets stay in memory
throughout, as a worst case of reading a programme at once; a re-score reads them in
batches. Prints the process's resident memory before scoring and at its peak (the peak
includes the inputs and the interpreter), and the share of that the results add.

Its own script, so the peak is of this work only and not of other benchmarks.

    python benchmarks/score_memory.py [-n 50000] [--seed 1]
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.answers import AnswerChecker  # noqa: E402
from assessment.loading import load_questionnaire  # noqa: E402
from assessment.random_answers import random_answers  # noqa: E402
from scoring import Engine  # noqa: E402
from storage.summary import make_summary  # noqa: E402

TARGET_MB = 500.0


def _rss_mb() -> float:
    """The current resident memory, from /proc where there is one (Linux), else the peak so far."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return _peak_mb()


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50_000, help="number of answer sets")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    questionnaire = load_questionnaire()
    checker, engine = AnswerChecker(questionnaire), Engine(questionnaire)
    rng = random.Random(args.seed)
    sets = [random_answers(questionnaire, rng) for _ in range(args.n)]
    gc.collect()
    before = _rss_mb()

    start = time.perf_counter()
    kept = []
    for data in sets:
        evaluation = engine.evaluate(checker.check(data))
        kept.append(
            (
                evaluation.overall,
                evaluation.stage.id,
                make_summary(evaluation.dimensions, evaluation.lessons_flagged(), evaluation.completeness),
            )
        )
    seconds = time.perf_counter() - start
    peak = max(_peak_mb(), _rss_mb())
    verdict = "met" if peak < TARGET_MB else "NOT met"
    print(f"answer sets: {len(kept):,} scored in {seconds:.1f} s (seed {args.seed})")
    print(f"resident memory before scoring (interpreter, questionnaire, inputs): {before:,.0f} MB")
    print(
        f"peak resident memory scoring {len(kept):,} in one process: {peak:,.0f} MB "
        f"(target < {TARGET_MB:,.0f} MB: {verdict}); {peak / TARGET_MB:.2f}x the target"
    )


if __name__ == "__main__":
    main()
