"""What an uploaded evidence file is, told by its bytes and never by its name.

A name can say anything (an .exe renamed .pdf), so the type comes from the file's magic
bytes (`filetype`); XLSX and DOCX are both zip archives, so a zip is opened with `zipfile`
and counts as a workbook or a document only when it holds `[Content_Types].xml` and the
`xl/` or `word/` part. Everything else is refused with `InvalidFile`.
"""

from __future__ import annotations

import io
import zipfile

import filetype

from storage.errors import InvalidFile

#: The largest file kept, in bytes (the uploader says the same: `MAX_FILE_MB`).
MAX_FILE_MB = 10
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: The media types kept, with the extensions an uploader offers for each.
ALLOWED: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    XLSX: ("xlsx",),
    DOCX: ("docx",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
}
EXTENSIONS: tuple[str, ...] = tuple(e for exts in ALLOWED.values() for e in exts)
_ZIP_PARTS = {XLSX: "xl/", DOCX: "word/"}


def _office_type(content: bytes) -> str | None:
    """XLSX or DOCX when the zip holds `[Content_Types].xml` and the matching part, else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    found = [mime for mime, part in _ZIP_PARTS.items() if any(n.startswith(part) for n in names)]
    return found[0] if len(found) == 1 else None


def file_type(
    filename: str, content: bytes, question_id: str | None = None, assessment_id: int | None = None
) -> str:
    """The media type of an evidence file, from its bytes.

    Raises:
        InvalidFile: for an empty file, one over `MAX_FILE_BYTES`, or bytes of no allowed type.
    """
    if not isinstance(content, (bytes, bytearray, memoryview)):
        raise InvalidFile(
            filename, f"expected the file's bytes, got {type(content).__name__}", assessment_id, question_id
        )
    if len(content) == 0:
        raise InvalidFile(filename, "the file is empty", assessment_id, question_id)
    if len(content) > MAX_FILE_BYTES:
        raise InvalidFile(
            filename, f"{len(content)} bytes; the limit is {MAX_FILE_MB} MB", assessment_id, question_id
        )
    data = bytes(content)
    guess = filetype.guess(data)
    mime = guess.mime if guess is not None else None
    if mime in (XLSX, DOCX, "application/zip") or data[:4] == b"PK\x03\x04":
        mime = _office_type(data)
    if mime not in ALLOWED:
        raise InvalidFile(
            filename,
            "not a PDF, XLSX, DOCX, PNG, JPEG, GIF or WebP file (its content was checked, not its name)",
            assessment_id,
            question_id,
        )
    return mime
