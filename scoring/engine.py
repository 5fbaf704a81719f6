"""The engine: score every question and check, weigh them into dimensions, raise findings.

Pure: the same questionnaire and answers always give the same result, with no I/O and
no state kept between calls.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from assessment.answers import ValidAnswers
from assessment.base import FindingRule
from assessment.checks import CheckBase
from assessment.questionnaire import Questionnaire
from assessment.questions import QuestionBase
from assessment.text import Language, Text
from scoring.checks import run_check
from scoring.context import Context
from scoring.describe import describe_answer, number
from scoring.questions import score_question
from scoring.result import DimensionScore, Evidence, Finding, ItemScore, Result, StageInfo
from scoring.stage import determine_stage

ENGINE_VERSION = "1.0.0"
_KIND_ORDER = {"red_flag": 0, "gap": 1, "strength": 2}
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


class _Facts(dict):
    """Facts for text placeholders; numbers are shown rounded, unknown names kept visible."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(text: Text, facts: Mapping[str, Any], lang: Language) -> str:
    shown = _Facts({k: number(v) if isinstance(v, float) else v for k, v in facts.items() if v is not None})
    return string.Formatter().vformat(text.get(lang), (), shown)


def visible_questions(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, bool]:
    """Question id -> whether it is shown, given the answers (conditions name earlier questions)."""
    shown: dict[str, bool] = {}
    for qid, question in questionnaire.questions.items():
        cond = question.show_if
        shown[qid] = cond is None or (shown.get(cond.question, False) and cond.holds(answers.get(cond.question)))
    return shown


def score(questionnaire: Questionnaire, answers: ValidAnswers, lang: Language = "en") -> Result:
    """Score a validated answer set.

    Missing answers are not scored as zero: they are left out of the weighted means and
    lower the completeness, and the result lists them.
    """
    stage = determine_stage(questionnaire, answers.year, answers.profile, lang)
    shown = visible_questions(questionnaire, answers.answers)
    visible = {q: v for q, v in answers.answers.items() if shown[q]}
    ctx = Context(questionnaire, visible, answers.profile, stage.id, stage.label, stage.year_of_life, lang)
    notes = [
        f"The answer to {q!r} was not scored: its question is not shown for the other answers."
        for q in answers.answers
        if not shown[q]
    ]

    items: list[ItemScore] = []
    findings: list[tuple[tuple, Finding]] = []
    dim_weight = {d.id: d.weight for d in questionnaire.dimensions}
    for dim in questionnaire.dimensions:
        for question in dim.questions:
            item = _question_item(questionnaire, question, dim.id, shown[question.id], ctx)
            items.append(item)
            if item.score is not None:
                evidence = (_evidence(questionnaire, question, visible[question.id], lang),)
                facts = {"value": evidence[0].value, "score": item.score}
                for rule in _applicable(question.findings, item.score, frozenset(), stage):
                    finding = _finding(questionnaire, rule, item, facts, evidence, stage, lang)
                    findings.append((_rank(rule, dim_weight[dim.id], item.weight, len(findings)), finding))
    for check in questionnaire.checks:
        outcome = run_check(check, ctx)
        item = _check_item(questionnaire, check, outcome, ctx)
        items.append(item)
        if item.score is None and not outcome.outcomes:
            continue
        facts = {**outcome.facts, "score": item.score}
        evidence = tuple(
            _evidence(questionnaire, questionnaire.questions[q], visible[q], lang)
            for q in outcome.inputs
            if q in visible
        )
        for rule in _applicable(check.findings, item.score, outcome.outcomes, stage):
            finding = _finding(questionnaire, rule, item, facts, evidence, stage, lang)
            findings.append((_rank(rule, dim_weight[check.dimension], item.weight, len(findings)), finding))

    dimensions = tuple(_dimension(questionnaire, d.id, items, shown, visible, lang) for d in questionnaire.dimensions)
    overall, overall_why = _overall(dimensions)
    asked = [q for q, s in shown.items() if s]
    unanswered = tuple(
        [q for q in asked if q not in visible]
        + [f"profile.{f.id}" for f in questionnaire.profile if f.required and f.id not in answers.profile]
    )
    completeness = 100.0 * sum(1 for q in asked if q in visible) / len(asked) if asked else 0.0
    findings.sort(key=lambda pair: pair[0])
    return Result(
        questionnaire=questionnaire.ref,
        engine_version=ENGINE_VERSION,
        cluster=str(answers.profile.get("name", "")),
        year=answers.year,
        stage=stage,
        overall=overall,
        overall_explanation=overall_why,
        completeness=round(completeness, 1),
        dimensions=dimensions,
        items=tuple(items),
        findings=tuple(f for _, f in findings),
        unanswered=unanswered,
        notes=tuple(notes),
    )


def _question_item(questionnaire: Questionnaire, question: QuestionBase, dim: str, shown: bool, ctx: Context) -> ItemScore:
    title = question.text.get(ctx.lang)
    lessons = tuple(question.lessons)
    if not shown:
        cond = question.show_if
        why = f"Not asked: shown only when {cond.question!r} meets its condition." if cond else "Not asked."
        return ItemScore(question.id, "question", dim, question.weight, None, "hidden", why, (), lessons, title=title)
    value = ctx.answers.get(question.id)
    if value is None:
        why = "Not answered: left out of the dimension score (not counted as zero); completeness drops."
        return ItemScore(question.id, "question", dim, question.weight, None, "unanswered", why, (question.id,), lessons, title=title)
    score, why = score_question(question, value, ctx)
    status = "scored" if score is not None else "not_scored"
    if score is not None and question.weight == 0:
        status, why = "not_scored", why + " Used by the cross-checks; weight 0 in the dimension."
        return ItemScore(question.id, "question", dim, 0.0, score, status, why, (question.id,), lessons, title=title)
    return ItemScore(question.id, "question", dim, question.weight, score, status, why, (question.id,), lessons, title=title)


def _check_item(questionnaire: Questionnaire, check: CheckBase, outcome: Any, ctx: Context) -> ItemScore:
    title = check.title.get(ctx.lang)
    lessons = tuple(check.lessons)
    if outcome.score is None and not outcome.outcomes:
        missing = ", ".join(outcome.missing) or "the answers it needs"
        why = f"Cannot be judged until these are answered: {missing}."
        return ItemScore(check.id, "check", check.dimension, check.weight, None, "cannot_judge", why, outcome.inputs, lessons, title=title)
    facts = {**outcome.facts, "stage": ctx.stage_label, "year_of_life": ctx.year_of_life, "score": outcome.score}
    why = _fill(check.explanation, facts, ctx.lang)
    if outcome.missing:
        why += f" Not yet answered: {', '.join(outcome.missing)}."
    return ItemScore(check.id, "check", check.dimension, check.weight, outcome.score, "scored", why, outcome.inputs, lessons, title=title)


def _applicable(rules: list[FindingRule], score: float | None, outcomes: frozenset[str], stage: StageInfo) -> list[FindingRule]:
    out = []
    for rule in rules:
        if rule.stages is not None and stage.id not in rule.stages:
            continue
        when = rule.when
        if when.outcome is not None:
            hit = when.outcome in outcomes
        elif score is None:
            hit = False
        elif when.score_below is not None:
            hit = score < when.score_below
        else:
            hit = score >= when.score_at_least  # type: ignore[operator]
        if hit:
            out.append(rule)
    return out


def _rank(rule: FindingRule, dim_weight: float, item_weight: float, order: int) -> tuple:
    impact = dim_weight * (item_weight or 100.0)
    return (_KIND_ORDER[rule.kind], _SEVERITY_ORDER[rule.severity], -impact, order)


def _evidence(questionnaire: Questionnaire, question: QuestionBase, value: Any, lang: Language) -> Evidence:
    return Evidence(question.id, question.text.get(lang), describe_answer(questionnaire, question, value, lang))


def _finding(
    questionnaire: Questionnaire,
    rule: FindingRule,
    item: ItemScore,
    facts: Mapping[str, Any],
    evidence: tuple[Evidence, ...],
    stage: StageInfo,
    lang: Language,
) -> Finding:
    lesson = questionnaire.lesson_index[rule.lesson]
    all_facts = {**facts, "stage": stage.label, "year_of_life": stage.year_of_life}
    return Finding(
        kind=rule.kind,
        severity=rule.severity,
        lesson=rule.lesson,
        source=lesson.source,
        dimension=item.dimension,
        item=item.id,
        title=_fill(rule.title, all_facts, lang),
        recommendation=_fill(rule.recommendation, all_facts, lang),
        explanation=item.explanation,
        evidence=evidence,
    )


def _dimension(
    questionnaire: Questionnaire,
    dim_id: str,
    items: list[ItemScore],
    shown: Mapping[str, bool],
    visible: Mapping[str, Any],
    lang: Language,
) -> DimensionScore:
    dim = next(d for d in questionnaire.dimensions if d.id == dim_id)
    own = [i for i in items if i.dimension == dim_id]
    counted = [i for i in own if i.score is not None and i.weight > 0 and i.status == "scored"]
    weight = sum(i.weight for i in counted)
    score = sum(i.weight * i.score for i in counted) / weight if weight else None  # type: ignore[operator]
    asked = [q.id for q in dim.questions if shown[q.id]]
    answered = sum(1 for q in asked if q in visible)
    completeness = 100.0 * answered / len(asked) if asked else 100.0
    left_out = [i.id for i in own if i.weight > 0 and i.score is None and i.status != "hidden"]
    if score is None:
        why = "No scored answer yet in this dimension."
    else:
        why = f"Weighted mean of {len(counted)} scored items (weights {number(weight)} of 100)."
        if left_out:
            why += f" Not counted until answered: {', '.join(left_out)}."
    return DimensionScore(
        dim_id,
        dim.title.get(lang),
        dim.weight,
        None if score is None else round(score, 1),
        round(completeness, 1),
        answered,
        len(asked),
        why,
    )


def _overall(dimensions: tuple[DimensionScore, ...]) -> tuple[float | None, str]:
    scored = [d for d in dimensions if d.score is not None]
    weight = sum(d.weight for d in scored)
    if not weight:
        return None, "No dimension has a scored answer yet."
    overall = sum(d.weight * d.score for d in scored) / weight  # type: ignore[operator]
    why = "Weighted mean of the dimension scores: " + ", ".join(
        f"{d.title} {number(d.score)} × {number(d.weight)}" for d in scored  # type: ignore[arg-type]
    )
    missing = [d.title for d in dimensions if d.score is None]
    if missing:
        why += f"; left out until answered: {', '.join(missing)}"
    return round(overall, 1), why + "."
