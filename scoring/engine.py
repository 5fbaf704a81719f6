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
from scoring.gating import GatePlan, Gating, compile_gates
from scoring.questions import QuestionRule, compile_question
from scoring.result import (
    Action,
    Cap,
    DimensionScore,
    Evidence,
    Finding,
    ItemScore,
    ItemStatus,
    Result,
    StageInfo,
)
from scoring.stage import determine_stage

ENGINE_VERSION = "2.0.0"
_KIND_ORDER = {"red_flag": 0, "gap": 1, "strength": 2}
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_UNANSWERED = N_("Not answered: left out of the dimension score (not counted as zero); completeness drops.")
_NO_OUTCOMES: frozenset[str] = frozenset()
_INPUT_ONLY = N_(" Used by the cross-checks; weight 0 in the dimension.")
ACTIONS_AT_MOST = 5


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
    capped_dimension: str
    capped_overall: str

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
            _(" Capped at {level} by a gate (without it: {uncapped})."),
            _(" Held down to {overall} by: {caps} (without the caps: {uncapped})."),
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
    topic: str | None = None


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
    gating: Gating | None = None

    def lessons_flagged(self) -> list[str]:
        """Lesson ids of the red flags, most important first, one per topic as the result merges them."""
        seen: set[str] = set()
        lessons = []
        for f in sorted(self.fired):
            topic = f[4].topic
            if topic is not None:
                if topic in seen:
                    continue
                seen.add(topic)
            if f[4].kind == "red_flag":
                lessons.append(f[4].lesson)
        return lessons


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
        titles = {p.id: p.title for p in self._plans} | {c.id: c.title for c in self._checks}
        self._gates: GatePlan = compile_gates(
            questionnaire,
            {p.id: (self._dim_index[p.dimension], p.weight) for p in self._plans}
            | {c.id: (self._dim_index[c.dimension], c.weight) for c in self._checks},
            titles,
            lang,
        )

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
            rule.topic,
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
        for check_id, di, weight, judge, check_rules, impact in self._fast_checks:
            outcome = judge(ctx)
            outcomes[check_id] = outcome
            score = outcome.score
            if score is not None:
                scores[check_id] = score
                if weight:
                    weighted[di] += weight * score
                    weights[di] += weight
            found = outcome.outcomes
            for wanted, below, at_least, stages, rule in check_rules:
                if stages is not None and stage_id not in stages:
                    continue
                if wanted is not None:
                    hit = wanted in found
                elif score is None:
                    hit = False
                else:
                    hit = score < below if below is not None else at_least is not None and score >= at_least
                if hit:
                    fired.append((*rule.order, -impact, len(fired), rule, check_id))

        gating = self._gates.judge(weighted, weights, scores, fired, hidden, visible)
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
        gating = ev.gating
        assert gating is not None
        shown = _merge_topics(sorted(ev.fired), findings)
        dimensions = tuple(
            _dimension(
                dim_id, title, weight, ev.dimensions[dim_id], by_dimension[dim_id], texts, gating.uncapped[i]
            )
            for i, (dim_id, title, weight) in enumerate(self._dimensions)
        )
        by_sequence = {f[3]: finding for f, finding in zip(sorted(ev.fired), findings, strict=True)}
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
        actions = self._actions(ev, gating, findings)
        unanswered += [f"profile.{f}" for f in self._required if f not in ev.answers.profile]
        return Result(
            questionnaire=self.questionnaire.ref,
            engine_version=ENGINE_VERSION,
            cluster=str(ev.answers.profile.get("name", "")),
            year=ev.answers.year,
            stage=stage,
            overall=ev.overall,
            overall_explanation=_overall_explanation(dimensions, texts)
            + _held_down(ev.overall, gating.uncapped_overall, caps, texts),
            completeness=ev.completeness,
            dimensions=dimensions,
            items=tuple(items.values()),
            findings=tuple(shown),
            unanswered=tuple(unanswered),
            notes=tuple(
                texts.hidden_answer.format(question=qid)
                for qid in ev.answers.answers
                if qid in ev.hidden
            ),
            uncapped_overall=gating.uncapped_overall,
            caps=caps,
            provisional=gating.provisional,
            overall_range=gating.overall_range,
            short_dimensions=tuple(self._dimensions[i][0] for i in gating.short),
            actions=actions,
        )

    def _actions(self, ev: Evaluation, gating: Gating, findings: list[Finding]) -> tuple[Action, ...]:
        """The few steps that would raise the index most, worked out from the rules.

        For each red flag or gap, the engine scores the answers again as if its item stood
        at the questionnaire's "in place" level and the finding no longer held (lifting any
        cap it causes); the gain is the rise of the index. One action per item. Where two
        caps hold a dimension or the index down together, fixing either alone gains nothing:
        the group is offered as one step, led by its most important finding.
        """
        if ev.overall is None:
            return ()
        # A finding that merged others (one topic) is fixed with them: its step covers their
        # items and lifts their caps too.
        leads: dict[str, str] = {}  # item id -> the item of the finding that speaks for it
        firsts: dict[str, tuple[int, Finding]] = {}
        covers: dict[str, tuple[list[str], list[int]]] = {}
        by_key: dict[str, str] = {}
        for order, (fired, finding) in enumerate(zip(sorted(ev.fired), findings, strict=True)):
            rule, item_id = fired[4], fired[5]
            if rule.kind == "strength":
                continue
            key = rule.topic or item_id
            lead = leads.get(item_id) or by_key.get(key) or item_id
            leads.setdefault(item_id, lead)
            by_key.setdefault(key, lead)
            firsts.setdefault(lead, (order, finding))
            items, seqs = covers.setdefault(lead, ([], []))
            if item_id not in items:
                items.append(item_id)
            seqs.append(fired[3])
        single = {
            lead: (self._gates.gain_together(gating, ev.scores, *covers[lead]), *firsts[lead])
            for lead in firsts
        }
        ranked: list[tuple[float, int, Finding, tuple[str, ...]]] = []
        grouped: set[str] = set()
        for group in self._gates.binding_groups(gating):
            members = list(dict.fromkeys(leads[i] for i in group if i in leads))
            members = [i for i in members if i not in grouped]
            if len(members) < 2:
                continue
            items = [item for i in members for item in covers[i][0]]
            seqs = [seq for i in members for seq in covers[i][1]]
            joint = self._gates.gain_together(gating, ev.scores, items, seqs)
            if joint > max(single[i][0] for i in members) + 0.05:
                lead = min(members, key=lambda i: single[i][1])
                others = tuple(i for i in members if i != lead)
                ranked.append((-joint, single[lead][1], single[lead][2], others))
                grouped.update(members)
        ranked += [(-g, o, f, ()) for i, (g, o, f) in single.items() if i not in grouped and g > 0.05]
        ranked.sort(key=lambda entry: (entry[0], entry[1]))
        return tuple(
            Action(
                f.item,
                f.dimension,
                f.kind,
                f.severity,
                round(-g, 1),
                f.title,
                f.recommendation,
                f.lesson,
                f.source,
                together,
            )
            for g, _, f, together in ranked[:ACTIONS_AT_MOST]
        )

    def _evidence(self, question_id: str, visible: Mapping[str, Any]) -> Evidence:
        plan = self._by_id[question_id]
        return Evidence(question_id, plan.title, plan.rule.describe(visible[question_id]))


def score(questionnaire: Questionnaire, answers: ValidAnswers, lang: Language = "en") -> Result:
    """Score one validated answer set; to score many, build an `Engine` once."""
    return Engine(questionnaire, lang).score(answers)


def _item(
    plan: _QuestionPlan, score: float | None, status: ItemStatus, why: str, inputs: tuple[str, ...]
) -> ItemScore:
    weight = plan.weight if status != "not_scored" or score is None else 0.0
    return ItemScore(
        plan.id, "question", plan.dimension, weight, score, status, why, inputs, plan.lessons, plan.title
    )


def _check_item(plan: _CheckPlan, outcome: CheckOutcome, facts: _Facts, texts: _EngineTexts) -> ItemScore:
    if outcome.score is None and not outcome.outcomes:
        missing = ", ".join(outcome.missing) or texts.needed_answers
        why = texts.cannot_judge.format(missing=missing)
        status: ItemStatus = "cannot_judge"
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
    )


def _dimension(
    dim_id: str,
    title: str,
    weight: float,
    score: float | None,
    items: list[ItemScore],
    texts: _EngineTexts,
    uncapped: float | None = None,
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
    if score is not None and uncapped is not None and score < uncapped:
        why += texts.capped_dimension.format(
            level=number(score, texts.lang), uncapped=number(uncapped, texts.lang)
        )
    completeness = 100.0 * answered / len(questions) if questions else 100.0
    return DimensionScore(
        dim_id, title, weight, score, round(completeness, 1), answered, len(questions), why, uncapped
    )


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


def _merge_topics(fired: list[Fired], findings: list[Finding]) -> list[Finding]:
    """One finding per topic: the most important one, with the evidence of the others added."""
    kept: list[Finding] = []
    first: dict[str, Finding] = {}
    for entry, finding in zip(fired, findings, strict=True):
        topic = entry[4].topic
        if topic is None:
            kept.append(finding)
            continue
        lead = first.get(topic)
        if lead is None:
            first[topic] = finding
            kept.append(finding)
            continue
        known = {e.question for e in lead.evidence}
        lead.evidence += tuple(e for e in finding.evidence if e.question not in known)
        if finding.item != lead.item and finding.item not in lead.also:
            lead.also += (finding.item,)
    return kept


def _held_down(
    overall: float | None, uncapped: float | None, caps: tuple[Cap, ...], texts: _EngineTexts
) -> str:
    """The sentence naming the caps that hold the index down, or nothing."""
    if overall is None or uncapped is None or overall >= uncapped:
        return ""
    binding = [c.title for c in caps if c.overall_level is not None and c.overall_level <= overall + 1e-9]
    if not binding:
        binding = [c.title for c in caps]
    lang = texts.lang
    return texts.capped_overall.format(
        overall=number(overall, lang), caps="; ".join(dict.fromkeys(binding)), uncapped=number(uncapped, lang)
    )
