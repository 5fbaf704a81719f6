"""Evidence per answer and the officer's marks (storage.evidence): add, list, read, delete, audit.

Files are accepted by their bytes, not their name; they are kept in the database or, with
CLUSTER_ASSESS_EVIDENCE_DIR, in a folder. Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
import sqlalchemy as sa

from storage import InvalidValue, NotFound, NotSubmitted, Store
from storage import evidence as ev
from storage.errors import InvalidFile
from storage.filetypes import DOCX, MAX_FILE_BYTES, XLSX, file_type

pytest_plugins = ["tests.pg"]

Q, V = "cluster-sustainability", "1.1"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
GIF = b"GIF89a" + b"\x00" * 40
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def xlsx() -> bytes:
    out = io.BytesIO()
    book = openpyxl.Workbook()
    book.active["A1"] = "turnover"
    book.save(out)
    return out.getvalue()


def zipped(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def docx() -> bytes:
    return zipped({"[Content_Types].xml": "<Types/>", "_rels/.rels": "<r/>", "word/document.xml": "<w/>"})


def assessment(store: Store, submitted: bool = False) -> int:
    cluster = store.create_cluster("Clúster de prueba", "ana")
    a = store.start_assessment(cluster.id, Q, V, 2025, "ana")
    store.save_answer(a.id, "critical_mass", 2, "ana")
    if submitted:
        store.submit(a.id, '{"overall": 50}', 50.0, "consolidation", "1", "ana")
    return a.id


@pytest.mark.parametrize(
    ("content", "mime"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"), (GIF, "image/gif"),
     (WEBP, "image/webp")],
)  # fmt: skip
def test_allowed_files_are_told_by_their_bytes_whatever_their_name(content, mime):
    assert file_type("anything.bin", content) == mime


def test_xlsx_and_docx_are_zips_confirmed_by_their_parts():
    assert file_type("book.xlsx", xlsx()) == XLSX
    assert file_type("letter.docx", docx()) == DOCX
    assert file_type("letter.pdf", docx()) == DOCX  # the name does not matter


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", EXE),  # an .exe renamed .pdf
        ("report.pdf", b"just some text, not a PDF at all"),
        ("book.xlsx", zipped({"a.txt": "hello"})),  # a zip that is not a workbook
        ("book.xlsx", zipped({"[Content_Types].xml": "<Types/>", "a.txt": "x"})),  # no xl/ part
        ("book.xlsx", b"PK\x03\x04 broken zip"),
        ("empty.png", b""),
    ],
)
def test_anything_else_is_refused_naming_the_file_and_the_question(name, content):
    with pytest.raises(InvalidFile) as caught:
        file_type(name, content, "critical_mass", 7)
    assert isinstance(caught.value, InvalidValue)
    assert caught.value.filename == name and caught.value.question_id == "critical_mass"
    assert caught.value.field == "file" and name in str(caught.value) and "critical_mass" in str(caught.value)


def test_a_file_over_the_limit_is_refused():
    with pytest.raises(InvalidFile, match="10 MB"):
        file_type("big.pdf", PDF + b"\x00" * MAX_FILE_BYTES)
    assert file_type("fits.pdf", PDF + b"\x00" * (MAX_FILE_BYTES - len(PDF))) == "application/pdf"


def test_notes_links_and_files_are_added_listed_read_and_deleted(store):
    aid = assessment(store)
    note = store.add_note(aid, "critical_mass", "  Members list of 2025, 42 firms  ", "ana")
    link = store.add_link(aid, "critical_mass", "https://example.org/members", "ana")
    pdf = store.add_file(aid, "critical_mass", "C:\\docs\\members.pdf", PDF, "ana")
    other = store.add_file(aid, "age", "photo.png", PNG, "ana")
    assert note.note == "Members list of 2025, 42 firms" and note.kind == "note"
    assert link.url == "https://example.org/members"
    assert (pdf.filename, pdf.media_type, pdf.size) == ("members.pdf", "application/pdf", len(PDF))
    listed = store.evidence(aid)
    assert [e.id for e in listed] == [other.id, note.id, link.id, pdf.id]  # by question, then oldest first
    assert store.evidence_file(aid, pdf.id).content == PDF
    with pytest.raises(NotFound):
        store.evidence_file(aid, note.id)  # a note has no file
    store.delete_evidence(aid, link.id, "ana")
    assert [e.id for e in store.evidence(aid)] == [other.id, note.id, pdf.id]
    actions = [(e.action, e.field) for e in store.audit(aid) if "evidence" in e.action]
    assert actions == [
        ("add_evidence", "evidence.critical_mass"),
        ("add_evidence", "evidence.critical_mass"),
        ("add_evidence", "evidence.critical_mass"),
        ("add_evidence", "evidence.age"),
        ("delete_evidence", "evidence.critical_mass"),
    ]
    deleted = store.audit(aid)[-1]
    assert deleted.old == {"id": link.id, "kind": "link", "url": "https://example.org/members"}
    assert deleted.new is None and deleted.actor == "ana"


def test_evidence_may_be_added_to_a_submitted_assessment_and_changes_no_answer(store):
    aid = assessment(store, submitted=True)
    before = store.answer_data(aid)
    store.add_note(aid, "critical_mass", "Signed list", "ana")
    assert store.answer_data(aid) == before
    assert store.assessment(aid).status == "submitted"


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/x", "javascript:alert(1)", "example.org", "https://", "https://exa mple.org",
     "https://example.org/" + "x" * 2000, "", None],
)  # fmt: skip
def test_links_are_http_or_https_and_not_too_long(store, url):
    aid = assessment(store)
    with pytest.raises(InvalidValue):
        store.add_link(aid, "critical_mass", url, "ana")
    assert store.evidence(aid) == []


def test_invalid_notes_question_ids_and_evidence_of_another_assessment_are_refused(store):
    aid = assessment(store)
    other = assessment(store)
    with pytest.raises(InvalidValue):
        store.add_note(aid, "critical_mass", "   ", "ana")
    with pytest.raises(InvalidValue):
        store.add_note(aid, " bad id", "text", "ana")
    with pytest.raises(NotFound):
        store.add_note(999_999, "critical_mass", "text", "ana")
    theirs = store.add_note(other, "critical_mass", "theirs", "ana")
    with pytest.raises(NotFound):
        store.delete_evidence(aid, theirs.id, "ana")  # an id of another assessment's evidence
    with pytest.raises(NotFound):
        store.evidence_file(aid, theirs.id)
    assert [e.id for e in store.evidence(other)] == [theirs.id]


def test_a_refused_file_stores_nothing(store):
    aid = assessment(store)
    audit = store.audit(aid)
    with pytest.raises(InvalidFile):
        store.add_file(aid, "critical_mass", "setup.pdf", EXE, "ana")
    assert store.evidence(aid) == [] and store.audit(aid) == audit


def test_files_go_to_the_folder_when_it_is_configured(store, tmp_path, monkeypatch):
    folder = tmp_path / "evidence"
    monkeypatch.setenv(ev.EVIDENCE_DIR_ENV, str(folder))
    aid = assessment(store)
    info = store.add_file(aid, "critical_mass", "../../etc/members.pdf", PDF, "ana")
    files = list(folder.iterdir())
    assert len(files) == 1 and files[0].read_bytes() == PDF
    assert "members" not in files[0].name and len(files[0].name) == 32  # a random name, never the upload's
    assert info.filename == "members.pdf"
    with store._read() as s:
        content = s.scalar(sa.text("SELECT content FROM evidence WHERE id = :i"), {"i": info.id})
    assert content is None
    assert store.evidence_file(aid, info.id).content == PDF
    store.delete_evidence(aid, info.id, "ana")
    assert list(folder.iterdir()) == []


def test_a_file_written_to_the_folder_goes_again_when_the_transaction_fails(store, tmp_path, monkeypatch):
    folder = tmp_path / "evidence"
    monkeypatch.setenv(ev.EVIDENCE_DIR_ENV, str(folder))
    aid = assessment(store)

    def failing(*args, **kwargs):
        raise RuntimeError("the audit row cannot be written")

    monkeypatch.setattr(ev, "_audit", failing)
    with pytest.raises(RuntimeError):
        store.add_file(aid, "critical_mass", "members.pdf", PDF, "ana")
    assert list(folder.iterdir()) == []
    assert store.evidence(aid) == []


def test_marks_are_set_on_submitted_assessments_and_audited(store):
    aid = assessment(store, submitted=True)
    assert store.marks(aid) == {}
    assert store.set_mark(aid, "critical_mass", "verified", "olga") == "verified"
    store.set_mark(aid, "age", "documented", "olga")
    assert store.marks(aid) == {"critical_mass": "verified", "age": "documented"}
    audit = store.audit(aid)
    store.set_mark(aid, "age", "documented", "olga")  # the same level writes nothing
    assert store.audit(aid) == audit
    store.set_mark(aid, "age", "self_declared", "olga")
    assert store.marks(aid) == {"critical_mass": "verified"}
    marks = [(e.action, e.field, e.old, e.new) for e in store.audit(aid) if e.action == "mark_evidence"]
    assert marks == [
        ("mark_evidence", "marks.critical_mass", "self_declared", "verified"),
        ("mark_evidence", "marks.age", "self_declared", "documented"),
        ("mark_evidence", "marks.age", "documented", "self_declared"),
    ]
    with pytest.raises(InvalidValue, match="unknown level"):
        store.set_mark(aid, "age", "proven", "olga")
    draft = assessment(store)
    with pytest.raises(NotSubmitted):
        store.set_mark(draft, "critical_mass", "verified", "olga")


@pytest.mark.parametrize("in_folder", [False, True])
def test_a_new_version_copies_the_evidence_but_not_the_marks(store, tmp_path, monkeypatch, in_folder):
    if in_folder:
        monkeypatch.setenv(ev.EVIDENCE_DIR_ENV, str(tmp_path / "evidence"))
    aid = assessment(store, submitted=True)
    store.add_note(aid, "critical_mass", "Signed list", "ana")
    pdf = store.add_file(aid, "critical_mass", "members.pdf", PDF, "ana")
    store.set_mark(aid, "critical_mass", "verified", "olga")
    new = store.new_version(aid, "ana")
    copied = store.evidence(new.id)
    assert [(e.kind, e.note, e.filename, e.created_by) for e in copied] == [
        ("note", "Signed list", None, "ana"),
        ("file", None, "members.pdf", "ana"),
    ]
    assert store.marks(new.id) == {}
    assert store.marks(aid) == {"critical_mass": "verified"}
    new_pdf = copied[1]
    assert store.evidence_file(new.id, new_pdf.id).content == PDF
    store.delete_evidence(new.id, new_pdf.id, "ana")  # the old version keeps its own copy
    assert store.evidence_file(aid, pdf.id).content == PDF
    if in_folder:
        assert len(list((tmp_path / "evidence").iterdir())) == 1
