"""Answers as a person reads them, for evidence and explanations."""

from __future__ import annotations

from typing import Any

from assessment.answers import ServiceUse
from assessment.questionnaire import Questionnaire
from assessment.questions import QuestionBase
from assessment.text import Language


def number(value: float) -> str:
    """A number rounded to one decimal, without trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def describe_answer(
    questionnaire: Questionnaire, question: QuestionBase, value: Any, lang: Language = "en"
) -> str:
    """One answer in words: the chosen level or option, the number with its unit, the mix."""
    kind = question.type  # type: ignore[attr-defined]
    if value is None:
        return "not answered"
    if kind == "maturity":
        level = question.levels[value]  # type: ignore[attr-defined]
        return f"level {value}: {level.label.get(lang)}"
    if kind in ("single_choice", "multiple_choice"):
        labels = {c.id: c.label.get(lang) for c in question.choices}  # type: ignore[attr-defined]
        chosen = [value] if kind == "single_choice" else list(value)
        return "; ".join(labels[c] for c in chosen) or "none"
    if kind == "yes_no":
        return "yes" if value else "no"
    if kind == "number":
        unit = question.unit.get(lang)  # type: ignore[attr-defined]
        return f"{number(value)} {unit}".strip()
    if kind == "percentage":
        return f"{number(value)}%"
    if kind == "funding_mix":
        labels = {s.id: s.label.get(lang) for s in question.sources}  # type: ignore[attr-defined]
        return ", ".join(f"{labels[s]} {number(v)}%" for s, v in value.items() if v)
    if kind == "service_portfolio":
        return describe_portfolio(questionnaire, value, lang)
    return str(value)


def service_name(questionnaire: Questionnaire, use: ServiceUse, lang: Language = "en") -> str:
    """A Table 6 service's name, or the name the cluster gave its own service."""
    known = questionnaire.service_index.get(use.service)
    return known.name.get(lang) if known else (use.name or use.service)


def describe_portfolio(
    questionnaire: Questionnaire, uses: tuple[ServiceUse, ...], lang: Language = "en"
) -> str:
    """Offered services, each marked paid or free."""
    offered = [u for u in uses if u.offered]
    if not offered:
        return "no service offered"
    return ", ".join(
        f"{service_name(questionnaire, u, lang)} ({'paid' if u.charged else 'free'})" for u in offered
    )
