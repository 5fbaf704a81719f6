"""The programme officer's path in a real browser: `streamlit run` driven by Chromium through Playwright.

The demo data and accounts are made as `make run` makes them (`python -m webapp.demo_accounts`);
the officer signs in with the form, finds a cluster in the portfolio by name, opens its
result, starts the review, comments (the comment shows as text, not HTML) and returns it;
opens a cluster's result by clicking its row of the portfolio table; and finds a newly
submitted cluster first in the review queue and accepts it there in one click.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from storage import Store
from tests import browser_support as tb

pytestmark = [pytest.mark.browser, pytest.mark.slow]
OFFICER = ("officer-demo", "officer-demo-demo-password")
CLUSTER = "Manchuela"
COMMENT = "Where are the <b>private</b> members?"


@pytest.fixture
def demo_server(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'officer.db'}"
    env = {**os.environ, "DATABASE_URL": db_url, "CLUSTER_ASSESS_DEMO": "1"}
    made = subprocess.run(
        [sys.executable, "-m", "webapp.demo_accounts"], cwd=tb.ROOT, env=env, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    assert "officer-demo-demo-password" in made.stdout
    with tb.serve(db_url, tmp_path, {"CLUSTER_ASSESS_DEMO": "1"}) as url:
        yield url, db_url


def _find_the_cluster(page, url: str) -> None:
    """Sign in as the officer and narrow the portfolio to the one cluster, by part of its name."""
    from playwright.sync_api import expect

    page.goto(url)
    tb.sign_in(page, *OFFICER)
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()
    tb.type_in(page, "Search by name", CLUSTER.lower())
    expect(page.get_by_text(re.compile(r"^1 of \d+ clusters$"))).to_be_visible()


def test_an_officer_finds_a_cluster_comments_and_returns_it(demo_server, chromium_path):
    from playwright.sync_api import expect

    url, db_url = demo_server
    with tb.browser_page(chromium_path) as page:
        _find_the_cluster(page, url)
        page.get_by_role("button", name="Open its result and review").click()
        page.wait_for_url(re.compile(r"assessment=\d+"))
        expect(page.get_by_role("heading", name="Results")).to_be_visible()
        assessment_id = int(re.search(r"assessment=(\d+)", page.url).group(1))

        page.get_by_role("button", name="Start the review").click()
        tb.idle(page)
        expect(page.get_by_text("Review status: In review")).to_be_visible()
        page.get_by_label("Comment", exact=True).fill(COMMENT)
        page.get_by_role("button", name="Add the comment").click()
        tb.idle(page)
        expect(page.get_by_role("paragraph").filter(has_text=COMMENT)).to_be_visible()  # tags as text
        expect(page.get_by_label("Comment", exact=True)).to_have_value("")
        page.get_by_role("button", name="Return to the manager").click()
        tb.idle(page)
        expect(page.get_by_text("Review status: Returned to the manager with comments")).to_be_visible()

    with Store(db_url) as store:
        assert store.review_status(assessment_id) == "returned"
        assert [c.body for c in store.comments(assessment_id)] == [COMMENT]
        assert store.cluster(store.assessment(assessment_id).cluster_id).name.endswith(CLUSTER)


def test_an_officer_opens_a_cluster_by_clicking_its_row(demo_server, chromium_path):
    from playwright.sync_api import expect

    url, db_url = demo_server
    with tb.browser_page(chromium_path) as page:
        _find_the_cluster(page, url)
        grid = page.locator(".st-key-pf-table").get_by_test_id("stDataFrame")  # not the queue above
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        assert box is not None
        # the row marker (selection) column of the first data row: below the 35 px header
        page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
        page.wait_for_url(re.compile(r"assessment=\d+"))
        expect(page.get_by_role("heading", name="Results")).to_be_visible()
        assessment_id = int(re.search(r"assessment=(\d+)", page.url).group(1))

    with Store(db_url) as store:
        assert store.cluster(store.assessment(assessment_id).cluster_id).name.endswith(CLUSTER)


def test_the_queue_shows_a_new_submission_first_and_accepts_it(demo_server, chromium_path):
    from playwright.sync_api import expect

    from tests.test_app_review_queue import NEW, decide_every_demo_submission, submit_a_new_cluster

    url, db_url = demo_server
    with Store(db_url) as store:
        decide_every_demo_submission(store)
        new_id = submit_a_new_cluster(store)
    with tb.browser_page(chromium_path) as page:
        page.goto(url)
        tb.sign_in(page, *OFFICER)
        expect(page.get_by_role("heading", name="To review (1)")).to_be_visible()
        grid = page.get_by_test_id("stDataFrame").first  # the queue, above the portfolio's table
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)  # the first row's selection marker
        tb.idle(page)
        expect(page.get_by_text(re.compile(rf"^Selected: {NEW} · \d{{4}} · version 1$"))).to_be_visible()
        page.get_by_role("button", name="Accept", exact=True).click()
        tb.idle(page)
        expect(page.get_by_text(f"Accepted: {NEW}.")).to_be_visible()
        expect(page.get_by_role("heading", name="To review (0)")).to_be_visible()
        expect(page.get_by_text("Nothing waits for review.")).to_be_visible()

    with Store(db_url) as store:
        assert store.review_status(new_id) == "accepted"
        steps = [(e.actor, e.new) for e in store.audit(new_id) if e.action == "review"]
        assert steps == [(OFFICER[0], "in_review"), (OFFICER[0], "accepted")]
