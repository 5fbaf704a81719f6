"""Golden scores: what the engine gives for the examples and 200 seeded random answer sets.

Captured once, before the engine was compiled into lookup tables (issue 15), so that any
later speed-up is held to the very same numbers, findings and words. The record keeps
the numbers readable (to see what changed) and a digest of the whole explained result in
each language (to catch any change at all). Regenerate only for an intended change of
scoring, and say so in the commit:

    python -m tests.golden
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

from assessment.answers import AnswerChecker, ValidAnswers
from assessment.loading import load_answers, load_questionnaire
from assessment.questionnaire import Questionnaire
from assessment.random_answers import random_answers
from scoring import Engine, result_to_json

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "fixtures" / "golden_scores.json"
RANDOM_SETS = 200
LANGUAGES = ("en", "es", "pt")


def golden_inputs(questionnaire: Questionnaire) -> list[tuple[str, ValidAnswers]]:
    """(name, answers) of every example and of the seeded random sets, some of them drafts."""
    inputs = [(p.name, load_answers(p, questionnaire)) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    checker = AnswerChecker(questionnaire)
    for seed in range(RANDOM_SETS):
        rng = random.Random(seed)
        answered = 1.0 if seed % 4 else rng.random()  # every fourth set a draft
        inputs.append(
            (f"random-{seed}", checker.check(random_answers(questionnaire, rng, answered=answered)))
        )
    return inputs


def record(engines: dict[str, Engine], answers: ValidAnswers) -> dict[str, Any]:
    """The numbers of one answer set, and a digest of its explained result per language."""
    result = engines["en"].score(answers)
    return {
        "stage": result.stage.id,
        "overall": result.overall,
        "uncapped_overall": result.uncapped_overall,
        "completeness": result.completeness,
        "provisional": result.provisional,
        "overall_range": list(result.overall_range) if result.overall_range else None,
        "dimensions": {d.id: d.score for d in result.dimensions},
        "items": {i.id: i.score for i in result.items},
        "findings": [[f.kind, f.lesson, f.item] for f in result.findings],
        "caps": [[c.gate, c.item] for c in result.caps],
        "digest": {
            lang: hashlib.sha256(result_to_json(engine.score(answers)).encode()).hexdigest()
            for lang, engine in engines.items()
        },
    }


def golden_records(questionnaire: Questionnaire) -> dict[str, dict[str, Any]]:
    """Every golden record by input name."""
    engines = {lang: Engine(questionnaire, lang) for lang in LANGUAGES}  # type: ignore[misc]
    return {name: record(engines, answers) for name, answers in golden_inputs(questionnaire)}


if __name__ == "__main__":
    records = golden_records(load_questionnaire())
    lines = (f"{json.dumps(name)}: {json.dumps(rec, sort_keys=True)}" for name, rec in records.items())
    GOLDEN.write_text("{\n" + ",\n".join(lines) + "\n}\n")  # one input a line: diffs stay readable
    print(f"wrote {GOLDEN.relative_to(ROOT)}")
