"""Answers as a person reads them, for evidence and explanations."""

from __future__ import annotations

from assessment.answers import ServiceUse
from assessment.questionnaire import Questionnaire
from assessment.text import Language


def number(value: float) -> str:
    """A number rounded to one decimal, without trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


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
