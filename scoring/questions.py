"""How each question type turns an answer into a 0-100 score, with the reason.

One small compiler per type, in a table: given a question, it returns the rule that
scores an answer and the function that puts an answer in words. Compiling once per
questionnaire keeps the texts that never change out of the scoring loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assessment.answers import ServiceUse
from assessment.questionnaire import Questionnaire
from assessment.questions import (
    FundingMixQuestion,
    MaturityQuestion,
    MultipleChoiceQuestion,
    NumberQuestion,
    PercentageQuestion,
    QuestionBase,
    ServicePortfolioQuestion,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
)
from assessment.text import Language
from scoring.context import Context
from scoring.describe import describe_portfolio, number
from scoring.scales import interpolate

Scored = tuple[float | None, str]
NOT_SCORED = "Recorded for context; not scored."


@dataclass(frozen=True, slots=True)
class QuestionRule:
    """A compiled question.

    `score(value, stage)` is the number alone, for fast evaluation; `explain(value, ctx)`
    gives (score, reason) when a result is explained; `describe(value)` puts an answer in
    words for evidence.
    """

    score: Callable[[Any, str | None], float | None]
    explain: Callable[[Any, Context], Scored]
    describe: Callable[[Any], str]


def _lookup(table: dict[Any, tuple[float | None, str]], words: dict[Any, str]) -> QuestionRule:
    """For answers from a fixed set: every score, reason and description is known in advance."""
    scores = {value: pair[0] for value, pair in table.items()}
    return QuestionRule(
        lambda value, stage: scores[value], lambda value, ctx: table[value], words.__getitem__
    )


def _maturity(q: MaturityQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    table, words = {}, {}
    for level in q.levels:
        label = level.label.get(lang)
        score = level.value * 25.0
        table[level.value] = (score, f"Level {level.value} of 4 ({label}) scores {number(score)}.")
        words[level.value] = f"level {level.value}: {label}"
    return _lookup(table, words)


def _single(q: SingleChoiceQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    table, words = {}, {}
    for choice in q.choices:
        label = choice.label.get(lang)
        why = f"'{label}' scores {number(choice.score)}." if choice.score is not None else NOT_SCORED
        table[choice.id] = (choice.score, why)
        words[choice.id] = label
    return _lookup(table, words)


def _multiple(q: MultipleChoiceQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    points = {c.id: c.score or 0.0 for c in q.choices}
    labels = {c.id: c.label.get(lang) for c in q.choices}

    def score(value: tuple[str, ...], stage: str | None) -> float:
        return min(100.0, sum(points[v] for v in value))

    def explain(value: tuple[str, ...], ctx: Context) -> Scored:
        total = sum(points[v] for v in value)
        capped = " (capped at 100)" if total > 100 else ""
        return min(100.0, total), f"{len(value)} option(s) chosen, {number(total)} points{capped}."

    return QuestionRule(score, explain, lambda value: "; ".join(labels[v] for v in value) or "none")


def _yes_no(q: YesNoQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    table = {
        True: (q.yes_score, f"'yes' scores {number(q.yes_score)}."),
        False: (q.no_score, f"'no' scores {number(q.no_score)}."),
    }
    return _lookup(table, {True: "yes", False: "no"})


def _scale_text(points: list[tuple[float, float]]) -> str:
    return ", ".join(f"{number(x)}→{number(y)}" for x, y in points)


def _on_scale(q: NumberQuestion | PercentageQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    unit = "%" if q.type == "percentage" else f" {q.unit.get(lang)}"  # type: ignore[union-attr]
    describe = (lambda value: f"{number(value)}{unit}") if unit.strip() else number
    scale = q.scale
    if scale is None:
        return QuestionRule(lambda value, stage: None, lambda value, ctx: (None, NOT_SCORED), describe)
    scale_text = _scale_text(scale)

    def explain(value: float, ctx: Context) -> Scored:
        result = interpolate(scale, value)
        return result, f"{number(value)}{unit} scores {number(result)} on the scale {scale_text}."

    return QuestionRule(lambda value, stage: interpolate(scale, value), explain, describe)


def public_share(q: FundingMixQuestion, value: dict[str, float]) -> float:
    """The share of income from public sources."""
    return sum(value[s.id] for s in q.sources if s.public)


def _funding(q: FundingMixQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    scales = {stage: (points, _scale_text(points)) for stage, points in q.public_share_scale.items()}
    public = [s.id for s in q.sources if s.public]
    labels = [(s.id, s.label.get(lang)) for s in q.sources]

    def score(value: dict[str, float], stage: str | None) -> float | None:
        if stage is None:
            return None
        return interpolate(scales[stage][0], sum(value[s] for s in public))

    def explain(value: dict[str, float], ctx: Context) -> Scored:
        share = sum(value[s] for s in public)
        if ctx.stage is None:
            return None, f"Public share {number(share)}%; the stage is unknown, so it cannot be scored yet."
        points, text = scales[ctx.stage]
        result = interpolate(points, share)
        return result, (
            f"Public share {number(share)}% in the {ctx.stage_label} stage scores {number(result)} "
            f"on that stage's scale {text}."
        )

    def describe(value: dict[str, float]) -> str:
        return ", ".join(f"{label} {number(value[s])}%" for s, label in labels if value[s])

    return QuestionRule(score, explain, describe)


def _portfolio(q: ServicePortfolioQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    paying = {s.id for s in qn.services if s.brings_income and s.highly_valued}

    def points(value: tuple[ServiceUse, ...]) -> tuple[float, int]:
        offered = [u for u in value if u.offered]
        return sum((1.0 if u.charged else 0.5) for u in offered if u.service in paying), len(offered)

    def score(value: tuple[ServiceUse, ...], stage: str | None) -> float:
        got, offered = points(value)
        return 100.0 * got / offered if offered else 0.0

    def explain(value: tuple[ServiceUse, ...], ctx: Context) -> Scored:
        got, offered = points(value)
        if not offered:
            return 0.0, "No service offered scores 0."
        result = 100.0 * got / offered
        return result, (
            f"Of {offered} offered services, those that bring income and are highly valued in "
            f"Table 6 count 1 when charged and 1/2 when free: {number(got)} points, {number(result)}."
        )

    return QuestionRule(score, explain, lambda value: describe_portfolio(qn, value, lang))


def _text(q: TextQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    why = "Free text: kept for the record, never scored."
    return QuestionRule(lambda value, stage: None, lambda value, ctx: (None, why), str)


_COMPILERS: dict[str, Callable[[Any, Questionnaire, Language], QuestionRule]] = {
    "maturity": _maturity,
    "single_choice": _single,
    "multiple_choice": _multiple,
    "yes_no": _yes_no,
    "number": _on_scale,
    "percentage": _on_scale,
    "funding_mix": _funding,
    "service_portfolio": _portfolio,
    "text": _text,
}

SCORED_TYPES = frozenset(_COMPILERS)


def compile_question(
    question: QuestionBase, questionnaire: Questionnaire, lang: Language = "en"
) -> QuestionRule:
    """The scoring rule and describer of one question."""
    return _COMPILERS[question.type](question, questionnaire, lang)  # type: ignore[attr-defined]
