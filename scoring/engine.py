"""The engine: score every question and check, weigh them into dimensions, raise findings.

Pure: the same questionnaire and answers always give the same result, with no I/O and
no state kept between calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessment.answers import ValidAnswers
from assessment.base import FindingRule
from assessment.checks import CheckBase
from assessment.questionnaire import Dimension, Questionnaire
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
    return text.get(lang).format_map(shown)


def visible_questions(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, bool]:
    """Question id -> whether it is shown, given the answers (conditions name earlier questions)."""
    shown: dict[str, bool] = {}
    for qid, question in questionnaire.questions.items():
        cond = question.show_if
        shown[qid] = cond is None or (
            shown.get(cond.question, False) and cond.holds(answers.get(cond.question))
        )
    return shown


@dataclass(frozen=True, slots=True)
class _QuestionPlan:
    question: QuestionBase
    id: str
    dimension: str
    weight: float
    title: str
    lessons: tuple[str, ...]
    hidden_why: str


class Engine:
    """A questionnaire prepared for scoring many answer sets in one language.

    Holds only what it derives from the questionnaire, once; scoring keeps no state.
    """

    def __init__(self, questionnaire: Questionnaire, lang: Language = "en") -> None:
        self.questionnaire = questionnaire
        self.lang: Language = lang
        self._plans = [
            _QuestionPlan(
                q,
                q.id,
                d.id,
                q.weight,
                q.text.get(lang),
                tuple(q.lessons),
                f"Not asked: shown only when {q.show_if.question!r} meets its condition."
                if q.show_if
                else "",
            )
            for d in questionnaire.dimensions
            for q in d.questions
        ]
        self._dim_weight = {d.id: d.weight for d in questionnaire.dimensions}
        self._required = [f.id for f in questionnaire.profile if f.required]

    def score(self, answers: ValidAnswers) -> Result:
        """Score a validated answer set.

        Missing answers are not scored as zero: they are left out of the weighted means
        and lower the completeness, and the result lists them.
        """
        q, lang = self.questionnaire, self.lang
        stage = determine_stage(q, answers.year, answers.profile, lang)
        given = answers.answers
        shown: dict[str, bool] = {}
        visible: dict[str, Any] = {}
        for plan in self._plans:
            cond = plan.question.show_if
            is_shown = cond is None or (
                shown.get(cond.question, False) and cond.holds(visible.get(cond.question))
            )
            shown[plan.id] = is_shown
            if is_shown and plan.id in given:
                visible[plan.id] = given[plan.id]
        ctx = Context(q, visible, answers.profile, stage.id, stage.label, stage.year_of_life, lang)
        notes = [
            f"The answer to {qid!r} was not scored: its question is not shown for the other answers."
            for qid in given
            if not shown[qid]
        ]

        items: list[ItemScore] = []
        findings: list[tuple[tuple, Finding]] = []
        for plan in self._plans:
            item = self._question_item(plan, shown[plan.id], ctx)
            items.append(item)
            if item.score is None or not plan.question.findings:
                continue
            rules = _applicable(plan.question.findings, item.score, frozenset(), stage)
            if rules:
                evidence = (_evidence(q, plan.question, visible[plan.id], lang),)
                facts = {"value": evidence[0].value, "score": item.score}
                for rule in rules:
                    finding = _finding(q, rule, item, facts, evidence, stage, lang)
                    findings.append(
                        (_rank(rule, self._dim_weight[plan.dimension], item.weight, len(findings)), finding)
                    )
        for check in q.checks:
            outcome = run_check(check, ctx)
            item = _check_item(q, check, outcome, ctx)
            items.append(item)
            if item.score is None and not outcome.outcomes:
                continue
            rules = _applicable(check.findings, item.score, outcome.outcomes, stage)
            if not rules:
                continue
            facts = {**outcome.facts, "score": item.score}
            evidence = tuple(
                _evidence(q, q.questions[i], visible[i], lang) for i in outcome.inputs if i in visible
            )
            for rule in rules:
                finding = _finding(q, rule, item, facts, evidence, stage, lang)
                findings.append(
                    (_rank(rule, self._dim_weight[check.dimension], item.weight, len(findings)), finding)
                )

        dimensions = tuple(_dimension(d, items, shown, visible, lang) for d in q.dimensions)
        overall, overall_why = _overall(dimensions)
        asked = [qid for qid, s in shown.items() if s]
        unanswered = tuple(
            [qid for qid in asked if qid not in visible]
            + [f"profile.{f}" for f in self._required if f not in answers.profile]
        )
        completeness = 100.0 * len(visible) / len(asked) if asked else 0.0
        findings.sort(key=lambda pair: pair[0])
        return Result(
            questionnaire=q.ref,
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

    @staticmethod
    def _question_item(plan: _QuestionPlan, shown: bool, ctx: Context) -> ItemScore:
        if not shown:
            return ItemScore(
                plan.id,
                "question",
                plan.dimension,
                plan.weight,
                None,
                "hidden",
                plan.hidden_why,
                (),
                plan.lessons,
                plan.title,
            )
        value = ctx.answers.get(plan.id)
        if value is None:
            return ItemScore(
                plan.id,
                "question",
                plan.dimension,
                plan.weight,
                None,
                "unanswered",
                _UNANSWERED,
                (plan.id,),
                plan.lessons,
                plan.title,
            )
        score, why = score_question(plan.question, value, ctx)
        if score is None:
            return ItemScore(
                plan.id,
                "question",
                plan.dimension,
                plan.weight,
                None,
                "not_scored",
                why,
                (plan.id,),
                plan.lessons,
                plan.title,
            )
        if plan.weight == 0:
            return ItemScore(
                plan.id,
                "question",
                plan.dimension,
                0.0,
                score,
                "not_scored",
                why + _INPUT_ONLY,
                (plan.id,),
                plan.lessons,
                plan.title,
            )
        return ItemScore(
            plan.id,
            "question",
            plan.dimension,
            plan.weight,
            score,
            "scored",
            why,
            (plan.id,),
            plan.lessons,
            plan.title,
        )


_UNANSWERED = "Not answered: left out of the dimension score (not counted as zero); completeness drops."
_INPUT_ONLY = " Used by the cross-checks; weight 0 in the dimension."


def score(questionnaire: Questionnaire, answers: ValidAnswers, lang: Language = "en") -> Result:
    """Score one validated answer set; to score many, build an `Engine` once."""
    return Engine(questionnaire, lang).score(answers)


def _check_item(questionnaire: Questionnaire, check: CheckBase, outcome: Any, ctx: Context) -> ItemScore:
    title = check.title.get(ctx.lang)
    lessons = tuple(check.lessons)
    if outcome.score is None and not outcome.outcomes:
        missing = ", ".join(outcome.missing) or "the answers it needs"
        why = f"Cannot be judged until these are answered: {missing}."
        return ItemScore(
            check.id,
            "check",
            check.dimension,
            check.weight,
            None,
            "cannot_judge",
            why,
            outcome.inputs,
            lessons,
            title=title,
        )
    facts = {
        **outcome.facts,
        "stage": ctx.stage_label,
        "year_of_life": ctx.year_of_life,
        "score": outcome.score,
    }
    why = _fill(check.explanation, facts, ctx.lang)
    if outcome.missing:
        why += f" Not yet answered: {', '.join(outcome.missing)}."
    return ItemScore(
        check.id,
        "check",
        check.dimension,
        check.weight,
        outcome.score,
        "scored",
        why,
        outcome.inputs,
        lessons,
        title=title,
    )


def _applicable(
    rules: list[FindingRule], score: float | None, outcomes: frozenset[str], stage: StageInfo
) -> list[FindingRule]:
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
    return Evidence(
        question.id, question.text.get(lang), describe_answer(questionnaire, question, value, lang)
    )


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
    dim: Dimension,
    items: list[ItemScore],
    shown: Mapping[str, bool],
    visible: Mapping[str, Any],
    lang: Language,
) -> DimensionScore:
    dim_id = dim.id
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
        f"{d.title} {number(d.score)} × {number(d.weight)}"
        for d in scored  # type: ignore[arg-type]
    )
    missing = [d.title for d in dimensions if d.score is None]
    if missing:
        why += f"; left out until answered: {', '.join(missing)}"
    return round(overall, 1), why + "."
