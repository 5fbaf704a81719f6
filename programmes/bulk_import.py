"""Bulk import: a folder or zip of answer files (YAML or JSON) becomes submitted assessments.

Each file is read, validated and scored on its own, then stored whole, in one transaction,
or rejected with its problems, each with its line. One bad file never stops or half-stores
another. Where a file goes:

- when the caller gives the programme's clusters (`existing`, id → name) and the profile's
  name is the name of exactly one of them (ignoring case and the spaces around it), the file
  becomes a new round of that cluster: a new submitted assessment (`Store.import_round`);
- when it is the name of two or more of them, the file is rejected (which one is meant
  cannot be told); rename a cluster first;
- otherwise it becomes a new cluster with one submitted assessment (`Store.import_cluster`).

The report says for each file which happened, in the caller's language (`lang`): the
problems found while reading, validating and placing a file, and the words of the report.
Zip members whose names climb out of the archive (absolute paths, "..") are refused,
and files that are not answer files (by extension), folders and links are skipped; both
are reported. A file already imported is reported as a duplicate: as a new cluster, the same content; as a
round, the same answers as the cluster's latest submitted assessment.
"""

from __future__ import annotations

import hashlib
import stat
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from assessment.errors import AssessmentError, Problem, ProblemsError
from assessment.i18n import N_, format_number, gettext_for, ngettext_for
from assessment.loading import read_answers
from assessment.questionnaire import Questionnaire
from assessment.text import Language
from scoring import Engine, result_to_json
from storage import Store

ANSWER_SUFFIXES = (".yaml", ".yml", ".json")
MAX_FILE_BYTES = 2_000_000
Status = Literal["imported", "rejected", "skipped", "duplicate"]
#: Each outcome in English words; `status_word` gives it in a language.
STATUS_WORDS: dict[Status, str] = {
    "imported": N_("imported"),
    "rejected": N_("rejected"),
    "skipped": N_("skipped"),
    "duplicate": N_("duplicate"),
}


def status_word(status: Status, lang: Language = "en") -> str:
    """What happened to a file, in `lang`'s words."""
    return gettext_for(lang)(STATUS_WORDS[status])


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file: imported (with its assessment id), rejected, skipped or a duplicate.

    `cluster_id` and `version` say where an imported file went; `new_cluster` is False when
    it became a new round (version) of an existing cluster.
    """

    name: str
    status: Status
    problems: tuple[Problem, ...] = ()
    assessment_id: int | None = None
    cluster: str | None = None
    cluster_id: int | None = None
    version: int | None = None
    new_cluster: bool = True

    @property
    def added_as(self) -> str:
        """In words: "new cluster", "new round (version 3) of cluster 12", or "" when nothing was added."""
        return self.added_as_in("en")

    def added_as_in(self, lang: Language) -> str:
        """What the file was added as, in `lang` (see `added_as`)."""
        if self.status != "imported":
            return ""
        _ = gettext_for(lang)
        if self.new_cluster:
            return _("new cluster")
        return _("new round (version {version}) of cluster {cluster}").format(
            version=self.version, cluster=self.cluster_id
        )


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

    def summary(self, lang: Language = "en") -> str:
        """One line of counts in `lang`, e.g. "3 imported, 1 rejected, 0 skipped, 0 duplicates"."""
        counts = {s: len(self.of(s)) for s in ("imported", "rejected", "skipped", "duplicate")}  # type: ignore[arg-type]
        _ = gettext_for(lang)
        return _(
            "{imported} imported, {rejected} rejected, {skipped} skipped, {duplicates} duplicates"
        ).format(
            imported=counts["imported"],
            rejected=counts["rejected"],
            skipped=counts["skipped"],
            duplicates=counts["duplicate"],
        )

    def lines(self, lang: Language = "en") -> list[str]:
        """The report as text in `lang`: a line per file, then one per problem."""
        _ = gettext_for(lang)
        out = []
        for o in self.outcomes:
            what = _("{file}: {outcome}").format(file=o.name, outcome=status_word(o.status, lang))
            if o.assessment_id:
                what = _("{file}: {outcome} (assessment {assessment}, {cluster}: {added_as})").format(
                    file=o.name,
                    outcome=status_word(o.status, lang),
                    assessment=o.assessment_id,
                    cluster=o.cluster,
                    added_as=o.added_as_in(lang),
                )
            out.append(what)
            out += [f"  {p}" for p in o.problems]
        return out


def _unsafe_member(name: str, lang: Language = "en") -> str | None:
    """Why a zip member's name is unsafe to use (in `lang`), or None."""
    _ = gettext_for(lang)
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return _("an absolute or Windows path; refused")
    if ".." in PurePosixPath(name).parts:
        return _("a path that climbs out of the archive (..); refused")
    return None


def _too_large(lang: Language) -> str:
    _ = gettext_for(lang)
    return _("larger than {limit} bytes; skipped").format(limit=format_number(MAX_FILE_BYTES, lang, 0))


def _zip_files(path: Path, lang: Language = "en") -> Iterator[tuple[str, bytes | None, Problem | None]]:
    """(name, content or None, why skipped) for each member of a zip, in the archive's order."""
    _ = gettext_for(lang)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        yield path.name, None, Problem("", _("not a readable zip file: {error}").format(error=exc), path.name)
        return
    with archive:
        for info in archive.infolist():
            name = info.filename
            if info.is_dir():
                continue
            unsafe = _unsafe_member(name, lang)
            if unsafe:
                yield name, None, Problem("", unsafe, name)
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                yield name, None, Problem("", _("a symbolic link, not a file; skipped"), name)
                continue
            if not name.lower().endswith(ANSWER_SUFFIXES):
                yield name, None, Problem("", _("not an answers file (.yaml, .yml or .json); skipped"), name)
                continue
            if info.file_size > MAX_FILE_BYTES:
                yield name, None, Problem("", _too_large(lang), name)
                continue
            try:
                with archive.open(info) as member:
                    data = member.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                yield (
                    name,
                    None,
                    Problem("", _("cannot be read from the zip: {error}").format(error=exc), name),
                )
                continue
            if len(data) > MAX_FILE_BYTES:
                yield name, None, Problem("", _too_large(lang), name)
                continue
            yield name, data, None


def _folder_files(folder: Path, lang: Language = "en") -> Iterator[tuple[str, bytes | None, Problem | None]]:
    """The same for a folder and its subfolders, sorted by path; links are not followed."""
    _ = gettext_for(lang)
    for path in sorted(p for p in folder.rglob("*") if not p.is_dir() or p.is_symlink()):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink() or not path.is_file():
            yield name, None, Problem("", _("a link or special file, not a regular file; skipped"), name)
        elif not path.name.lower().endswith(ANSWER_SUFFIXES):
            yield name, None, Problem("", _("not an answers file (.yaml, .yml or .json); skipped"), name)
        elif path.stat().st_size > MAX_FILE_BYTES:
            yield name, None, Problem("", _too_large(lang), name)
        else:
            try:
                yield name, path.read_bytes(), None
            except OSError as exc:
                yield name, None, Problem("", _("cannot be read: {error}").format(error=exc.strerror), name)


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def _matches(name: str, existing: Mapping[int, str]) -> list[int]:
    """The ids of the clusters named `name` (ignoring case and spaces around and between words)."""
    wanted = _fold(name)
    return sorted(cid for cid, cluster in existing.items() if _fold(cluster) == wanted)


def import_file(
    store: Store,
    name: str,
    content: bytes,
    questionnaire: Questionnaire,
    engine: Engine,
    actor: str,
    existing: Mapping[int, str] | None = None,
    lang: Language = "en",
) -> FileOutcome:
    """Validate, score and store one answers file (a new cluster or a new round; see the module).

    Problems are worded in `lang`; what is stored is the engine's (give an English engine to
    store results as the app's submit does). Never raises for a bad file.
    """
    _, ngettext = gettext_for(lang), ngettext_for(lang)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        why = _("not UTF-8 text (byte {position})").format(position=exc.start)
        return FileOutcome(name, "rejected", (Problem("", why, name),))
    try:
        answers = read_answers(text, name, questionnaire, lang)
    except ProblemsError as exc:
        return FileOutcome(name, "rejected", tuple(exc.problems))
    name_given = answers.profile.get("name")
    if not isinstance(name_given, str) or not name_given.strip():
        why = _("the cluster's name is needed")
        return FileOutcome(name, "rejected", (Problem("profile.name", why, name),))
    matches = _matches(name_given, existing or {})
    if len(matches) > 1:
        ids = ", ".join(map(str, matches))
        problem = Problem(
            "profile.name",
            ngettext(
                "{count} cluster of the programme is named {name} (ids {ids}): "
                "rename one of them so that the file names a single cluster",
                "{count} clusters of the programme are named {name} (ids {ids}): "
                "rename one of them so that the file names a single cluster",
                len(matches),
            ).format(count=len(matches), name=repr(name_given.strip()), ids=ids),
            name,
        )
        return FileOutcome(name, "rejected", (problem,))
    data = answers.to_data()
    try:
        result = engine.score(answers)
        scored = (result_to_json(result), result.overall, result.stage.id, result.engine_version)
        if matches:
            info = store.import_round(matches[0], data, *scored, actor)
        else:
            origin = "import:" + hashlib.sha256(content).hexdigest()[:40]
            info = store.import_cluster(data, *scored, actor, origin=origin)
    except AssessmentError as exc:
        return FileOutcome(name, "rejected", (Problem("", str(exc), name),))
    if info is None:
        why = (
            _("the same answers as the latest round of cluster {cluster}; skipped").format(cluster=matches[0])
            if matches
            else _("the same file was imported before; skipped")
        )
        return FileOutcome(name, "duplicate", (Problem("", why, name),))
    return FileOutcome(
        name,
        "imported",
        (),
        info.id,
        info.cluster_name,
        info.cluster_id,
        info.number,
        new_cluster=not matches,
    )


def bulk_import(
    store: Store,
    source: Path | str,
    questionnaire: Questionnaire,
    actor: str,
    engine: Engine | None = None,
    existing: Mapping[int, str] | None = None,
    lang: Language = "en",
) -> ImportReport:
    """Import every answers file of a folder (and its subfolders) or a zip file; see the module.

    `existing` (cluster id → name) are the clusters a file may add a round to, e.g. the
    programme's; None or empty: every file becomes a new cluster. A cluster a file of this
    import created can take a round from a later file of it too. `lang` words the problems;
    the results stored are `engine`'s (English by default, as the app's submit stores them).

    Raises:
        FileNotFoundError: when `source` is neither a folder nor a file.
    """
    source = Path(source)
    if source.is_dir():
        files = _folder_files(source, lang)
    elif source.is_file():
        files = _zip_files(source, lang)
    else:
        raise FileNotFoundError(f"no folder or zip file {source}")
    engine = engine or Engine(questionnaire)
    report = ImportReport()
    known = dict(existing or {})
    for name, content, skipped in files:
        if content is None:
            report.outcomes.append(FileOutcome(name, "skipped", (skipped,) if skipped else ()))
        else:
            outcome = import_file(store, name, content, questionnaire, engine, actor, known, lang)
            report.outcomes.append(outcome)
            if existing is not None and outcome.new_cluster and outcome.cluster_id is not None:
                known[outcome.cluster_id] = outcome.cluster or ""
    return report
