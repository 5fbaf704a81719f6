"""Answers and numbers as a person reads them, in the result's language, for evidence and explanations."""

from __future__ import annotations

from functools import lru_cache

from assessment.answers import ServiceUse
from assessment.i18n import format_number, gettext_for, percent_sign
from assessment.questionnaire import Questionnaire
from assessment.text import Language


def number(value: float, lang: Language = "en") -> str:
    """A number rounded to one decimal, without trailing zeros, in `lang`'s conventions.

    English keeps the ungrouped form results have always had ("1234.5"); Spanish and
    Portuguese group thousands and use a decimal comma ("1.234,5").
    """
    if lang == "en":
        text = f"{value:.1f}"
        return text[:-2] if text.endswith(".0") else text
    return _localised(value, lang)


@lru_cache(maxsize=8192)
def _localised(value: float, lang: Language) -> str:
    """`format_number` remembered.

    Babel takes tens of microseconds a number, and the scores, weights and shares of a
    result repeat (every "-0" already shows as "0", so 0.0 and -0.0 may share an entry).
    """
    return format_number(value, lang)


def percent(value: float, lang: Language = "en") -> str:
    """A 0-100 share with its percent sign: "12.5%" in English, "12,5 %" in Spanish, "12,5%" in Portuguese."""
    # format_percent is format_number followed by the sign: the remembered number serves.
    return number(value, lang) + ("%" if lang == "en" else percent_sign(lang))


def general(value: float, lang: Language = "en") -> str:
    """A number with up to six significant digits (Python's `:g`), in `lang`'s conventions."""
    text = f"{value:g}"
    if lang == "en" or "e" in text:
        return text
    return format_number(float(text), lang, decimals=6)


def service_name(questionnaire: Questionnaire, use: ServiceUse, lang: Language = "en") -> str:
    """A Table 6 service's name, or the name the cluster gave its own service."""
    known = questionnaire.service_index.get(use.service)
    return known.name.get(lang) if known else (use.name or use.service)


def describe_portfolio(
    questionnaire: Questionnaire, uses: tuple[ServiceUse, ...], lang: Language = "en"
) -> str:
    """Offered services, each marked paid or free."""
    _ = gettext_for(lang)
    offered = [u for u in uses if u.offered]
    if not offered:
        return _("no service offered")
    paid, free = _("paid"), _("free")
    return ", ".join(
        f"{service_name(questionnaire, u, lang)} ({paid if u.charged else free})" for u in offered
    )
