"""The engine: score every question and check, weigh them into dimensions, raise findings.

Pure: the same questionnaire and answers always give the same result, with no I/O and
no state kept between calls. An `Engine` compiles a questionnaire once. Scoring has two
steps: `evaluate` decides every number, the stage and which findings fire, with no
text, so that scoring thousands of answer sets stays fast; `explain` puts an evaluation
in words (reasons, evidence, titles, recommendations). `score` does both.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from assessment.answers import ValidAnswers
from assessment.base import Condition, FindingRule
from assessment.i18n import N_, gettext_for, ngettext_for, translations
from assessment.questionnaire import Questionnaire
from assessment.text import Language, Text
from scoring.checks import CheckOutcome, CheckRule, compile_check
from scoring.context import Context
from scoring.describe import number
from scoring.questions import QuestionRule, compile_question
from scoring.result import DimensionScore, Evidence, Finding, ItemScore, Result, StageInfo
from scoring.stage import determine_stage

ENGINE_VERSION = "1.0.0"
_KIND_ORDER = {"red_flag": 0, "gap": 1, "strength": 2}
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_UNANSWERED = N_("Not answered: left out of the dimension score (not counted as zero); completeness drops.")
_NO_OUTCOMES: frozenset[str] = frozenset()
_INPUT_ONLY = N_(" Used by the cross-checks; weight 0 in the dimension.")


class _Facts(dict):
    """Facts for `{placeholders}` in `lang`: numbers rounded, lists joined, missing names left visible."""

    __slots__ = ("lang", "none")

    def __init__(self, lang: Language, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = lang
        self.none = translations(lang).pgettext("empty list", "none")

    def __getitem__(self, key: str) -> Any:
        value = self.get(key)
        if value is None:
            return "{" + key + "}"
        if isinstance(value, float):
            return number(value, self.lang)
        if isinstance(value, list):
            return ", ".join(map(str, value)) or self.none
        return value


@dataclass(frozen=True, slots=True)
class _EngineTexts:
    """The engine's own sentences in one language, looked up once per engine."""

    lang: Language
    unanswered: str
    input_only: str
    needed_answers: str
    cannot_judge: str
    not_yet_answered: str
    no_dimension_score: str
    dimension_mean: Callable[[int], str]
    not_counted: str
    no_overall: str
    overall: str
    overall_partial: str
    hidden_answer: str

    @classmethod
    def of(cls, lang: Language) -> _EngineTexts:
        _, ngettext = gettext_for(lang), ngettext_for(lang)
        return cls(
            lang,
            _(_UNANSWERED),
            _(_INPUT_ONLY),
            _("the answers it needs"),
            _("Cannot be judged until these are answered: {missing}."),
            _(" Not yet answered: {missing}."),
            _("No scored answer yet in this dimension."),
            lambda count: ngettext(
                "Weighted mean of {count} scored items (weights {weights} of 100).",
                "Weighted mean of {count} scored items (weights {weights} of 100).",
                count,
            ),
            _(" Not counted until answered: {items}."),
            _("No dimension has a scored answer yet."),
            _("Weighted mean of the dimension scores: {parts}."),
            _("Weighted mean of the dimension scores: {parts}; left out until answered: {missing}."),
            _("The answer to '{question}' was not scored: its question is not shown for the other answers."),
        )


@dataclass(frozen=True, slots=True)
class _Text:
    """A text in one language, rendered once when it has no placeholders."""

    template: str
    static: bool

    @classmethod
    def of(cls, text: Text, lang: Language) -> _Text:
        return cls(text.get(lang), not text.placeholders())

    def render(self, facts: _Facts) -> str:
        return self.template if self.static else self.template.format_map(facts)


@dataclass(frozen=True, slots=True)
class RulePlan:
    """A finding rule with what scoring needs at hand."""

    kind: str
    severity: str
    lesson: str
    source: str
    stages: frozenset[str] | None
    score_below: float | None
    score_at_least: float | None
    outcome: str | None
    title: _Text
    recommendation: _Text
    order: tuple[int, int]


@dataclass(frozen=True, slots=True)
class _QuestionPlan:
    id: str
    dimension: str
    weight: float
    title: str
    lessons: tuple[str, ...]
    show_if: Condition | None
    rule: QuestionRule
    findings: tuple[RulePlan, ...]
    impact: float
    hidden_why: str


@dataclass(frozen=True, slots=True)
class _CheckPlan:
    id: str
    dimension: str
    weight: float
    judge: CheckRule
    title: str
    explanation: str
    lessons: tuple[str, ...]
    findings: tuple[RulePlan, ...]
    impact: float


# A fired finding before it is put in words: (kind order, severity order, -impact, sequence,
# rule, item id). The sequence number is unique, so sorting never compares rules.
Fired = tuple[int, int, float, int, RulePlan, str]


@dataclass(slots=True)
class Evaluation:
    """Every number the engine decides for one answer set, and which findings fire."""

    answers: ValidAnswers
    stage: StageInfo
    hidden: frozenset[str]
    visible: dict[str, Any]
    scores: dict[str, float]
    outcomes: dict[str, CheckOutcome]
    dimensions: dict[str, float | None]
    overall: float | None
    completeness: float
    fired: list[Fired]  # in the order they fired; sorted() gives the most important first

    def lessons_flagged(self) -> list[str]:
        """Lesson ids of the red flags, most important first."""
        return [f[4].lesson for f in sorted(self.fired) if f[4].kind == "red_flag"]


class Engine:
    """A questionnaire prepared for scoring many answer sets in one language.

    Holds only what it derives from the questionnaire, once; scoring keeps no state.
    """

    def __init__(self, questionnaire: Questionnaire, lang: Language = "en") -> None:
        self.questionnaire = questionnaire
        self.lang: Language = lang
        _ = gettext_for(lang)
        self._texts = _EngineTexts.of(lang)
        not_asked = _("Not asked: shown only when {condition}.")
        dim_weight = {d.id: d.weight for d in questionnaire.dimensions}
        self._plans = tuple(
            _QuestionPlan(
                q.id,
                d.id,
                q.weight,
                q.text.get(lang),
                tuple(q.lessons),
                q.show_if,
                compile_question(q, questionnaire, lang),
                tuple(self._rule(r) for r in q.findings),
                d.weight * (q.weight or 100.0),
                not_asked.format(condition=q.show_if.describe(lang)) if q.show_if else "",
            )
            for d in questionnaire.dimensions
            for q in d.questions
        )
        self._by_id = {p.id: p for p in self._plans}
        self._dim_index = {d.id: i for i, d in enumerate(questionnaire.dimensions)}
        self._question_count = len(self._plans)
        self._fast = tuple(
            (
                p.id,
                self._dim_index[p.dimension],
                p.weight,
                p.rule.score,
                tuple((r.score_below, r.score_at_least, r.stages, r) for r in p.findings),
                p.impact,
                max((r.score_below for r in p.findings if r.score_below is not None), default=-math.inf),
                min((r.score_at_least for r in p.findings if r.score_at_least is not None), default=math.inf),
            )
            for p in self._plans
        )
        self._checks = tuple(
            _CheckPlan(
                c.id,
                c.dimension,
                c.weight,
                compile_check(c, questionnaire, lang),
                c.title.get(lang),
                c.explanation.get(lang),
                tuple(c.lessons),
                tuple(self._rule(r) for r in c.findings),
                dim_weight[c.dimension] * (c.weight or 100.0),
            )
            for c in questionnaire.checks
        )
        self._fast_checks = tuple(
            (
                c.id,
                self._dim_index[c.dimension],
                c.weight,
                c.judge,
                tuple((r.outcome, r.score_below, r.score_at_least, r.stages, r) for r in c.findings),
                c.impact,
            )
            for c in self._checks
        )
        self._dimensions = tuple((d.id, d.title.get(lang), d.weight) for d in questionnaire.dimensions)
        self._required = tuple(f.id for f in questionnaire.profile if f.required)

    def _rule(self, rule: FindingRule) -> RulePlan:
        when = rule.when
        return RulePlan(
            rule.kind,
            rule.severity,
            rule.lesson,
            self.questionnaire.lesson_index[rule.lesson].source,
            frozenset(rule.stages) if rule.stages is not None else None,
            when.score_below,
            when.score_at_least,
            when.outcome,
            _Text.of(rule.title, self.lang),
            _Text.of(rule.recommendation, self.lang),
            (_KIND_ORDER[rule.kind], _SEVERITY_ORDER[rule.severity]),
        )

    def describe(self, question_id: str, value: Any) -> str:
        """An answer in words, as evidence shows it."""
        return self._by_id[question_id].rule.describe(value)

    def score(self, answers: ValidAnswers) -> Result:
        """Score a validated answer set and explain every number.

        Missing answers are not scored as zero: they are left out of the weighted means
        and lower the completeness, and the result lists them.
        """
        return self.explain(self.evaluate(answers))

    def evaluate(self, answers: ValidAnswers) -> Evaluation:
        """Decide every score, the stage and the findings that fire; no text.

        Written for speed (plain tuples and local lists): it runs once per answer set
        when a whole programme is re-scored.
        """
        stage = determine_stage(self.questionnaire, answers.year, answers.profile, self.lang)
        stage_id = stage.id
        hidden = self.questionnaire.hidden(answers.answers)
        visible = (
            {k: v for k, v in answers.answers.items() if k not in hidden} if hidden else dict(answers.answers)
        )
        scores: dict[str, float] = {}
        n = len(self._dimensions)
        weighted, weights = [0.0] * n, [0.0] * n
        fired: list[Fired] = []
        for qid, di, weight, score_of, rules, impact, quiet_from, quiet_to in self._fast:
            value = visible.get(qid)
            if value is None:
                continue
            score = score_of(value, stage_id)
            if score is None:
                continue
            scores[qid] = score
            if weight:
                weighted[di] += weight * score
                weights[di] += weight
            if quiet_from <= score < quiet_to:
                continue  # between every rule's thresholds: nothing can fire
            for below, at_least, stages, rule in rules:
                if (score < below if below is not None else score >= at_least) and (  # type: ignore[operator]
                    stages is None or stage_id in stages
                ):
                    fired.append((*rule.order, -impact, len(fired), rule, qid))

        ctx = Context(
            self.questionnaire,
            visible,
            answers.profile,
            stage_id,
            stage.label,
            stage.year_of_life,
            scores,
            self.lang,
        )
        outcomes: dict[str, CheckOutcome] = {}
        for check_id, di, weight, judge, rules, impact in self._fast_checks:
            outcome = judge(ctx)
            outcomes[check_id] = outcome
            score = outcome.score
            if score is not None:
                scores[check_id] = score
                if weight:
                    weighted[di] += weight * score
                    weights[di] += weight
            found = outcome.outcomes
            for wanted, below, at_least, stages, rule in rules:
                if stages is not None and stage_id not in stages:
                    continue
                if wanted is not None:
                    hit = wanted in found
                else:
                    hit = score is not None and (score < below if below is not None else score >= at_least)
                if hit:
                    fired.append((*rule.order, -impact, len(fired), rule, check_id))

        dimensions: dict[str, float | None] = {}
        total = total_weight = 0.0
        for i, (dim_id, _, dim_weight) in enumerate(self._dimensions):
            if weights[i]:
                dim_score = round(weighted[i] / weights[i], 1)
                total += dim_weight * dim_score
                total_weight += dim_weight
                dimensions[dim_id] = dim_score
            else:
                dimensions[dim_id] = None
        asked = self._question_count - len(hidden)
        return Evaluation(
            answers,
            stage,
            hidden,
            visible,
            scores,
            outcomes,
            dimensions,
            round(total / total_weight, 1) if total_weight else None,
            round(100.0 * len(visible) / asked, 1) if asked else 0.0,
            fired,
        )

    def explain(self, evaluation: Evaluation) -> Result:
        """Put an evaluation in words: a reason for every score, evidence for every finding."""
        ev = evaluation
        stage = ev.stage
        texts = self._texts
        ctx = Context(
            self.questionnaire,
            ev.visible,
            ev.answers.profile,
            stage.id,
            stage.label,
            stage.year_of_life,
            ev.scores,
            self.lang,
        )
        items: dict[str, ItemScore] = {}
        unanswered: list[str] = []
        for plan in self._plans:
            if plan.id in ev.hidden:
                items[plan.id] = _item(plan, None, "hidden", plan.hidden_why, ())
                continue
            value = ev.visible.get(plan.id)
            if value is None:
                unanswered.append(plan.id)
                items[plan.id] = _item(plan, None, "unanswered", texts.unanswered, (plan.id,))
                continue
            score, why = plan.rule.explain(value, ctx)
            if score is None:
                items[plan.id] = _item(plan, None, "not_scored", why, (plan.id,))
            elif plan.weight:
                items[plan.id] = _item(plan, score, "scored", why, (plan.id,))
            else:
                items[plan.id] = _item(plan, score, "not_scored", why + texts.input_only, (plan.id,))
        facts_of: dict[str, _Facts] = {}
        for check in self._checks:
            outcome = ev.outcomes[check.id]
            facts = _Facts(
                self.lang,
                outcome.facts(),
                stage=stage.label,
                year_of_life=stage.year_of_life,
                score=outcome.score,
            )
            facts_of[check.id] = facts
            items[check.id] = _check_item(check, outcome, facts, texts)

        findings = []
        for *_, rule, item_id in sorted(ev.fired):
            item = items[item_id]
            if item.kind == "question":
                evidence: tuple[Evidence, ...] = (self._evidence(item_id, ev.visible),)
                facts = _Facts(
                    self.lang,
                    value=evidence[0].value,
                    score=item.score,
                    stage=stage.label,
                    year_of_life=stage.year_of_life,
                )
            else:
                evidence = tuple(self._evidence(i, ev.visible) for i in item.inputs if i in ev.visible)
                facts = facts_of[item_id]
            findings.append(
                Finding(
                    rule.kind,  # type: ignore[arg-type]
                    rule.severity,  # type: ignore[arg-type]
                    rule.lesson,
                    rule.source,
                    item.dimension,
                    item.id,
                    rule.title.render(facts),
                    rule.recommendation.render(facts),
                    item.explanation,
                    evidence,
                )
            )

        by_dimension: dict[str, list[ItemScore]] = {dim_id: [] for dim_id, _, _ in self._dimensions}
        for item in items.values():
            by_dimension[item.dimension].append(item)
        dimensions = tuple(
            _dimension(dim_id, title, weight, ev.dimensions[dim_id], by_dimension[dim_id], texts)
            for dim_id, title, weight in self._dimensions
        )
        unanswered += [f"profile.{f}" for f in self._required if f not in ev.answers.profile]
        return Result(
            questionnaire=self.questionnaire.ref,
            engine_version=ENGINE_VERSION,
            cluster=str(ev.answers.profile.get("name", "")),
            year=ev.answers.year,
            stage=stage,
            overall=ev.overall,
            overall_explanation=_overall_explanation(dimensions, texts),
            completeness=ev.completeness,
            dimensions=dimensions,
            items=tuple(items.values()),
            findings=tuple(findings),
            unanswered=tuple(unanswered),
            notes=tuple(
                texts.hidden_answer.format(question=qid)
                for qid in ev.answers.answers
                if qid in ev.hidden
            ),
        )

    def _evidence(self, question_id: str, visible: Mapping[str, Any]) -> Evidence:
        plan = self._by_id[question_id]
        return Evidence(question_id, plan.title, plan.rule.describe(visible[question_id]))


def score(questionnaire: Questionnaire, answers: ValidAnswers, lang: Language = "en") -> Result:
    """Score one validated answer set; to score many, build an `Engine` once."""
    return Engine(questionnaire, lang).score(answers)


def _item(
    plan: _QuestionPlan, score: float | None, status: str, why: str, inputs: tuple[str, ...]
) -> ItemScore:
    weight = plan.weight if status != "not_scored" or score is None else 0.0
    return ItemScore(
        plan.id, "question", plan.dimension, weight, score, status, why, inputs, plan.lessons, plan.title
    )  # type: ignore[arg-type]


def _check_item(plan: _CheckPlan, outcome: CheckOutcome, facts: _Facts, texts: _EngineTexts) -> ItemScore:
    if outcome.score is None and not outcome.outcomes:
        missing = ", ".join(outcome.missing) or texts.needed_answers
        why = texts.cannot_judge.format(missing=missing)
        status = "cannot_judge"
    else:
        why = plan.explanation.format_map(facts)
        if outcome.missing:
            why += texts.not_yet_answered.format(missing=", ".join(outcome.missing))
        status = "scored"
    return ItemScore(
        plan.id,
        "check",
        plan.dimension,
        plan.weight,
        outcome.score,
        status,
        why,
        outcome.inputs,
        plan.lessons,
        plan.title,
    )  # type: ignore[arg-type]


def _dimension(
    dim_id: str,
    title: str,
    weight: float,
    score: float | None,
    items: list[ItemScore],
    texts: _EngineTexts,
) -> DimensionScore:
    questions = [i for i in items if i.kind == "question" and i.status != "hidden"]
    answered = sum(1 for i in questions if i.status != "unanswered")
    counted = [i for i in items if i.status == "scored" and i.weight]
    left_out = [
        i.id for i in items if i.weight and i.score is None and i.status in ("unanswered", "cannot_judge")
    ]
    if score is None:
        why = texts.no_dimension_score
    else:
        total = sum(i.weight for i in counted)
        why = texts.dimension_mean(len(counted)).format(count=len(counted), weights=number(total, texts.lang))
        if left_out:
            why += texts.not_counted.format(items=", ".join(left_out))
    completeness = 100.0 * answered / len(questions) if questions else 100.0
    return DimensionScore(dim_id, title, weight, score, round(completeness, 1), answered, len(questions), why)


def _overall_explanation(dimensions: tuple[DimensionScore, ...], texts: _EngineTexts) -> str:
    scored = [d for d in dimensions if d.score is not None]
    if not scored:
        return texts.no_overall
    lang = texts.lang
    parts = ", ".join(f"{d.title} {number(d.score, lang)} × {number(d.weight, lang)}" for d in scored)  # type: ignore[arg-type]
    missing = [d.title for d in dimensions if d.score is None]
    if missing:
        return texts.overall_partial.format(parts=parts, missing=", ".join(missing))
    return texts.overall.format(parts=parts)
