"""The cluster's profile as a report opens with it: who the cluster is, before what it scored.

An officer with fifty submissions reads the country, sector, size and budget first; the
fields and their labels come from the questionnaire's profile, the numbers go through Babel.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assessment.i18n import format_number, gettext_for
from assessment.questionnaire import Questionnaire
from assessment.text import Language
from scoring.describe import percent
from scoring.result import Result

#: The profile fields shown at the top of a report, in this order (those answered).
SHOWN = (
    "country",
    "region",
    "sector",
    "founded_year",
    "members_total",
    "members_sme_share",
    "staff_fte",
    "annual_budget",
)


def profile_rows(
    questionnaire: Questionnaire, profile: Mapping[str, Any], result: Result, lang: Language = "en"
) -> list[tuple[str, str]]:
    """(label, value) pairs in `lang`: the answered profile fields, then the year and completeness."""
    fields = questionnaire.profile_fields
    currency = profile.get("currency")
    rows = []
    for field_id in SHOWN:
        field = fields.get(field_id)
        value = profile.get(field_id)
        if field is None or value is None:
            continue
        unit = field.unit.get(lang) if field.unit else ""
        rows.append((field.label.get(lang), _value(field.type, value, unit, currency, lang)))
    _ = gettext_for(lang)
    rows.append((_("Answers for the year"), str(result.year)))
    rows.append((_("Completeness"), percent(result.completeness, lang)))
    return rows


def _value(kind: str, value: Any, unit: str, currency: Any, lang: Language) -> str:
    if kind == "year":
        return str(value)  # a year is never grouped: 2031, not 2.031
    if kind == "percentage":
        return percent(float(value), lang)
    if kind in ("integer", "number"):
        text = format_number(float(value), lang, 1 if kind == "number" else 0)
        if unit and currency and "," in unit:
            # "thousands, in the currency above": the amount's scale, then the currency itself
            return f"{text} {unit.split(',')[0].strip()} ({currency})"
        return f"{text} {unit}".strip() if unit else text
    return str(value)
