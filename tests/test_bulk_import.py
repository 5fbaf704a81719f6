"""Bulk import of a folder or a zip of answer files, on SQLite and PostgreSQL.

Good files become submitted assessments; each bad one is rejected with its problems and
lines, and never stops or half-stores the others.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from assessment.loading import parse_answers_text
from programmes import bulk_import
from tests.conftest import EXAMPLES

pytest_plugins = ["tests.pg"]

GOOD = ["aei_pattern_year8.yaml", "mature_member_financed.yaml", "young_public_launch.yaml"]
BROKEN_YAML = (
    "questionnaire: cluster-sustainability\nversion: '1.0'\nyear: 2025\nprofile:\n  name: a: b\nanswers: {}\n"
)
UNKNOWN_QUESTION = (
    (EXAMPLES / "captured_by_few.yaml").read_text().replace("answers:\n", "answers:\n  colour: red\n", 1)
)


def as_json(name: str) -> str:
    return json.dumps(parse_answers_text((EXAMPLES / name).read_text(), name), indent=2)


def files() -> dict[str, str]:
    """File name -> content: three good YAML files, one good JSON file and four bad files."""
    out = {name: (EXAMPLES / name).read_text() for name in GOOD}
    out["sub/argentina.json"] = as_json("argentina_consolidation.yaml")
    out["broken.yaml"] = BROKEN_YAML
    out["unknown.yml"] = UNKNOWN_QUESTION
    out["bad_value.json"] = as_json("governance_without_projects.yaml").replace(
        '"critical_mass": 3', '"critical_mass": 9'
    )
    out["no_name.yaml"] = (EXAMPLES / "captured_by_few.yaml").read_text().replace("  name:", "  region_x:", 1)
    out["notes.txt"] = "not an answers file"
    return out


def check_report(report, store) -> None:
    by_name = {o.name: o for o in report.outcomes}
    imported = {o.name for o in report.of("imported")}
    assert imported == {*GOOD, "sub/argentina.json"}, report.lines()
    assert report.summary().startswith("4 imported, 4 rejected, 1 skipped")
    assert len(store.clusters()) == 4
    for name in imported:
        info = store.assessment(by_name[name].assessment_id)
        assert info.status == "submitted" and info.overall is not None
    broken = by_name["broken.yaml"].problems
    assert broken[0].line == 5 and "not valid YAML" in broken[0].message
    unknown = by_name["unknown.yml"].problems
    assert any(
        p.location == "answers.colour" and "unknown question id" in p.message and p.line for p in unknown
    )
    bad = by_name["bad_value.json"].problems
    assert bad[0].location == "answers.critical_mass" and bad[0].line and bad[0].file == "bad_value.json"
    assert by_name["no_name.yaml"].problems[0].location.startswith("profile.")
    assert by_name["notes.txt"].status == "skipped"
    assert any("broken.yaml:5:" in line for line in report.lines())


def test_a_folder(store, questionnaire, tmp_path):
    folder = tmp_path / "answers"
    for name, text in files().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    check_report(bulk_import(store, folder, questionnaire, "officer"), store)
    again = bulk_import(store, folder, questionnaire, "officer")
    assert again.summary().startswith("0 imported, 4 rejected, 1 skipped, 4 duplicates")
    assert len(store.clusters()) == 4


def test_a_zip_with_unsafe_and_foreign_members(store, questionnaire, tmp_path):
    archive = tmp_path / "answers.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name, text in files().items():
            z.writestr(name, text)
        z.writestr("../escape.yaml", (EXAMPLES / GOOD[0]).read_text())
        z.writestr("/etc/absolute.yaml", (EXAMPLES / GOOD[0]).read_text())
        z.writestr("folder/", "")
        link = zipfile.ZipInfo("link.yaml")
        link.external_attr = 0o120777 << 16
        z.writestr(link, "/etc/passwd")
    report = bulk_import(store, archive, questionnaire, "officer")
    by_name = {o.name: o for o in report.outcomes}
    assert "climbs out" in by_name["../escape.yaml"].problems[0].message
    assert "absolute" in by_name["/etc/absolute.yaml"].problems[0].message
    assert "symbolic link" in by_name["link.yaml"].problems[0].message
    assert not (tmp_path.parent / "escape.yaml").exists()
    unsafe = {"../escape.yaml", "/etc/absolute.yaml", "link.yaml"}
    assert all(by_name[name].status == "skipped" for name in unsafe)
    report.outcomes = [o for o in report.outcomes if o.name not in unsafe]
    check_report(report, store)


def test_not_a_zip_and_a_missing_source(store, questionnaire, tmp_path):
    bad = tmp_path / "answers.zip"
    bad.write_text("not a zip")
    report = bulk_import(store, bad, questionnaire, "officer")
    (outcome,) = report.outcomes
    assert outcome.status == "skipped" and "zip" in outcome.problems[0].message
    with pytest.raises(FileNotFoundError):
        bulk_import(store, tmp_path / "nowhere", questionnaire, "officer")
    assert store.clusters() == []


def test_files_that_are_not_text_or_too_long_a_name_are_rejected_alone(store, questionnaire, tmp_path: Path):
    folder = tmp_path / "answers"
    folder.mkdir()
    (folder / "binary.yaml").write_bytes(b"\xff\xfe\x00garbage")
    long_name = (EXAMPLES / GOOD[0]).read_text()
    data = parse_answers_text(long_name, "x.yaml")
    data["profile"]["name"] = "N" * 300
    (folder / "long.json").write_text(json.dumps(data))
    (folder / "good.yaml").write_text((EXAMPLES / GOOD[1]).read_text())
    if hasattr(os, "symlink"):
        (folder / "link.yaml").symlink_to(folder / "good.yaml")
    report = bulk_import(store, folder, questionnaire, "officer")
    by_name = {o.name: o for o in report.outcomes}
    assert (
        by_name["binary.yaml"].status == "rejected" and "UTF-8" in by_name["binary.yaml"].problems[0].message
    )
    assert by_name["long.json"].status == "rejected" and "200" in by_name["long.json"].problems[0].message
    assert by_name["good.yaml"].status == "imported"
    assert by_name.get("link.yaml") is None or by_name["link.yaml"].status == "skipped"
    assert [c.name for c in store.clusters()] == [
        parse_answers_text((EXAMPLES / GOOD[1]).read_text(), "g")["profile"]["name"]
    ]


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _renamed(example: str, name: str, year: int | None = None) -> str:
    data = parse_answers_text((EXAMPLES / example).read_text(), example)
    data["profile"]["name"] = name
    if year is not None:
        data["year"] = year
    return json.dumps(data)


def test_a_file_naming_an_existing_cluster_becomes_its_new_round(store, questionnaire, tmp_path):
    first = bulk_import(
        store, _write(tmp_path / "one", {"a.json": _renamed(GOOD[0], "Mueble Norte")}), questionnaire, "olga"
    )
    (cluster_id,) = [o.cluster_id for o in first.outcomes]
    twin = store.create_cluster("Twin", "setup").id
    store.create_cluster("twin ", "setup")
    outside = store.create_cluster("Not in the programme", "setup").id
    existing = {c.id: c.name for c in store.clusters() if c.id != outside}
    folder = _write(
        tmp_path / "two",
        {
            "1_round.json": _renamed(GOOD[1], "  MUEBLE   norte ", year=2026),  # case and spaces ignored
            "2_again.json": _renamed(GOOD[1], "  MUEBLE   norte ", year=2026),  # the same file again
            "3_new.json": _renamed(GOOD[2], "Brand new cluster"),
            "4_its_round.json": _renamed(GOOD[0], "Brand new cluster", year=2026),  # a round of 3_new's
            "5_ambiguous.json": _renamed(GOOD[2], "TWIN"),
            "6_outside.json": _renamed(GOOD[2], "Not in the programme"),
            "7_broken.json": "{",
        },
    )
    report = bulk_import(store, folder, questionnaire, "olga", existing=existing)
    by = {o.name: o for o in report.outcomes}
    assert [by[n].status for n in sorted(by)] == [
        "imported", "duplicate", "imported", "imported", "rejected", "imported", "rejected"
    ], report.lines()  # fmt: skip
    assert by["1_round.json"].cluster_id == cluster_id and not by["1_round.json"].new_cluster
    assert by["1_round.json"].added_as == f"new round (version 2) of cluster {cluster_id}"
    assert "latest round of cluster" in by["2_again.json"].problems[0].message
    assert by["3_new.json"].added_as == "new cluster"
    assert by["4_its_round.json"].cluster_id == by["3_new.json"].cluster_id
    assert by["4_its_round.json"].version == 2
    ambiguous = by["5_ambiguous.json"].problems[0]
    assert ambiguous.location == "profile.name" and f"ids {twin}, {twin + 1}" in ambiguous.message
    assert by["6_outside.json"].new_cluster and by["6_outside.json"].cluster_id != outside
    rounds = store.assessments(cluster_id)
    assert [(a.number, a.year, a.status) for a in rounds] == [(1, 2025, "submitted"), (2, 2026, "submitted")]
    assert store.cluster(cluster_id).name == "MUEBLE   norte"  # the file's spelling, as for any version
    assert (
        store.answer_data(rounds[1].id)["answers"]
        == parse_answers_text((EXAMPLES / GOOD[1]).read_text(), GOOD[1])["answers"]
    )
    assert [e.action for e in store.audit(rounds[1].id)][:2] == ["import_round", "import"]
    assert any(f"{cluster_id}" in line and "new round" in line for line in report.lines())


def test_a_round_for_a_cluster_that_is_gone_is_rejected_alone(store, questionnaire, tmp_path):
    folder = _write(
        tmp_path / "f", {"a.json": _renamed(GOOD[0], "Ghost"), "b.json": _renamed(GOOD[1], "Alive")}
    )
    report = bulk_import(store, folder, questionnaire, "olga", existing={999_999: "Ghost"})
    by = {o.name: o for o in report.outcomes}
    assert (
        by["a.json"].status == "rejected" and "cluster 999999 not found" in by["a.json"].problems[0].message
    )
    assert by["b.json"].status == "imported" and [c.name for c in store.clusters()] == ["Alive"]


@pytest.mark.parametrize(
    ("lang", "summary", "not_answers", "added", "round_of"),
    [
        (
            "es",
            "4 importados, 4 rechazados, 1 omitidos",
            "no es un archivo de respuestas",
            "clúster nuevo",
            "nueva ronda",
        ),
        (
            "pt",
            "4 importados, 4 rejeitados, 1 ignorados",
            "não é um arquivo de respostas",
            "novo cluster",
            "nova rodada",
        ),
    ],
)
def test_the_report_and_its_problems_in_a_language(
    store, questionnaire, tmp_path, lang, summary, not_answers, added, round_of
):
    folder = tmp_path / "answers"
    for name, text in files().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    report = bulk_import(store, folder, questionnaire, "officer", lang=lang)
    by_name = {o.name: o for o in report.outcomes}
    assert report.summary(lang).startswith(summary)
    assert not_answers in by_name["notes.txt"].problems[0].message
    unknown = by_name["unknown.yml"].problems
    english = bulk_import(
        store, _write(tmp_path / "again", {"unknown.yml": UNKNOWN_QUESTION}), questionnaire, "officer"
    )
    assert {p.location for p in unknown} == {p.location for p in english.outcomes[0].problems}
    assert not {p.message for p in unknown} & {p.message for p in english.outcomes[0].problems}
    assert by_name[GOOD[0]].added_as_in(lang) == added
    assert by_name[GOOD[0]].added_as == "new cluster"  # the English words stay as they were
    cluster_id = by_name[GOOD[0]].cluster_id
    text = _renamed(GOOD[0], by_name[GOOD[0]].cluster, year=2031)
    again = bulk_import(
        store, _write(tmp_path / "round", {"r.json": text}), questionnaire, "officer",
        existing={cluster_id: by_name[GOOD[0]].cluster}, lang=lang,
    )  # fmt: skip
    assert again.outcomes[0].added_as_in(lang).startswith(round_of)
    assert any(round_of in line for line in again.lines(lang))
