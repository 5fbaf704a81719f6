"""Registries are complete: every lesson measured, every kind implemented, the catalogue mirrored."""

from __future__ import annotations

import csv
import hashlib
import re

import pytest
import yaml

from assessment import answer_values
from assessment.checks import CHECK_KINDS
from assessment.loading import DEFAULT_QUESTIONNAIRE, QUESTIONNAIRES_DIR, load_questionnaire
from assessment.questions import QUESTION_TYPES
from scoring.checks import CHECK_KINDS as ENGINE_CHECK_KINDS
from scoring.questions import SCORED_TYPES
from tests.conftest import FIXTURES

# The domain reference's figures, copied into the repository (see each file's header).
SOURCES = FIXTURES / "sources"
REFERENCE_LESSONS = yaml.safe_load((SOURCES / "lessons-ids.yaml").read_text())["lessons"]
PROJECT_LESSONS = yaml.safe_load((DEFAULT_QUESTIONNAIRE / "lessons.yaml").read_text())["lessons"]
LESSON_IDS = [lesson["id"] for lesson in PROJECT_LESSONS]


def test_lesson_catalogue_has_exactly_the_reference_ids():
    assert sorted(LESSON_IDS) == sorted(lesson["id"] for lesson in REFERENCE_LESSONS)
    mine = {lesson["id"]: lesson for lesson in PROJECT_LESSONS}
    for lesson in REFERENCE_LESSONS:
        for key in ("dimension", "kind", "stage", "source"):
            assert mine[lesson["id"]][key] == lesson[key], (lesson["id"], key)


def test_lesson_facts_are_in_our_own_words():
    reference = {lesson["id"]: lesson["fact_sha256"] for lesson in REFERENCE_LESSONS}
    copied = [
        lesson["id"]
        for lesson in PROJECT_LESSONS
        if hashlib.sha256(str(lesson["fact"]).strip().encode()).hexdigest() == reference[lesson["id"]]
    ]
    assert not copied


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_every_lesson_is_measured(questionnaire, lesson_id):
    assert questionnaire.measured_lessons()[lesson_id], f"{lesson_id} is measured by no question or check"


def test_service_catalogue_mirrors_table_6(questionnaire):
    with (SOURCES / "table6-services.csv").open() as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    norm = lambda s: s.lower().replace("-", "_").replace(" ", "_")  # noqa: E731
    assert len(questionnaire.services) == len(rows) == 15
    for service, row in zip(questionnaire.services, rows, strict=True):
        assert norm(service.financial_contribution) == norm(row["financial_contribution"]), service.id
        assert norm(service.member_valuation) == norm(row["member_valuation"]), service.id
        assert norm(service.extension) == norm(row["extension_among_clusters"]), service.id


def test_every_check_kind_has_a_rule_and_back():
    kinds = {k.model_fields["kind"].annotation.__args__[0] for k in CHECK_KINDS}
    assert kinds == ENGINE_CHECK_KINDS


def test_every_question_type_is_validated_and_scored():
    assert set(QUESTION_TYPES) == SCORED_TYPES
    assert set(QUESTION_TYPES) - {"service_portfolio"} == set(answer_values.VALIDATORS)


@pytest.mark.parametrize(
    "folder", sorted(p.parent for p in QUESTIONNAIRES_DIR.glob("*/questionnaire.yaml")), ids=lambda p: p.name
)
def test_every_shipped_questionnaire_loads_and_scales_each_stage(folder):
    q = load_questionnaire(folder)
    for question in q.questions.values():
        if question.type == "funding_mix":
            assert set(question.public_share_scale) == {s.id for s in q.stages}


def test_questionnaire_covers_the_seven_dimensions(questionnaire):
    assert [d.id for d in questionnaire.dimensions] == [
        "foundations",
        "funding_mix",
        "value_offer",
        "management",
        "governance",
        "strategy",
        "cooperation",
    ]


def test_every_question_has_help_citing_its_source(questionnaire):
    uncited = [q.id for q in questionnaire.questions.values() if not re.search(r"\b00[0-4]\b", q.help.en)]
    assert not uncited


def test_profile_records_what_table_5_reports(questionnaire):
    fields = set(questionnaire.profile_fields)
    assert {
        "name",
        "country",
        "region",
        "sector",
        "founded_year",
        "legal_form",
        "members_total",
        "members_sme_share",
    } <= fields
    assert {"members_turnover", "members_exports", "members_jobs", "staff_fte", "annual_budget"} <= fields
