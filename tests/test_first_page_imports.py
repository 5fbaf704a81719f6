"""The sign-in page starts without the parts of the app only signed-in pages use (issue 15).

`streamlit run` has to import what the first page needs before anyone sees it. The
sign-in page opens the store and asks for a password: it must not wait for pandas, the
questionnaire, the scoring engine, planning, programmes or the reports. Each check runs the
app in a fresh interpreter (a module imported once stays imported) and lists what the
run of the page added to `sys.modules`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Modules (and packages with everything under them) the sign-in page has no use for.
NOT_ON_THE_SIGN_IN_PAGE = (
    "pandas",
    "numpy",
    "scoring",
    "planning",
    "programmes",
    "reports",
    "openpyxl",
    "assessment.loading",
    # The questionnaire's models: pydantic alone took about 0.1 s of each start, and the
    # answers' checks (with the models under them) 0.14 s more, for two year bounds.
    "pydantic",
    "pydantic_core",
    "assessment.text",
    "assessment.answers",
    "assessment.questionnaire",
)

RUN_PAGE = textwrap.dedent(
    """
    import json, sys
    from streamlit.testing.v1 import AppTest

    before = set(sys.modules)
    at = AppTest.from_file(sys.argv[1], default_timeout=120)
    at.run()
    print(json.dumps({
        "exception": [e.value for e in at.exception],
        "buttons": [b.label for b in at.button],
        "added": sorted(set(sys.modules) - before),
    }))
    """
)


def _sign_in_page(database: Path, demo: bool) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "CLUSTER_ASSESS_DEMO": "1" if demo else "0",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", RUN_PAGE, str(ROOT / "app.py")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _unneeded(added: list[str], modules: tuple[str, ...] = NOT_ON_THE_SIGN_IN_PAGE) -> list[str]:
    return [
        name for name in added if any(name == prefix or name.startswith(prefix + ".") for prefix in modules)
    ]


@pytest.mark.parametrize("demo", [False, True], ids=["no demo", "demo restart"])
def test_the_sign_in_page_imports_nothing_only_signed_in_pages_need(tmp_path: Path, demo: bool) -> None:
    database = tmp_path / "app.db"
    if demo:
        first = _sign_in_page(database, demo=True)  # loads the demo data: scoring is needed once
        assert not first["exception"], first["exception"]
        assert "scoring.engine" in first["added"]
    page = _sign_in_page(database, demo=demo)
    assert not page["exception"], page["exception"]
    assert any("sign in" in label.lower() for label in page["buttons"]), page["buttons"]
    assert _unneeded(page["added"]) == []
    if demo:
        # The database is already at the newest migration: nothing to migrate, no Alembic.
        assert _unneeded(page["added"], ("alembic", "mako", "pygments")) == []
