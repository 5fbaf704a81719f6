"""A wheel built from the source works on its own: `pip install .` gives a working `cluster-assess`.

The wheel is built from a copy of the tracked sources (so nothing of this checkout's state
leaks in), installed into a fresh virtual environment and run from a folder outside the
repository. The fresh environment borrows the project environment's dependencies through a
.pth file instead of downloading them; the project itself must come from the wheel.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

_SKIP = {
    ".git",
    ".venv",
    "data",
    "build",
    "dist",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
}


def _ignore(folder: str, names: list[str]) -> set[str]:
    return {n for n in names if n in _SKIP or n.endswith(".egg-info") or n.endswith(".db")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh venv with the project installed from its wheel."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=_ignore)
    dist = work / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(source),
        ],
        check=True,
        cwd=work,
    )
    [wheel] = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "questionnaires/cluster-sustainability/questionnaire.yaml" in names
    assert any(n.startswith("questionnaires/programmes/") and n.endswith(".yaml") for n in names)
    # the HTML report's templates are package data, read through the package
    for template in ("report.html.j2", "_blocks.html.j2", "_plans.html.j2", "report.css"):
        assert f"reports/templates/{template}" in names, template
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # The dependencies (pydantic, streamlit, ...) from the project environment, after the wheel's own files.
    (purelib / "zz_project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
    )
    return venv / "bin"


def _run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "cluster-assess"), *args], cwd=cwd, capture_output=True, text=True)


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    out = subprocess.run(
        [
            str(installed / "python"),
            "-c",
            "import assessment, questionnaires; print(assessment.__file__, questionnaires.DIRECTORY)",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(ROOT) not in out and "site-packages" in out


def test_validate_works_from_any_folder(installed: Path, tmp_path: Path) -> None:
    done = _run(installed, "validate", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "cluster-sustainability@" in done.stdout and "valid" in done.stdout


def test_score_an_answers_file_from_any_folder(installed: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    shutil.copy(ROOT / "examples" / "aei_pattern_year8.yaml", answers)
    done = _run(installed, "score", str(answers), "--lang", "es", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Índice de sostenibilidad" in done.stdout and "Plan de acción" in done.stdout
    html = _run(installed, "report", str(answers), "-o", str(tmp_path / "r.html"), cwd=tmp_path)
    assert html.returncode == 0, html.stderr
    report = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert report.startswith("<!DOCTYPE html>") and "<h2>Action plan</h2>" in report
    assert report.count("Plotly.newPlot") == 3 and "@media print" in report  # charts, and the CSS included
