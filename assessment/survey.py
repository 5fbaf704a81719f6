"""The members' survey as the questionnaire declares it (survey.yaml).

What member firms are asked, and the thresholds at which their answers stand in for the
manager's, live in YAML like every other question, so the survey page, the scoring and
the translations read one definition.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import Field

from assessment.base import Id, Strict
from assessment.errors import AssessmentError
from assessment.reference import Valuation
from assessment.text import Text


class LevelQuestion(Strict):
    """A member picks the level of one of the questionnaire's maturity questions (`informs`)."""

    id: Id
    informs: Id
    text: Text


class MembersSurvey(Strict):
    """The members' survey of a questionnaire: its texts, Table 6's scale and its thresholds."""

    min_responses: int = Field(ge=1)
    min_responses_source: str = Field(min_length=1)
    uptake_gap: float = Field(gt=0, le=100)
    uptake_gap_source: str = Field(min_length=1)
    title: Text
    intro: Text
    firm_name: Text
    used: Text
    value: Text
    value_levels: dict[Valuation, Text]
    would_pay: Text
    amount: Text
    satisfaction: Text
    satisfaction_levels: list[Text] = Field(min_length=2)
    levels: list[LevelQuestion] = Field(default_factory=list)


class SurveyAnswerError(AssessmentError):
    """A member's response that does not fit the survey; names the field, as `service.training.value`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


_VALUATIONS = ("high", "medium", "medium_low")


def check_response(survey: MembersSurvey, offered: Sequence[str], data: Mapping[str, Any]) -> dict[str, Any]:
    """A response in the stored shape, every value checked; what is not asked is refused.

    `offered` lists the services the cluster offers (the only ones a member rates). A
    service left unrated is kept as not used; "used" is what every uptake figure counts.

    Raises:
        SurveyAnswerError: naming the first field that does not fit.
    """
    if not isinstance(data, Mapping):
        raise SurveyAnswerError("response", "expected a mapping")
    unknown = set(data) - {"services", "satisfaction", "levels"}
    if unknown:
        raise SurveyAnswerError(sorted(unknown)[0], "not a question of the survey")
    services: dict[str, Any] = {}
    given = data.get("services") or {}
    if not isinstance(given, Mapping):
        raise SurveyAnswerError("services", "expected a mapping")
    for sid in given:
        if sid not in offered:
            raise SurveyAnswerError(f"services.{sid}", "not a service the cluster offers")
    for sid in offered:
        raw = given.get(sid) or {}
        where = f"services.{sid}"
        if not isinstance(raw, Mapping) or set(raw) - {"used", "value", "would_pay", "amount"}:
            raise SurveyAnswerError(where, "expected used, value, would_pay and amount")
        used, would_pay = raw.get("used", False), raw.get("would_pay", False)
        value, amount = raw.get("value"), raw.get("amount")
        if not isinstance(used, bool) or not isinstance(would_pay, bool):
            raise SurveyAnswerError(where, "used and would_pay are yes or no")
        if value is not None and value not in _VALUATIONS:
            raise SurveyAnswerError(f"{where}.value", f"expected one of {', '.join(_VALUATIONS)}")
        if amount is not None and (
            isinstance(amount, bool) or not isinstance(amount, (int, float)) or not 0 <= amount <= 10_000_000
        ):
            raise SurveyAnswerError(f"{where}.amount", "expected an amount from 0 to 10,000,000")
        services[sid] = {
            "used": used,
            "value": value,
            "would_pay": would_pay,
            "amount": float(amount) if amount is not None and would_pay else None,
        }
    satisfaction = data.get("satisfaction")
    top = len(survey.satisfaction_levels)
    if satisfaction is not None and (type(satisfaction) is not int or not 1 <= satisfaction <= top):
        raise SurveyAnswerError("satisfaction", f"expected a whole number from 1 to {top}")
    levels: dict[str, int] = {}
    given_levels = data.get("levels") or {}
    if not isinstance(given_levels, Mapping):
        raise SurveyAnswerError("levels", "expected a mapping")
    asked = {q.id for q in survey.levels}
    for key, level in given_levels.items():
        if key not in asked:
            raise SurveyAnswerError(f"levels.{key}", "not a question of the survey")
        if level is None:
            continue
        if type(level) is not int or not 0 <= level <= 4:
            raise SurveyAnswerError(f"levels.{key}", "expected a level from 0 to 4")
        levels[key] = level
    return {"services": services, "satisfaction": satisfaction, "levels": levels}
