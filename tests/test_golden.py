"""The engine gives the golden numbers, findings and words captured before it was compiled.

See tests/golden.py for what is recorded and how to regenerate it (only for an intended
change of scoring).
"""

from __future__ import annotations

import json

import pytest

from assessment.questionnaire import Questionnaire
from tests.golden import GOLDEN, golden_records


@pytest.fixture(scope="module")
def records(questionnaire: Questionnaire) -> dict:
    return golden_records(questionnaire)


def test_golden_inputs_are_all_there(records):
    assert records.keys() == json.loads(GOLDEN.read_text()).keys()


def test_every_example_and_random_set_scores_as_captured(records):
    golden = json.loads(GOLDEN.read_text())
    differ = [name for name, record in records.items() if record != golden[name]]
    assert not differ, f"{len(differ)} answer sets score differently, e.g. {differ[:5]}"
