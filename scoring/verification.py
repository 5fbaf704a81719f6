"""How much of the index rests on answers an officer has checked: the verified share.

A self-assessment is only as good as its answers; an officer marks each answer
self-declared, documented or verified (`storage.evidence`). This says what share of the
index's weight is verified, and what share at least documented, so that two indexes of the
same value can be told apart by how much of each was checked.

Each scored question weighs as in the index, its dimension's weight × its own weight
(`scoring.gating`, `scoring.engine`), over the total of the scored questions. Checks (rules
on several answers) have no answer of their own to back, so only questions count; an id of
neither a question nor a scored item is ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assessment.questionnaire import Questionnaire

DOCUMENTED_OR_BETTER = frozenset({"documented", "verified"})


@dataclass(frozen=True)
class VerifiedShare:
    """Shares (0..1) of the scored weight that is verified, and at least documented (verified included).

    `weight` is the total weight of the scored questions: 0 when nothing is scored, and
    then both shares are 0.
    """

    verified: float
    documented: float
    weight: float


def verified_share(
    questionnaire: Questionnaire, scored_item_ids: Iterable[str], marks: Mapping[str, str]
) -> VerifiedShare:
    """The share of the index's weight backed by verified (and by documented) answers.

    `scored_item_ids` are the items scored in the result (status "scored"); `marks` maps a
    question id to its level (missing: self-declared).
    """
    weights = {q.id: d.weight * q.weight for d in questionnaire.dimensions for q in d.questions}
    scored = {i for i in scored_item_ids if weights.get(i, 0.0) > 0}
    total = sum(weights[i] for i in scored)
    if total <= 0:
        return VerifiedShare(0.0, 0.0, 0.0)
    verified = sum(weights[i] for i in scored if marks.get(i) == "verified")
    documented = sum(weights[i] for i in scored if marks.get(i) in DOCUMENTED_OR_BETTER)
    return VerifiedShare(min(verified / total, 1.0), min(documented / total, 1.0), total)


def scored_questions(items: Iterable[tuple[str, str, str]]) -> list[str]:
    """The ids of the scored questions among a result's items given as (id, kind, status)."""
    return [item_id for item_id, kind, status in items if kind == "question" and status == "scored"]
