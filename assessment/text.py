"""User-facing text that can carry translations beside the English original."""

from __future__ import annotations

import string
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from assessment.languages import LANGUAGES, Language

__all__ = ["LANGUAGES", "Language", "Text"]


class Text(BaseModel):
    """A text in English with optional Spanish and Portuguese versions.

    In YAML a plain string is the English text; a mapping gives each language.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: str
    es: str | None = None
    pt: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_string_is_english(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"en": data}
        return data

    def get(self, lang: Language = "en") -> str:
        """The text in `lang`, falling back to English where no translation exists yet."""
        return getattr(self, lang, None) or self.en

    def placeholders(self) -> set[str]:
        """Names of the `{placeholder}` fields the English text uses."""
        return {name for _, name, _, _ in string.Formatter().parse(self.en) if name}

    def __str__(self) -> str:
        return self.en
