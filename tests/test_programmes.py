"""Programme criteria: the models, loading with file:line, and judging met / failed / cannot judge."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.answers import check_answers
from assessment.loading import parse_answers_text
from programmes import (
    PROGRAMMES_DIR,
    Programme,
    ProgrammeError,
    judge,
    load_programme,
    shipped_programmes,
    verdict_counts,
    verdict_word,
)
from scoring import Engine
from tests.conftest import EXAMPLES

BASE = {"id": "test-programme", "title": "Test", "questionnaire": "cluster-sustainability"}


def programme(*criteria: dict) -> Programme:
    return Programme.model_validate({**BASE, "criteria": list(criteria)})


def answers(questionnaire, profile=None, **given):
    data = {
        "questionnaire": "cluster-sustainability",
        "version": "1.0",
        "year": 2025,
        "profile": {"name": "Test", "founded_year": 2015, **(profile or {})},
        "answers": given,
    }
    return check_answers(questionnaire, data)


# (criterion, profile, answers, summary, expected verdict, text in the evidence)
# fmt: off
CASES = [
    ({"question": "value_chain_coverage", "at_least": 4}, {}, {"value_chain_coverage": 4}, None, "met", "is 4"),
    ({"question": "value_chain_coverage", "at_least": 4}, {}, {"value_chain_coverage": 3}, None, "failed", "at least 4"),
    ({"question": "value_chain_coverage", "at_least": 4}, {}, {}, None, "cannot_judge", "not answered"),
    ({"profile": "members_sme_share", "at_least": 60}, {"members_sme_share": 60}, {}, None, "met", "60"),
    ({"profile": "members_sme_share", "at_least": 60}, {"members_sme_share": 59.5}, {}, None, "failed", "59.5"),
    ({"profile": "members_sme_share", "at_least": 60}, {}, {}, None, "cannot_judge", "profile.members_sme_share"),
    ({"question": "turnover_share_gdp", "at_most": 5}, {}, {"turnover_share_gdp": 5}, None, "met", "at most 5"),
    ({"question": "turnover_share_gdp", "at_most": 5}, {}, {"turnover_share_gdp": 7.5}, None, "failed", "7.5"),
    ({"question": "membership_fees_charged", "equals": True}, {}, {"membership_fees_charged": "yes"}, None, "met", "yes"),
    ({"question": "membership_fees_charged", "equals": True}, {}, {"membership_fees_charged": False}, None, "failed", "no"),
    ({"question": "fee_tiers", "in": ["by_size", "by_use"]}, {}, {"fee_tiers": "by_size"}, None, "met", "one of"),
    ({"question": "fee_tiers", "equals": "by_size"}, {}, {"fee_tiers": "flat"}, None, "failed", "flat"),
    ({"profile": "legal_form", "in": ["association", "foundation"]}, {"legal_form": "company"}, {}, None, "failed", "company"),
    ({"profile": "country", "equals": "Spain"}, {"country": "Spain"}, {}, None, "met", "Spain"),
    ({"overall": True, "at_least": 50}, {}, {}, {"overall": 50.0}, "met", "overall is 50"),
    ({"overall": True, "at_least": 50}, {}, {}, {"overall": 49.9}, "failed", "49.9"),
    ({"overall": True, "at_least": 50}, {}, {}, None, "cannot_judge", "not answered"),
    ({"dimension": "funding_mix", "at_least": 40}, {}, {}, {"dimensions": {"funding_mix": 41}}, "met", "41"),
    ({"dimension": "funding_mix", "at_least": 40}, {}, {}, {"dimensions": {"funding_mix": None}}, "cannot_judge", "dimension.funding_mix"),
]
# fmt: on


@pytest.mark.parametrize(("criterion", "profile", "given", "summary", "verdict", "evidence"), CASES)
def test_each_criterion_is_met_failed_or_cannot_be_judged(
    questionnaire, criterion, profile, given, summary, verdict, evidence
):
    p = programme({"id": "c", "label": "A criterion", **criterion})
    (found,) = judge(p, answers(questionnaire, profile, **given), summary)
    assert found.verdict == verdict
    assert evidence in found.evidence
    assert found.criterion == "c"


def test_multiple_choice_equals_means_chosen_and_in_means_any_chosen(questionnaire):
    p = programme(
        {"id": "a", "label": "x", "question": "quadruple_helix", "equals": "universities"},
        {"id": "b", "label": "y", "question": "quadruple_helix", "in": ["universities", "government"]},
    )
    verdicts = judge(p, answers(questionnaire, quadruple_helix=["finance"]))
    assert [v.verdict for v in verdicts] == ["failed", "failed"]
    verdicts = judge(p, answers(questionnaire, quadruple_helix=["government"]))
    assert [v.verdict for v in verdicts] == ["failed", "met"]
    verdicts = judge(p, answers(questionnaire, quadruple_helix=["finance", "universities"]))
    assert [v.verdict for v in verdicts] == ["met", "met"]


def test_judge_takes_a_result_or_an_evaluation(questionnaire):
    data = parse_answers_text((EXAMPLES / "mature_member_financed.yaml").read_text(), "x.yaml")
    valid = check_answers(questionnaire, data)
    engine = Engine(questionnaire)
    p = programme(
        {"id": "index", "label": "Index", "overall": True, "at_least": 10},
        {"id": "dim", "label": "Dim", "dimension": "governance", "at_least": 10},
    )
    from_result = judge(p, valid, engine.score(valid))
    from_evaluation = judge(p, valid, engine.evaluate(valid))
    assert from_result == from_evaluation
    assert [v.verdict for v in from_result] == ["met", "met"]
    assert verdict_counts(from_result) == {"met": 2, "failed": 0, "cannot_judge": 0}


def test_the_shipped_basque_programme_loads_and_judges_the_examples(questionnaire):
    (basque,) = shipped_programmes(questionnaire)
    assert basque.id == "basque-cluster-programme"
    assert [c.id for c in basque.criteria] == [
        "value_chain",
        "sme_share",
        "critical_mass",
        "strategic_plan",
        "action_plan",
        "ris3_alignment",
        "internationalisation_innovation",
    ]
    for path in sorted(EXAMPLES.glob("*.yaml")):
        valid = check_answers(questionnaire, parse_answers_text(path.read_text(), path.name))
        verdicts = judge(basque, valid)
        assert len(verdicts) == len(basque.criteria)
        assert all(v.evidence for v in verdicts)
    draft = check_answers(
        questionnaire, parse_answers_text((EXAMPLES / "draft_partial.yaml").read_text(), "d")
    )
    assert "cannot_judge" in {v.verdict for v in judge(basque, draft)}


@pytest.mark.parametrize(
    ("criterion", "message"),
    [
        ({"question": "x", "profile": "y", "at_least": 1}, "exactly one of question, profile"),
        ({"question": "x"}, "exactly one of at_least, at_most, equals, in"),
        ({"question": "x", "at_least": 1, "at_most": 2}, "exactly one of at_least"),
        ({"overall": True, "equals": "x"}, "take at_least or at_most"),
        ({"question": "x", "above": 1}, "Extra inputs are not permitted"),
    ],
)
def test_a_criterion_needs_one_subject_and_one_operator(criterion, message):
    with pytest.raises(ValueError, match=message):
        programme({"id": "c", "label": "l", **criterion})


# fmt: off
BROKEN = [
    # (text replaced in the shipped file, replacement, line, what the message says)
    ("question: value_chain_coverage", "question: value_chain_cover", 32, "unknown question id 'value_chain_cover'"),
    ("profile: members_sme_share", "profile: sme_percent", 40, "unknown profile field 'sme_percent'"),
    ("    at_least: 60\n", "    at_least: sixty\n", 41, "valid number"),
    ("  - id: action_plan\n", "  - id: action_plan\n    colour: red\n", 59, "Extra inputs"),
    ("question: strategic_plan", "question: shared_value", 56, "at_least/at_most need a number"),
    ("questionnaire: cluster-sustainability", "questionnaire: another-one", 24, "not 'another-one'"),
    ("    at_least: 1\n", "    at_least: [1\n", 50, "not valid YAML"),  # where the parser notices
]
# fmt: on


@pytest.mark.parametrize(("old", "new", "line", "message"), BROKEN)
def test_a_broken_programme_file_is_refused_with_file_and_line(
    questionnaire, tmp_path, old, new, line, message
):
    text = (PROGRAMMES_DIR / "basque-cluster-programme.yaml").read_text()
    assert old in text
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path, questionnaire)
    problems = caught.value.problems
    assert any(message in p.message and p.line == line for p in problems), [str(p) for p in problems]
    assert all(p.file and p.file.endswith("broken.yaml") for p in problems)
    assert f"broken.yaml:{line}:" in str(caught.value)


def test_a_programme_file_that_is_not_a_mapping_or_missing_is_refused(questionnaire, tmp_path: Path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n")
    with pytest.raises(ProgrammeError, match="expected a mapping"):
        load_programme(path, questionnaire)
    with pytest.raises(ProgrammeError, match="cannot read file"):
        load_programme(tmp_path / "none.yaml", questionnaire)


def test_duplicate_criterion_ids_and_bad_choices_are_named(questionnaire, tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "id: p\ntitle: P\nquestionnaire: cluster-sustainability\ncriteria:\n"
        "  - {id: a, label: A, question: fee_tiers, equals: nope}\n"
        "  - {id: a, label: B, overall: true, at_least: 50}\n"
    )
    with pytest.raises(ProgrammeError, match="duplicate criterion id 'a'"):
        load_programme(path, questionnaire)
    path.write_text(
        "id: p\ntitle: P\nquestionnaire: cluster-sustainability\ncriteria:\n"
        "  - {id: a, label: A, question: fee_tiers, equals: nope}\n"
        "  - {id: b, label: B, dimension: money, at_least: 50}\n"
    )
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path, questionnaire)
    lines = {p.line: p.message for p in caught.value.problems}
    assert "'nope' is not a choice of 'fee_tiers'" in lines[5]
    assert "unknown dimension 'money'" in lines[6]


# (criterion, given answers, summary, language, verdict, label and evidence as read)
# fmt: off
IN_LANGUAGE = [
    ({"question": "value_chain_coverage", "at_least": 4}, {}, None, "es", "cannot_judge",
     "question.value_chain_coverage no tiene respuesta; se requiere al menos 4"),
    ({"question": "value_chain_coverage", "at_least": 4}, {}, None, "pt", "cannot_judge",
     "question.value_chain_coverage não foi respondido; exige-se pelo menos 4"),
    ({"question": "turnover_share_gdp", "at_most": 5}, {"turnover_share_gdp": 7.5}, None, "es", "failed",
     "question.turnover_share_gdp es 7,5; se requiere como máximo 5"),
    ({"question": "membership_fees_charged", "equals": True}, {"membership_fees_charged": "yes"}, None, "pt",
     "met", "question.membership_fees_charged é sim; exige-se igual a sim"),
    ({"overall": True, "at_least": 50.5}, {}, {"overall": 49.9}, "es", "failed",
     "overall es 49,9; se requiere al menos 50,5"),
]
# fmt: on


@pytest.mark.parametrize(("criterion", "given", "summary", "lang", "verdict", "evidence"), IN_LANGUAGE)
def test_verdicts_are_worded_in_the_language(
    questionnaire, criterion, given, summary, lang, verdict, evidence
):
    p = programme(
        {"id": "c", "label": {"en": "A criterion", "es": "Un criterio", "pt": "Um critério"}, **criterion}
    )
    (found,) = judge(p, answers(questionnaire, **given), summary, lang=lang)
    assert (found.verdict, found.evidence) == (verdict, evidence)
    assert found.label == {"es": "Un criterio", "pt": "Um critério"}[lang]


@pytest.mark.parametrize(
    ("lang", "title", "label", "words"),
    [
        ("es", "Programa de apoyo a los clústeres del País Vasco",
         "Al menos el 60\u00a0% de las empresas socias son pymes", ["cumplido", "no cumplido", "no se puede valorar"]),
        ("pt", "Programa de apoio a clusters do País Basco",
         "Pelo menos 60% das empresas associadas são PMEs", ["atendido", "não atendido", "não pode ser avaliado"]),
        ("en", "Basque Country cluster support programme",
         "At least 60% of the member companies are SMEs", ["met", "failed", "cannot be judged"]),
    ],
)  # fmt: skip
def test_the_basque_programme_in_each_language(questionnaire, lang, title, label, words):
    (basque,) = shipped_programmes(questionnaire)
    assert basque.title.get(lang) == title
    draft = check_answers(
        questionnaire, parse_answers_text((EXAMPLES / "draft_partial.yaml").read_text(), "d")
    )
    verdicts = {v.criterion: v for v in judge(basque, draft, lang=lang)}
    assert verdicts["sme_share"].label == label
    assert [verdict_word(v, lang) for v in ("met", "failed", "cannot_judge")] == words


def test_a_programme_text_may_not_be_empty():
    with pytest.raises(ValueError, match="needs a title"):
        Programme.model_validate(
            {
                **BASE,
                "title": {"en": " ", "es": "x"},
                "criteria": [{"id": "c", "label": "l", "overall": True, "at_least": 1}],
            }
        )
    with pytest.raises(ValueError, match="needs a label"):
        programme({"id": "c", "label": "", "overall": True, "at_least": 1})
