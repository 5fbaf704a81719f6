"""Bulk import: a folder or zip of answer files (YAML or JSON) becomes submitted assessments.

Each file is read, validated and scored on its own, then stored whole (a new cluster with
one submitted assessment, in one transaction, through `Store.import_cluster`) or rejected
with its problems, each with its line. One bad file never stops or half-stores another.
Zip members whose names climb out of the archive (absolute paths, "..") are refused,
and files that are not answer files (by extension), folders and links are skipped; both
are reported. A file already imported (same content) is reported as a duplicate.
"""

from __future__ import annotations

import hashlib
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from assessment.errors import AssessmentError, Problem, ProblemsError
from assessment.loading import read_answers
from assessment.questionnaire import Questionnaire
from scoring import Engine, result_to_json
from storage import Store

ANSWER_SUFFIXES = (".yaml", ".yml", ".json")
MAX_FILE_BYTES = 2_000_000
Status = Literal["imported", "rejected", "skipped", "duplicate"]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file: imported (with its assessment id), rejected, skipped or a duplicate."""

    name: str
    status: Status
    problems: tuple[Problem, ...] = ()
    assessment_id: int | None = None
    cluster: str | None = None


@dataclass
class ImportReport:
    """The outcome of every file, in the order read."""

    outcomes: list[FileOutcome] = field(default_factory=list)

    def of(self, status: Status) -> list[FileOutcome]:
        """The outcomes with one status."""
        return [o for o in self.outcomes if o.status == status]

    @property
    def imported(self) -> int:
        """How many files were stored."""
        return len(self.of("imported"))

    def summary(self) -> str:
        """One line of counts, e.g. "3 imported, 1 rejected, 0 skipped, 0 duplicates"."""
        counts = {s: len(self.of(s)) for s in ("imported", "rejected", "skipped", "duplicate")}  # type: ignore[arg-type]
        return (
            f"{counts['imported']} imported, {counts['rejected']} rejected, "
            f"{counts['skipped']} skipped, {counts['duplicate']} duplicates"
        )

    def lines(self) -> list[str]:
        """The report as text: a line per file, then one per problem."""
        out = []
        for o in self.outcomes:
            what = f"{o.name}: {o.status}" + (
                f" (assessment {o.assessment_id}, {o.cluster})" if o.assessment_id else ""
            )
            out.append(what)
            out += [f"  {p}" for p in o.problems]
        return out


def _unsafe_member(name: str) -> str | None:
    """Why a zip member's name is unsafe to use, or None."""
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "an absolute or Windows path; refused"
    if ".." in PurePosixPath(name).parts:
        return "a path that climbs out of the archive (..); refused"
    return None


def _zip_files(path: Path) -> Iterator[tuple[str, bytes | None, Problem | None]]:
    """(name, content or None, why skipped) for each member of a zip, in the archive's order."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        yield path.name, None, Problem("", f"not a readable zip file: {exc}", path.name)
        return
    with archive:
        for info in archive.infolist():
            name = info.filename
            if info.is_dir():
                continue
            unsafe = _unsafe_member(name)
            if unsafe:
                yield name, None, Problem("", unsafe, name)
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                yield name, None, Problem("", "a symbolic link, not a file; skipped", name)
                continue
            if not name.lower().endswith(ANSWER_SUFFIXES):
                yield name, None, Problem("", "not an answers file (.yaml, .yml or .json); skipped", name)
                continue
            if info.file_size > MAX_FILE_BYTES:
                yield name, None, Problem("", f"larger than {MAX_FILE_BYTES:,} bytes; skipped", name)
                continue
            try:
                with archive.open(info) as member:
                    data = member.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                yield name, None, Problem("", f"cannot be read from the zip: {exc}", name)
                continue
            if len(data) > MAX_FILE_BYTES:
                yield name, None, Problem("", f"larger than {MAX_FILE_BYTES:,} bytes; skipped", name)
                continue
            yield name, data, None


def _folder_files(folder: Path) -> Iterator[tuple[str, bytes | None, Problem | None]]:
    """The same for a folder and its subfolders, sorted by path; links are not followed."""
    for path in sorted(p for p in folder.rglob("*") if not p.is_dir() or p.is_symlink()):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink() or not path.is_file():
            yield name, None, Problem("", "a link or special file, not a regular file; skipped", name)
        elif not path.name.lower().endswith(ANSWER_SUFFIXES):
            yield name, None, Problem("", "not an answers file (.yaml, .yml or .json); skipped", name)
        elif path.stat().st_size > MAX_FILE_BYTES:
            yield name, None, Problem("", f"larger than {MAX_FILE_BYTES:,} bytes; skipped", name)
        else:
            try:
                yield name, path.read_bytes(), None
            except OSError as exc:
                yield name, None, Problem("", f"cannot be read: {exc.strerror}", name)


def import_file(
    store: Store, name: str, content: bytes, questionnaire: Questionnaire, engine: Engine, actor: str
) -> FileOutcome:
    """Validate, score and store one answers file; never raises for a bad file."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return FileOutcome(name, "rejected", (Problem("", f"not UTF-8 text (byte {exc.start})", name),))
    try:
        answers = read_answers(text, name, questionnaire)
    except ProblemsError as exc:
        return FileOutcome(name, "rejected", tuple(exc.problems))
    name_given = answers.profile.get("name")
    if not isinstance(name_given, str) or not name_given.strip():
        return FileOutcome(name, "rejected", (Problem("profile.name", "the cluster's name is needed", name),))
    data = answers.to_data()
    origin = "import:" + hashlib.sha256(content).hexdigest()[:40]
    try:
        result = engine.score(answers)
        info = store.import_cluster(
            data,
            result_to_json(result),
            result.overall,
            result.stage.id,
            result.engine_version,
            actor,
            origin=origin,
        )
    except AssessmentError as exc:
        return FileOutcome(name, "rejected", (Problem("", str(exc), name),))
    if info is None:
        return FileOutcome(
            name, "duplicate", (Problem("", "the same file was imported before; skipped", name),)
        )
    return FileOutcome(name, "imported", (), info.id, info.cluster_name)


def bulk_import(
    store: Store,
    source: Path | str,
    questionnaire: Questionnaire,
    actor: str,
    engine: Engine | None = None,
) -> ImportReport:
    """Import every answers file of a folder (and its subfolders) or a zip file; see the module.

    Raises:
        FileNotFoundError: when `source` is neither a folder nor a file.
    """
    source = Path(source)
    if source.is_dir():
        files = _folder_files(source)
    elif source.is_file():
        files = _zip_files(source)
    else:
        raise FileNotFoundError(f"no folder or zip file {source}")
    engine = engine or Engine(questionnaire)
    report = ImportReport()
    for name, content, skipped in files:
        if content is None:
            report.outcomes.append(FileOutcome(name, "skipped", (skipped,) if skipped else ()))
        else:
            report.outcomes.append(import_file(store, name, content, questionnaire, engine, actor))
    return report
