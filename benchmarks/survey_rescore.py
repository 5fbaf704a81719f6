"""The members' survey at scale: 500 responses stored one by one, then the result rescored with them.

Each response goes through the same path as a member's browser: `check_response`, then
`Store.submit_survey_response` (a link spent, a row written, one transaction each). The
rescore is what the manager's results page does: read the responses, score the draft with
`score_with_members`. Target: the 500 responses stored and the result rescored in under
2 s in all, on SQLite (and on PostgreSQL with --url). Prints one figure per line.

    python benchmarks/survey_rescore.py [-n 500] [--postgres | --url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assessment.loading import load_answers, load_questionnaire  # noqa: E402
from assessment.survey import check_response  # noqa: E402
from scoring import Engine  # noqa: E402
from scoring.members import score_with_members  # noqa: E402
from storage import Store  # noqa: E402

EXAMPLE = ROOT / "examples" / "mature_member_financed.yaml"
TARGET = 2.0


def response(rng: random.Random, offered: list[str]) -> dict:
    """One plausible member's answers."""
    services = {
        sid: {
            "used": rng.random() < 0.4,
            "value": rng.choice(["high", "medium", "medium_low", None]),
            "would_pay": (pay := rng.random() < 0.3),
            "amount": rng.choice([100, 250, 500]) if pay else None,
        }
        for sid in offered
    }
    return {
        "services": services,
        "satisfaction": rng.randint(1, 5),
        "levels": {"trust": rng.randint(0, 4), "cooperation": rng.randint(0, 4)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--url", default=None, help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--postgres", action="store_true", help="start a throwaway PostgreSQL (tests/pg.py)")
    args = parser.parse_args()
    if args.postgres:
        from tests.pg import PostgresServer, find_bindir

        bindir = find_bindir()
        if bindir is None:
            sys.exit("no PostgreSQL binaries found")
        server = PostgresServer(bindir)
        server.start()
        try:
            args.url = server.new_schema()
            run(args)
        finally:
            server.stop()
        return
    run(args)


def run(args: argparse.Namespace) -> None:
    """Store the responses and rescore, on the database of `args.url`."""
    questionnaire = load_questionnaire()
    answers = load_answers(EXAMPLE, questionnaire)
    offered = [u.service for u in answers.answers["service_portfolio"] if u.offered]
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(args.url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        cluster = store.create_cluster("Benchmark cluster", "bench")
        draft = store.start_assessment(
            cluster.id, questionnaire.id, questionnaire.version, answers.year, "bench"
        )
        store.import_answers(draft.id, answers.to_data(), "bench")
        _, tokens = store.open_survey(draft.id, date.today() + timedelta(days=30), args.n, "bench")
        engine = Engine(questionnaire)
        plain = engine.score(answers)

        start = time.perf_counter()
        for token in tokens:
            data = check_response(questionnaire.survey, offered, response(rng, offered))
            store.submit_survey_response(token, data, None, None)
        stored = time.perf_counter() - start

        timings = []
        for _ in range(5):
            start = time.perf_counter()
            result = score_with_members(engine, answers, store.survey_responses(draft.id))
            timings.append(time.perf_counter() - start)
        rescore = statistics.median(timings)
        store.close()
    total = stored + rescore
    print(f"database: {'PostgreSQL' if args.url and args.url.startswith('postgresql') else 'SQLite'}")
    print(f"store {args.n} responses: {stored:.3f} s ({args.n / stored:,.0f} responses/s)")
    print(f"rescore with {result.members.responses} responses: {rescore * 1000:.1f} ms (median of 5)")
    print(f"index without / with the members: {plain.overall} / {result.overall}")
    print(f"total: {total:.3f} s, target < {TARGET} s: {'met' if total < TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
