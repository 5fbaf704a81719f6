"""The planning page in a real browser: build, save and compare two funding exit path scenarios.

`streamlit run` in a subprocess on a store with the demo data, driven by Debian's Chromium
through Playwright (the harness of tests/test_browser.py).
"""

from __future__ import annotations

import re

import pytest

from storage import Store, load_demo
from tests.apptest_support import EXAMPLES, QUESTIONNAIRE
from tests.browser_support import (
    browser_page,
    idle,
    serve,
    sign_in,
    type_in,
)
from tests.test_browser import PASSWORD, USERNAME

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def demo_server(tmp_path):
    db = f"sqlite:///{tmp_path / 'planning.db'}"
    with Store(db) as store:
        store.create_user(USERNAME, PASSWORD, "admin")
        load_demo(store, EXAMPLES, QUESTIONNAIRE)
        cluster = next(c for c in store.clusters() if c.name.startswith("Cluster Vasco"))
        aid = store.assessments(cluster.id)[-1].id
    with serve(db, tmp_path) as url:
        yield url, db, aid


def _choose(page, label: str, option: str) -> None:
    """Pick an option of a select box or multiselect by its label."""
    page.get_by_label(label, exact=True).click()
    page.keyboard.type(option)  # the box filters its options as one types
    page.keyboard.press("Enter")
    idle(page)


def test_a_manager_builds_saves_and_compares_two_scenarios(demo_server, chromium_path):
    from playwright.sync_api import expect

    url, db, aid = demo_server
    with browser_page(chromium_path) as page:
        page.goto(f"{url}/results?assessment={aid}")
        sign_in(page, USERNAME, PASSWORD)
        expect(page.get_by_role("heading", name="Results")).to_be_visible()
        page.get_by_role("button", name="Funding exit path").click()
        idle(page)
        expect(page.get_by_role("heading", name="Planning")).to_be_visible()
        expect(page.get_by_text("Funding exit path: Base")).to_be_visible()

        # the first scenario: support tapers by 25% a year
        _choose(page, "Baseline public support", "Tapers off by a share each year")
        type_in(page, "Falls each year by (% of today's level)", "25")
        expect(page.get_by_text(re.compile(r"Saved: scenario Base"))).to_be_visible()

        # a second one from it, over eight years, whose structure costs 95% of the budget
        type_in(page, "New scenario from this one", "Eight years, heavy structure")
        page.get_by_role("button", name="Save as new scenario").click()
        idle(page)
        expect(page.get_by_text("Funding exit path: Eight years, heavy structure")).to_be_visible()
        type_in(page, "Years to plan (5 to 10)", "8")
        type_in(page, "Cost of the structure in the base year", "95")
        expect(page.get_by_text(re.compile(r"Costs are not covered in 20\d\d"))).to_be_visible()

        # a refused value is shown next to its field and not saved
        type_in(page, "Years to plan (5 to 10)", "14")
        expect(page.get_by_text("must be at most 10, got 14")).to_be_visible()

        # compare the two side by side
        _choose(page, "Scenarios to compare", "Base")
        _choose(page, "Scenarios to compare", "Eight years, heavy structure")
        expect(page.get_by_text("Public share by scenario")).to_be_visible()
        expect(page.get_by_text("Income minus cost of the structure")).to_be_visible()
        expect(page.locator(".js-plotly-plot")).to_have_count(
            5
        )  # the scenario (2), the comparison (2), the sensitivity

    with Store(db) as store:
        assert [p.name for p in store.plans(aid, "funding_path")] == ["Base", "Eight years, heavy structure"]
        base = store.plan(aid, "funding_path", "Base").payload
        heavy = store.plan(aid, "funding_path", "Eight years, heavy structure").payload
        assert base.public_support.pct_per_year == 25.0 and base.horizon == 5
        assert heavy.horizon == 8 and heavy.cost.structure_share == 95.0
        assert heavy.public_support.pct_per_year == 25.0
