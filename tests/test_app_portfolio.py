"""The officer's path through the app (AppTest, a real store with demo data and accounts).

Every test runs on SQLite (a tmp file) and PostgreSQL (a schema of the session's server).
The officer signs in, filters the portfolio, opens a cluster, comments on an answer and
returns it; the manager sees the comments, revises and resubmits; the officer accepts the new
version. Also: opening a cluster by selecting its row, the portfolio's exports, comparing
clusters, and a bulk import of good and broken files, one of them a new round of a cluster.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from storage import Store
from tests.apptest_support import APP, EXAMPLES, TIMEOUT, open_store, portfolio_table

OFFICER = ("officer-demo", "officer-demo-demo-password")
MANAGER = "manager-aei_pattern_year8"
AEI = "Agrupación Empresarial Innovadora del Mueble"


pytest_plugins = ["tests.pg"]


@pytest.fixture
def store(db_url, tmp_path, monkeypatch) -> Iterator[Store]:
    """The demo store on SQLite and on PostgreSQL (`db_url` of tests.pg), opened by the app too."""
    yield from open_store(tmp_path, monkeypatch, demo=True, accounts=True, url=db_url)


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
    parts += [i.value for i in at.info] + [w.value for w in at.warning] + [s.value for s in at.success]
    return plain("\n".join(parts))


def signed_in(username: str, assessment_id: int | None = None, page: str | None = None) -> AppTest:
    """The app with `username` signed in (as after the sign-in form), optionally at a page and assessment."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["signed_in"] = username
    if assessment_id is not None:
        at.query_params["assessment"] = str(assessment_id)
    at.run()
    if page is not None:
        at.switch_page(f"webapp/pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def aei(store: Store):
    cluster = next(c for c in store.clusters() if c.name.startswith(AEI))
    return cluster, store.assessments(cluster.id)[-1]


def test_officer_returns_manager_resubmits_officer_accepts(store):
    cluster, first = aei(store)

    # the officer signs in with the form and lands on the portfolio
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.text_input(key="signin:username").input(OFFICER[0])
    at.text_input(key="signin:password").input(OFFICER[1])
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Portfolio"]
    table = portfolio_table(at).value
    assert len(table) == len(list(EXAMPLES.glob("*.yaml")))
    assert set(table["status"]) == {"Submitted, waiting for review"}

    # filter by name and by score range, then open the cluster
    at.text_input(key="pf:search").input("manchuela").run()
    assert list(portfolio_table(at).value["cluster"]) == [cluster.name]
    at.slider(key="pf:score").set_range(0, 100).run()
    assert at.selectbox(key="pf:open").value == first.id
    at.button(key="pf:open_go").click().run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Results"]
    assert "Review status: Submitted, waiting for review" in texts(at)

    # start the review, comment on one answer, return it with a comment
    at.button(key="review:start").click().run()
    assert "Review status: In review" in texts(at)
    at.selectbox(key="review:comment_target").set_value("critical_mass").run()
    at.text_area(key="review:comment_text").input("Which firms? <b>List them</b>").run()
    at.button(key="review:comment").click().run()
    at.text_area(key="review:return_text").input("Please check the funding mix.").run()
    at.button(key="review:return").click().run()
    assert not at.exception, at.exception
    assert store.review_status(first.id) == "returned"
    assert [c.question_id for c in store.comments(first.id)] == ["critical_mass", None]

    # the manager sees the comments (as text) and revises
    at = signed_in(MANAGER, first.id, "results")
    shown = texts(at)
    assert "Review status: Returned to the manager with comments" in shown
    assert "Which firms? <b>List them</b>" in shown  # the text as typed, never HTML
    assert "Please check the funding mix." in shown
    at.button(key="review:revise").click().run()
    assert not at.exception, at.exception
    draft = store.latest_draft(cluster.id)
    assert draft is not None and draft.number == first.number + 1
    at.switch_page("webapp/pages/questionnaire.py").run()
    assert "Which firms? <b>List them</b>" in texts(at)  # the comments stay in sight while revising
    at.radio(key="nav:section:en").set_value("foundations").run()
    beside = [plain(w.value) for w in at.warning if "Reviewer officer-demo" in plain(w.value)]
    assert beside == ["Reviewer officer-demo: Which firms? <b>List them</b>"]  # under question 1.1
    at.radio(key="q:critical_mass").set_value(3).run()
    at.radio(key="nav:section:en").set_value("submit").run()
    confirm = [c for c in at.checkbox if c.key == "submit:confirm"]
    if confirm:
        confirm[0].check().run()
    at.button(key="submit:go").click().run()
    assert not at.exception, at.exception
    assert store.assessment(draft.id).status == "submitted"

    # the officer sees the new version in the portfolio and accepts it
    at = signed_in(OFFICER[0])
    table = portfolio_table(at).value
    row = table[table["cluster"] == cluster.name].iloc[0]
    assert row["version"] == draft.number and row["status"] == "Submitted, waiting for review"
    at = signed_in(OFFICER[0], draft.id, "results")
    at.button(key="review:start").click().run()
    at.button(key="review:accept").click().run()
    assert not at.exception, at.exception
    assert store.review_status(draft.id) == "accepted"
    assert "Review status: Accepted" in texts(at)


def test_portfolio_filters_exports_and_compare(store):
    at = signed_in(OFFICER[0])
    total = len(portfolio_table(at).value)
    at.multiselect(key="pf:stage").select("maturity").run()
    shown = portfolio_table(at).value
    assert 0 < len(shown) < total and set(shown["stage"]) == {"maturity"}
    at.selectbox(key="pf:sort").set_value("overall").run()
    at.checkbox(key="pf:desc").check().run()
    overall = list(portfolio_table(at).value["overall"])
    assert overall == sorted(overall, reverse=True)
    assert len(at.get("download_button")) == 3
    at.text_input(key="pf:secret").input("programme secret").run()
    assert not at.exception, at.exception
    assert len(at.get("download_button")) == 4  # the anonymised benchmark too
    assert len(at.get("plotly_chart")) >= 3

    at.switch_page("webapp/pages/clusters.py").run()
    options = at.multiselect(key="cmp:clusters").options
    assert len(options) == total
    ids = list(shown["assessment_id"])[:3]
    at.multiselect(key="cmp:clusters").set_value(ids).run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 1  # the radar overlay
    assert len(at.dataframe[0].value) == 3
    assert not at.dataframe[1].value.empty


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buffer.getvalue()


def test_bulk_import_reports_good_and_broken_files(store):
    good = (EXAMPLES / "young_public_launch.yaml").read_text(encoding="utf-8")
    good = good.replace("name:", "name: Imported", 1)
    assert "Imported" in good
    content = _zip({"good.yaml": good, "broken.yaml": "questionnaire: [unclosed\n", "notes.txt": "hello"})
    at = signed_in(OFFICER[0], page="bulk_import")
    at.get("file_uploader")[0].set_value(("answers.zip", content, "application/zip")).run()
    at.button(key="imp:go").click().run()
    assert not at.exception, at.exception
    report = at.dataframe[0].value
    outcomes = dict(zip(report["file"], report["outcome"], strict=True))
    assert outcomes == {"good.yaml": "imported", "broken.yaml": "rejected", "notes.txt": "skipped"}
    assert "1 imported, 1 rejected, 1 skipped" in texts(at)
    broken = report[report["file"] == "broken.yaml"].iloc[0]["problems"]
    assert "broken.yaml" in broken
    # the imported cluster joins the officer's programme, so the portfolio shows it
    at = signed_in(OFFICER[0])
    assert any(n.startswith("Imported") for n in portfolio_table(at).value["cluster"])


def select_row(at: AppTest, position: int) -> AppTest:
    """Select one row of the portfolio table, as a click on it does (AppTest cannot click a table)."""
    at.session_state["pf:table"] = {"selection": {"rows": [position], "columns": [], "cells": []}}
    return at.run()


def test_selecting_a_row_opens_that_clusters_result_once(store):
    at = signed_in(OFFICER[0])
    at.selectbox(key="pf:sort").set_value("overall").run()
    table = portfolio_table(at).value
    position = 2
    chosen = table.iloc[position]
    at = select_row(at, position)
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Results"]
    assert at.query_params["assessment"] == str(chosen["assessment_id"])
    assert "Review status: Submitted, waiting for review" in texts(at)
    # back on the portfolio the same selection does not open it again; a filter change neither
    at.switch_page("webapp/pages/portfolio.py").run()
    assert [t.value for t in at.title] == ["Portfolio"]
    at.text_input(key="pf:search").input("a").run()
    assert [t.value for t in at.title] == ["Portfolio"]


def test_bulk_import_adds_a_round_to_a_cluster_of_the_programme(store):
    cluster, first = aei(store)
    data = store.answer_data(first.id)
    data["year"] += 1
    data["profile"]["name"] = cluster.name.upper()
    foreign = store.create_cluster("Outside the programme", "setup")
    other = dict(data, profile={**data["profile"], "name": foreign.name})
    content = _zip({"round.json": json.dumps(data), "outside.json": json.dumps(other)})
    at = signed_in(OFFICER[0], page="bulk_import")
    at.get("file_uploader")[0].set_value(("answers.zip", content, "application/zip")).run()
    at.button(key="imp:go").click().run()
    assert not at.exception, at.exception
    report = at.dataframe[0].value.set_index("file")
    assert report.loc["round.json", "added as"] == f"new round (version 2) of cluster {cluster.id}"
    assert report.loc["outside.json", "added as"] == "new cluster"  # not a cluster the officer sees
    assert [a.number for a in store.assessments(cluster.id)] == [1, 2]
    assert store.assessments(foreign.id) == []
    at = signed_in(OFFICER[0])
    row = portfolio_table(at).value.set_index("cluster_id").loc[cluster.id]
    assert row["version"] == 2 and row["year"] == first.year + 1
