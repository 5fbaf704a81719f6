"""The project's errors: every one names where the problem is, so a user can fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong at one place: a field path, and the file and line when known."""

    location: str
    message: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        loc = f"{self.location}: " if self.location else ""
        return f"{where}{loc}{self.message}"


class AssessmentError(Exception):
    """Base of every error the project raises on purpose; anything else is a bug."""


class ProblemsError(AssessmentError):
    """An input with one or more problems, all reported at once."""

    what = "input"

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        count = len(self.problems)
        head = f"{self.source}: invalid {self.what} ({count} problem{'s' if count != 1 else ''})"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class QuestionnaireError(ProblemsError):
    """A questionnaire file that cannot be read or does not follow the schema."""

    what = "questionnaire"


class AnswersError(ProblemsError):
    """An answer set that names unknown questions or holds values a question cannot take."""

    what = "answer set"


class UnknownLanguageError(AssessmentError):
    """A language code the product is not translated into."""

    def __init__(self, lang: object, known: tuple[str, ...]) -> None:
        self.lang = lang
        super().__init__(f"unknown language {lang!r}: choose one of {', '.join(known)}")


class CrossReferenceError(Exception):
    """Raised inside model validation for problems that span several fields.

    It is deliberately not a ValueError, so pydantic lets it through unwrapped and the
    loader can map each path to the file and line it came from.
    """

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in problems))
