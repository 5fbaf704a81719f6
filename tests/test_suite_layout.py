"""How the suite itself is run: `make test` spreads it over every core, one browser at a time."""

from __future__ import annotations

import tomllib

import pytest

from tests.conftest import ROOT


class _Collected:
    """A plugin that records, after conftest.py's hook ran, the markers of every item collected."""

    def __init__(self) -> None:
        self.markers: dict[str, tuple[bool, tuple[object, ...] | None]] = {}

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            group = item.get_closest_marker("xdist_group")
            self.markers[item.nodeid] = (
                item.get_closest_marker("browser") is not None,
                group.args if group else None,
            )


def test_every_browser_test_is_marked_and_kept_on_one_worker() -> None:
    # Two Chromiums at once on a 2-core machine made both time out; pytest-xdist's loadgroup
    # keeps every test of one xdist_group on a single worker.
    files = sorted(str(p) for p in (ROOT / "tests").glob("test_browser*.py"))
    collected = _Collected()
    code = pytest.main(
        ["--collect-only", "-q", "-p", "no:cacheprovider", "-n", "0", *files], plugins=[collected]
    )
    assert code == 0
    assert len(collected.markers) >= len(files)
    assert all(marked and group == ("browser",) for marked, group in collected.markers.values()), (
        collected.markers
    )


def test_make_test_runs_on_every_core_with_groups_honoured() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-m pytest -n auto" in makefile
    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"][
        "ini_options"
    ]
    assert options["addopts"][-2:] == ["--dist", "loadgroup"]
