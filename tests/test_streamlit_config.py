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


def test_the_source_files_are_not_watched():
    # Watching each of the project's modules for changes cost the first page about a second
    # (benchmarks/app_rerun.py); the README says how a developer turns it back on.
    assert CONFIG["server"]["fileWatcherType"] == "none"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "--server.fileWatcherType auto --server.runOnSave true" in readme


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
