"""The one boundary between files and models: YAML and JSON in, validated models out.

Nothing else in the project imports yaml. Every problem found while reading is turned
into a project error that names the file and line, so users can go straight to it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

import questionnaires
from assessment.answers import ValidAnswers, check_answers
from assessment.errors import AnswersError, CrossReferenceError, Problem, ProblemsError, QuestionnaireError
from assessment.questionnaire import Questionnaire

# The shipped questionnaires, found through their package so that an installed copy works
# from any folder (the repository's questionnaires/ folder when run from a checkout).
QUESTIONNAIRES_DIR = questionnaires.DIRECTORY
DEFAULT_QUESTIONNAIRE = QUESTIONNAIRES_DIR / "cluster-sustainability"
MAIN_FILE = "questionnaire.yaml"
PART_FILES = {
    "lessons": "lessons.yaml",
    "services": "services.yaml",
    "checks": "checks.yaml",
    "survey": "survey.yaml",
}

Loc = tuple[str | int, ...]
# libyaml's safe loader when installed (ten times faster), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Document:
    """A parsed YAML file kept with its node tree, to find the line of any path in it."""

    def __init__(self, path: Path, text: str, label: str) -> None:
        self.path = path
        self.label = label
        try:
            self.node = yaml.compose(text, Loader=_LOADER)
            self.data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc)
            raise _ParseFailure(Problem("", f"not valid YAML: {problem}", label, line)) from exc

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """The line of the deepest node on `loc` that exists in this file."""
        node = self.node
        if node is None:
            return None
        line = node.start_mark.line + 1
        for key in loc:
            child = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == str(key):
                        child = v
                        line = k.start_mark.line + 1
                        break
            elif isinstance(node, yaml.SequenceNode):
                index = int(key) if isinstance(key, int) or str(key).isdigit() else -1
                if 0 <= index < len(node.value):
                    child = node.value[index]
                    line = child.start_mark.line + 1
            if child is None:
                break
            node = child
        return line


class _ParseFailure(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _read(path: Path, label: str) -> _Document:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _ParseFailure(Problem("", f"cannot read file: {exc.strerror}", label)) from exc
    if path.suffix.lower() == ".json":
        return _JsonDocument(path, text, label)
    return _Document(path, text, label)


class _JsonDocument(_Document):
    """JSON is read as YAML for line numbers (JSON is YAML), after a strict JSON parse."""

    def __init__(self, path: Path, text: str, label: str) -> None:
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise _ParseFailure(Problem("", f"not valid JSON: {exc.msg}", label, exc.lineno)) from exc
        super().__init__(path, text, label)


def _format_loc(loc: Sequence[str | int]) -> str:
    return ".".join(str(p) for p in loc)


def _validation_problems(exc: ValidationError, place: Any) -> list[Problem]:
    """One problem per pydantic error, each placed at its file and line by `place`."""
    problems = []
    for err in exc.errors(include_url=False):
        loc, message = _strip_tags(tuple(err["loc"])), err["msg"]
        if err["type"] == "union_tag_invalid":
            ctx = err.get("ctx", {})
            key = str(ctx.get("discriminator", "type")).strip("'")
            loc = (*loc, key)
            message = f"unknown {key} {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}"
        problems.append(place(loc, message))
    return problems


def _strip_tags(loc: Loc) -> Loc:
    """Drop pydantic's union tags (e.g. 'maturity', 'function-after[...]') from a path."""
    from assessment.checks import CHECK_KINDS
    from assessment.questions import QUESTION_TYPES

    tags = set(QUESTION_TYPES) | {k.model_fields["kind"].annotation.__args__[0] for k in CHECK_KINDS}  # type: ignore[union-attr]
    out: list[str | int] = []
    for i, part in enumerate(loc):
        prev = loc[i - 1] if i else None
        if isinstance(part, str) and (
            part.startswith("function-") or (part in tags and isinstance(prev, int))
        ):
            continue
        out.append(part)
    return tuple(out)


def display_path(path: Path) -> str:
    """A path relative to the working directory when it is below it, for short messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_questionnaire(directory: Path | str = DEFAULT_QUESTIONNAIRE) -> Questionnaire:
    """Read and validate a questionnaire folder.

    The folder holds `questionnaire.yaml` (which lists the dimension files) and the parts
    `lessons.yaml`, `services.yaml`, `checks.yaml` and (optionally) the members' `survey.yaml`.

    Raises:
        QuestionnaireError: with every problem found, each with its file and line.
    """
    directory = Path(directory)
    label = display_path(directory)
    try:
        main = _read(directory / MAIN_FILE, display_path(directory / MAIN_FILE))
    except _ParseFailure as failure:
        raise QuestionnaireError(label, [failure.problem]) from None
    if not isinstance(main.data, dict):
        raise QuestionnaireError(label, [Problem("", "expected a mapping at the top", main.label, 1)])

    problems: list[Problem] = []
    parts: dict[str, _Document] = {}
    for key, name in PART_FILES.items():
        path = directory / name
        if not path.exists():
            continue
        try:
            parts[key] = _read(path, display_path(path))
        except _ParseFailure as failure:
            problems.append(failure.problem)
    dimension_docs: list[_Document] = []
    dim_files = main.data.get("dimensions")
    if not isinstance(dim_files, list) or not all(isinstance(f, str) for f in dim_files):
        problems.append(
            Problem("dimensions", "must list the dimension files", main.label, main.line_of(["dimensions"]))
        )
        dim_files = []
    for i, name in enumerate(dim_files):
        path = directory / name
        try:
            dimension_docs.append(_read(path, display_path(path)))
        except _ParseFailure as failure:
            problems.append(
                failure.problem
                if path.exists()
                else Problem(
                    f"dimensions.{i}",
                    f"no file {name!r} in {label}",
                    main.label,
                    main.line_of(["dimensions", i]),
                )
            )
    if problems:
        raise QuestionnaireError(label, problems)

    data = dict(main.data)
    for key, doc in parts.items():
        if not isinstance(doc.data, dict) or key not in doc.data:
            problems.append(Problem("", f"expected a top-level key {key!r}", doc.label, 1))
        else:
            data[key] = doc.data[key]
    data["dimensions"] = [doc.data for doc in dimension_docs]

    def place(loc: Loc, message: str) -> Problem:
        if (
            len(loc) >= 2
            and loc[0] == "dimensions"
            and isinstance(loc[1], int)
            and loc[1] < len(dimension_docs)
        ):
            doc = dimension_docs[loc[1]]
            return Problem(_format_loc(loc[2:]), message, doc.label, doc.line_of(loc[2:]))
        if loc and loc[0] in parts:
            doc = parts[str(loc[0])]
            return Problem(_format_loc(loc), message, doc.label, doc.line_of(loc))
        return Problem(_format_loc(loc), message, main.label, main.line_of(loc))

    if problems:
        raise QuestionnaireError(label, problems)
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as exc:
        raise QuestionnaireError(label, _validation_problems(exc, place)) from None
    except CrossReferenceError as exc:
        raise QuestionnaireError(label, [place(loc, msg) for loc, msg in exc.problems]) from None


def parse_answers_text(text: str, name: str) -> dict[str, Any]:
    """Parse the text of an answers file (YAML or JSON) into plain data.

    Raises:
        AnswersError: when the text is not YAML/JSON or not a mapping.
    """
    doc = _parse_answers_doc(text, name)
    return doc.data


def _parse_answers_doc(text: str, name: str) -> _Document:
    try:
        doc = (
            _JsonDocument(Path(name), text, name)
            if name.lower().endswith(".json")
            else _Document(Path(name), text, name)
        )
    except _ParseFailure as failure:
        raise AnswersError(name, [failure.problem]) from None
    if not isinstance(doc.data, dict):
        raise AnswersError(
            name,
            [
                Problem(
                    "", "expected a mapping with questionnaire, version, year, profile and answers", name, 1
                )
            ],
        )
    return doc


def read_answers(text: str, name: str, questionnaire: Questionnaire, lang: str = "en") -> ValidAnswers:
    """Parse and validate an answers text; problems carry the file's name and line (worded in `lang`).

    Raises:
        AnswersError: every problem found, each with its line and question id.
    """
    doc = _parse_answers_doc(text, name)
    try:
        return check_answers(questionnaire, doc.data, lang)
    except AnswersError as exc:
        placed = [
            Problem(p.location, p.message, name, doc.line_of(p.location.split(".") if p.location else []))
            for p in exc.problems
        ]
        raise AnswersError(name, placed) from None


def load_answers(path: Path | str, questionnaire: Questionnaire) -> ValidAnswers:
    """Read an answers file (YAML or JSON) and validate it against the questionnaire.

    Raises:
        AnswersError: when the file cannot be read or any answer is invalid.
    """
    path = Path(path)
    label = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AnswersError(label, [Problem("", f"cannot read file: {exc.strerror}", label)]) from None
    return read_answers(text, label, questionnaire)


def dump_yaml(data: Mapping[str, Any]) -> str:
    """YAML text for answers or results, keeping the order of keys and unicode as is."""
    return yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, default_flow_style=False)


def load_model_file(
    path: Path | str,
    model: type[Any],
    error: type[ProblemsError],
    check: Callable[[Any], Iterable[tuple[Loc, str]]] | None = None,
) -> Any:
    """Read one YAML or JSON file into a strict pydantic `model` (a programme file, for example).

    `check`, when given, yields (path in the file, message) for problems that need more than
    the file (such as question ids unknown to the questionnaire); each is placed at its line.

    Raises:
        error: with every problem found, each with its file and line.
    """
    path = Path(path)
    label = display_path(path)
    try:
        doc = _read(path, label)
    except _ParseFailure as failure:
        raise error(label, [failure.problem]) from None
    if not isinstance(doc.data, dict):
        raise error(label, [Problem("", "expected a mapping at the top", label, 1)])

    def place(loc: Loc, message: str) -> Problem:
        return Problem(_format_loc(loc), message, label, doc.line_of(loc))

    try:
        loaded = model.model_validate(doc.data)
    except ValidationError as exc:
        raise error(label, _validation_problems(exc, place)) from None
    except CrossReferenceError as exc:
        raise error(label, [place(loc, msg) for loc, msg in exc.problems]) from None
    problems = [place(loc, msg) for loc, msg in check(loaded)] if check is not None else []
    if problems:
        raise error(label, problems)
    return loaded
