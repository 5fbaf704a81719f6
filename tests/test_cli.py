"""`cluster-assess`: validate, template and score, with exit codes 0 and 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from interfaces.cli import main
from tests.conftest import MINI, ROOT, mini_answers


def write_answers(tmp_path: Path, name: str = "a.json", **answers) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(mini_answers(**answers)))
    return path


def test_validate_ok(capsys):
    assert main(["validate", str(MINI)]) == 0
    assert (
        "mini@0.1: valid. 2 dimensions, 9 questions, 2 cross-checks, 3 lessons, all measured."
        in capsys.readouterr().out
    )


def test_validate_broken_exits_2_with_file_and_line(mini_copy, capsys):
    folder = mini_copy({"dimensions/people.yaml": [("type: yes_no", "type: yes_maybe")]})
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "people.yaml:23: questions.1.type: unknown type 'yes_maybe'" in err


def test_validate_reports_unmeasured_lessons(mini_copy, capsys):
    folder = mini_copy(
        {
            "lessons.yaml": [
                (
                    "lessons:\n",
                    "lessons:\n  - {id: GOV-LONELY, dimension: people, kind: basic, stage: any, source: x, fact: y}\n",
                )
            ]
        }
    )
    assert main(["validate", str(folder)]) == 2
    assert "lessons measured by no question or check: GOV-LONELY" in capsys.readouterr().err


def test_score_text_report(tmp_path, capsys):
    path = write_answers(tmp_path, mix={"public_baseline": 85, "fees": 15}, bodies=1)
    assert main(["score", str(path), "--questionnaire", str(MINI)]) == 0
    out = capsys.readouterr().out
    assert "Sustainability index:" in out
    assert "Stage: Maturity. Year 8 of life" in out
    assert "Red flags (" in out and "85% public in year 8" in out
    assert "Recommendation: Plan an exit." in out
    assert "What the sources say: Public money should shrink. (002 s6.2.1)" in out and "FUND-A" not in out
    assert "Not answered yet" in out


def test_score_json_single_and_many(tmp_path, capsys):
    one = write_answers(tmp_path, "one.json", bodies=4)
    two = write_answers(tmp_path, "two.json", bodies=0)
    assert main(["score", str(one), "--format", "json", "--questionnaire", str(MINI)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["questionnaire"] == "mini@0.1" and data["engine_version"]
    assert main(["score", str(one), str(two), "--format", "json", "--questionnaire", str(MINI)]) == 0
    many = json.loads(capsys.readouterr().out)
    assert [r["dimensions"][1]["score"] for r in many] == [100.0, 0.0]


def test_score_invalid_exits_2_and_names_question(tmp_path, capsys):
    bad = write_answers(tmp_path, "bad.json", bodies=9)
    good = write_answers(tmp_path, "good.json", bodies=2)
    assert main(["score", str(bad), str(good), "--questionnaire", str(MINI)]) == 2
    captured = capsys.readouterr()
    assert "answers.bodies: expected a maturity level 0, 1, 2, 3 or 4, got 9" in captured.err
    assert "Sustainability index" in captured.out  # the good file is still scored


def test_template_is_a_valid_blank_draft(tmp_path, capsys):
    out = tmp_path / "blank.yaml"
    assert main(["template", "--questionnaire", str(MINI), "--year", "2025", "-o", str(out)]) == 0
    text = out.read_text()
    assert "# Governance bodies" in text and "#   3 = Board: A board." in text
    assert "bodies: null" in text
    assert main(["score", str(out), "--questionnaire", str(MINI)]) == 0
    assert "completeness 0%" in capsys.readouterr().out


def test_template_of_shipped_questionnaire_loads(tmp_path, capsys, questionnaire):
    out = tmp_path / "blank.yaml"
    assert main(["template", "-o", str(out)]) == 0
    assert main(["score", str(out)]) == 0


@pytest.mark.parametrize("entry", [["cluster-assess"], [sys.executable, "-m", "interfaces"]])
def test_installed_entry_points(entry):
    exe = Path(sys.executable).parent / "cluster-assess"
    if entry == ["cluster-assess"]:
        entry = [str(exe)]
    run = subprocess.run([*entry, "validate", str(MINI)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "valid" in run.stdout
    bad = subprocess.run([*entry, "score", "nope.yaml"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2
    assert "nope.yaml" in bad.stderr and "cannot read file" in bad.stderr


def test_rescore_puts_every_submitted_assessment_on_the_changed_weights(tmp_path, monkeypatch, capsys):
    import shutil

    from assessment.loading import DEFAULT_QUESTIONNAIRE, load_questionnaire
    from programmes import portfolio_frame
    from storage import Store, load_demo

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    changed_dir = tmp_path / "questionnaire"
    shutil.copytree(DEFAULT_QUESTIONNAIRE, changed_dir)
    for name, old, new in (
        ("funding_mix", "weight: 20", "weight: 15"),
        ("foundations", "weight: 10", "weight: 15"),
    ):
        path = changed_dir / "dimensions" / f"{name}.yaml"
        text = path.read_text(encoding="utf-8")
        assert f"\n{old}\n" in text
        path.write_text(text.replace(f"\n{old}\n", f"\n{new}\n", 1), encoding="utf-8")
    changed = load_questionnaire(changed_dir)
    with Store(url) as store:
        load_demo(store, questionnaire=load_questionnaire())
        before = portfolio_frame(store, changed).set_index("assessment_id")["overall"]

    assert (
        main(["rescore", "--reason", "weights 2027", "--questionnaire", str(changed_dir), "--processes", "1"])
        == 0
    )
    out, err = capsys.readouterr()
    assert out.startswith(f"{len(before)} re-scored, 0 invalid in ") and err == ""
    with Store(url) as store:
        after = portfolio_frame(store, changed).set_index("assessment_id")["overall"]
    assert (after != before).any() and after.between(0, 100).all()


def test_rescore_needs_a_reason_for_the_audit_trail(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["rescore"])
    assert exit_info.value.code == 2
    assert "--reason" in capsys.readouterr().err


def test_report_writes_the_html_report_the_app_downloads(tmp_path):
    out = tmp_path / "report.html"
    draft = Path(__file__).resolve().parent.parent / "examples" / "draft_partial.yaml"
    assert main(["report", str(draft), "--format", "html", "-o", str(out), "--lang", "es"]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="es">' in html
    assert "Plan de acción" in html and "Índice provisional" in html
    assert html.count("Plotly.newPlot") >= 2


def test_report_as_text_to_standard_output(capsys):
    draft = Path(__file__).resolve().parent.parent / "examples" / "draft_partial.yaml"
    assert main(["report", str(draft), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "Provisional index" in out and "Action plan" in out
