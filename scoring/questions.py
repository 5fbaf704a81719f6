"""How each question type turns an answer into a 0-100 score, with the reason.

One small function per type in a table; each returns its score and a sentence the app
shows as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from assessment.answers import ServiceUse
from assessment.questions import (
    FundingMixQuestion,
    MaturityQuestion,
    MultipleChoiceQuestion,
    NumberQuestion,
    PercentageQuestion,
    QuestionBase,
    ServicePortfolioQuestion,
    SingleChoiceQuestion,
    YesNoQuestion,
)
from scoring.context import Context
from scoring.describe import number
from scoring.scales import interpolate

Scored = tuple[float | None, str]


def _maturity(q: MaturityQuestion, value: int, ctx: Context) -> Scored:
    score = value * 25.0
    return score, f"Level {value} of 4 ({q.levels[value].label.get(ctx.lang)}) scores {number(score)}."


def _single(q: SingleChoiceQuestion, value: str, ctx: Context) -> Scored:
    choice = next(c for c in q.choices if c.id == value)
    return choice.score, f"'{choice.label.get(ctx.lang)}' scores {number(choice.score or 0)}."


def _multiple(q: MultipleChoiceQuestion, value: tuple[str, ...], ctx: Context) -> Scored:
    points = {c.id: c.score or 0.0 for c in q.choices}
    total = sum(points[v] for v in value)
    score = min(100.0, total)
    capped = " (capped at 100)" if total > 100 else ""
    return score, f"{len(value)} option(s) chosen, {number(total)} points{capped}."


def _yes_no(q: YesNoQuestion, value: bool, ctx: Context) -> Scored:
    score = q.yes_score if value else q.no_score
    return score, f"'{'yes' if value else 'no'}' scores {number(score)}."


def _on_scale(q: NumberQuestion | PercentageQuestion, value: float, ctx: Context) -> Scored:
    if q.scale is None:
        return None, "Recorded for context; not scored."
    score = interpolate(q.scale, value)
    unit = "%" if q.type == "percentage" else f" {q.unit.get(ctx.lang)}"  # type: ignore[union-attr]
    return score, f"{number(value)}{unit} scores {number(score)} on the scale {_scale_text(q.scale)}."


def _scale_text(points: list[tuple[float, float]]) -> str:
    return _scale_text_of(tuple(points))


@cache
def _scale_text_of(points: tuple[tuple[float, float], ...]) -> str:
    return ", ".join(f"{number(x)}→{number(y)}" for x, y in points)


def public_share(q: FundingMixQuestion, value: dict[str, float]) -> float:
    """The share of income from public sources."""
    return sum(value[s.id] for s in q.sources if s.public)


def _funding(q: FundingMixQuestion, value: dict[str, float], ctx: Context) -> Scored:
    share = public_share(q, value)
    if ctx.stage is None:
        return None, f"Public share {number(share)}%; the stage is unknown, so it cannot be scored yet."
    scale = q.public_share_scale[ctx.stage]
    score = interpolate(scale, share)
    return score, (
        f"Public share {number(share)}% in the {ctx.stage_label} stage scores {number(score)} "
        f"on that stage's scale {_scale_text(scale)}."
    )


def paying_valued(ctx: Context, use: ServiceUse) -> bool:
    """Whether Table 6 says the service both brings income and is highly valued."""
    service = ctx.questionnaire.service_index.get(use.service)
    return service is not None and service.brings_income and service.highly_valued


def _portfolio(q: ServicePortfolioQuestion, value: tuple[ServiceUse, ...], ctx: Context) -> Scored:
    offered = [u for u in value if u.offered]
    if not offered:
        return 0.0, "No service offered scores 0."
    points = sum((1.0 if u.charged else 0.5) for u in offered if paying_valued(ctx, u))
    score = 100.0 * points / len(offered)
    return score, (
        f"Of {len(offered)} offered services, those that bring income and are highly valued in "
        f"Table 6 count 1 when charged and 1/2 when free: {number(points)} points, {number(score)}."
    )


_SCORERS: dict[str, Callable[[Any, Any, Context], Scored]] = {
    "maturity": _maturity,
    "single_choice": _single,
    "multiple_choice": _multiple,
    "yes_no": _yes_no,
    "number": _on_scale,
    "percentage": _on_scale,
    "funding_mix": _funding,
    "service_portfolio": _portfolio,
    "text": lambda q, v, ctx: (None, "Free text: kept for the record, never scored."),
}


def score_question(question: QuestionBase, value: Any, ctx: Context) -> Scored:
    """Score one answered question; unscorable answers give None and say why."""
    score, why = _SCORERS[question.type](question, value, ctx)  # type: ignore[attr-defined]
    if score is not None and not question.scorable:
        return None, "Recorded for context; not scored."
    return score, why


SCORED_TYPES = frozenset(_SCORERS)
