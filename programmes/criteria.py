"""Programme criteria: what a funding programme asks of the clusters it funds, and the verdicts.

A programme (for example the Basque cluster programme of 002 s5.4) states its eligibility
criteria in YAML. Each criterion names one subject (a question, a profile field, the
overall index or a dimension score) and one operator (at_least, at_most, equals, in).
`judge` compares an assessment with each criterion: met, failed, or cannot be judged
when the answer it needs is missing, always with the evidence, worded in the caller's
language (the title, description and labels are `Text`s: a plain YAML string is English).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from assessment.answers import ValidAnswers
from assessment.base import Id, Strict
from assessment.errors import ProblemsError
from assessment.i18n import N_, gettext_for
from assessment.loading import QUESTIONNAIRES_DIR, load_model_file
from assessment.questionnaire import Questionnaire
from assessment.text import Language, Text
from scoring.describe import number

PROGRAMMES_DIR = QUESTIONNAIRES_DIR / "programmes"
Verdict = Literal["met", "failed", "cannot_judge"]
Loc = tuple[str | int, ...]
NUMERIC_QUESTIONS = frozenset({"maturity", "number", "percentage"})
NUMERIC_PROFILE = frozenset({"integer", "number", "percentage", "year"})
CHOICE_QUESTIONS = frozenset({"single_choice", "multiple_choice", "yes_no"})
#: The verdicts in English words; `verdict_word` gives them in a language.
VERDICT_WORDS: dict[Verdict, str] = {
    "met": N_("met"),
    "failed": N_("failed"),
    "cannot_judge": N_("cannot be judged"),
}


class ProgrammeError(ProblemsError):
    """A programme file that cannot be read, breaks the schema or names unknown questions."""

    what = "programme"


class Criterion(Strict):
    """One criterion: exactly one subject and exactly one operator.

    Subjects: `question` (an answer), `profile` (a profile field), `overall: true` (the
    sustainability index) or `dimension` (a dimension's score). For a multiple-choice
    answer, `equals: x` holds when x is chosen and `in: [...]` when any of them is.
    """

    id: Id
    label: Text
    source: str | None = None
    question: Id | None = None
    profile: Id | None = None
    overall: bool = False
    dimension: Id | None = None
    at_least: float | None = None
    at_most: float | None = None
    equals: str | bool | float | None = None
    in_: list[str | float] | None = Field(default=None, alias="in", min_length=1)

    @model_validator(mode="after")
    def _one_subject_one_operator(self) -> Criterion:
        subjects = [
            self.question is not None,
            self.profile is not None,
            self.overall,
            self.dimension is not None,
        ]
        if sum(subjects) != 1:
            raise ValueError("a criterion needs exactly one of question, profile, overall: true, dimension")
        if sum(op is not None for op in (self.at_least, self.at_most, self.equals, self.in_)) != 1:
            raise ValueError("a criterion needs exactly one of at_least, at_most, equals, in")
        if (self.overall or self.dimension) and (self.at_least is None and self.at_most is None):
            raise ValueError("the overall index and dimension scores take at_least or at_most")
        return self

    @property
    def subject(self) -> str:
        """What the criterion looks at: "question.x", "profile.x", "overall" or "dimension.x"."""
        if self.question:
            return f"question.{self.question}"
        if self.profile:
            return f"profile.{self.profile}"
        return "overall" if self.overall else f"dimension.{self.dimension}"

    @field_validator("label")
    @classmethod
    def _label_not_empty(cls, label: Text) -> Text:
        if not label.en.strip():
            raise ValueError("a criterion needs a label")
        return label

    def describe(self, lang: Language = "en") -> str:
        """The operator in words in `lang`, e.g. "at least 60" / "al menos 60"."""
        _ = gettext_for(lang)
        if self.at_least is not None:
            return _("at least {value}").format(value=number(self.at_least, lang))
        if self.at_most is not None:
            return _("at most {value}").format(value=number(self.at_most, lang))
        if self.equals is not None:
            return _("equal to {value}").format(value=_show(self.equals, lang))
        return _("one of {values}").format(values=", ".join(_show(v, lang) for v in self.in_ or []))


class Programme(Strict):
    """A funding programme and the criteria it asks of its clusters."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: Text
    description: Text | None = None
    source: str | None = None
    questionnaire: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    criteria: list[Criterion] = Field(min_length=1)

    @field_validator("title")
    @classmethod
    def _title_not_empty(cls, title: Text) -> Text:
        if not title.en.strip():
            raise ValueError("a programme needs a title")
        return title

    @model_validator(mode="after")
    def _unique_ids(self) -> Programme:
        seen: set[str] = set()
        for c in self.criteria:
            if c.id in seen:
                raise ValueError(f"duplicate criterion id {c.id!r}")
            seen.add(c.id)
        return self


def programme_problems(programme: Programme, questionnaire: Questionnaire) -> Iterator[tuple[Loc, str]]:
    """Every criterion that names what the questionnaire does not have, with its path in the file."""
    if programme.questionnaire != questionnaire.id:
        yield (
            ("questionnaire",),
            f"the questionnaire is {questionnaire.id!r}, not {programme.questionnaire!r}",
        )
    dimensions = {d.id for d in questionnaire.dimensions}
    for i, c in enumerate(programme.criteria):
        loc: Loc = ("criteria", i)
        numeric = c.at_least is not None or c.at_most is not None
        if c.question is not None:
            q = questionnaire.questions.get(c.question)
            if q is None:
                yield (*loc, "question"), f"unknown question id {c.question!r}"
                continue
            kind = q.type  # type: ignore[attr-defined]
            if numeric and kind not in NUMERIC_QUESTIONS:
                yield (
                    (*loc, "question"),
                    f"question {c.question!r} is a {kind}; at_least/at_most need a number",
                )
            if not numeric and kind not in CHOICE_QUESTIONS | NUMERIC_QUESTIONS:
                yield (*loc, "question"), f"question {c.question!r} is a {kind} and cannot be compared"
            if not numeric and kind in ("single_choice", "multiple_choice"):
                ids = {ch.id for ch in q.choices}  # type: ignore[attr-defined]
                for v in [c.equals] if c.equals is not None else c.in_ or []:
                    if v not in ids:
                        yield (
                            (*loc, "equals" if c.equals is not None else "in"),
                            (
                                f"{v!r} is not a choice of {c.question!r}; "
                                f"choices are {', '.join(sorted(ids))}"
                            ),
                        )
        elif c.profile is not None:
            f = questionnaire.profile_fields.get(c.profile)
            if f is None:
                yield (*loc, "profile"), f"unknown profile field {c.profile!r}"
            elif numeric and f.type not in NUMERIC_PROFILE:
                yield (
                    (*loc, "profile"),
                    f"profile field {c.profile!r} is {f.type}; at_least/at_most need a number",
                )
        elif c.dimension is not None and c.dimension not in dimensions:
            yield (
                (*loc, "dimension"),
                f"unknown dimension {c.dimension!r}; dimensions are {sorted(dimensions)}",
            )


@dataclass(frozen=True)
class CriterionVerdict:
    """How one assessment fares on one criterion, and the evidence for it (both in one language)."""

    criterion: str
    label: str
    verdict: Verdict
    value: Any
    evidence: str


def judge(
    programme: Programme,
    answers: ValidAnswers | Mapping[str, Any],
    result: Any = None,
    lang: Language = "en",
) -> list[CriterionVerdict]:
    """Judge an assessment against every criterion of the programme, in the programme's order.

    `answers` is a validated answer set (or an answers-file mapping with `profile` and
    `answers`); `result` is the engine's `Result` or `Evaluation`, a mapping
    {"overall": ..., "dimensions": {id: score}}, or None; it is needed only for criteria on
    the overall index or a dimension score. A missing answer or score gives
    "cannot_judge", never "failed". Labels and evidence are worded in `lang`.

    Raises:
        UnknownLanguageError: `lang` is not en, es or pt.
    """
    if isinstance(answers, ValidAnswers):
        given, profile = answers.answers, answers.profile
    else:
        given, profile = answers.get("answers") or {}, answers.get("profile") or {}
    overall, dimensions = _scores(result)
    out = []
    for c in programme.criteria:
        if c.question is not None:
            value = given.get(c.question)
        elif c.profile is not None:
            value = profile.get(c.profile)
        elif c.overall:
            value = overall
        else:
            value = dimensions.get(c.dimension)  # type: ignore[arg-type]
        out.append(_verdict(c, value, lang))
    return out


def verdict_word(verdict: Verdict, lang: Language = "en") -> str:
    """A verdict in words in `lang`: met, failed or cannot be judged."""
    return gettext_for(lang)(VERDICT_WORDS[verdict])


def verdict_counts(verdicts: list[CriterionVerdict]) -> dict[Verdict, int]:
    """How many criteria are met, failed and cannot be judged."""
    counts: dict[Verdict, int] = {"met": 0, "failed": 0, "cannot_judge": 0}
    for v in verdicts:
        counts[v.verdict] += 1
    return counts


def _scores(result: Any) -> tuple[float | None, Mapping[str, float | None]]:
    if result is None:
        return None, {}
    if isinstance(result, Mapping):  # a plain summary: {"overall": ..., "dimensions": {...}}
        return result.get("overall"), result.get("dimensions") or {}
    dims = result.dimensions
    if isinstance(dims, Mapping):  # an Evaluation
        return result.overall, dims
    return result.overall, {d.id: d.score for d in dims}  # a Result


def _verdict(c: Criterion, value: Any, lang: Language) -> CriterionVerdict:
    _ = gettext_for(lang)
    wanted = c.describe(lang)
    label = c.label.get(lang)
    if value is None or value == "" or value == ():
        why = _("{subject} is not answered; needs {wanted}").format(subject=c.subject, wanted=wanted)
        return CriterionVerdict(c.id, label, "cannot_judge", None, why)
    ok = _holds(c, value)
    shown = _show(value, lang)
    if ok is None:
        why = _("{subject} is {value}, which cannot be compared").format(subject=c.subject, value=shown)
        return CriterionVerdict(c.id, label, "cannot_judge", value, why)
    verdict: Verdict = "met" if ok else "failed"
    why = _("{subject} is {value}; needs {wanted}").format(subject=c.subject, value=shown, wanted=wanted)
    return CriterionVerdict(c.id, label, verdict, value, why)


def _holds(c: Criterion, value: Any) -> bool | None:
    value = _normalise(value)
    if c.at_least is not None or c.at_most is not None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return value >= c.at_least if c.at_least is not None else value <= c.at_most  # type: ignore[operator]
    wanted = [c.equals] if c.equals is not None else list(c.in_ or [])
    if isinstance(value, (list, tuple)):
        return any(_same(v, w) for v in value for w in wanted)
    return any(_same(value, w) for w in wanted)


def _normalise(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in ("yes", "no"):
        return value.lower() == "yes"
    return value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    return a == b


def _show(value: Any, lang: Language = "en") -> str:
    if isinstance(value, bool):
        _ = gettext_for(lang)
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return number(value, lang)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(v, lang) for v in value) + "]"
    return str(value)


def load_programme(path: Path | str, questionnaire: Questionnaire) -> Programme:
    """Read a programme file (YAML or JSON) and check its criteria against the questionnaire.

    Raises:
        ProgrammeError: every problem, each with its file and line; unknown question ids,
            profile fields and dimensions are named.
    """
    return load_model_file(path, Programme, ProgrammeError, lambda p: programme_problems(p, questionnaire))


def shipped_programmes(
    questionnaire: Questionnaire, directory: Path | str = PROGRAMMES_DIR
) -> list[Programme]:
    """Every programme file in `questionnaires/programmes/` for this questionnaire, by file name."""
    found = []
    for path in sorted(Path(directory).glob("*.yaml")):
        programme = load_programme(path, questionnaire)
        found.append(programme)
    return found
