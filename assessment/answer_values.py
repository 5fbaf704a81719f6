"""One answer at a time: each question type's check and normalisation.

The checker (assessment.answers) runs these over a whole answer set, behind the fast
paths of `assessment.fast_values`; a refusal is an `AnswerInvalid` holding an English
msgid and its values, worded only where the problem is reported, in the reader's language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from assessment.i18n import N_, format_number, format_percent, gettext_for
from assessment.questionnaire import ProfileField
from assessment.questions import (
    FundingMixQuestion,
    MaturityQuestion,
    MultipleChoiceQuestion,
    NumberQuestion,
    PercentageQuestion,
    ServicePortfolioQuestion,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
)
from assessment.text import Text

FUNDING_SUM_TOLERANCE = 0.5


class ServiceUse(NamedTuple):
    """One service in a cluster's portfolio: from Table 6 (by id) or added by the cluster.

    A named tuple rather than a frozen dataclass: as immutable, and cheap to build in bulk.
    """

    service: str
    offered: bool
    charged: bool = False
    uptake: float | None = None
    name: str | None = None


class Pct(NamedTuple):
    """A 0-100 value to show as a percentage in the message's language ("95%", "95 %")."""

    value: float


def render(template: str, params: Mapping[str, Any], lang: str = "en") -> str:
    """A message in `lang`: `template` (an English msgid) translated, then filled with `params`.

    Numbers become `lang`'s digits (no thousands separator, so years stay years), `Pct`
    values its percentages and questionnaire `Text`s its wording; strings (ids, the repr
    of what was given) are left as they are.
    """

    def value(v: Any) -> str:
        if isinstance(v, Pct):
            return format_percent(v.value, lang, decimals=2)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return format_number(v, lang, decimals=6, grouping=False)
        if isinstance(v, Text):
            return v.get(lang)  # type: ignore[arg-type]
        return str(v)

    return gettext_for(lang)(template).format(**{k: value(v) for k, v in params.items()})


def given(value: Any) -> Any:
    """What was given, as a message shows it: a number in the language's digits, anything else as its repr."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    return repr(value)


class AnswerInvalid(Exception):
    """One answer's problem: an English msgid and its values; `where` extends the location below the id."""

    def __init__(self, template: str, where: str = "", **params: Any) -> None:
        self.template = template
        self.params = params
        self.where = where

    def message(self, lang: str) -> str:
        """The problem in `lang`."""
        return render(self.template, self.params, lang)


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise AnswerInvalid(N_("expected a number, got {value}"), value=given(value))
    return float(value)


_BELOW = (
    N_("{value} is below the minimum {bound}"),
    N_("{value} {unit} is below the minimum {bound} {unit}"),
)
_ABOVE = (
    N_("{value} is above the maximum {bound}"),
    N_("{value} {unit} is above the maximum {bound} {unit}"),
)


def _in_bounds(
    value: float, low: float | None, high: float | None, unit: Text | None = None, percent: bool = False
) -> float:
    """`value` if within the bounds; the message shows the unit (a questionnaire Text) or a percentage."""
    if low is not None and value < low:
        bound, (plain, with_unit) = low, _BELOW
    elif high is not None and value > high:
        bound, (plain, with_unit) = high, _ABOVE
    else:
        return value
    shown = (Pct(value), Pct(bound)) if percent else (value, bound)
    if unit is not None and unit.en:
        raise AnswerInvalid(with_unit, value=shown[0], bound=shown[1], unit=unit)
    raise AnswerInvalid(plain, value=shown[0], bound=shown[1])


def _maturity(q: MaturityQuestion, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4:
        raise AnswerInvalid(N_("expected a maturity level 0, 1, 2, 3 or 4, got {value}"), value=given(value))
    return value


def _single(q: SingleChoiceQuestion, value: Any) -> str:
    ids = [c.id for c in q.choices]
    if value not in ids:
        raise AnswerInvalid(
            N_("{value} is not a choice; choose one of {choices}"),
            value=given(value),
            choices=", ".join(ids),
        )
    return str(value)


def _multiple(q: MultipleChoiceQuestion, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise AnswerInvalid(N_("expected a list of choices, got {value}"), value=given(value))
    ids = {c.id: c for c in q.choices}
    for i, v in enumerate(value):
        if v not in ids:
            raise AnswerInvalid(
                N_("{value} is not a choice; choose from {choices}"),
                str(i),
                value=repr(v),
                choices=", ".join(ids),
            )
    if len(set(value)) != len(value):
        raise AnswerInvalid(N_("a choice is listed twice"))
    exclusive = [v for v in value if ids[v].exclusive]
    if exclusive and len(value) > 1:
        raise AnswerInvalid(N_("{choice} excludes every other choice"), choice=repr(exclusive[0]))
    return tuple(value)


_YES = {True: True, False: False, "yes": True, "no": False}


def _yes_no(q: YesNoQuestion, value: Any) -> bool:
    key = value.lower() if isinstance(value, str) else value
    if not isinstance(key, (bool, str)) or key not in _YES:
        raise AnswerInvalid(N_("expected yes or no, got {value}"), value=given(value))
    return _YES[key]


def _number_answer(q: NumberQuestion, value: Any) -> float:
    number = _in_bounds(_number(value), q.min, q.max, q.unit)
    if q.integer and not number.is_integer():
        raise AnswerInvalid(N_("expected a whole number, got {value}"), value=given(value))
    return number


def _percentage(q: PercentageQuestion, value: Any) -> float:
    return _in_bounds(_number(value), 0, 100, percent=True)


def _funding(q: FundingMixQuestion, value: Any) -> dict[str, float]:
    if not isinstance(value, Mapping) or not value:
        raise AnswerInvalid(
            N_("expected the share (%) of each source, e.g. {{public_baseline: 60, membership_fees: 40}}")
        )
    known = [s.id for s in q.sources]
    shares = {s: 0.0 for s in known}
    for source, share in value.items():
        if source not in shares:
            raise AnswerInvalid(
                N_("unknown funding source {source}; sources are {sources}"),
                str(source),
                source=repr(source),
                sources=", ".join(known),
            )
        try:
            shares[source] = _in_bounds(_number(share), 0, 100, percent=True)
        except AnswerInvalid as exc:
            raise AnswerInvalid(exc.template, str(source), **exc.params) from None
    total = sum(shares.values())
    if abs(total - 100) > FUNDING_SUM_TOLERANCE:
        raise AnswerInvalid(
            N_("funding shares add up to {total}, not {hundred}"), total=Pct(total), hundred=Pct(100)
        )
    return shares


def portfolio_value(q: ServicePortfolioQuestion, value: Any, catalogue: set[str]) -> tuple[ServiceUse, ...]:
    """A service portfolio answer: Table 6 ids or the cluster's own services, each with its use."""
    if not isinstance(value, Mapping):
        raise AnswerInvalid(N_("expected each service id with {{offered, charged, uptake}}"))
    uses = []
    for service, entry in value.items():
        where = str(service)
        if not isinstance(entry, Mapping):
            expected = N_("expected {{offered: yes/no, charged: yes/no, uptake: % of members}}")
            raise AnswerInvalid(expected, where)
        unknown = set(entry) - {"offered", "charged", "uptake", "name"}
        if unknown:
            raise AnswerInvalid(
                N_("unknown key {key}; use offered, charged, uptake, name"),
                where,
                key=repr(sorted(unknown)[0]),
            )
        name = entry.get("name")
        if service not in catalogue and not (isinstance(name, str) and name.strip()):
            raise AnswerInvalid(
                N_("{service} is not a Table 6 service; give it a name to add a service of your own"),
                where,
                service=repr(service),
            )
        offered, charged = entry.get("offered", True), entry.get("charged", False)
        if not isinstance(offered, bool) or not isinstance(charged, bool):
            raise AnswerInvalid(N_("offered and charged must be yes or no"), where)
        if charged and not offered:
            raise AnswerInvalid(N_("a service that is not offered cannot be charged"), where)
        uptake = entry.get("uptake")
        if uptake is not None:
            try:
                uptake = _in_bounds(_number(uptake), 0, 100, percent=True)
            except AnswerInvalid as exc:
                raise AnswerInvalid(exc.template, f"{where}.uptake", **exc.params) from None
        uses.append(
            ServiceUse(str(service), offered, charged, uptake, name if service not in catalogue else None)
        )
    return tuple(uses)


def _text(q: TextQuestion, value: Any) -> str:
    if not isinstance(value, str):
        raise AnswerInvalid(N_("expected text, got {value}"), value=given(value))
    if len(value) > q.max_length:
        raise AnswerInvalid(
            N_("text is {length} characters long; the limit is {limit}"),
            length=len(value),
            limit=q.max_length,
        )
    return value


VALIDATORS: dict[str, Callable[..., Any]] = {
    "maturity": _maturity,
    "single_choice": _single,
    "multiple_choice": _multiple,
    "yes_no": _yes_no,
    "number": _number_answer,
    "percentage": _percentage,
    "funding_mix": _funding,
    "text": _text,
}


def profile_value(field_: ProfileField, value: Any) -> Any:
    """A profile field's value checked against its type and bounds."""
    if field_.type == "text":
        if not isinstance(value, str):
            raise AnswerInvalid(N_("expected text, got {value}"), value=given(value))
        return value
    if field_.type == "choice":
        ids = [c.id for c in field_.choices or []]
        if value not in ids:
            raise AnswerInvalid(
                N_("{value} is not a choice; choose one of {choices}"),
                value=given(value),
                choices=", ".join(ids),
            )
        return value
    number = _number(value)
    low, high = field_.min, field_.max
    if field_.type == "percentage":
        low, high = 0 if low is None else low, 100 if high is None else high
    number = _in_bounds(number, low, high)
    if field_.type in ("integer", "year"):
        if not number.is_integer():
            raise AnswerInvalid(N_("expected a whole number, got {value}"), value=given(value))
        return int(number)
    return number
