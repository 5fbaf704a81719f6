"""The languages the questionnaire and the app speak, as codes.

Apart from `assessment.text` (whose `Text` is a pydantic model) so that the sign-in
page, which needs the codes to offer a language, imports no pydantic at all.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "es", "pt"]
LANGUAGES: tuple[Language, ...] = ("en", "es", "pt")
