"""The small summary of a result that the portfolio reads instead of the whole result.

A stored result is a JSON text of about 70 kB, most of it explanations; a programme's
portfolio needs only each assessment's dimension scores, the lessons of its red flags and its
completeness (the officer's review queue shows it).
The store writes this summary (in `result_summaries`) whenever a result is saved, and a
re-score writes it from the engine's evaluation, so listing thousands of clusters never
decodes a full result. Migration 0004 keeps its own copy of `summary_of_result` to fill old rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

SUMMARY_KEYS = ("dimensions", "red_flags", "completeness")


def make_summary(
    dimensions: Mapping[str, float | None], red_flags: Iterable[str], completeness: float | None = None
) -> dict[str, Any]:
    """Dimension scores by id (None when not scored), red-flag lessons (most important first), completeness.

    `completeness` (the % of asked questions answered) is left out when unknown, so that a
    summary written before it was kept reads as "not known" rather than as a number.
    """
    out: dict[str, Any] = {"dimensions": dict(dimensions), "red_flags": list(red_flags)}
    if completeness is not None:
        out["completeness"] = float(completeness)
    return out


def summary_of_result(result_json: str) -> dict[str, Any] | None:
    """The summary of a result's JSON text, or None when the text is not a result this engine wrote.

    None (not an empty summary) so that a reader can tell "no red flags" from "unknown".
    """
    try:
        data = json.loads(result_json)
        dimensions = {d["id"]: d.get("score") for d in data.get("dimensions", [])}
        flags = [f["lesson"] for f in data.get("findings", []) if f.get("kind") == "red_flag"]
        completeness = data.get("completeness")
        completeness = float(completeness) if isinstance(completeness, (int, float)) else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return make_summary(dimensions, flags, completeness)
