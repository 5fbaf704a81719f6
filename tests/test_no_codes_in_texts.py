"""No text a person reads in the questionnaire or a programme file names a lesson by its code.

Lesson codes (BAS-MASS, FUND-AEI-COLLAPSE...) are ids for the YAML and the engine; help
texts, findings and recommendations cite the sources by section instead, in every language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from assessment.loading import QUESTIONNAIRES_DIR
from assessment.text import LANGUAGES, Text
from programmes.criteria import load_programme


def texts(obj: object, path: str = "") -> Iterator[tuple[str, Text]]:
    """Every Text inside a model, with where it is."""
    if isinstance(obj, Text):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from texts(getattr(obj, name), f"{path}.{name}" if path else name)
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            yield from texts(item, f"{path}.{i}")
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from texts(item, f"{path}.{key}")


def _code_pattern(questionnaire) -> re.Pattern[str]:
    codes = sorted((lesson.id for lesson in questionnaire.lessons), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, codes)) + r")\b")


def _leaks(model, pattern) -> list[str]:
    return [
        f"{where} ({lang}): {found.group(0)}"
        for where, text in texts(model)
        for lang in LANGUAGES
        if (value := getattr(text, lang)) and (found := pattern.search(value))
    ]


def test_the_questionnaires_texts_cite_no_lesson_code(questionnaire):
    assert _leaks(questionnaire, _code_pattern(questionnaire)) == []


@pytest.mark.parametrize(
    "path", sorted((QUESTIONNAIRES_DIR / "programmes").glob("*.yaml")), ids=lambda p: p.stem
)
def test_the_programmes_texts_cite_no_lesson_code(questionnaire, path):
    assert _leaks(load_programme(path, questionnaire), _code_pattern(questionnaire)) == []


def test_the_check_finds_a_code(questionnaire):
    leaked = questionnaire.model_copy(update={"title": Text(en="see BAS-MASS")})
    assert _leaks(leaked, _code_pattern(questionnaire)) == ["title (en): BAS-MASS"]
