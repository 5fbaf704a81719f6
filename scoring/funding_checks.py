"""The funding cross-checks, one compiler per kind.

The public share against the stage, the spread of private sources, the structure the
stable income can carry, and the AEI collapse pattern.

Each compiler reads its check's parameters once and returns the judging closure (see
`scoring.checks`, whose table holds these compilers with the others).
"""

from __future__ import annotations

from typing import Any

from assessment.checks import AeiPatternCheck, FundingDiversityCheck, FundingStageCheck, StructureFitCheck
from assessment.i18n import format_number, gettext_for, percent_sign
from assessment.questionnaire import Questionnaire
from assessment.questions import FundingMixQuestion
from assessment.text import Language
from scoring.context import Context
from scoring.describe import general
from scoring.outcome import NO_STAGE, NONE, CheckOutcome, CheckRule, missing_fields, one


def _sources(
    qn: Questionnaire, funding_id: str, lang: Language
) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """Public source ids, private (id, label) pairs, and stable private ids of a funding question."""
    question: FundingMixQuestion = qn.questions[funding_id]  # type: ignore[assignment]
    public = question.dependence_ids
    private = [(s.id, s.label.get(lang)) for s in question.sources if not s.public]
    stable = [s.id for s in question.sources if s.stable and not s.public]
    return public, private, stable


def _two_decimals(value: float, lang: Language) -> str:
    """A ratio with two fixed decimals ("0.85", "0,85")."""
    return f"{value:.2f}" if lang == "en" else format_number(value, lang, decimals=2, trim=False)


def funding_stage(check: FundingStageCheck, qn: Questionnaire, lang: Language) -> CheckRule:
    """The public share of income against what the stage expects (dependence, benchmark)."""
    public, _, _ = _sources(qn, check.funding, lang)
    inputs: tuple[str, ...] = (check.funding,)

    all_public = [s.id for s in qn.questions[check.funding].sources if s.public]  # type: ignore[attr-defined]
    by_design = frozenset(check.public_by_design)
    type_question = qn.questions.get(check.structure_type) if check.structure_type else None
    type_labels = {c.id: c.label.get(lang) for c in getattr(type_question, "choices", [])}
    if check.structure_type is not None:
        inputs = (check.funding, check.structure_type)

    funding_id, type_id, limits = check.funding, check.structure_type, check.dependent_above
    expected_at_least, cofinanced_at_least, benchmark = (
        check.expected_at_least,
        check.cofinanced_at_least,
        check.benchmark,
    )

    def judge(ctx: Context) -> CheckOutcome:
        answers = ctx.answers
        mix = answers.get(funding_id)
        stage = ctx.stage
        if mix is None or stage is None:
            return CheckOutcome(None, inputs=inputs, missing=missing_fields(ctx, inputs[:1]) or (NO_STAGE,))
        share = sum([mix[s] for s in public])
        private = 100 - sum([mix[s] for s in all_public])
        kind = answers.get(type_id) if type_id else None
        limit = limits.get(stage)
        if limit is None:
            if share < expected_at_least:
                outcome = "on_track"
            else:
                outcome = "public_expected" if private >= cofinanced_at_least else "public_only"
            score = 100.0
        elif share > limit:
            outcome, score = ("public_by_design", 50.0) if kind in by_design else ("dependent", 0.0)
        elif share > benchmark:
            outcome, score = "above_benchmark", 50.0
        else:
            outcome, score = "on_track", 100.0

        def facts() -> dict[str, Any]:
            return {
                "public_share": share,
                "private_share": private,
                "benchmark": benchmark,
                "limit": limit,
                "structure_type": type_labels.get(kind, ""),
            }

        return CheckOutcome(score, one(outcome), facts, inputs)

    return judge


def funding_diversity(check: FundingDiversityCheck, qn: Questionnaire, lang: Language) -> CheckRule:
    """How many private sources each bring a real share: a single source is fragile."""
    _, private, _ = _sources(qn, check.funding, lang)
    labels = {s.id: s.label.get(lang) for s in qn.questions[check.funding].sources}  # type: ignore[attr-defined]
    legs = private + [(s, labels[s]) for s in check.also_count]
    inputs = (check.funding,)
    percent = percent_sign(lang)

    funding_id, min_share, target = check.funding, check.min_share, check.target_sources
    leg_ids = [s for s, _ in legs]

    def judge(ctx: Context) -> CheckOutcome:
        mix = ctx.answers.get(funding_id)
        if mix is None:
            return CheckOutcome(None, inputs=inputs, missing=inputs)
        count = len([s for s in leg_ids if mix[s] >= min_share])
        if count <= 1:
            outcomes = one("single_private_source")
        elif count >= target:
            outcomes = one("diversified")
        else:
            outcomes = NONE

        def facts() -> dict[str, Any]:
            least = check.min_share
            strong = [f"{label} {general(mix[s], lang)}{percent}" for s, label in legs if mix[s] >= least]
            return {
                "sources_count": count,
                "sources": strong,
                "min_share": check.min_share,
                "target": check.target_sources,
            }

        return CheckOutcome(min(100.0, 100.0 * count / target), outcomes, facts, inputs)

    return judge


def structure_fit(check: StructureFitCheck, qn: Questionnaire, lang: Language) -> CheckRule:
    """Whether stable income can carry the structure at the ratio the stage requires."""
    public, _, stable = _sources(qn, check.funding, lang)
    by_design = frozenset(check.public_by_design)
    inputs = (check.funding, check.structure_share)
    _ = gettext_for(lang)
    full = _("full")

    funding_id, structure_id, type_id = check.funding, check.structure_share, check.structure_type
    required_ratio = check.required_ratio

    def judge(ctx: Context) -> CheckOutcome:
        answers = ctx.answers
        mix = answers.get(funding_id)
        structure = answers.get(structure_id)
        if mix is None or structure is None or ctx.stage is None:
            return CheckOutcome(None, inputs=inputs, missing=missing_fields(ctx, inputs) or (NO_STAGE,))
        stable_share = sum([mix[s] for s in stable])
        if type_id and answers.get(type_id) in by_design:
            stable_share += sum([mix[s] for s in public])
        required = required_ratio[ctx.stage]
        ratio = stable_share / structure if structure > 0 else float("inf")
        score = 100.0 if required <= 0 else min(100.0, 100.0 * ratio / required)

        def facts() -> dict[str, Any]:
            return {
                "stable_share": stable_share,
                "structure_share": structure,
                "ratio": full if ratio == float("inf") else _two_decimals(ratio, lang),
                "required": _two_decimals(required, lang),
            }

        return CheckOutcome(score, one("fits" if ratio >= required else "oversized"), facts, inputs)

    return judge


def aei_pattern(check: AeiPatternCheck, qn: Questionnaire, lang: Language) -> CheckRule:
    """The pattern of the AEI clusters that collapsed: public money, a big structure, little value."""
    public, _, _ = _sources(qn, check.funding, lang)
    inputs = (check.funding, check.structure_share)
    stages = frozenset(check.stages)

    def judge(ctx: Context) -> CheckOutcome:
        mix = ctx.answers.get(check.funding)
        structure = ctx.answers.get(check.structure_share)
        if mix is None or structure is None or ctx.stage is None:
            return CheckOutcome(None, inputs=inputs, missing=missing_fields(ctx, inputs) or (NO_STAGE,))
        share = sum([mix[s] for s in public])
        value = sum([mix[s] for s in check.value_sources])
        pattern = (
            ctx.stage in stages
            and share >= check.public_at_least
            and structure >= check.structure_at_least
            and value < check.value_below
        )

        def facts() -> dict[str, Any]:
            return {"public_share": share, "structure_share": structure, "value_share": value}

        outcomes = one("collapse_pattern") if pattern else NONE
        return CheckOutcome(0.0 if pattern else 100.0, outcomes, facts, inputs)

    return judge
