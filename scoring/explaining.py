"""Items, dimensions and the index in words: the sentences of an explained result."""

from __future__ import annotations

from collections.abc import Mapping

from scoring.checks import CheckOutcome
from scoring.describe import number
from scoring.evaluation import CheckPlan, Fired, QuestionPlan
from scoring.result import Cap, DimensionScore, Finding, ItemScore, ItemStatus
from scoring.wording import EngineTexts, Facts


def question_item(
    plan: QuestionPlan, score: float | None, status: ItemStatus, why: str, inputs: tuple[str, ...]
) -> ItemScore:
    """A question's score and reason; an input-only question carries no weight."""
    weight = plan.weight if status != "not_scored" or score is None else 0.0
    return ItemScore(
        plan.id, "question", plan.dimension, weight, score, status, why, inputs, plan.lessons, plan.title
    )


def check_item(
    plan: CheckPlan, outcome: CheckOutcome, facts: Facts, texts: EngineTexts, titles: Mapping[str, str]
) -> ItemScore:
    """A cross-check's score and reason, or why it cannot be judged yet (naming questions by title)."""
    missing_titles = [titles.get(m, m) for m in outcome.missing]
    if outcome.score is None and not outcome.outcomes:
        missing = "; ".join(missing_titles) or texts.needed_answers
        why = texts.cannot_judge.format(missing=missing)
        status: ItemStatus = "cannot_judge"
    else:
        why = plan.explanation.format_map(facts)
        if outcome.missing:
            why += texts.not_yet_answered.format(missing="; ".join(missing_titles))
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


def dimension_score(
    dim_id: str,
    title: str,
    weight: float,
    score: float | None,
    items: list[ItemScore],
    texts: EngineTexts,
    uncapped: float | None = None,
) -> DimensionScore:
    """A dimension's score with its explanation: what was counted, left out, and any cap."""
    questions = [i for i in items if i.kind == "question" and i.status != "hidden"]
    answered = sum(1 for i in questions if i.status != "unanswered")
    counted = [i for i in items if i.status == "scored" and i.weight]
    left_out = [  # by title: people read the question, never its id
        i.title or i.id
        for i in items
        if i.weight and i.score is None and i.status in ("unanswered", "cannot_judge")
    ]
    if score is None:
        why = texts.no_dimension_score
    else:
        total = sum(i.weight for i in counted)
        why = texts.dimension_mean(len(counted)).format(count=len(counted), weights=number(total, texts.lang))
        if left_out:
            why += texts.not_counted.format(items="; ".join(left_out))
    if score is not None and uncapped is not None and score < uncapped:
        why += texts.capped_dimension.format(
            level=number(score, texts.lang), uncapped=number(uncapped, texts.lang)
        )
    completeness = 100.0 * answered / len(questions) if questions else 100.0
    return DimensionScore(
        dim_id, title, weight, score, round(completeness, 1), answered, len(questions), why, uncapped
    )


def overall_explanation(dimensions: tuple[DimensionScore, ...], texts: EngineTexts) -> str:
    """How the index was computed from the dimensions, naming those left out."""
    scored = [d for d in dimensions if d.score is not None]
    if not scored:
        return texts.no_overall
    lang = texts.lang
    parts = ", ".join(f"{d.title} {number(d.score, lang)} × {number(d.weight, lang)}" for d in scored)  # type: ignore[arg-type]
    missing = [d.title for d in dimensions if d.score is None]
    if missing:
        return texts.overall_partial.format(parts=parts, missing=", ".join(missing))
    return texts.overall.format(parts=parts)


def merge_topics(fired: list[Fired], findings: list[Finding]) -> list[Finding]:
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


def held_down(
    overall: float | None, uncapped: float | None, caps: tuple[Cap, ...], texts: EngineTexts
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
