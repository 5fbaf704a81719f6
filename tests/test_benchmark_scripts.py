"""The engine's benchmark scripts run on a few answer sets, print their figures and stay quiet.

Issue 15 asks for quiet benchmarks, each printing its figure and its target on one line;
a script that breaks when the engine changes would go unnoticed until someone measures.
Only tiny runs here: the figures themselves are read from full runs, never asserted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("script", "args", "figures"),
    [
        ("score_throughput.py", ["-n", "200", "--explain", "20"], ["validate + score:", "explained results"]),
        ("score_memory.py", ["-n", "200"], ["peak resident memory scoring 200 in one process:"]),
    ],
)
def test_benchmark_prints_its_figures_without_warnings(
    script: str, args: list[str], figures: list[str]
) -> None:
    run = subprocess.run(
        [sys.executable, "-W", "default", str(ROOT / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == "", "a benchmark should print no warnings"
    for figure in figures:
        line = next((line for line in run.stdout.splitlines() if figure in line), None)
        assert line is not None, (figure, run.stdout)
        assert "(target " in line and ("met" in line), (
            line
        )  # the figure, its target and the verdict on one line
