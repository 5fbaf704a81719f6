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

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

from assessment.answer_values import (
    FUNDING_SUM_TOLERANCE,
    VALIDATORS,
    AnswerInvalid,
    Pct,
    ServiceUse,
    portfolio_value,
    render,
)
from assessment.errors import AnswersError, Problem
from assessment.fast_values import fast_answer, fast_portfolio, fast_profile
from assessment.i18n import N_
from assessment.questionnaire import Questionnaire
from assessment.questions import (
    ServicePortfolioQuestion,
)
from assessment.years import MAX_YEAR, MIN_YEAR

__all__ = [
    "FUNDING_SUM_TOLERANCE",
    "MAX_YEAR",
    "MIN_YEAR",
    "AnswerChecker",
    "Pct",
    "ServiceUse",
    "ValidAnswers",
    "check_answers",
    "render",
]

TOP_LEVEL_KEYS = ("questionnaire", "version", "year", "profile", "answers")


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
            except AnswerInvalid as exc:
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
                slow = partial(portfolio_value, cast(ServicePortfolioQuestion, question), catalogue=catalogue)
                self._answers[qid] = fast_portfolio(slow, catalogue)
            else:
                self._answers[qid] = fast_answer(question, partial(VALIDATORS[kind], question))
        self._profile = {f.id: fast_profile(f) for f in questionnaire.profile}
        self._founded = questionnaire.stage_rule.founded_field

    def check_answer(self, question_id: str, value: Any, lang: str = "en") -> Any:
        """Normalise one answer; a refusal is worded in `lang` (en, es or pt).

        Raises:
            AnswersError: naming the question id and what is wrong.
            UnknownLanguageError: for a language other than en, es or pt (only when refusing).
        """
        try:
            return self._answers[question_id](value)
        except AnswerInvalid as exc:
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
