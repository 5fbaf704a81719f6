"""The app's Streamlit settings: nothing sent outside, no Deploy button, a sane upload limit said in the uploader."""

from __future__ import annotations

import tomllib

from streamlit.testing.v1 import AppTest

from tests.apptest_support import APP, TIMEOUT, open_store, sign_in
from tests.conftest import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_no_usage_statistics_and_no_deploy_button():
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["client"]["toolbarMode"] == "viewer"


def test_uploads_are_limited_to_what_answers_files_need():
    assert 1 <= CONFIG["server"]["maxUploadSize"] <= 50  # MB; Streamlit's default is 200


def test_the_uploader_says_its_limit(tmp_path, monkeypatch):
    for _ in open_store(tmp_path, monkeypatch, demo=False):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        sign_in(at)
        at.run()
        helps = [u.proto.help for u in at.get("file_uploader")]
        limit = CONFIG["server"]["maxUploadSize"]
        assert helps and all(h == f"Files up to {limit} MB." for h in helps), helps
