"""Which question a finding rests on, and what changed between two results of one cluster."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assessment.i18n import gettext_for
from assessment.questionnaire import Questionnaire
from assessment.text import Language
from scoring.result import Finding, Result


def question_of_item(questionnaire: Questionnaire, result: Result | None, item_id: str) -> str | None:
    """The question to open for a finding's item: itself, or the first question a check read."""
    if item_id in questionnaire.questions:
        return item_id
    if result is not None:
        try:
            inputs = result.item(item_id).inputs
        except StopIteration:
            inputs = ()
        for qid in inputs:
            if qid in questionnaire.questions:
                return qid
    for check in questionnaire.checks:
        if check.id == item_id:
            for param in check.question_refs():
                ref = getattr(check, param)
                if ref in questionnaire.questions:
                    return ref
    return None


def finding_questions(questionnaire: Questionnaire, result: Result, finding: Finding) -> list[str]:
    """Every question behind a finding: its evidence, or the question that raised it."""
    ids = [ev.question for ev in finding.evidence if ev.question in questionnaire.questions]
    first = question_of_item(questionnaire, result, finding.item)
    if first and first not in ids:
        ids.insert(0, first)
    return ids


def dimension_table(
    labels: Sequence[str], results: Sequence[Result], lang: Language = "en"
) -> list[dict[str, Any]]:
    """One row per dimension: its score in each assessment and the change from first to last.

    Dimension titles are the results' own (an engine of `lang` words them); the index row is named in `lang`.
    """
    if not results:
        return []
    rows = []
    for i, dim in enumerate(results[0].dimensions):
        row: dict[str, Any] = {"dimension": dim.title}
        scores = [r.dimensions[i].score for r in results]
        for label, score in zip(labels, scores, strict=True):
            row[label] = score
        first, last = scores[0], scores[-1]
        row["change"] = None if first is None or last is None else round(last - first, 1)
        rows.append(row)
    _ = gettext_for(lang)
    overall: dict[str, Any] = {"dimension": _("Sustainability index")}
    for label, r in zip(labels, results, strict=True):
        overall[label] = r.overall
    first, last = results[0].overall, results[-1].overall
    overall["change"] = None if first is None or last is None else round(last - first, 1)
    rows.append(overall)
    return rows


def _finding_key(f: Finding) -> tuple[str, str, str]:
    return (f.kind, f.item, f.lesson)


@dataclass(frozen=True, slots=True)
class FindingChanges:
    """How the findings moved between two assessments."""

    new: list[Finding]
    resolved: list[Finding]
    kept: list[tuple[Finding, Finding]]


def compare_findings(before: Result, after: Result) -> FindingChanges:
    """Findings that appeared, disappeared or stayed (matched by kind, item and lesson)."""
    old = {_finding_key(f): f for f in before.findings}
    new = {_finding_key(f): f for f in after.findings}
    return FindingChanges(
        new=[f for k, f in new.items() if k not in old],
        resolved=[f for k, f in old.items() if k not in new],
        kept=[(old[k], f) for k, f in new.items() if k in old],
    )
