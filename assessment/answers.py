"""Answer sets: what a cluster answered, checked against the questionnaire.

A missing answer is allowed (a draft); a wrong one is refused with the question id and
what is wrong, all problems at once. Validation returns normalised values the engine
can trust, so the engine never re-checks them.

Messages are written in the caller's language (`lang`, English by default): a problem is
raised as an English msgid with its values, and only turned into text, with the numbers
and percentages in that language's conventions, where the `Problem` is made. The checker
itself keeps no language, so one prepared checker serves every user.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple, cast

from assessment.errors import AnswersError, Problem
from assessment.i18n import N_, format_number, format_percent, gettext_for
from assessment.questionnaire import ProfileField, Questionnaire
from assessment.questions import (
    FundingMixQuestion,
    MaturityQuestion,
    MultipleChoiceQuestion,
    NumberQuestion,
    PercentageQuestion,
    QuestionBase,
    ServicePortfolioQuestion,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
)
from assessment.text import Text

FUNDING_SUM_TOLERANCE = 0.5
TOP_LEVEL_KEYS = ("questionnaire", "version", "year", "profile", "answers")
MIN_YEAR, MAX_YEAR = 1950, 2100


class ServiceUse(NamedTuple):
    """One service in a cluster's portfolio: from Table 6 (by id) or added by the cluster.

    A named tuple rather than a frozen dataclass: as immutable, and cheap to build in bulk.
    """

    service: str
    offered: bool
    charged: bool = False
    uptake: float | None = None
    name: str | None = None


@dataclass(frozen=True)
class ValidAnswers:
    """An answer set that passed validation; values are normalised per question type."""

    questionnaire: str
    version: str
    year: int
    profile: Mapping[str, Any] = field(default_factory=dict)
    answers: Mapping[str, Any] = field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        """Plain data in the answers-file format, ready to write as YAML or JSON."""
        answers: dict[str, Any] = {}
        for qid, value in self.answers.items():
            if isinstance(value, tuple) and value and isinstance(value[0], ServiceUse):
                answers[qid] = {
                    use.service: {
                        k: v
                        for k, v in (
                            ("name", use.name),
                            ("offered", use.offered),
                            ("charged", use.charged),
                            ("uptake", use.uptake),
                        )
                        if v is not None
                    }
                    for use in value
                }
            elif isinstance(value, tuple):
                answers[qid] = list(value)
            else:
                answers[qid] = dict(value) if isinstance(value, Mapping) else value
        return {
            "questionnaire": self.questionnaire,
            "version": self.version,
            "year": self.year,
            "profile": dict(self.profile),
            "answers": answers,
        }


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


def _given(value: Any) -> Any:
    """What was given, as a message shows it: a number in the language's digits, anything else as its repr."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    return repr(value)


class _Invalid(Exception):
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
        raise _Invalid(N_("expected a number, got {value}"), value=_given(value))
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
        raise _Invalid(with_unit, value=shown[0], bound=shown[1], unit=unit)
    raise _Invalid(plain, value=shown[0], bound=shown[1])


def _maturity(q: MaturityQuestion, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4:
        raise _Invalid(N_("expected a maturity level 0, 1, 2, 3 or 4, got {value}"), value=_given(value))
    return value


def _single(q: SingleChoiceQuestion, value: Any) -> str:
    ids = [c.id for c in q.choices]
    if value not in ids:
        raise _Invalid(
            N_("{value} is not a choice; choose one of {choices}"),
            value=_given(value),
            choices=", ".join(ids),
        )
    return str(value)


def _multiple(q: MultipleChoiceQuestion, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Invalid(N_("expected a list of choices, got {value}"), value=_given(value))
    ids = {c.id: c for c in q.choices}
    for i, v in enumerate(value):
        if v not in ids:
            raise _Invalid(
                N_("{value} is not a choice; choose from {choices}"),
                str(i),
                value=repr(v),
                choices=", ".join(ids),
            )
    if len(set(value)) != len(value):
        raise _Invalid(N_("a choice is listed twice"))
    exclusive = [v for v in value if ids[v].exclusive]
    if exclusive and len(value) > 1:
        raise _Invalid(N_("{choice} excludes every other choice"), choice=repr(exclusive[0]))
    return tuple(value)


_YES = {True: True, False: False, "yes": True, "no": False}


def _yes_no(q: YesNoQuestion, value: Any) -> bool:
    key = value.lower() if isinstance(value, str) else value
    if not isinstance(key, (bool, str)) or key not in _YES:
        raise _Invalid(N_("expected yes or no, got {value}"), value=_given(value))
    return _YES[key]


def _number_answer(q: NumberQuestion, value: Any) -> float:
    number = _in_bounds(_number(value), q.min, q.max, q.unit)
    if q.integer and not number.is_integer():
        raise _Invalid(N_("expected a whole number, got {value}"), value=_given(value))
    return number


def _percentage(q: PercentageQuestion, value: Any) -> float:
    return _in_bounds(_number(value), 0, 100, percent=True)


def _funding(q: FundingMixQuestion, value: Any) -> dict[str, float]:
    if not isinstance(value, Mapping) or not value:
        raise _Invalid(
            N_("expected the share (%) of each source, e.g. {{public_baseline: 60, membership_fees: 40}}")
        )
    known = [s.id for s in q.sources]
    shares = {s: 0.0 for s in known}
    for source, share in value.items():
        if source not in shares:
            raise _Invalid(
                N_("unknown funding source {source}; sources are {sources}"),
                str(source),
                source=repr(source),
                sources=", ".join(known),
            )
        try:
            shares[source] = _in_bounds(_number(share), 0, 100, percent=True)
        except _Invalid as exc:
            raise _Invalid(exc.template, str(source), **exc.params) from None
    total = sum(shares.values())
    if abs(total - 100) > FUNDING_SUM_TOLERANCE:
        raise _Invalid(
            N_("funding shares add up to {total}, not {hundred}"), total=Pct(total), hundred=Pct(100)
        )
    return shares


def _portfolio(q: ServicePortfolioQuestion, value: Any, catalogue: set[str]) -> tuple[ServiceUse, ...]:
    if not isinstance(value, Mapping):
        raise _Invalid(N_("expected each service id with {{offered, charged, uptake}}"))
    uses = []
    for service, entry in value.items():
        where = str(service)
        if not isinstance(entry, Mapping):
            raise _Invalid(N_("expected {{offered: yes/no, charged: yes/no, uptake: % of members}}"), where)
        unknown = set(entry) - {"offered", "charged", "uptake", "name"}
        if unknown:
            raise _Invalid(
                N_("unknown key {key}; use offered, charged, uptake, name"),
                where,
                key=repr(sorted(unknown)[0]),
            )
        name = entry.get("name")
        if service not in catalogue and not (isinstance(name, str) and name.strip()):
            raise _Invalid(
                N_("{service} is not a Table 6 service; give it a name to add a service of your own"),
                where,
                service=repr(service),
            )
        offered, charged = entry.get("offered", True), entry.get("charged", False)
        if not isinstance(offered, bool) or not isinstance(charged, bool):
            raise _Invalid(N_("offered and charged must be yes or no"), where)
        if charged and not offered:
            raise _Invalid(N_("a service that is not offered cannot be charged"), where)
        uptake = entry.get("uptake")
        if uptake is not None:
            try:
                uptake = _in_bounds(_number(uptake), 0, 100, percent=True)
            except _Invalid as exc:
                raise _Invalid(exc.template, f"{where}.uptake", **exc.params) from None
        uses.append(
            ServiceUse(str(service), offered, charged, uptake, name if service not in catalogue else None)
        )
    return tuple(uses)


def _text(q: TextQuestion, value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(N_("expected text, got {value}"), value=_given(value))
    if len(value) > q.max_length:
        raise _Invalid(
            N_("text is {length} characters long; the limit is {limit}"),
            length=len(value),
            limit=q.max_length,
        )
    return value


_VALIDATORS: dict[str, Callable[..., Any]] = {
    "maturity": _maturity,
    "single_choice": _single,
    "multiple_choice": _multiple,
    "yes_no": _yes_no,
    "number": _number_answer,
    "percentage": _percentage,
    "funding_mix": _funding,
    "text": _text,
}


def _fast(question: QuestionBase, slow: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A validator that accepts the common valid answers at once and leaves the rest to `slow`.

    Only the slow path builds messages; the fast path must accept exactly what the slow
    one accepts unchanged, normalised the same way.
    """
    kind = question.type  # type: ignore[attr-defined]
    if kind == "maturity":
        return lambda v: v if type(v) is int and 0 <= v <= 4 else slow(v)
    if kind == "single_choice":
        ids = frozenset(c.id for c in question.choices)  # type: ignore[attr-defined]
        return lambda v: v if type(v) is str and v in ids else slow(v)
    if kind == "yes_no":
        return lambda v: v if v is True or v is False else slow(v)
    if kind in ("number", "percentage"):
        low, high = (question.min, question.max) if kind == "number" else (0.0, 100.0)  # type: ignore[attr-defined]
        whole = kind == "number" and question.integer  # type: ignore[attr-defined]

        def number(v: Any) -> Any:
            t = type(v)
            if (t is int or (t is float and not whole)) and low <= v <= high:
                return float(v)
            return slow(v)

        return number
    if kind == "text":
        limit = question.max_length  # type: ignore[attr-defined]
        return lambda v: v if type(v) is str and len(v) <= limit else slow(v)
    if kind == "multiple_choice":
        plain = frozenset(c.id for c in question.choices if not c.exclusive)  # type: ignore[attr-defined]

        def choices(v: Any) -> Any:
            if type(v) is list and all(type(x) is str and x in plain for x in v) and len(set(v)) == len(v):
                return tuple(v)
            return slow(v)

        return choices
    if kind == "funding_mix":
        source_ids = tuple(src.id for src in question.sources)  # type: ignore[attr-defined]
        known = frozenset(source_ids)

        def funding(v: Any) -> Any:
            if type(v) is dict and v and v.keys() <= known:
                total = 0.0
                for x in v.values():
                    t = type(x)
                    if not ((t is int or t is float) and 0 <= x <= 100):
                        return slow(v)
                    total += x
                if abs(total - 100) <= FUNDING_SUM_TOLERANCE:
                    return {src: float(v.get(src, 0.0)) for src in source_ids}
            return slow(v)

        return funding
    return slow


def _fast_profile(field_: ProfileField) -> Callable[[Any], Any]:
    """Like `_fast`, for a profile field."""
    slow = partial(_profile_value, field_)
    if field_.type == "text":
        return lambda v: v if type(v) is str else slow(v)
    if field_.type == "choice":
        ids = frozenset(c.id for c in field_.choices or [])
        return lambda v: v if type(v) is str and v in ids else slow(v)
    low = field_.min if field_.min is not None else (0.0 if field_.type == "percentage" else -math.inf)
    high = field_.max if field_.max is not None else (100.0 if field_.type == "percentage" else math.inf)
    if field_.type in ("integer", "year"):
        return lambda v: v if type(v) is int and low <= v <= high else slow(v)

    def number(v: Any) -> Any:
        t = type(v)
        return float(v) if (t is int or t is float) and low <= v <= high else slow(v)

    return number


_ENTRY_KEYS = frozenset({"offered", "charged", "uptake", "name"})


def _fast_portfolio(slow: Callable[[Any], Any], catalogue: set[str]) -> Callable[[Any], Any]:
    """Like `_fast`, for a service portfolio: plain entries pass at once."""

    def portfolio(v: Any) -> Any:
        if type(v) is not dict:
            return slow(v)
        uses = []
        for service, entry in v.items():
            if type(service) is not str or type(entry) is not dict or not entry.keys() <= _ENTRY_KEYS:
                return slow(v)
            offered, charged = entry.get("offered", True), entry.get("charged", False)
            if (offered is not True and offered is not False) or (
                charged is not True and charged is not False
            ):
                return slow(v)
            if charged and not offered:
                return slow(v)
            uptake = entry.get("uptake")
            if uptake is not None:
                t = type(uptake)
                if not ((t is int or t is float) and 0 <= uptake <= 100):
                    return slow(v)
                uptake = float(uptake)
            name = None
            if service not in catalogue:
                name = entry.get("name")
                if type(name) is not str or not name.strip():
                    return slow(v)
            uses.append(ServiceUse(service, offered, charged, uptake, name))
        return tuple(uses)

    return portfolio


def _check_section(
    data: Mapping[str, Any],
    section: str,
    checks: Mapping[str, Callable[[Any], Any]],
    unknown: str,
    problems: list[Problem],
    lang: str = "en",
) -> dict[str, Any]:
    """Normalise the `profile` or `answers` mapping; problems are added (in `lang`), never raised."""
    raw = data.get(section) or {}
    if not isinstance(raw, Mapping):
        problems.append(Problem(section, render(_EXPECTED_MAPPING[section], {}, lang)))
        return {}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        check = checks.get(key)
        if check is None:
            problems.append(Problem(f"{section}.{key}", render(unknown, {}, lang)))
        elif value is not None:
            try:
                out[key] = check(value)
            except _Invalid as exc:
                problems.append(
                    Problem(f"{section}.{key}" + (f".{exc.where}" if exc.where else ""), exc.message(lang))
                )
    return out


_EXPECTED_MAPPING = {
    "profile": N_("expected a mapping of profile"),
    "answers": N_("expected a mapping of answers"),
}


class AnswerChecker:
    """Validation prepared once for a questionnaire, to check many answer sets quickly.

    The checker keeps no language: each call names the language of its messages, so one
    checker (cached once by the app) serves users of every language.
    """

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        catalogue = set(questionnaire.service_index)
        self._answers: dict[str, Callable[[Any], Any]] = {}
        for qid, question in questionnaire.questions.items():
            kind = question.type  # type: ignore[attr-defined]
            if kind == "service_portfolio":
                slow = partial(_portfolio, cast(ServicePortfolioQuestion, question), catalogue=catalogue)
                self._answers[qid] = _fast_portfolio(slow, catalogue)
            else:
                self._answers[qid] = _fast(question, partial(_VALIDATORS[kind], question))
        self._profile = {f.id: _fast_profile(f) for f in questionnaire.profile}
        self._founded = questionnaire.stage_rule.founded_field

    def check_answer(self, question_id: str, value: Any, lang: str = "en") -> Any:
        """Normalise one answer; a refusal is worded in `lang` (en, es or pt).

        Raises:
            AnswersError: naming the question id and what is wrong.
            UnknownLanguageError: for a language other than en, es or pt (only when refusing).
        """
        try:
            return self._answers[question_id](value)
        except _Invalid as exc:
            loc = f"answers.{question_id}" + (f".{exc.where}" if exc.where else "")
            raise AnswersError(question_id, [Problem(loc, exc.message(lang))]) from None

    def check(self, data: Mapping[str, Any], lang: str = "en") -> ValidAnswers:
        """Validate a whole answer set (as read from a file); problems are worded in `lang`.

        Raises:
            AnswersError: listing every problem, each with its field path or question id.
            UnknownLanguageError: for a language other than en, es or pt (only when refusing).
        """
        q = self.questionnaire
        problems: list[Problem] = []

        def add(location: str, template: str, **params: Any) -> None:
            problems.append(Problem(location, render(template, params, lang)))

        for key in data:
            if key not in TOP_LEVEL_KEYS:
                add(str(key), N_("unknown key; an answer set has {keys}"), keys=", ".join(TOP_LEVEL_KEYS))
        qid = data.get("questionnaire")
        if qid != q.id:
            add("questionnaire", N_("expected {expected}, got {got}"), expected=repr(q.id), got=repr(qid))
        version = str(data.get("version")) if data.get("version") is not None else None
        if version != q.version and not _same_major(version, q.version):
            add(
                "version",
                N_("these answers are for version {version}; the questionnaire is version {current}"),
                version=str(version),
                current=q.version,
            )
        year = data.get("year")
        if type(year) is not int or not MIN_YEAR <= year <= MAX_YEAR:
            add(
                "year",
                N_("expected the year the answers describe ({first}-{last}), got {got}"),
                first=MIN_YEAR,
                last=MAX_YEAR,
                got=repr(year),
            )
            year = None

        profile = _check_section(data, "profile", self._profile, N_("unknown profile field"), problems, lang)
        founded = profile.get(self._founded)
        if founded is not None and year is not None and founded > year:
            add(
                f"profile.{self._founded}",
                N_("founded in {founded}, after the year answered ({year})"),
                founded=founded,
                year=year,
            )
        answers = _check_section(data, "answers", self._answers, N_("unknown question id"), problems, lang)
        if problems:
            raise AnswersError("answers", problems)
        return ValidAnswers(q.id, q.version, year, profile, answers)  # type: ignore[arg-type]


def _profile_value(field_: ProfileField, value: Any) -> Any:
    if field_.type == "text":
        if not isinstance(value, str):
            raise _Invalid(N_("expected text, got {value}"), value=_given(value))
        return value
    if field_.type == "choice":
        ids = [c.id for c in field_.choices or []]
        if value not in ids:
            raise _Invalid(
                N_("{value} is not a choice; choose one of {choices}"),
                value=_given(value),
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
            raise _Invalid(N_("expected a whole number, got {value}"), value=_given(value))
        return int(number)
    return number


def check_answers(questionnaire: Questionnaire, data: Mapping[str, Any], lang: str = "en") -> ValidAnswers:
    """Validate a whole answer set against the questionnaire; see `AnswerChecker.check`.

    Raises:
        AnswersError: listing every problem, each with its field path or question id.
    """
    return AnswerChecker(questionnaire).check(data, lang)


def _same_major(version: str | None, current: str) -> bool:
    """Answers of an earlier minor version still fit: a minor version changes scoring, not questions."""
    if version is None:
        return False
    major, _, minor = version.partition(".")
    now_major, _, now_minor = current.partition(".")
    return major == now_major and minor.isdigit() and now_minor.isdigit() and int(minor) <= int(now_minor)
