"""The members' block in the reports: the same words in the HTML and the text report, typed names escaped.

A cluster's own service carries a name the manager typed; it reaches the members' block
through a disagreement ("You put the uptake of <name> at 90%..."), so the HTML report
must show it as text. Below the minimum, both reports say only the count.
"""

from __future__ import annotations

import copy

import pytest

from assessment.answers import check_answers
from assessment.loading import parse_answers_text
from reports.html import html_report
from reports.members import members_view
from reports.text import text_report
from scoring import Engine, result_from_json, result_to_json
from scoring.members import score_with_members
from tests.conftest import EXAMPLES

TYPED = "<script>alert(1)</script> Matchmaking"


@pytest.fixture(scope="module")
def answers(questionnaire):
    data = parse_answers_text((EXAMPLES / "mature_member_financed.yaml").read_text(), "mature.yaml")
    data = copy.deepcopy(data)
    data["answers"]["service_portfolio"]["own_matchmaking"] = {"offered": True, "uptake": 90, "name": TYPED}
    return check_answers(questionnaire, data)


def responses(n: int) -> list[dict]:
    return [
        {
            "services": {
                "own_matchmaking": {"used": False, "value": None, "would_pay": False, "amount": None}
            },
            "satisfaction": 2,
            "levels": {"trust": 0},
        }
        for _ in range(n)
    ]


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_both_reports_say_what_members_say_and_escape_typed_names(questionnaire, answers, lang):
    engine = Engine(questionnaire, lang)
    result = score_with_members(engine, answers, responses(5))
    view = members_view(result.members, lang)
    assert view is not None and view.used and any(TYPED in d for d in view.disagreements)
    html = html_report(questionnaire, engine, result, answers, lang=lang)
    assert f"<h2>{view.heading}</h2>" in html
    assert TYPED not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Matchmaking" in html
    text = text_report(result, lang, questionnaire=questionnaire)
    assert view.heading + ":" in text and all(line in text for line in view.summary)
    assert any(TYPED in line for line in text.splitlines())


def test_below_the_minimum_the_reports_give_the_count_only(questionnaire, answers):
    engine = Engine(questionnaire)
    result = score_with_members(engine, answers, responses(3))
    text = text_report(result, questionnaire=questionnaire)
    assert "3 of 5 responses: not used yet." in text and "stood in for" not in text
    html = html_report(questionnaire, engine, result, answers)
    assert "3 of 5 responses: not used yet." in html
    assert result.overall == engine.score(answers).overall


def test_no_survey_no_block_and_the_stored_result_keeps_the_reading(questionnaire, answers):
    engine = Engine(questionnaire)
    plain = engine.score(answers)
    assert "What members say" not in text_report(plain, questionnaire=questionnaire)
    assert "What members say" not in html_report(questionnaire, engine, plain, answers)
    kept = result_from_json(result_to_json(score_with_members(engine, answers, responses(5))))
    assert kept.members is not None and kept.members.responses == 5 and kept.members.used
