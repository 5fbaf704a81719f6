"""The engine's words: facts for placeholders, its own sentences in one language, rule texts.

Kept apart from the arithmetic so that `evaluate` builds no text; these are used only when
a result is put in words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from assessment.i18n import N_, gettext_for, ngettext_for, translations
from assessment.text import Language, Text
from scoring.describe import number

_UNANSWERED = N_("Not answered: left out of the dimension score (not counted as zero); completeness drops.")
_INPUT_ONLY = N_(" Used by the cross-checks; weight 0 in the dimension.")


class Facts(dict):
    """Facts for `{placeholders}` in `lang`: numbers rounded, lists joined, missing names left visible."""

    __slots__ = ("lang", "none")

    def __init__(self, lang: Language, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = lang
        self.none = _empty_list(lang)

    def __getitem__(self, key: str) -> Any:
        value = self.get(key)
        if value is None:
            return "{" + key + "}"
        if isinstance(value, float):
            return number(value, self.lang)
        if isinstance(value, list):
            return ", ".join(map(str, value)) or self.none
        return value


@cache
def _empty_list(lang: Language) -> str:
    """The word for an empty list in `lang`; a result makes dozens of Facts, so it is looked up once."""
    return translations(lang).pgettext("empty list", "none")


@dataclass(frozen=True, slots=True)
class EngineTexts:
    """The engine's own sentences in one language, looked up once per engine."""

    lang: Language
    unanswered: str
    input_only: str
    needed_answers: str
    cannot_judge: str
    not_yet_answered: str
    no_dimension_score: str
    dimension_mean: Callable[[int], str]
    not_counted: str
    no_overall: str
    overall: str
    overall_partial: str
    hidden_answer: str
    capped_dimension: str
    capped_overall: str

    @classmethod
    def of(cls, lang: Language) -> EngineTexts:
        """The sentences in `lang`, from the catalogue."""
        _, ngettext = gettext_for(lang), ngettext_for(lang)
        return cls(
            lang,
            _(_UNANSWERED),
            _(_INPUT_ONLY),
            _("the answers it needs"),
            _("Cannot be judged until these are answered: {missing}."),
            _(" Not yet answered: {missing}."),
            _("No scored answer yet in this dimension."),
            lambda count: ngettext(
                "Weighted mean of {count} scored items (weights {weights} of 100).",
                "Weighted mean of {count} scored items (weights {weights} of 100).",
                count,
            ),
            _(" Not counted until answered: {items}."),
            _("No dimension has a scored answer yet."),
            _("Weighted mean of the dimension scores: {parts}."),
            _("Weighted mean of the dimension scores: {parts}; left out until answered: {missing}."),
            _("The answer to '{question}' was not scored: its question is not shown for the other answers."),
            _(" Capped at {level} by a gate (without it: {uncapped})."),
            _(" Held down to {overall} by: {caps} (without the caps: {uncapped})."),
        )


@dataclass(frozen=True, slots=True)
class RuleText:
    """A text in one language, rendered once when it has no placeholders."""

    template: str
    static: bool

    @classmethod
    def of(cls, text: Text, lang: Language) -> RuleText:
        """A rule's text in `lang`; static when it has no placeholder."""
        return cls(text.get(lang), not text.placeholders())

    def render(self, facts: Facts) -> str:
        """The text with its placeholders filled from `facts`."""
        return self.template if self.static else self.template.format_map(facts)
