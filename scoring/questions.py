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
from assessment.i18n import N_, gettext_for, ngettext_for, translations
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
from scoring.describe import describe_portfolio, number, percent
from scoring.scales import compile_scale

Scored = tuple[float | None, str]
NOT_SCORED = N_("Recorded for context; not scored.")


@dataclass(frozen=True, slots=True)
class QuestionRule:
    """A compiled question.

    `score(value, stage)` is the number alone, for fast evaluation; `explain(value, ctx)`
    gives (score, reason) when a result is explained; `describe(value)` puts an answer in
    words for evidence. `table`, for answers from a fixed set, is the score of each answer:
    evaluation looks it up in place of calling `score`, the commonest step of scoring.
    """

    score: Callable[[Any, str | None], float | None]
    explain: Callable[[Any, Context], Scored]
    describe: Callable[[Any], str]
    table: dict[Any, float | None] | None = None


def _lookup(table: dict[Any, tuple[float | None, str]], words: dict[Any, str]) -> QuestionRule:
    """For answers from a fixed set: every score, reason and description is known in advance."""
    scores = {value: pair[0] for value, pair in table.items()}
    return QuestionRule(
        lambda value, stage: scores[value], lambda value, ctx: table[value], words.__getitem__, scores
    )


def _maturity(q: MaturityQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    _ = gettext_for(lang)
    table: dict[Any, tuple[float | None, str]] = {}
    words: dict[Any, str] = {}
    for level in q.levels:
        label = level.label.get(lang)
        score = level.value * 25.0
        table[level.value] = (
            score,
            _("Level {level} of 4 ({label}) scores {score}.").format(
                level=level.value, label=label, score=number(score, lang)
            ),
        )
        words[level.value] = _("level {level}: {label}").format(level=level.value, label=label)
    return _lookup(table, words)


def _single(q: SingleChoiceQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    _ = gettext_for(lang)
    table, words = {}, {}
    for choice in q.choices:
        label = choice.label.get(lang)
        why = (
            _("'{label}' scores {score}.").format(label=label, score=number(choice.score, lang))
            if choice.score is not None
            else _(NOT_SCORED)
        )
        table[choice.id] = (choice.score, why)
        words[choice.id] = label
    return _lookup(table, words)


def _multiple(q: MultipleChoiceQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    _, ngettext = gettext_for(lang), ngettext_for(lang)
    points = {c.id: c.score or 0.0 for c in q.choices}
    labels = {c.id: c.label.get(lang) for c in q.choices}
    capped_text = _(" (capped at 100)")
    none = translations(lang).pgettext("no option chosen", "none")

    def score(value: tuple[str, ...], stage: str | None) -> float:
        return min(100.0, sum(map(points.__getitem__, value)))

    def explain(value: tuple[str, ...], ctx: Context) -> Scored:
        total = sum(points[v] for v in value)
        capped = capped_text if total > 100 else ""
        chosen = ngettext(
            "{count} option(s) chosen, {points} points{capped}.",
            "{count} option(s) chosen, {points} points{capped}.",
            len(value),
        )
        return min(100.0, total), chosen.format(count=len(value), points=number(total, lang), capped=capped)

    return QuestionRule(score, explain, lambda value: "; ".join(labels[v] for v in value) or none)


def _yes_no(q: YesNoQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    _ = gettext_for(lang)
    table: dict[Any, tuple[float | None, str]] = {
        True: (q.yes_score, _("'yes' scores {score}.").format(score=number(q.yes_score, lang))),
        False: (q.no_score, _("'no' scores {score}.").format(score=number(q.no_score, lang))),
    }
    return _lookup(table, {True: _("yes"), False: _("no")})


def _scale_text(points: list[tuple[float, float]], lang: Language) -> str:
    """Points of a scale; languages with a decimal comma separate them with semicolons."""
    separator = ", " if lang == "en" else "; "
    return separator.join(f"{number(x, lang)}→{number(y, lang)}" for x, y in points)


def _on_scale(q: NumberQuestion | PercentageQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    _ = gettext_for(lang)
    if q.type == "percentage":

        def describe(value: float) -> str:
            return percent(value, lang)

    else:
        unit = q.unit.get(lang).strip()

        def describe(value: float) -> str:
            return f"{number(value, lang)} {unit}" if unit else number(value, lang)

    scale = q.scale
    if scale is None:
        not_scored = _(NOT_SCORED)
        return QuestionRule(lambda value, stage: None, lambda value, ctx: (None, not_scored), describe)
    scale_text = _scale_text(scale, lang)
    why = _("{value} scores {score} on the scale {scale}.")
    on_scale = compile_scale(scale)

    def explain(value: float, ctx: Context) -> Scored:
        result = on_scale(value)
        return result, why.format(value=describe(value), score=number(result, lang), scale=scale_text)

    return QuestionRule(lambda value, stage: on_scale(value), explain, describe)


def public_share(q: FundingMixQuestion, value: dict[str, float]) -> float:
    """The share of income from public sources."""
    return sum(value[s.id] for s in q.sources if s.public)


def _funding(q: FundingMixQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    _ = gettext_for(lang)
    scales = {
        stage: (compile_scale(points), _scale_text(points, lang))
        for stage, points in q.public_share_scale.items()
    }
    public = q.dependence_ids
    labels = [(s.id, s.label.get(lang)) for s in q.sources]
    unknown_stage = _(
        "Public support for the structure {share}; the stage is unknown, so it cannot be scored yet."
    )
    on_scale = _(
        "Public support for the structure {share} in the {stage} stage scores {score} on that "
        "stage's scale {scale}."
    )

    def score(value: dict[str, float], stage: str | None) -> float | None:
        if stage is None:
            return None
        return scales[stage][0](sum([value[s] for s in public]))

    def explain(value: dict[str, float], ctx: Context) -> Scored:
        share = sum([value[s] for s in public])
        if ctx.stage is None:
            return None, unknown_stage.format(share=percent(share, lang))
        stage_scale, text = scales[ctx.stage]
        result = stage_scale(share)
        return result, on_scale.format(
            share=percent(share, lang), stage=ctx.stage_label, score=number(result, lang), scale=text
        )

    def describe(value: dict[str, float]) -> str:
        return ", ".join(f"{label} {percent(value[s], lang)}" for s, label in labels if value[s])

    return QuestionRule(score, explain, describe)


def _portfolio(q: ServicePortfolioQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    _ = gettext_for(lang)
    income = {s.id for s in qn.services if s.brings_income}
    value = {s.id: {"high": 1.0, "medium": 0.5}.get(s.member_valuation, 0.0) for s in qn.services}
    core, full, share = float(q.core_services), q.uptake_full, q.income_weight / 100.0
    nothing = _("No service offered scores 0.")
    why = _(
        "Charged services that bring income (Table 6), weighted by uptake ({full} of members "
        "counts fully): {paying} of {core}; services members value, free ones included: "
        "{valued} of {core}; score {score}."
    )

    def parts(uses: tuple[ServiceUse, ...]) -> tuple[float, float]:
        paying = valued = 0.0
        for u in uses:
            if not u.offered:
                continue
            valued += value.get(u.service, 0.5)
            if u.charged and u.service in income:
                paying += 0.5 if u.uptake is None else min(1.0, u.uptake / full)
        return min(core, paying), min(core, valued)

    def score(uses: tuple[ServiceUse, ...], stage: str | None) -> float:
        paying, valued = parts(uses)
        return 100.0 * (share * paying + (1.0 - share) * valued) / core

    def explain(uses: tuple[ServiceUse, ...], ctx: Context) -> Scored:
        if not any(u.offered for u in uses):
            return 0.0, nothing
        paying, valued = parts(uses)
        result = 100.0 * (share * paying + (1.0 - share) * valued) / core
        return result, why.format(
            full=percent(full, lang),
            paying=number(paying, lang),
            valued=number(valued, lang),
            core=number(core, lang),
            score=number(result, lang),
        )

    return QuestionRule(score, explain, lambda value: describe_portfolio(qn, value, lang))


def _text(q: TextQuestion, qn: Questionnaire, lang: Language) -> QuestionRule:
    _ = gettext_for(lang)
    why = _("Free text: kept for the record, never scored.")
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
