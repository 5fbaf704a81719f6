"""Table 6's ratings (extension, financial contribution, member valuation) in the reader's words.

The catalogue stores them as ids (medium_high); charts, tables and reports show them in
the reader's language, through one table.
"""

from __future__ import annotations

from functools import cache

from assessment.i18n import translations
from assessment.text import Language


@cache
def _rating_words(lang: Language) -> dict[str, str]:
    t = translations(lang)
    return {
        "very_rarely": t.pgettext("Table 6 rating", "very rarely"),
        "rare": t.pgettext("Table 6 rating", "rare"),
        "habitual": t.pgettext("Table 6 rating", "habitual"),
        "frequent": t.pgettext("Table 6 rating", "frequent"),
        "none": t.pgettext("Table 6 rating", "none"),
        "medium_low": t.pgettext("Table 6 rating", "medium-low"),
        "medium": t.pgettext("Table 6 rating", "medium"),
        "medium_high": t.pgettext("Table 6 rating", "medium-high"),
        "high": t.pgettext("Table 6 rating", "high"),
    }


def rating_words(value: str, lang: Language = "en") -> str:
    """A Table 6 rating in words of `lang`, e.g. medium_high -> "medium-high" (an unknown one as it is)."""
    return _rating_words(lang).get(value, value)
