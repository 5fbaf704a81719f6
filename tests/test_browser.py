"""One real-browser run of the app: `streamlit run` in a subprocess, driven by Chromium through Playwright.

A new user starts an assessment, gives a few answers, reloads the page and finds them kept,
completes the funding mix, submits, sees the radar and the red flags, downloads the HTML
report and opens it from the file, charts included.
"""

from __future__ import annotations

import re

import pytest

from storage import Store
from tests.browser_support import (
    browser_page,
    idle,
    serve,
    sign_in,
    type_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

USERNAME, PASSWORD = "manager", "a-password-for-tests"


@pytest.fixture
def server(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'browser.db'}"
    with Store(db_url) as store:  # the account the test signs in with
        store.create_user(USERNAME, PASSWORD, "admin")
    with serve(db_url, tmp_path) as url:
        yield url, db_url


def test_a_manager_fills_in_reloads_submits_and_downloads_the_report(server, chromium_path, tmp_path):
    from playwright.sync_api import expect

    url, db_url = server
    name = "Clúster Cacao <b>Tumaco</b>"
    with browser_page(chromium_path, accept_downloads=True) as page:
        # a new user starts an assessment for a new cluster
        page.goto(url)
        sign_in(page, USERNAME, PASSWORD)
        expect(page.get_by_text("Start a new assessment")).to_be_visible()
        type_in(page, "Name of the cluster initiative", name)
        page.get_by_role("button", name="Start the assessment").click()
        page.wait_for_url(re.compile(r"assessment=\d+"))
        expect(page.get_by_role("heading", name="Questionnaire")).to_be_visible()
        assessment_id = int(re.search(r"assessment=(\d+)", page.url).group(1))
        expect(page.get_by_text(name).first).to_be_visible()  # shown as text, not as HTML

        # a few answers: the profile, then a question of the first dimension
        type_in(page, "Country *", "Colombia")
        type_in(page, "Year the cluster initiative was founded *", "2019")
        type_in(page, "Number of member organisations *", "40")
        page.get_by_text("1. Foundations", exact=False).first.click()
        idle(page)
        page.get_by_text("Level 3: Most leading firms are members", exact=False).click()
        idle(page)
        expect(page.get_by_text(re.compile(r"Last saved: question 1\.1"))).to_be_visible()

        # reloading finds them kept, on the section the user was on, still signed in
        page.reload()  # a new session: the session cookie and the link keep user, page, assessment, section
        page.wait_for_url(re.compile(rf"assessment={assessment_id}\b"))
        idle(page)
        expect(
            page.get_by_role("radio", name=re.compile("Level 3: Most leading firms are members"))
        ).to_be_checked()
        page.get_by_text("Profile", exact=True).first.click()
        idle(page)
        expect(page.get_by_label("Country *", exact=True)).to_have_value("Colombia")
        expect(page.get_by_label("Year the cluster initiative was founded *", exact=True)).to_have_value(
            "2019"
        )

        # the funding mix: an error until the shares add up to 100, then saved
        page.get_by_text("2. Funding mix", exact=False).first.click()
        idle(page)
        type_in(page, "Baseline public support (% of income, public)", "70")
        type_in(page, "Publicly funded projects (% of income, public)", "15")
        expect(page.get_by_text(re.compile(r"adds? up to 85%, not 100%"))).to_be_visible()
        type_in(page, "Membership fees (% of income, private)", "10")
        type_in(page, "Paid services (% of income, private)", "5")
        expect(page.get_by_text("Sum 100%. Public share 85%.")).to_be_visible()

        # a draft this short of the completeness floor cannot be submitted: it would reach an
        # officer as a partial draft; its results show it as provisional
        page.get_by_text("Review and submit", exact=False).first.click()
        idle(page)
        expect(page.get_by_text(re.compile(r"items? (is|are) not answered yet"))).to_be_visible()
        expect(page.get_by_text("Still short", exact=False)).to_be_visible()
        expect(page.get_by_role("button", name="Submit the assessment")).to_have_count(0)
        page.get_by_role("link", name="Results and review").click()
        expect(page.get_by_role("heading", name="Results")).to_be_visible()
        expect(page.get_by_text("Provisional index", exact=False).first).to_be_visible()

        # the radar and the red flags
        expect(page.locator(".js-plotly-plot").first).to_be_visible()
        expect(page.get_by_role("heading", name="Action plan")).to_be_visible()
        expect(page.get_by_role("heading", name="Seven dimensions")).to_be_visible()
        expect(page.get_by_role("heading", name=re.compile(r"Red flags \([1-9]"))).to_be_visible()
        expect(
            page.get_by_text("Public money still pays for the structure: 70%", exact=False).first
        ).to_be_visible()

        # download the HTML report and open it from the file
        with page.expect_download() as download_info:
            page.get_by_role("button", name=re.compile("Report \\(HTML")).click()
        report = tmp_path / "report.html"
        download_info.value.save_as(report)
        text = report.read_text(encoding="utf-8")
        assert "Clúster Cacao &lt;b&gt;Tumaco&lt;/b&gt;" in text
        offline = page.context.new_page()
        offline.goto(report.as_uri())
        expect(offline.locator("h1")).to_have_text(name)
        expect(offline.locator(".js-plotly-plot")).to_have_count(2)  # radar and funding mix
        expect(offline.locator("#radar .main-svg").first).to_be_visible()

    with Store(db_url) as store:
        info = store.assessment(assessment_id)
        assert info.status == "draft"
        data = store.answer_data(assessment_id)
        assert data["profile"]["country"] == "Colombia"
        assert data["answers"]["critical_mass"] == 3
        assert data["answers"]["funding_mix"]["public_baseline"] == 70
