"""A programme's portfolio at scale: N submitted assessments of N/10 clusters, on SQLite and PostgreSQL.

Fills an empty database with N generated submitted assessments (ten yearly rounds per
cluster, 2016-2025), then prints the time to:

- build the portfolio page's data (`portfolio_frame`: the latest submitted assessment of
  every cluster, with the Basque programme's criteria judged) - target < 1 s on SQLite;
- filter and sort it;
- re-score every assessment after a weight change (5 points of the overall index moved
  from one dimension to another, so the weights still add up to 100) with the product's
  `programmes.rescore.rescore_all`: read the answer sets in batches, validate them again,
  `Engine.evaluate`, and write the new scores back in one transaction - issue 15's target
  for 50,000: < 3 s on SQLite, < 5 s on PostgreSQL; each phase's seconds are printed on a
  line of its own, then the total with its verdict; a sample of 20 is then checked against
  a fresh `Engine.score`;
- bulk-import 1,000 answer files (`bulk_import`, one transaction per file).

Why the benchmark writes to the tables directly: the Store writes one cluster at a time
with an audit row per answer, which is right for the app and far too slow to create
50,000 assessments before measuring anything. The fill uses SQLAlchemy Core bulk inserts
into the same tables (`storage.models`), leaving out the audit trail, which nothing
measured here reads. Scoring every generated set in full (with explanations) takes about a
millisecond each, so a pool of distinct answer sets (`--pool`, per year) is scored once and
reused, each copy with its own cluster name, country, region and sector.

    python benchmarks/portfolio.py [-n 50000] [--backend sqlite|postgresql|both]
                                   [--database-url URL] [--import-files 1000] [--pool 2000]

PostgreSQL: with --database-url (or DATABASE_URL) that database is used (it must be empty);
otherwise a throwaway server is started as the tests do (tests/pg.py), or skipped with a
line saying why when the binaries are missing.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.answers import AnswerChecker  # noqa: E402
from assessment.loading import dump_yaml, load_questionnaire  # noqa: E402
from assessment.questionnaire import Questionnaire  # noqa: E402
from assessment.random_answers import random_answers  # noqa: E402
from programmes import (  # noqa: E402
    bulk_import,
    filter_portfolio,
    frequent_red_flags,
    portfolio_frame,
    shipped_programmes,
    sort_portfolio,
)
from programmes.rescore import RescoreReport, default_workers, rescore_all  # noqa: E402
from scoring import Engine, result_to_json  # noqa: E402
from storage import Store  # noqa: E402
from storage.models import Answer, Assessment, Cluster, Result, ResultSummary  # noqa: E402
from storage.summary import summary_of_result  # noqa: E402

YEARS = list(range(2016, 2026))
COUNTRIES = {
    "Spain": ["Basque Country", "Catalonia", "Valencia", "Andalusia"],
    "Colombia": ["Antioquia", "Nariño", "Valle del Cauca"],
    "Mexico": ["Jalisco", "Veracruz", "Nuevo León"],
    "Argentina": ["Córdoba", "Santa Fe", "Mendoza"],
    "Ecuador": ["Azuay", "Pichincha"],
}
SECTORS = [
    "Aeronautics",
    "Foodstuffs",
    "Automotive",
    "Energy",
    "Furniture",
    "Agricultural technology",
    "Ceramics",
]
PORTFOLIO_TARGET_S = 1.0
RESCORE_TARGET_S = {"sqlite": 3.0, "postgresql": 5.0}  # issue 15
BATCH = 1_000  # assessments per insert batch


def moved_weights(questionnaire: Questionnaire, points: float = 5.0) -> Questionnaire:
    """The questionnaire with `points` of weight moved from its last dimension to its second one."""
    data = questionnaire.model_dump(by_alias=True, exclude_none=True)
    data["dimensions"][1]["weight"] += points
    data["dimensions"][-1]["weight"] -= points
    return Questionnaire.model_validate(data)


def scored_pool(questionnaire: Questionnaire, size: int, seed: int) -> dict[int, list[tuple[dict, Any]]]:
    """Per year: answer sets (founded by 2016, so valid every year) with their scored result."""
    rng = random.Random(seed)
    engine, checker = Engine(questionnaire), AnswerChecker(questionnaire)
    per_year = max(1, size // len(YEARS))
    pool: dict[int, list[tuple[dict, Any]]] = {}
    for year in YEARS:
        pool[year] = []
        for _ in range(per_year):
            data = random_answers(questionnaire, rng, answered=rng.choice([0.8, 0.95, 1.0]), year=year)
            data["profile"]["founded_year"] = min(data["profile"]["founded_year"], 2016 - rng.randint(0, 15))
            result = engine.score(checker.check(data))
            text = result_to_json(result)
            pool[year].append((data, (text, result.overall, result.stage.id, summary_of_result(text))))
    return pool


def fill(url: str, questionnaire: Questionnaire, n: int, pool: dict[int, list[tuple[dict, Any]]]) -> float:
    """Insert n submitted assessments of n/10 clusters (ten rounds each); the seconds it took."""
    engine = create_engine(url)
    now = datetime.now(UTC)
    clusters = max(1, n // len(YEARS))
    start = time.perf_counter()
    with engine.begin() as c:
        c.execute(
            insert(Cluster),
            [
                {"id": i + 1, "name": f"Cluster {i + 1:06d}", "origin": None, "created_at": now}
                for i in range(clusters)
            ],
        )
    answer_id = 0
    for first in range(0, n, BATCH):
        assessments, answers, results, summaries = [], [], [], []
        for i in range(first, min(n, first + BATCH)):
            cluster, number = i // len(YEARS) + 1, i % len(YEARS) + 1
            year = YEARS[number - 1]
            data, (result_json, overall, stage, summary) = pool[year][cluster % len(pool[year])]
            country = list(COUNTRIES)[cluster % len(COUNTRIES)]
            profile = {
                **data["profile"],
                "name": f"Cluster {cluster:06d}",
                "country": country,
                "region": COUNTRIES[country][cluster % len(COUNTRIES[country])],
                "sector": SECTORS[cluster % len(SECTORS)],
            }
            aid = i + 1
            assessments.append(
                {
                    "id": aid, "cluster_id": cluster, "questionnaire": questionnaire.id,
                    "questionnaire_version": questionnaire.version, "year": year, "number": number,
                    "status": "submitted", "created_at": now, "updated_at": now, "submitted_at": now,
                }
            )  # fmt: skip
            for section, values in (("profile", profile), ("answers", data["answers"])):
                for key, value in values.items():
                    answer_id += 1
                    answers.append(
                        {"id": answer_id, "assessment_id": aid, "section": section, "key": key,
                         "value": value,
                         "updated_at": now}
                    )  # fmt: skip
            results.append(
                {"assessment_id": aid, "result_json": result_json, "overall": overall, "stage": stage,
                 "engine_version": "1.0.0", "computed_at": now}
            )  # fmt: skip
            summaries.append(
                {"assessment_id": aid, "overall": overall, "stage": stage, "summary": summary,
                 "computed_at": now, "rescored": False}
            )  # fmt: skip
        with engine.begin() as c:
            c.execute(insert(Assessment), assessments)
            c.execute(insert(Answer), answers)
            c.execute(insert(Result), results)
            c.execute(insert(ResultSummary), summaries)
    if engine.dialect.name == "postgresql":
        with engine.begin() as c:
            for table in ("clusters", "assessments", "answers"):
                c.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
            c.execute(text("ANALYZE"))
    else:
        with engine.begin() as c:
            c.execute(text("ANALYZE"))
    engine.dispose()
    return time.perf_counter() - start


def check_sample(store: Store, questionnaire: Questionnaire, seed: int, size: int = 20) -> int:
    """How many of `size` random assessments' stored overall differ from a fresh `Engine.score`."""
    rng = random.Random(seed)
    engine, checker = Engine(questionnaire), AnswerChecker(questionnaire)
    frame = portfolio_frame(store, questionnaire)
    stored = dict(zip(frame["assessment_id"], frame["overall"], strict=True))
    wrong = 0
    for aid in rng.sample(sorted(stored), min(size, len(stored))):
        fresh = engine.score(checker.check(store.answer_data(int(aid)))).overall
        wrong += fresh != stored[aid]
    return wrong


def write_files(questionnaire: Questionnaire, folder: Path, count: int, seed: int) -> None:
    """`count` answer files (YAML, a tenth of them JSON) of new clusters, for the bulk import."""
    rng = random.Random(seed)
    for i in range(count):
        data = random_answers(questionnaire, rng, year=2025)
        data["profile"]["name"] = f"Imported cluster {i:05d}"
        if i % 10 == 9:
            (folder / f"answers_{i:05d}.json").write_text(json.dumps(data, ensure_ascii=False))
        else:
            (folder / f"answers_{i:05d}.yaml").write_text(dump_yaml(data))


def print_rescore(report: RescoreReport, workers: int, target: float) -> None:
    """The re-score's phases (reading and scoring summed over the workers' batches), then its total."""
    per = f" (summed over {workers} processes)" if workers > 1 else ""
    print(f"re-score, read answer sets: {report.reading:.2f} s{per}")
    print(f"re-score, validate + evaluate: {report.scoring:.2f} s{per}")
    print(f"re-score, write back: {report.writing:.2f} s")
    verdict = "met" if report.seconds < target else "NOT met"
    print(
        f"re-score after a weight change: {report.rescored:,} assessments ({len(report.invalid)} invalid) "
        f"in {report.seconds:.2f} s on {workers} process(es) (target < {target:g} s: {verdict})"
    )


def run(label: str, url: str, questionnaire: Questionnaire, args: argparse.Namespace, pool: dict) -> None:
    print(f"\n== {label} ==")
    store = Store(url)  # creates the schema
    try:
        fill_s = fill(url, questionnaire, args.n, pool)
        print(
            f"filled {args.n:,} submitted assessments of {max(1, args.n // 10):,} clusters in {fill_s:.1f} s"
        )
        basque = shipped_programmes(questionnaire)[0]
        gc.collect()
        for when in ("first load (nothing remembered)", "again (answers remembered)"):
            start = time.perf_counter()
            frame = portfolio_frame(store, questionnaire, programme=basque)
            portfolio_s = time.perf_counter() - start
            verdict = "met" if portfolio_s < PORTFOLIO_TARGET_S else "NOT met"
            print(
                f"portfolio data, {when}: {len(frame):,} clusters in {portfolio_s:.3f} s "
                f"(target < {PORTFOLIO_TARGET_S:g} s: {verdict})"
            )
        start = time.perf_counter()
        found = filter_portfolio(
            frame, country=["Spain", "Mexico"], stage="maturity", min_overall=40, search="0"
        )
        found = sort_portfolio(found, "overall", descending=True)
        flags = frequent_red_flags(frame, questionnaire, top=10)
        filter_s = time.perf_counter() - start
        print(
            f"filter + sort + top red flags: {len(found):,} rows, {len(flags)} lessons "
            f"in {filter_s * 1000:.1f} ms"
        )
        changed = moved_weights(questionnaire)
        report = rescore_all(store, changed, "benchmark", "5 points of weight moved", workers=args.workers)
        print_rescore(report, args.workers, RESCORE_TARGET_S[store.dialect])
        wrong = check_sample(store, changed, args.seed)
        print(f"  a sample of 20 checked against a fresh Engine.score: {wrong} differ")
        if args.import_files:
            folder = Path(tempfile.mkdtemp(prefix="bulk-import-"))
            try:
                write_files(questionnaire, folder, args.import_files, args.seed)
                start = time.perf_counter()
                report = bulk_import(store, folder, questionnaire, "benchmark")
                import_s = time.perf_counter() - start
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            print(f"bulk import of {args.import_files:,} files: {report.summary()} in {import_s:.1f} s "
                  f"({import_s / args.import_files * 1000:.1f} ms a file)")  # fmt: skip
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50_000, help="submitted assessments (clusters: n/10)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL"), help="an empty PostgreSQL database"
    )
    parser.add_argument("--import-files", type=int, default=1_000, help="files to bulk-import (0: skip)")
    parser.add_argument("--pool", type=int, default=2_000, help="distinct answer sets scored and reused")
    parser.add_argument(
        "--workers", type=int, default=default_workers(), help="re-score processes (default: the CLI's)"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.n = max(args.n, len(YEARS))

    questionnaire = load_questionnaire()
    start = time.perf_counter()
    pool = scored_pool(questionnaire, min(args.pool, args.n), args.seed)
    print(f"questionnaire {questionnaire.ref}; {args.n:,} assessments from a pool of "
          f"{sum(map(len, pool.values())):,} scored answer sets "
          f"({time.perf_counter() - start:.1f} s to score it)")  # fmt: skip

    if args.backend in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="portfolio-bench-"))
        try:
            run("SQLite", f"sqlite:///{folder / 'bench.db'}", questionnaire, args, pool)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if args.backend in ("postgresql", "both"):
        if args.database_url and args.database_url.startswith("postgresql"):
            run("PostgreSQL", args.database_url, questionnaire, args, pool)
            return
        from tests.pg import PostgresServer, find_bindir

        bindir = find_bindir()
        if bindir is None:
            print(
                "\n== PostgreSQL ==\n"
                "skipped: no PostgreSQL binaries (apt-get install postgresql) and no --database-url"
            )
            return
        server = PostgresServer(bindir)
        try:
            server.start()
            run("PostgreSQL", server.new_database(), questionnaire, args, pool)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
