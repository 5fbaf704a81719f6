"""The engine: score every question and check, weigh them into dimensions, raise findings.

Pure: the same questionnaire and answers always give the same result, with no I/O and
no state kept between calls. An `Engine` compiles a questionnaire once. Scoring has two
steps: `evaluate` decides every number, the stage and which findings fire, with no
text, so that scoring thousands of answer sets stays fast; `explain` puts an evaluation
in words (reasons, evidence, titles, recommendations). `score` does both.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from assessment.answers import ValidAnswers
from assessment.i18n import gettext_for
from assessment.questionnaire import Questionnaire
from assessment.text import Language
from scoring.actions import plan_actions
from scoring.checks import CheckOutcome, compile_check
from scoring.context import Context
from scoring.evaluation import CheckPlan, Evaluation, Fired, QuestionPlan
from scoring.explaining import (
    check_item,
    dimension_score,
    held_down,
    merge_topics,
    overall_explanation,
    question_item,
)
from scoring.gating import GatePlan, compile_gates
from scoring.questions import compile_question
from scoring.result import (
    Evidence,
    Finding,
    ItemScore,
    Result,
)
from scoring.stage import StageMemo
from scoring.tables import COMPILED, FiredEntries, fired_by_answer, rule_plan
from scoring.wording import EngineTexts, Facts

ENGINE_VERSION = "2.0.0"
_NO_OUTCOMES: frozenset[str] = frozenset()


class Engine:
    """A questionnaire prepared for scoring many answer sets in one language.

    Holds only what it derives from the questionnaire, once; scoring keeps no state.
    """

    def __init__(self, questionnaire: Questionnaire, lang: Language = "en") -> None:
        # Compiling takes milliseconds, scoring microseconds: an engine for a questionnaire
        # (the same object, ref and language) already compiled reuses its tables.
        cached = COMPILED.get(questionnaire, lang)
        if cached is not None:
            self.__dict__.update(cached)
            return
        self._compile(questionnaire, lang)
        COMPILED.put(questionnaire, lang, self.__dict__)

    def _compile(self, questionnaire: Questionnaire, lang: Language) -> None:
        self.questionnaire = questionnaire
        self.lang: Language = lang
        _ = gettext_for(lang)
        self._texts = EngineTexts.of(lang)
        not_asked = _("Not asked: shown only when {condition}.")
        dim_weight = {d.id: d.weight for d in questionnaire.dimensions}
        self._plans = tuple(
            QuestionPlan(
                q.id,
                d.id,
                q.weight,
                q.text.get(lang),
                tuple(q.lessons),
                q.show_if,
                compile_question(q, questionnaire, lang),
                tuple(rule_plan(r, questionnaire, lang) for r in q.findings),
                d.weight * (q.weight or 100.0),
                not_asked.format(condition=q.show_if.describe(lang)) if q.show_if else "",
            )
            for d in questionnaire.dimensions
            for q in d.questions
        )
        self._by_id = {p.id: p for p in self._plans}
        self._dim_index = {d.id: i for i, d in enumerate(questionnaire.dimensions)}
        self._question_count = len(self._plans)
        # The tables `evaluate` runs on: plain tuples, so that scoring an answer set reads
        # no model and builds no text. A rule's sort key (kind, severity, -impact) is made
        # here once rather than for every finding that fires.
        # Every finding a rule can raise, as the entry `evaluate` appends when it fires:
        # numbered in the order rules are tried, so the number is unique and sorts as the
        # firing order would.
        entries = FiredEntries()
        self._fast = tuple(
            (
                p.id,
                self._dim_index[p.dimension],
                p.weight,
                fired_by_answer(p, entries) if p.rule.table is not None else None,
                p.rule.score,
                tuple(
                    (r.score_below, r.score_at_least, r.stages, entries.of(r, p.id, p.impact))
                    for r in p.findings
                ),
                max((r.score_below for r in p.findings if r.score_below is not None), default=-math.inf),
                min((r.score_at_least for r in p.findings if r.score_at_least is not None), default=math.inf),
            )
            for p in self._plans
        )
        self._checks = tuple(
            CheckPlan(
                c.id,
                c.dimension,
                c.weight,
                compile_check(c, questionnaire, lang),
                c.title.get(lang),
                c.explanation.get(lang),
                tuple(c.lessons),
                tuple(rule_plan(r, questionnaire, lang) for r in c.findings),
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
                tuple(
                    (r.outcome, r.score_below, r.score_at_least, r.stages, entries.of(r, c.id, c.impact))
                    for r in c.findings
                ),
            )
            for c in self._checks
        )
        self._dimensions = tuple((d.id, d.title.get(lang), d.weight) for d in questionnaire.dimensions)
        self._lesson_texts = {lesson.id: lesson.fact.get(lang) for lesson in questionnaire.lessons}
        self._required = tuple(f.id for f in questionnaire.profile if f.required)
        self._stage_of = StageMemo(questionnaire, lang)
        titles = {p.id: p.title for p in self._plans} | {c.id: c.title for c in self._checks}
        self._titles = titles | {f"profile.{f.id}": f.label.get(lang) for f in questionnaire.profile}
        self._gates: GatePlan = compile_gates(
            questionnaire,
            {p.id: (self._dim_index[p.dimension], p.weight) for p in self._plans}
            | {c.id: (self._dim_index[c.dimension], c.weight) for c in self._checks},
            titles,
            lang,
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
        stage = self._stage_of(answers.year, answers.profile)
        stage_id = stage.id
        hidden = self.questionnaire.hidden(answers.answers)
        visible = dict(answers.answers)
        for qid in hidden:  # a few questions at most: cheaper than filtering every answer
            visible.pop(qid, None)
        scores: dict[str, float] = {}
        n = len(self._dimensions)
        weighted, weights, answered = [0.0] * n, [0.0] * n, [0] * n
        fired: list[Fired] = []
        for qid, di, weight, table, score_of, rules, quiet_from, quiet_to in self._fast:
            value = visible.get(qid)
            if value is None:
                continue
            answered[di] += 1
            if table is not None:  # an answer from a fixed set: its score and findings are known
                score, candidates = table[value]
                if score is None:
                    continue
                scores[qid] = score
                if weight:
                    weighted[di] += weight * score
                    weights[di] += weight
                for stages, entry in candidates:
                    if stages is None or stage_id in stages:
                        fired.append(entry)
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
            for below, at_least, stages, entry in rules:
                if (score < below if below is not None else score >= at_least) and (  # type: ignore[operator]
                    stages is None or stage_id in stages
                ):
                    fired.append(entry)

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
        for check_id, di, weight, judge, check_rules in self._fast_checks:
            outcome = judge(ctx)
            outcomes[check_id] = outcome
            score = outcome.score
            if score is not None:
                scores[check_id] = score
                if weight:
                    weighted[di] += weight * score
                    weights[di] += weight
            found = outcome.outcomes
            for wanted, below, at_least, stages, entry in check_rules:
                if stages is not None and stage_id not in stages:
                    continue
                if wanted is not None:
                    hit = wanted in found
                elif score is None:
                    hit = False
                else:
                    hit = score < below if below is not None else at_least is not None and score >= at_least
                if hit:
                    fired.append(entry)

        gating = self._gates.judge(weighted, weights, scores, fired, hidden, answered)
        asked = self._question_count - len(hidden)
        return Evaluation(
            answers,
            stage,
            hidden,
            visible,
            scores,
            outcomes,
            {dim_id: gating.dimensions[i] for i, (dim_id, _, _) in enumerate(self._dimensions)},
            gating.overall,
            round(100.0 * len(visible) / asked, 1) if asked else 0.0,
            fired,
            gating,
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
                items[plan.id] = question_item(plan, None, "hidden", plan.hidden_why, ())
                continue
            value = ev.visible.get(plan.id)
            if value is None:
                unanswered.append(plan.id)
                items[plan.id] = question_item(plan, None, "unanswered", texts.unanswered, (plan.id,))
                continue
            score, why = plan.rule.explain(value, ctx)
            if score is None:
                items[plan.id] = question_item(plan, None, "not_scored", why, (plan.id,))
            elif plan.weight:
                items[plan.id] = question_item(plan, score, "scored", why, (plan.id,))
            else:
                items[plan.id] = question_item(plan, score, "not_scored", why + texts.input_only, (plan.id,))
        facts_of: dict[str, Facts] = {}
        for check in self._checks:
            outcome = ev.outcomes[check.id]
            facts = Facts(
                self.lang,
                outcome.facts(),
                stage=stage.label,
                year_of_life=stage.year_of_life,
                score=outcome.score,
            )
            facts_of[check.id] = facts
            items[check.id] = check_item(check, outcome, facts, texts, self._titles)

        findings = []
        ordered = sorted(ev.fired)  # most important first; sorted once for every use below
        for *_, rule, item_id in ordered:
            item = items[item_id]
            if item.kind == "question":
                evidence: tuple[Evidence, ...] = (self._evidence(item_id, ev.visible),)
                facts = Facts(
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
                    lesson_text=self._lesson_texts.get(rule.lesson, ""),
                )
            )

        by_dimension: dict[str, list[ItemScore]] = {dim_id: [] for dim_id, _, _ in self._dimensions}
        for item in items.values():
            by_dimension[item.dimension].append(item)
        gating = ev.gating
        assert gating is not None
        shown = merge_topics(ordered, findings)
        dimensions = tuple(
            dimension_score(
                dim_id, title, weight, ev.dimensions[dim_id], by_dimension[dim_id], texts, gating.uncapped[i]
            )
            for i, (dim_id, title, weight) in enumerate(self._dimensions)
        )
        by_sequence = {f[3]: finding for f, finding in zip(ordered, findings, strict=True)}
        dim_ids = [dim_id for dim_id, _, _ in self._dimensions]
        caps = tuple(
            self._gates.cap(
                entry,
                by_sequence[entry[3]].title if entry[3] in by_sequence else None,
                by_sequence[entry[3]].lesson if entry[3] in by_sequence else None,
                dim_ids[entry[2]],
            )
            for entry in gating.caps
        )
        actions = plan_actions(self._gates, ev, gating, findings, ordered)
        unanswered += [f"profile.{f}" for f in self._required if f not in ev.answers.profile]
        return Result(
            questionnaire=self.questionnaire.ref,
            engine_version=ENGINE_VERSION,
            cluster=str(ev.answers.profile.get("name", "")),
            year=ev.answers.year,
            stage=stage,
            overall=ev.overall,
            overall_explanation=overall_explanation(dimensions, texts)
            + held_down(ev.overall, gating.uncapped_overall, caps, texts),
            completeness=ev.completeness,
            dimensions=dimensions,
            items=tuple(items.values()),
            findings=tuple(shown),
            unanswered=tuple(unanswered),
            notes=tuple(
                texts.hidden_answer.format(question=qid) for qid in ev.answers.answers if qid in ev.hidden
            ),
            uncapped_overall=gating.uncapped_overall,
            caps=caps,
            provisional=gating.provisional,
            overall_range=gating.overall_range,
            short_dimensions=tuple(self._dimensions[i][0] for i in gating.short),
            actions=actions,
        )

    def _evidence(self, question_id: str, visible: Mapping[str, Any]) -> Evidence:
        plan = self._by_id[question_id]
        return Evidence(question_id, plan.title, plan.rule.describe(visible[question_id]))


def score(questionnaire: Questionnaire, answers: ValidAnswers, lang: Language = "en") -> Result:
    """Score one validated answer set; to score many, build an `Engine` once."""
    return Engine(questionnaire, lang).score(answers)
