"""Checks of the arguments of a write, made before any transaction opens.

A value that cannot be stored as JSON and read back the same, a year out of range or an
answers file for another questionnaire is refused with `InvalidValue` naming the field,
so nothing is half-written.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from assessment.years import MAX_YEAR, MIN_YEAR
from storage.errors import InvalidValue
from storage.models import Assessment
from storage.session import (
    NAME_LENGTH,
    Section,
    _key,
    _text,
)


def _answers_head(data: Mapping[str, Any]) -> tuple[dict[str, dict[str, Any]], str, str, int]:
    """An answers file's sections, questionnaire, version and year, each checked (`InvalidValue`)."""
    sections = _sections(data, None)
    questionnaire = _text("questionnaire", data.get("questionnaire"), 100)
    version = _text("version", _version(data.get("version")), 50)
    return sections, questionnaire, version, _year(data.get("year"))


def _year(year: Any, assessment_id: int | None = None) -> int:
    if type(year) is not int or not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidValue(
            "year", f"expected a year from {MIN_YEAR} to {MAX_YEAR}, got {year!r}", assessment_id
        )
    return year


def _version(version: Any) -> Any:
    """An answers file's version as text, as the validation reads it (YAML may give 1.0 as a number)."""
    return str(version) if isinstance(version, (int, float)) and not isinstance(version, bool) else version


def _check_value(section: Section, key: str, value: Any, assessment_id: int | None) -> None:
    where = f"{section}.{key}"
    problem = _json_problem(value)
    if problem:
        raise InvalidValue(where, problem, assessment_id)
    if section == "profile" and key == "name" and isinstance(value, str) and len(value.strip()) > NAME_LENGTH:
        raise InvalidValue(where, f"a cluster name is at most {NAME_LENGTH} characters", assessment_id)


def _json_problem(value: Any) -> str | None:
    """Why `value` cannot be stored as JSON and read back the same, or None when it can."""
    if value is None or isinstance(value, (bool, int, str)):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{value!r} is not a finite number"
    if isinstance(value, (list, tuple)):
        return next((p for p in map(_json_problem, value) if p), None)
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                return f"key {k!r} is not a text"
            problem = _json_problem(v)
            if problem:
                return problem
        return None
    return f"{type(value).__name__} value {value!r} cannot be stored as JSON"


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON text: 1, 1.0 and True differ, and so does the order of keys."""
    return json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


def _sections(data: Any, assessment_id: int | None) -> dict[str, dict[str, Any]]:
    """The set profile fields and answers of an answers-file dict, checked to be storable."""
    if not isinstance(data, Mapping):
        raise InvalidValue("data", "expected an answers-file mapping", assessment_id)
    if data.get("year") is not None:
        _year(data["year"], assessment_id)
    out: dict[str, dict[str, Any]] = {}
    for section in ("profile", "answers"):
        raw = data.get(section) or {}
        if not isinstance(raw, Mapping):
            raise InvalidValue(section, "expected a mapping", assessment_id)
        out[section] = {}
        for key, value in raw.items():
            key = _key(section, key, assessment_id)
            _check_value(section, key, value, assessment_id)
            if value is not None:
                out[section][key] = value
    return out


def _check_questionnaire(a: Assessment, data: Mapping[str, Any]) -> None:
    qid, version = data.get("questionnaire"), _version(data.get("version"))
    if (qid is not None and qid != a.questionnaire) or (
        version is not None and version != a.questionnaire_version
    ):
        raise InvalidValue(
            "questionnaire",
            f"the data is for {qid} version {version}; "
            f"the assessment is for {a.questionnaire} version {a.questionnaire_version}",
            a.id,
        )


def _check_result(result_json: Any, overall: Any, stage: Any, engine_version: Any) -> None:
    if not isinstance(result_json, str) or not result_json:
        raise InvalidValue("result_json", "expected the result as JSON text")
    if overall is not None and (
        isinstance(overall, bool) or not isinstance(overall, (int, float)) or not math.isfinite(overall)
    ):
        raise InvalidValue("overall", f"expected a finite number or None, got {overall!r}")
    if stage is not None:
        _text("stage", stage, 50)
    _text("engine_version", engine_version, 50)
