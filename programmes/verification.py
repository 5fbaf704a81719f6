"""The verified share of each assessment of a portfolio: how much of its index an officer checked.

Marks change after submission (an officer verifies a submitted assessment), so the share is
worked out when the portfolio is read, never stored with the result. An assessment without
a mark has nothing verified: its share is 0 (or unknown when nothing was scored) without
reading its result. Only the marked ones need their scored questions, read from their
stored results: those are the few an officer has reviewed by hand, so a portfolio of
thousands of clusters still decodes few results.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from assessment.questionnaire import Questionnaire
from scoring.verification import scored_questions, verified_share
from storage import Store
from storage.marks import marks_of
from storage.models import Result

_CHUNK = 500


def _scored(result_json: str) -> list[str]:
    """The scored question ids of a stored result's JSON (none when it cannot be read)."""
    try:
        items = json.loads(result_json).get("items", [])
        return scored_questions((i["id"], i["kind"], i["status"]) for i in items)
    except (ValueError, KeyError, TypeError, AttributeError):
        return []


def verified_shares(
    store: Store, questionnaire: Questionnaire, overall: Mapping[int, Any]
) -> dict[int, tuple[float | None, float | None]]:
    """Assessment id -> (verified, documented) share of its index's weight, in % (None when unknown).

    `overall` maps each assessment to its overall index: one without an index has nothing
    scored, so its shares are unknown.
    """
    ids = list(overall)
    marks = marks_of(store, ids)
    out: dict[int, tuple[float | None, float | None]] = {
        aid: ((0.0, 0.0) if overall[aid] is not None else (None, None)) for aid in ids
    }
    marked = [aid for aid in ids if marks.get(aid)]
    with store._read() as s:
        for start in range(0, len(marked), _CHUNK):
            chunk = marked[start : start + _CHUNK]
            for aid, text in s.execute(select(Result.assessment_id, Result.result_json).where(
                Result.assessment_id.in_(chunk)
            )):  # fmt: skip
                share = verified_share(questionnaire, _scored(text), marks[aid])
                if share.weight > 0:
                    out[aid] = (round(100 * share.verified, 1), round(100 * share.documented, 1))
    return out
