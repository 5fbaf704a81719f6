"""The portfolio: the frame built from a store loaded with the examples, filters, charts and exports.

The frame is built on SQLite and PostgreSQL; the pure functions over it run once.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

from assessment.answers import check_answers
from assessment.loading import parse_answers_text
from programmes import (
    anonymised_benchmark,
    cluster_code,
    dimension_distribution,
    filter_portfolio,
    findings_frame,
    frequent_red_flags,
    headed,
    judge,
    portfolio_frame,
    public_share_vs_index,
    rounds_frame,
    score_movement,
    sheet_name,
    shipped_programmes,
    sort_portfolio,
    to_csv,
    to_excel,
    verdict_counts,
)
from scoring import Engine, result_from_json, result_to_json
from storage import Store, load_demo
from tests.conftest import EXAMPLES

pytest_plugins = ["tests.pg"]

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
DIMS = [
    "foundations", "funding_mix", "value_offer", "management", "governance", "strategy", "cooperation"
]  # fmt: skip


@pytest.fixture(scope="module")
def demo_frame(questionnaire, tmp_path_factory) -> pd.DataFrame:
    """The portfolio of the examples on SQLite, with the Basque criteria, for the pure functions."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}")
    try:
        load_demo(store, questionnaire=questionnaire)
        return portfolio_frame(store, questionnaire, programme=shipped_programmes(questionnaire)[0])
    finally:
        store.close()


def test_the_frame_has_a_row_per_cluster_with_what_its_result_says(store, questionnaire):
    load_demo(store, questionnaire=questionnaire)
    basque = shipped_programmes(questionnaire)[0]
    frame = portfolio_frame(store, questionnaire, programme=basque)
    assert len(frame) == len(EXAMPLE_FILES) == len(store.clusters())
    assert list(frame["cluster"]) == sorted(frame["cluster"], key=str.casefold)
    assert set(DIMS) <= set(frame.columns)
    for row in frame.itertuples():
        result = result_from_json(_result_json(store, row.assessment_id))
        assert row.overall == result.overall
        assert row.stage == result.stage.id
        for dim in result.dimensions:
            got = getattr(row, dim.id)
            assert (pd.isna(got) and dim.score is None) or got == dim.score
        flags = [f.lesson for f in result.findings_of("red_flag")]
        assert list(row.red_flag_lessons) == flags and row.red_flags == len(flags)
        data = store.answer_data(row.assessment_id)
        assert row.country == data["profile"]["country"]
        assert row.sector == data["profile"]["sector"].strip()
        assert row.status == "submitted" and row.version == 1 and row.year == data["year"]
        counts = verdict_counts(judge(basque, check_answers(questionnaire, data), result))
        assert (row.criteria_met, row.criteria_failed, row.criteria_unknown) == (
            counts["met"], counts["failed"], counts["cannot_judge"]
        )  # fmt: skip
    aei = frame[frame["cluster"].str.contains("Mueble d")].iloc[0]
    assert aei["public_share"] == 80.0 and aei["red_flags"] > 0


def _result_json(store: Store, assessment_id: int) -> str:
    from sqlalchemy import select

    from storage.db import make_engine
    from storage.models import Result

    engine = make_engine(store.url)
    try:
        with engine.connect() as c:
            return c.scalar(select(Result.result_json).where(Result.assessment_id == assessment_id))
    finally:
        engine.dispose()


def test_the_latest_submitted_version_counts_and_drafts_never(store, questionnaire):
    load_demo(store, questionnaire=questionnaire)
    first = store.clusters()[0]
    (v1,) = store.assessments(first.id)
    v2 = store.new_version(v1.id, "ana")
    data = store.answer_data(v2.id)
    data["year"] = 2026
    store.import_answers(v2.id, data, "ana")
    assert (
        portfolio_frame(store, questionnaire).set_index("cluster_id").loc[first.id, "assessment_id"] == v1.id
    )
    result = Engine(questionnaire).score(check_answers(questionnaire, data))
    store.submit(v2.id, result_to_json(result), result.overall, result.stage.id, result.engine_version, "ana")
    frame = portfolio_frame(store, questionnaire, clusters=[first.id], review_status={v2.id: "under_review"})
    assert list(frame["assessment_id"]) == [v2.id]
    assert frame.iloc[0]["version"] == 2 and frame.iloc[0]["status"] == "under_review"
    rounds = rounds_frame(store, questionnaire, clusters=[first.id])
    assert sorted(rounds["year"]) == [2025, 2026]
    moved = score_movement(rounds, questionnaire)
    assert list(moved["year"]) == [2025, 2026] and list(moved["clusters"]) == [1, 1]
    assert moved.iloc[1]["overall_change"] == pytest.approx(result.overall - v1.overall, abs=0.11)


def test_building_again_gives_the_same_frame_with_fresh_names(store, questionnaire):
    from programmes.portfolio import clear_memo

    load_demo(store, questionnaire=questionnaire)
    basque = shipped_programmes(questionnaire)[0]
    first = portfolio_frame(store, questionnaire, programme=basque)
    again = portfolio_frame(store, questionnaire, programme=basque)  # from what was remembered
    pd.testing.assert_frame_equal(first, again)
    cluster = store.clusters()[0]
    draft = store.new_version(store.assessments(cluster.id)[0].id, "ana")
    store.save_profile(draft.id, "name", "Zz renamed", "ana")
    renamed = portfolio_frame(store, questionnaire, programme=basque)
    assert renamed.iloc[-1]["cluster"] == "Zz renamed"
    clear_memo()
    pd.testing.assert_frame_equal(renamed, portfolio_frame(store, questionnaire, programme=basque))


def test_an_empty_store_gives_an_empty_frame_with_every_column(store, questionnaire):
    frame = portfolio_frame(store, questionnaire, programme=shipped_programmes(questionnaire)[0])
    assert frame.empty and {"overall", "criteria_met", *DIMS} <= set(frame.columns)
    assert filter_portfolio(frame, country="Spain", criteria="all_met").empty
    assert frequent_red_flags(frame).empty


FILTERS = [
    ({}, 7),
    ({"country": "spain"}, 2),
    ({"country": ["Mexico", "Colombia"]}, 3),
    ({"region": "basque"}, 1),
    ({"sector": "FURNITURE"}, 2),
    ({"stage": "maturity"}, 3),
    ({"stage": ["launch", "consolidation"]}, 4),
    ({"status": "submitted"}, 7),
    ({"status": "approved"}, 0),
    ({"min_overall": 60}, 4),
    ({"min_overall": 50, "max_overall": 70}, 4),
    ({"criteria": "all_met"}, 1),
    ({"criteria": "some_failed"}, 6),
    ({"search": "clúster"}, 5),
    ({"search": "mueble", "country": "Mexico"}, 1),
]


@pytest.mark.parametrize(("filters", "rows"), FILTERS)
def test_filters(demo_frame, filters, rows):
    found = filter_portfolio(demo_frame, **filters)
    assert len(found) == rows, found[["cluster", "country", "stage", "overall"]]
    assert len(demo_frame) == 7  # the input is unchanged


def test_the_criteria_filter_needs_a_programme(demo_frame):
    with pytest.raises(ValueError, match="criteria columns"):
        filter_portfolio(demo_frame.drop(columns=["criteria_failed"]), criteria="all_met")


def test_sorting(demo_frame):
    by_score = sort_portfolio(demo_frame, "overall", descending=True)
    assert list(by_score["overall"]) == sorted(demo_frame["overall"], reverse=True)
    by_management = sort_portfolio(demo_frame, "management")
    assert pd.isna(by_management["management"].iloc[-1])  # missing scores last
    by_country = sort_portfolio(demo_frame, ["country", "overall"])
    assert list(by_country["country"]) == sorted(demo_frame["country"])
    with pytest.raises(ValueError, match="no column"):
        sort_portfolio(demo_frame, "colour")


def test_chart_data(demo_frame, questionnaire):
    dist = dimension_distribution(demo_frame, questionnaire)
    assert len(dist) == 7 * 5
    per_dim = dist.groupby("dimension")["count"].sum()
    assert per_dim["foundations"] == 7 and per_dim["management"] == 6  # one cluster has no score there
    assert dist[(dist.dimension == "foundations") & (dist.band == "80-100")]["count"].item() == 1
    points = public_share_vs_index(demo_frame)
    assert len(points) == 7 and set(points.columns) == {
        "cluster_id",
        "cluster",
        "stage",
        "public_share",
        "overall",
    }
    flags = frequent_red_flags(demo_frame, questionnaire, top=3)
    assert len(flags) == 3 and list(flags["count"]) == sorted(flags["count"], reverse=True)
    top = flags.iloc[0]
    assert top["count"] >= top["clusters"] >= 1 and top["fact"]
    assert top["lesson"] in {lesson for lessons in demo_frame["red_flag_lessons"] for lesson in lessons}
    # the chart's axis reads the lesson, not its code
    assert all(len(label) <= 60 and "-" not in label.split()[0] for label in flags["label"])
    assert top["fact"].startswith(top["label"].removesuffix(" …"))
    all_flags = frequent_red_flags(demo_frame, top=None)
    assert all_flags["count"].sum() == demo_frame["red_flags"].sum()


def test_csv_and_excel_read_back(demo_frame, tmp_path):
    back = pd.read_csv(io.BytesIO(to_csv(demo_frame)))
    assert list(back.columns) == list(demo_frame.columns)
    assert list(back["cluster"]) == list(demo_frame["cluster"])
    assert back["overall"].tolist() == demo_frame["overall"].tolist()
    assert back["red_flag_lessons"].iloc[0] == "; ".join(demo_frame["red_flag_lessons"].iloc[0])
    book = to_excel({"portfolio": demo_frame, "benchmark": demo_frame[["overall"]]})
    sheets = pd.read_excel(io.BytesIO(book), sheet_name=None)
    assert set(sheets) == {"portfolio", "benchmark"}
    assert list(sheets["portfolio"]["cluster"]) == list(demo_frame["cluster"])


def test_findings_export(store, questionnaire):
    load_demo(store, questionnaire=questionnaire)
    frame = portfolio_frame(store, questionnaire)
    findings = findings_frame(store, frame)
    assert (findings["kind"] == "red_flag").sum() == frame["red_flags"].sum()
    assert set(findings["kind"]) <= {"red_flag", "gap", "strength"}
    assert findings["evidence"].str.len().gt(0).any()
    sheets = pd.read_excel(io.BytesIO(to_excel({"findings": findings})), sheet_name=None)
    assert len(sheets["findings"]) == len(findings)


def test_the_anonymised_benchmark_has_no_names_and_stable_codes(demo_frame, questionnaire):
    bench = anonymised_benchmark(demo_frame, questionnaire, secret="programme secret")
    assert list(bench.columns) == ["code", "country", "sector", "year", "stage", "overall", *DIMS]
    text = to_csv(bench).decode()
    for name in demo_frame["cluster"]:
        assert name not in text
    for region in demo_frame["region"]:
        assert region not in text
    assert bench["code"].is_unique and bench["code"].str.fullmatch(r"C-[0-9A-F]{12}").all()
    again = anonymised_benchmark(demo_frame.iloc[::-1], questionnaire, secret="programme secret")
    pd.testing.assert_frame_equal(bench, again)
    assert cluster_code(1, "programme secret") != cluster_code(1, "another secret")
    with pytest.raises(ValueError, match="secret"):
        anonymised_benchmark(demo_frame, questionnaire, secret="")


def test_a_result_not_written_by_this_engine_leaves_its_scores_empty(questionnaire, tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        data = parse_answers_text(EXAMPLE_FILES[0].read_text(), "a.yaml")
        store.import_cluster(data, '{"something": "else"}', 42.0, "launch", "0.1", "ana")
        frame = portfolio_frame(store, questionnaire)
        assert frame.iloc[0]["overall"] == 42.0 and pd.isna(frame.iloc[0]["foundations"])
        assert frame.iloc[0]["red_flags"] == 0
    finally:
        store.close()


def test_round_scores_are_the_rounds_frames_scores_without_the_answers(store, questionnaire):
    from programmes import round_scores

    load_demo(store, questionnaire=questionnaire)
    first = store.clusters()[0]
    v2 = store.new_version(store.assessments(first.id)[0].id, "ana")
    data = store.answer_data(v2.id)
    data["year"] = 2026
    store.import_answers(v2.id, data, "ana")
    result = Engine(questionnaire).score(check_answers(questionnaire, data))
    store.submit(v2.id, result_to_json(result), result.overall, result.stage.id, result.engine_version, "ana")
    scores = round_scores(store, questionnaire)
    full = (
        rounds_frame(store, questionnaire)
        .sort_values(["cluster_id", "year", "version"])
        .reset_index(drop=True)
    )
    assert len(scores) == len(store.clusters()) + 1
    columns = ["assessment_id", "cluster_id", "cluster", "year", "version", "overall", "stage", *DIMS]
    pd.testing.assert_frame_equal(scores[columns], full[columns])
    pd.testing.assert_frame_equal(score_movement(scores, questionnaire), score_movement(full, questionnaire))
    assert list(round_scores(store, questionnaire, clusters=[first.id])["version"]) == [1, 2]


def test_exports_headers_and_sheets_in_spanish(demo_frame, questionnaire):
    spanish = headed(demo_frame, questionnaire, "es")
    back = pd.read_csv(io.BytesIO(to_csv(spanish)))
    assert list(back.columns[:3]) == ["Id de la evaluación", "Id del clúster", "Clúster"]
    assert {"País", "Región", "Índice global", "Etapa", "Señales de alerta", "Criterios cumplidos"} <= set(
        back.columns
    )
    assert {d.title.es for d in questionnaire.dimensions} <= set(back.columns)
    assert not set(back.columns) & set(demo_frame.columns)  # every header is a Spanish word, no id left
    assert list(back["Clúster"]) == list(demo_frame["cluster"])
    book = to_excel({sheet_name("portfolio", "es"): spanish, sheet_name("findings", "es"): spanish.head(0)})
    assert set(pd.read_excel(io.BytesIO(book), sheet_name=None)) == {"Cartera", "Hallazgos"}
    bench = headed(anonymised_benchmark(demo_frame, questionnaire, "s"), questionnaire, "pt")
    assert list(bench.columns[:6]) == ["Código", "País", "Setor", "Ano", "Fase", "Índice geral"]
    # English keeps the column ids and sheet names the files always had
    assert headed(demo_frame, questionnaire, "en") is demo_frame
    assert sheet_name("portfolio", "en") == "portfolio"


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_chart_data_in_a_language(demo_frame, questionnaire, lang):
    dist = dimension_distribution(demo_frame, questionnaire, lang=lang)
    assert set(dist["title"]) == {d.title.get(lang) for d in questionnaire.dimensions}
    flags = frequent_red_flags(demo_frame, questionnaire, lang=lang)
    facts = {questionnaire.lesson_index[lesson].fact.get(lang) for lesson in flags["lesson"]}
    assert set(flags["fact"]) == facts and facts.isdisjoint(
        frequent_red_flags(demo_frame, questionnaire)["fact"]
    )


def test_the_verified_share_is_the_share_of_the_index_weight_an_officer_verified(store, questionnaire):
    from scoring.verification import scored_questions, verified_share

    load_demo(store, questionnaire=questionnaire)
    frame = portfolio_frame(store, questionnaire)
    assert {"verified_share", "documented_share"} <= set(frame.columns)
    assert (frame["verified_share"].dropna() == 0.0).all()  # nothing marked yet
    aid = int(frame.iloc[0]["assessment_id"])
    result = result_from_json(_result_json(store, aid))
    scored = scored_questions((i.id, i.kind, i.status) for i in result.items)
    store.set_mark(aid, scored[0], "verified", "olga")
    store.set_mark(aid, scored[1], "documented", "olga")
    frame = portfolio_frame(store, questionnaire)
    row = frame[frame["assessment_id"] == aid].iloc[0]
    share = verified_share(questionnaire, scored, store.marks(aid))
    assert row["verified_share"] == round(100 * share.verified, 1) > 0
    assert row["documented_share"] == round(100 * share.documented, 1) > row["verified_share"]
    others = frame[frame["assessment_id"] != aid]
    assert (others["verified_share"].dropna() == 0.0).all()
    assert list(filter_portfolio(frame, min_verified=0.1)["assessment_id"]) == [aid]
    assert list(sort_portfolio(frame, "verified_share", descending=True)["assessment_id"])[0] == aid
    back = pd.read_csv(io.BytesIO(to_csv(headed(frame, questionnaire, "es"))))
    assert "Parte verificada del índice (%)" in back.columns
