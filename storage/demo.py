"""Demo data: each example answers file as a cluster with one submitted, scored assessment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from assessment.answers import check_answers
from assessment.loading import (
    DEFAULT_QUESTIONNAIRE,
    QUESTIONNAIRES_DIR,
    load_questionnaire,
    parse_answers_text,
)
from assessment.questionnaire import Questionnaire
from scoring import Engine, result_to_json
from storage.store import Store

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
DEMO_VARIABLE = "CLUSTER_ASSESS_DEMO"
DEMO_ACTOR = "demo"


def demo_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the app should load the demo data: yes unless `CLUSTER_ASSESS_DEMO` is 0, false, no or off."""
    value = (os.environ if environ is None else environ).get(DEMO_VARIABLE, "1")
    return value.strip().lower() not in {"0", "false", "no", "off"}


def load_demo(
    store: Store, examples_dir: Path | None = None, questionnaire: Questionnaire | None = None
) -> int:
    """Add each example file (`*.yaml`) as a cluster with one submitted assessment and its result.

    Idempotent: a cluster already loaded from the same file (its origin, "demo:<file stem>") is
    left as it is, even if renamed since. Returns the number of clusters added. Pass the
    `questionnaire` already loaded, if any, to save reading it again (files for another
    questionnaire id are scored with that one read from `questionnaires/<id>`).

    Raises:
        AnswersError: when an example file is not a valid answer set.
    """
    directory = EXAMPLES_DIR if examples_dir is None else Path(examples_dir)
    engines: dict[str, tuple[Questionnaire, Engine]] = {}
    if questionnaire is not None:
        engines[questionnaire.id] = (questionnaire, Engine(questionnaire))
    added = 0
    for path in sorted(directory.glob("*.yaml")):
        origin = f"demo:{path.stem}"
        if store.cluster_by_origin(origin) is not None:
            continue
        data = parse_answers_text(path.read_text(encoding="utf-8"), path.name)
        qid = str(data.get("questionnaire"))
        if qid not in engines:
            folder = QUESTIONNAIRES_DIR / qid
            loaded = load_questionnaire(
                folder if (folder / "questionnaire.yaml").exists() else DEFAULT_QUESTIONNAIRE
            )
            engines[qid] = (loaded, Engine(loaded))
        used, engine = engines[qid]
        result = engine.score(check_answers(used, data))
        info = store.import_cluster(
            data,
            result_to_json(result),
            result.overall,
            result.stage.id,
            result.engine_version,
            DEMO_ACTOR,
            origin=origin,
        )
        added += info is not None
    return added
