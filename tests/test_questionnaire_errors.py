"""A broken questionnaire is refused with the file, the line and what is wrong."""

from __future__ import annotations

import re

import pytest

from assessment.errors import QuestionnaireError
from assessment.loading import load_questionnaire

PEOPLE = "dimensions/people.yaml"
MONEY = "dimensions/money.yaml"

CASES = [
    pytest.param(
        {PEOPLE: [("type: yes_no", "type: yes_maybe")]},
        r"people\.yaml:23: questions\.1\.type: unknown type 'yes_maybe'",
        id="unknown-question-type",
    ),
    pytest.param(
        {PEOPLE: [("- id: projects", "- id: bodies")]},
        r"people\.yaml:48: questions\.4\.id: duplicate id 'bodies'",
        id="duplicate-id",
    ),
    pytest.param(
        {PEOPLE: [("question: fees_charged", "question: nowhere")]},
        r"people\.yaml:34: questions\.2\.show_if\.question: condition names no question 'nowhere'",
        id="condition-missing-question",
    ),
    pytest.param(
        {PEOPLE: [("question: fees_charged", "question: projects")]},
        r"condition names a later question 'projects'",
        id="condition-later-question",
    ),
    pytest.param(
        {MONEY: [("weight: 60", "weight: 50")]},
        r"questionnaire\.yaml:24: dimensions: dimension weights add up to 90, not 100",
        id="dimension-weights",
    ),
    pytest.param(
        {PEOPLE: [("    weight: 10\n    unit", "    weight: 15\n    unit")]},
        r"people\.yaml:5: weight: weights of the questions and checks of dimension 'people' add up to 105, not 100",
        id="question-weights",
    ),
    pytest.param(
        {MONEY: [("lessons: [VAL-A]", "lessons: [VAL-NOPE]")]},
        r"money\.yaml:32: questions\.2\.lessons\.0: lesson 'VAL-NOPE' is not in the lesson catalogue",
        id="unknown-lesson",
    ),
    pytest.param(
        {"checks.yaml": [("lessons: [FUND-A]", "lessons: [FUND-Z]")]},
        r"checks\.yaml:\d+: checks\.0\.lessons\.0: lesson 'FUND-Z' is not in the lesson catalogue",
        id="unknown-lesson-in-check",
    ),
    pytest.param(
        {PEOPLE: [("    weight: 40\n    levels", "    weight: 40\n    colour: red\n    levels")]},
        r"people\.yaml:\d+: questions\.0\.colour: Extra inputs are not permitted",
        id="unknown-key",
    ),
    pytest.param(
        {PEOPLE: [("      - {value: 4, label: Committees, description: A board and committees.}\n", "")]},
        r"people\.yaml:\d+: questions\.0\.levels: Value error, a maturity scale needs exactly the levels 0, 1, 2, 3, 4",
        id="maturity-levels",
    ),
    pytest.param(
        {PEOPLE: [("scale: [[0, 0], [5, 100]]", "scale: [[5, 0], [0, 100]]")]},
        r"questions\.4\.scale: Value error, scale values must be strictly increasing",
        id="scale-order",
    ),
    pytest.param(
        {PEOPLE: [("    text: Story\n    help: Why.\n", "    text: Story\n    weight: 5\n    help: Why.\n")]},
        r"people\.yaml:\d+: questions\.5\.weight: question 'story' cannot be scored, so its weight must be 0",
        id="weight-on-text",
    ),
    pytest.param(
        {"checks.yaml": [("when: {outcome: dependent}", "when: {outcome: doomed}")]},
        r"checks\.0\.findings\.0\.when\.outcome: check kind 'funding_stage' has no outcome 'doomed'",
        id="unknown-outcome",
    ),
    pytest.param(
        {"checks.yaml": [("recommendation: Plan an exit.", "recommendation: 'Plan an exit by {deadline}.'")]},
        r"checks\.0\.findings\.0: unknown placeholder \{deadline\}",
        id="unknown-placeholder",
    ),
    pytest.param(
        {"checks.yaml": [("funding: mix\n    dependent", "funding: bodies\n    dependent")]},
        r"checks\.0\.funding: question 'bodies' is a maturity, expected funding_mix",
        id="check-wrong-question-type",
    ),
    pytest.param(
        {MONEY: [("      maturity: [[0, 100], [40, 100], [60, 50], [80, 15], [100, 0]]\n", "")]},
        r"public_share_scale: needs a scale for each stage .*missing \['maturity'\]",
        id="funding-scale-per-stage",
    ),
    pytest.param(
        {MONEY: [("public: true}", "public: false}")]},
        r"a funding mix needs at least one public and one private source",
        id="funding-public-source",
    ),
    pytest.param(
        {"questionnaire.yaml": [("  - dimensions/people.yaml", "  - dimensions/peoples.yaml")]},
        r"questionnaire\.yaml:\d+: dimensions\.1: no file 'dimensions/peoples\.yaml'",
        id="missing-dimension-file",
    ),
    pytest.param(
        {MONEY: [("title: Money", "title: [Money")]},
        r"money\.yaml:3: not valid YAML: .*expected ',' or ']'",
        id="yaml-syntax",
    ),
    pytest.param(
        {"questionnaire.yaml": [("{id: consolidation, until_year: 7", "{id: consolidation, until_year: 2")]},
        r"stages\.1\.until_year: stages must follow each other in time",
        id="stage-order",
    ),
]


@pytest.mark.parametrize(("edits", "pattern"), CASES)
def test_broken_questionnaire_names_file_line_and_problem(mini_copy, edits, pattern):
    folder = mini_copy(edits)
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(folder)
    assert re.search(pattern, str(info.value)), str(info.value)


def test_all_problems_reported_at_once(mini_copy):
    folder = mini_copy(
        {
            PEOPLE: [("question: fees_charged", "question: nowhere"), ("- id: projects", "- id: bodies")],
            MONEY: [("lessons: [VAL-A]", "lessons: [VAL-NOPE]")],
        }
    )
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(folder)
    assert len(info.value.problems) == 3
    assert "3 problems" in str(info.value)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(QuestionnaireError, match=r"questionnaire\.yaml: cannot read file"):
        load_questionnaire(tmp_path / "nothing")
