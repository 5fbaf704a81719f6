"""Languages of the product: gettext catalogues and locale-aware numbers, percentages and dates.

The catalogues `locales/{es,pt}/LC_MESSAGES/messages.po` are the source of truth: they are
read with Babel and compiled in memory the first time a language is asked for, then kept
(read-only) for the life of the process, so there is no build step and no committed
binary that could drift from the text translators edit. English is the source language:
its "translation" returns every message as written.

A caller always names the language (`translations("es")`, `format_number(x, "pt")`):
nothing here keeps a current language, so the scoring engine stays pure.
"""

from __future__ import annotations

import datetime
import gettext as _gettext
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.dates import format_time as _babel_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from assessment.errors import UnknownLanguageError
from assessment.languages import LANGUAGES, Language

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "LOCALES",
    "LOCALE_DIR",
    "Language",
    "N_",
    "check_language",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "percent_sign",
    "gettext_for",
    "ngettext_for",
    "translations",
]

LOCALE_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
# Babel locale of each language: Portuguese follows Brazilian conventions.
LOCALES: dict[Language, str] = {"en": "en", "es": "es", "pt": "pt_BR"}
# Each language's name in itself, for a language picker.
LANGUAGE_NAMES: dict[Language, str] = {"en": "English", "es": "Español", "pt": "Português"}


def N_(message: str) -> str:
    """Mark a module-level text for extraction; translate it where it is used, with `gettext_for`."""
    return message


def check_language(lang: object) -> Language:
    """`lang` as a `Language`, or an error naming the languages there are.

    Raises:
        UnknownLanguageError: `lang` is not one of en, es, pt.
    """
    if lang not in LANGUAGES:
        raise UnknownLanguageError(lang, LANGUAGES)
    return lang  # narrowed by the membership test above


def catalogue_path(lang: Language) -> Path:
    """The .po file that holds `lang`'s translations (English has none: it is the source)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `lang`, read once per process; fuzzy entries are left out.

    Raises:
        UnknownLanguageError: `lang` is not one of en, es, pt.
        OSError: the catalogue of a known language is missing from the installation.
    """
    lang = check_language(lang)
    if lang == "en":
        return _gettext.NullTranslations()
    with catalogue_path(lang).open("rb") as po:
        catalog = read_po(po, locale=LOCALES[lang], domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext_for(lang: str) -> Callable[[str], str]:
    """The `_` of one language: a message in, its translation out (the message itself if untranslated)."""
    return translations(lang).gettext


def ngettext_for(lang: str) -> Callable[[str, str, int], str]:
    """The plural-aware `ngettext` of one language."""
    return translations(lang).ngettext


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[check_language(lang)])


def format_number(
    value: float, lang: str, decimals: int = 1, grouping: bool = True, trim: bool = True
) -> str:
    """A number rounded to `decimals` places in `lang`'s conventions; trailing zeros dropped if `trim`.

    1234.5 is "1,234.5" in English and "1.234,5" in Spanish and Portuguese. Rounding is
    done once, the same way for every language, so only the separators differ.

    Raises:
        UnknownLanguageError: `lang` is not one of en, es, pt.
    """
    locale = _locale(lang)
    rounded = Decimal(f"{value:.{decimals}f}")
    if rounded == 0:
        rounded = Decimal(0)  # never "-0"
    fraction = "." + ("#" if trim else "0") * decimals if decimals > 0 else ""
    pattern = ("#,##0" if grouping else "0") + fraction
    return format_decimal(rounded, format=pattern, locale=locale, decimal_quantization=False)


def format_percent(value: float, lang: str, decimals: int = 1) -> str:
    """A 0-100 percentage as `lang` writes it: "12%" in English and Portuguese, "12 %" in Spanish.

    The sign and the (non-breaking) space before it come from the locale's own percent pattern.

    Raises:
        UnknownLanguageError: `lang` is not one of en, es, pt.
    """
    return format_number(value, lang, decimals) + percent_sign(lang)


@cache
def percent_sign(lang: str) -> str:
    """What follows the digits in the locale's percent pattern, e.g. "%" or "\u00a0%"."""
    pattern = _locale(lang).percent_formats[None].pattern
    return pattern[pattern.rindex("0") + 1 :]


def format_date(value: datetime.date, lang: str, format: str = "medium") -> str:
    """A date as `lang` writes it ("Mar 5, 2024", "5 mar 2024", "5 de mar. de 2024" for "medium").

    `format` is a Babel width (short, medium, long, full) or a CLDR pattern.

    Raises:
        UnknownLanguageError: `lang` is not one of en, es, pt.
    """
    return _babel_date(value, format=format, locale=_locale(lang))


def format_time(value: datetime.datetime | datetime.time, lang: str, format: str = "medium") -> str:
    """A time of day as `lang` writes it ("3:04:05 PM" in English, "15:04:05" in Spanish and Portuguese).

    Raises:
        UnknownLanguageError: `lang` is not one of en, es, pt.
    """
    return _babel_time(value, format=format, locale=_locale(lang))


def format_datetime(value: datetime.datetime, lang: str, format: str = "medium") -> str:
    """A date and time as `lang` writes it; naive values are shown as they are, aware ones in their zone.

    Raises:
        UnknownLanguageError: `lang` is not one of en, es, pt.
    """
    return _babel_datetime(value, format=format, tzinfo=value.tzinfo, locale=_locale(lang))
