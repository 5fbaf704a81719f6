"""The tables an engine compiles once per questionnaire, and the cache that keeps them.

`Engine.evaluate` runs on plain tuples and dicts made here: finding rules with their sort
keys, the finding entries that fire ready-made, and for answers from a fixed set the
findings each answer's score crosses. The cache lets every `Engine(questionnaire, lang)`
after the first reuse them: compiling takes milliseconds, scoring microseconds.
"""

from __future__ import annotations

import threading
from typing import Any

from assessment.base import FindingRule
from assessment.questionnaire import Questionnaire
from assessment.text import Language
from scoring.evaluation import Fired, QuestionPlan, RulePlan
from scoring.gating import KIND_ORDER, SEVERITY_ORDER
from scoring.wording import RuleText


def rule_plan(rule: FindingRule, questionnaire: Questionnaire, lang: Language) -> RulePlan:
    """A finding rule compiled: what scoring compares, and its texts in `lang` ready to fill."""
    when = rule.when
    return RulePlan(
        rule.kind,
        rule.severity,
        rule.lesson,
        questionnaire.lesson_index[rule.lesson].source,
        frozenset(rule.stages) if rule.stages is not None else None,
        when.score_below,
        when.score_at_least,
        when.outcome,
        RuleText.of(rule.title, lang),
        RuleText.of(rule.recommendation, lang),
        (KIND_ORDER[rule.kind], SEVERITY_ORDER[rule.severity]),
        rule.topic,
    )


class FiredEntries:
    """Numbers the fired-finding entries of a questionnaire in the order rules are tried."""

    def __init__(self) -> None:
        self._count = 0

    def of(self, rule: RulePlan, item_id: str, impact: float) -> Fired:
        """The entry of `rule` raised by `item_id`, with the next number."""
        kind, severity = rule.order
        self._count += 1
        return (kind, severity, -impact, self._count - 1, rule, item_id)


def fired_by_answer(
    plan: QuestionPlan, entries: FiredEntries
) -> dict[Any, tuple[float | None, tuple[tuple[frozenset[str] | None, Fired], ...]]]:
    """For a question answered from a fixed set: each answer's score and the findings it fires.

    Which rules a score crosses is known at compile time; only their stages are left to
    test while scoring.
    """
    assert plan.rule.table is not None
    fired = {id(r): (r.stages, entries.of(r, plan.id, plan.impact)) for r in plan.findings}
    table = {}
    for value, score in plan.rule.table.items():
        table[value] = (
            score,
            tuple(
                fired[id(r)]
                for r in plan.findings
                if score is not None
                and (score < r.score_below if r.score_below is not None else score >= r.score_at_least)  # type: ignore[operator]
            ),
        )
    return table


class CompiledCache:
    """Compiled engine state by (questionnaire object, ref, language), a few at a time.

    Keyed on the object's id and held with it, so an id is never reused while cached; a
    questionnaire of another version is another object, compiled anew.
    """

    def __init__(self, at_most: int = 16) -> None:
        self._entries: dict[tuple[int, str, str], tuple[Questionnaire, dict[str, Any]]] = {}
        self._at_most = at_most
        self._lock = threading.Lock()

    def get(self, questionnaire: Questionnaire, lang: Language) -> dict[str, Any] | None:
        """The state compiled for this questionnaire and language, if cached."""
        with self._lock:
            cached = self._entries.get((id(questionnaire), questionnaire.ref, lang))
        return cached[1] if cached is not None and cached[0] is questionnaire else None

    def put(self, questionnaire: Questionnaire, lang: Language, state: dict[str, Any]) -> None:
        """Keep a compiled state; the oldest goes when the cache is full."""
        with self._lock:
            self._entries[(id(questionnaire), questionnaire.ref, lang)] = (questionnaire, dict(state))
            while len(self._entries) > self._at_most:
                del self._entries[next(iter(self._entries))]


COMPILED = CompiledCache()
