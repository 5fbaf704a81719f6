"""Evidence per answer: a note, a link or a file (the officer's marks are in `storage.marks`).

A manager backs an answer with evidence so that an officer can tell a claim from a fact;
the officer then marks the answer self-declared, documented or verified (`storage.marks`).
Evidence never changes an answer or a score, so it may be added to a submitted assessment
too, and a new version starts with a copy of it (`copy_evidence`).

A file is accepted by what its bytes are, never by its name (`file_type`): an .exe renamed
.pdf is refused. Its bytes are kept in the database, or, when the environment variable
`CLUSTER_ASSESS_EVIDENCE_DIR` names a folder, in that folder under a random name (written
before the row commits, removed again if the transaction fails), so a large upload need
not bloat the database and an uploaded name never becomes a path.

Question ids are checked for form only: storage does not read the questionnaire (the app
offers only real questions). Every write is audited (field `evidence.<question id>`, what
was added or deleted without a file's bytes). These functions do not check who may call them:
`storage.access.UserStore` does.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast
from urllib.parse import urlsplit

from sqlalchemy import bindparam, delete, insert, literal, select
from sqlalchemy.orm import Session

from storage.errors import InvalidValue, NotFound
from storage.evidence_models import Evidence
from storage.filetypes import MAX_FILE_BYTES, file_type
from storage.session import _actor, _audit, _get_assessment, _now, _question_id, _text

if TYPE_CHECKING:
    from storage.transactions import Database

__all__ = ["MAX_FILE_BYTES", "EvidenceFile", "EvidenceInfo", "evidence_dir", "file_type"]

Kind = Literal["note", "link", "file"]
EVIDENCE_DIR_ENV = "CLUSTER_ASSESS_EVIDENCE_DIR"
MAX_NOTE = 20_000
URL_LENGTH = 2000
FILENAME_LENGTH = 255

# Actions written to the audit trail.
ADD_EVIDENCE = "add_evidence"
DELETE_EVIDENCE = "delete_evidence"


@dataclass(frozen=True)
class EvidenceInfo:
    """One piece of evidence without a file's bytes: what a list shows."""

    id: int
    assessment_id: int
    question_id: str
    kind: Kind
    note: str | None
    url: str | None
    filename: str | None
    media_type: str | None
    size: int | None
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class EvidenceFile:
    """A file of evidence with its bytes, to download."""

    info: EvidenceInfo
    content: bytes


_COLUMNS = (
    Evidence.id,
    Evidence.assessment_id,
    Evidence.question_id,
    Evidence.kind,
    Evidence.note,
    Evidence.url,
    Evidence.filename,
    Evidence.media_type,
    Evidence.size,
    Evidence.created_at,
    Evidence.created_by,
)
# Built once (the app lists an assessment's evidence at every run of its page).
_OF_ASSESSMENT = (
    select(*_COLUMNS)
    .where(Evidence.assessment_id == bindparam("assessment_id"))
    .order_by(Evidence.question_id, Evidence.id)
)


def _info(row: Any) -> EvidenceInfo:
    """The record of a row selected as `_COLUMNS` (and perhaps more columns after them)."""
    fields = dict(zip(EvidenceInfo.__dataclass_fields__, row[: len(_COLUMNS)], strict=True))
    return EvidenceInfo(**fields)


def evidence_dir() -> Path | None:
    """The folder files are kept in (`CLUSTER_ASSESS_EVIDENCE_DIR`), or None to keep them in the database.

    Read at each call, so a test or a restart with another setting takes effect at once.
    """
    value = os.environ.get(EVIDENCE_DIR_ENV, "").strip()
    return Path(value) if value else None


def _url(url: Any, assessment_id: int, question_id: str) -> str:
    url = _text(f"evidence.{question_id}.url", url, URL_LENGTH, assessment_id)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        raise InvalidValue(
            f"evidence.{question_id}.url", f"{url!r} is not an http or https address", assessment_id
        )
    return url


def _add(
    store: Database, assessment_id: int, question_id: str, actor: str, values: dict[str, Any]
) -> EvidenceInfo:
    """Insert one evidence row and its audit row; a file written to the folder goes if it fails."""
    written: list[Path] = []
    try:
        with store._write() as s:
            a = _get_assessment(s, assessment_id, lock=True)
            folder = evidence_dir() if values["kind"] == "file" else None
            if folder is not None:
                content = values.pop("content")
                values["stored_name"] = _write_file(folder, content, written)
            now = _now()
            new_id = s.scalar(
                insert(Evidence)
                .values(
                    assessment_id=a.id, question_id=question_id, created_at=now, created_by=actor, **values
                )
                .returning(Evidence.id)
            )
            row = s.execute(select(*_COLUMNS).where(Evidence.id == new_id)).one()
            info = _info(row)
            _audit(s, now, actor, ADD_EVIDENCE, a, f"evidence.{question_id}", None, _described(info))
        return info
    except BaseException:
        remove_files(written)
        raise


def _write_file(folder: Path, content: bytes, written: list[Path]) -> str:
    """Write the bytes under a new random name in `folder` (never overwriting); returns the name."""
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    written.append(path)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
    return name


def _described(info: EvidenceInfo) -> dict[str, Any]:
    """What the audit keeps of a piece of evidence: everything but a file's bytes."""
    out: dict[str, Any] = {"id": info.id, "kind": info.kind}
    if info.kind == "note":
        out["note"] = info.note
    elif info.kind == "link":
        out["url"] = info.url
    else:
        out |= {"filename": info.filename, "media_type": info.media_type, "size": info.size}
    return out


def add_note(store: Database, assessment_id: int, question_id: str, note: str, actor: str) -> EvidenceInfo:
    """Back an answer with a note (kept as typed, trimmed).

    Raises:
        NotFound: when there is no such assessment.
        InvalidValue: for an invalid question id, or an empty or too long note.
    """
    actor = _actor(actor)
    question_id = _question_id(question_id, assessment_id)
    text = _text(f"evidence.{question_id}.note", note, MAX_NOTE, assessment_id)
    return _add(store, assessment_id, question_id, actor, {"kind": "note", "note": text})


def add_link(store: Database, assessment_id: int, question_id: str, url: str, actor: str) -> EvidenceInfo:
    """Back an answer with a link to an http or https address.

    Raises:
        NotFound: when there is no such assessment.
        InvalidValue: for an invalid question id, or an address that is not http(s) or too long.
    """
    actor = _actor(actor)
    question_id = _question_id(question_id, assessment_id)
    address = _url(url, assessment_id, question_id)
    return _add(store, assessment_id, question_id, actor, {"kind": "link", "url": address})


def add_file(
    store: Database, assessment_id: int, question_id: str, filename: str, content: bytes, actor: str
) -> EvidenceInfo:
    """Back an answer with a file: PDF, XLSX, DOCX, PNG, JPEG, GIF or WebP, told by its bytes.

    Raises:
        NotFound: when there is no such assessment.
        InvalidValue: for an invalid question id or file name.
        InvalidFile: (an `InvalidValue`) for an empty file, one over `MAX_FILE_BYTES`, or one
            whose bytes are none of the allowed types; names the file and the question.
    """
    actor = _actor(actor)
    question_id = _question_id(question_id, assessment_id)
    name = _text(f"evidence.{question_id}.filename", filename, FILENAME_LENGTH, assessment_id)
    name = Path(name.replace("\\", "/")).name or name  # the name as uploaded, never a path
    media_type = file_type(name, content, question_id, assessment_id)
    values = {"kind": "file", "filename": name, "media_type": media_type, "size": len(content)}
    return _add(store, assessment_id, question_id, actor, values | {"content": bytes(content)})


def evidence(store: Database, assessment_id: int) -> list[EvidenceInfo]:
    """The evidence of an assessment, by question id then oldest first (without files' bytes).

    Raises:
        NotFound: when there is no such assessment.
    """
    with store._read() as s:
        _get_assessment(s, assessment_id)
        rows = s.execute(_OF_ASSESSMENT, {"assessment_id": assessment_id}).all()
        return [_info(r) for r in rows]


def evidence_file(store: Database, assessment_id: int, evidence_id: int) -> EvidenceFile:
    """One file of an assessment's evidence, with its bytes.

    Raises:
        NotFound: when the assessment has no such file, or its bytes are gone from the folder.
    """
    with store._read() as s:
        _get_assessment(s, assessment_id)
        row = s.execute(
            select(*_COLUMNS, Evidence.content, Evidence.stored_name).where(
                Evidence.id == evidence_id, Evidence.assessment_id == assessment_id, Evidence.kind == "file"
            )
        ).one_or_none()
    if row is None:
        raise NotFound("evidence file", evidence_id)
    info, content, stored_name = _info(row), cast(bytes | None, row[-2]), cast(str | None, row[-1])
    if content is None:
        content = _read_stored(stored_name, evidence_id)
    return EvidenceFile(info, bytes(content))


def _read_stored(stored_name: str | None, evidence_id: int) -> bytes:
    folder = evidence_dir()
    if stored_name is None or folder is None or not (folder / stored_name).is_file():
        raise NotFound("evidence file", evidence_id)
    return (folder / stored_name).read_bytes()


def delete_evidence(store: Database, assessment_id: int, evidence_id: int, actor: str) -> None:
    """Delete one piece of evidence; what it was (not a file's bytes) stays in the audit trail.

    A file kept in the folder is removed once the deletion has committed, so a failed
    transaction never leaves a row without its file.

    Raises:
        NotFound: when the assessment has no such evidence.
    """
    actor = _actor(actor)
    with store._write() as s:
        a = _get_assessment(s, assessment_id, lock=True)
        row = s.execute(
            select(*_COLUMNS, Evidence.stored_name).where(
                Evidence.id == evidence_id, Evidence.assessment_id == a.id
            )
        ).one_or_none()
        if row is None:
            raise NotFound("evidence", evidence_id)
        info, stored_name = _info(row), cast(str | None, row[-1])
        s.execute(delete(Evidence).where(Evidence.id == evidence_id))
        _audit(s, _now(), actor, DELETE_EVIDENCE, a, f"evidence.{info.question_id}", _described(info), None)
    folder = evidence_dir()
    if stored_name is not None and folder is not None:
        (folder / stored_name).unlink(missing_ok=True)


def copy_evidence(s: Session, source_id: int, target_id: int, written: list[Path]) -> int:
    """Copy an assessment's evidence to its new version (`Store.new_version`); returns how many.

    Evidence backs answers, which the new version starts with, so it carries over (who added
    it and when, too); the marks do not: an officer verifies each round. Files kept in the
    database are copied by the database, without passing through Python; a file in the folder
    is copied under a new random name (appended to `written`, for the caller to remove if its
    transaction fails), so deleting it from one version never takes it from the other.
    """
    names = ["question_id", "kind", "note", "url", "filename", "media_type", "size", "content"]
    names += ["created_at", "created_by"]
    in_db = (
        select(literal(target_id), *(getattr(Evidence, n) for n in names))
        .where(Evidence.assessment_id == source_id, Evidence.stored_name.is_(None))
        .order_by(Evidence.id)
    )
    done: Any = s.execute(insert(Evidence).from_select(["assessment_id", *names], in_db))
    count = max(done.rowcount or 0, 0)
    in_folder = s.execute(
        select(*_COLUMNS, Evidence.stored_name)
        .where(Evidence.assessment_id == source_id, Evidence.stored_name.is_not(None))
        .order_by(Evidence.id)
    ).all()
    folder = evidence_dir()
    for row in in_folder:
        source = folder / cast(str, row[-1]) if folder is not None else None
        if source is None or not source.is_file():
            continue  # its bytes are gone: nothing to carry over
        info = _info(row)
        s.execute(
            insert(Evidence).values(
                assessment_id=target_id, question_id=info.question_id, kind="file",
                filename=info.filename, media_type=info.media_type, size=info.size,
                stored_name=_write_file(source.parent, source.read_bytes(), written),
                created_at=info.created_at, created_by=info.created_by,
            )
        )  # fmt: skip
        count += 1
    return count


def remove_files(written: list[Path]) -> None:
    """Remove files written for a transaction that failed."""
    for path in written:
        path.unlink(missing_ok=True)
