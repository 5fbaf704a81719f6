"""Demo data: each example answers file as a cluster with one submitted, scored assessment."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlalchemy import select

from storage.accounts import create_user, user
from storage.errors import AlreadyExists, NotFound
from storage.models import Cluster
from storage.programme_records import assign_cluster, cluster_programme, create_programme, programme
from storage.store import Store

if TYPE_CHECKING:
    from assessment.questionnaire import Questionnaire
    from scoring import Engine

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
DEMO_VARIABLE = "CLUSTER_ASSESS_DEMO"
DEMO_ACTOR = "demo"
DEMO_PREFIX = "demo:"


def demo_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the app should load the demo data: yes unless `CLUSTER_ASSESS_DEMO` is 0, false, no or off."""
    value = (os.environ if environ is None else environ).get(DEMO_VARIABLE, "1")
    return value.strip().lower() not in {"0", "false", "no", "off"}


def _demo_origins(store: Store) -> dict[str, int]:
    """The origin ("demo:<file stem>") of every cluster loaded from an example, with its id."""
    with store._read() as s:
        rows = s.execute(select(Cluster.origin, Cluster.id).where(Cluster.origin.like(f"{DEMO_PREFIX}%")))
        return {cast(str, origin): cluster_id for origin, cluster_id in rows}


def load_demo(
    store: Store, examples_dir: Path | None = None, questionnaire: Questionnaire | None = None
) -> int:
    """Add each example file (`*.yaml`) as a cluster with one submitted assessment and its result.

    Idempotent: a cluster already loaded from the same file (its origin, "demo:<file stem>") is
    left as it is, even if renamed since. Returns the number of clusters added. Pass the
    `questionnaire` already loaded, if any, to save reading it again (files for another
    questionnaire id are scored with that one read from `questionnaires/<id>`).

    Every start of the app calls it, and after the first run every example is loaded: the
    files still missing are listed first, and only when one is are the questionnaire, the
    answer checks and the engine imported and prepared, so a restart costs a few reads.

    Raises:
        AnswersError: when an example file is not a valid answer set.
    """
    directory = EXAMPLES_DIR if examples_dir is None else Path(examples_dir)
    present = _demo_origins(store)  # one read for every example, not one per file
    missing = [
        (path, origin)
        for path in sorted(directory.glob("*.yaml"))
        if (origin := f"{DEMO_PREFIX}{path.stem}") not in present
    ]
    if not missing:
        return 0
    from assessment.answers import check_answers
    from assessment.loading import (
        DEFAULT_QUESTIONNAIRE,
        QUESTIONNAIRES_DIR,
        load_questionnaire,
        parse_answers_text,
    )
    from scoring import Engine, result_to_json

    engines: dict[str, tuple[Questionnaire, Engine]] = {}
    if questionnaire is not None:
        engines[questionnaire.id] = (questionnaire, Engine(questionnaire))
    added = 0
    for path, origin in missing:
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


DEMO_PROGRAMME = ("demo", "Demo programme")
DEMO_PASSWORD_SUFFIX = "-demo-password"


def demo_accounts(store: Store) -> list[tuple[str, str, str, str]]:
    """Create (once) the demo accounts and return (username, password, role, scope) for each.

    One manager per demo cluster (those `load_demo` added; "manager-<example file>"), one
    officer of the programme "demo" that holds every demo cluster, and one admin. Passwords
    are fixed: the username followed by "-demo-password". Calling it again adds only what is
    missing (a new demo cluster, its manager) and changes nothing else: an account that exists
    is kept as it is (its returned password is then the demo one, even if changed since).
    """
    demo = sorted((cluster_id, origin) for origin, cluster_id in _demo_origins(store).items())
    slug, programme_name = DEMO_PROGRAMME
    try:
        programme(store, slug)
    except NotFound:
        with contextlib.suppress(AlreadyExists):  # another process made it first
            create_programme(store, slug, programme_name, "demo")
    wanted: list[tuple[str, str, Sequence[int], str | None]] = []
    for cluster_id, origin in demo:
        if cluster_programme(store, cluster_id) is None:  # one moved elsewhere since stays there
            assign_cluster(store, cluster_id, slug, "demo")
        stem = re.sub(r"[^a-z0-9._-]", "-", origin[len(DEMO_PREFIX) :].lower())
        wanted.append((f"manager-{stem}"[:100], "manager", (cluster_id,), None))
    wanted += [("officer-demo", "officer", (), slug), ("admin", "admin", (), None)]
    out: list[tuple[str, str, str, str]] = []
    for username, role, clusters, programme_slug in wanted:
        password = username + DEMO_PASSWORD_SUFFIX
        try:
            account = user(store, username)
        except NotFound:
            try:
                account = create_user(store, username, password, role, clusters, programme_slug, "demo")
            except AlreadyExists:
                account = user(store, username)
        out.append((account.username, password, account.role, account.scope))
    return out
