"""Shared fixtures: the shipped questionnaire, a small one for unit tests, and file helpers."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assessment.answers import ValidAnswers, check_answers
from assessment.loading import DEFAULT_QUESTIONNAIRE, load_questionnaire
from assessment.questionnaire import Questionnaire

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep every browser test on one pytest-xdist worker: the machine runs one browser at a time."""
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture
def chromium_path() -> Path:
    """Debian's Chromium for the browser tests (see tests/browser_support.py)."""
    from tests.browser_support import chromium_or_skip

    return chromium_or_skip()


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    return load_questionnaire(DEFAULT_QUESTIONNAIRE)


@pytest.fixture(scope="session")
def mini() -> Questionnaire:
    return load_questionnaire(MINI)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Callable[..., Path]:
    """Copy the mini questionnaire to tmp_path, replacing text in its files first."""

    def make(edits: dict[str, list[tuple[str, str]]] | None = None) -> Path:
        target = tmp_path / "mini"
        shutil.copytree(MINI, target)
        for name, replacements in (edits or {}).items():
            path = target / name
            text = path.read_text()
            for old, new in replacements:
                assert old in text, f"{old!r} not in {name}"
                text = text.replace(old, new, 1)
            path.write_text(text)
        return target

    return make


def mini_answers(**answers: Any) -> dict[str, Any]:
    """Raw answers to the mini questionnaire: a cluster founded in 2018, answers for 2025."""
    profile = answers.pop("profile", {"name": "Test cluster", "founded_year": 2018, "staff_fte": 2})
    return {"questionnaire": "mini", "version": "0.1", "year": 2025, "profile": profile, "answers": answers}


def valid_mini(q: Questionnaire, **answers: Any) -> ValidAnswers:
    return check_answers(q, mini_answers(**answers))
