"""What the real-browser tests share: `streamlit run app.py` on a free port, and Debian's Chromium.

Each test file makes its own store (a file under tmp_path), then `serve(db_url, tmp_path)`
starts the app on it and yields its URL; the `chromium_path` fixture (tests/conftest.py)
fails under CI=true when Chromium is missing, since CI must run these tests, and skips elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 90
STEP = 30_000  # ms for each wait in the browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_served(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response,
        ):
            if response.read().strip() == b"ok":
                with urllib.request.urlopen(url, timeout=5) as page:
                    if page.status == 200:
                        return
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not serve {url} within {timeout}s")


@contextlib.contextmanager
def serve(db_url: str, tmp_path: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """`streamlit run app.py` on `db_url` (no demo data unless `env` asks), its URL while it runs.

    The server's output goes to tmp_path/streamlit.log, to read when a test fails.
    """
    port = free_port()
    full_env = {**os.environ, "DATABASE_URL": db_url, "CLUSTER_ASSESS_DEMO": "0", **(env or {})}
    with (tmp_path / "streamlit.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_served(url, process, START_TIMEOUT)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def chromium_or_skip() -> Path:
    """Debian's Chromium; a missing one fails the test under CI=true (CI must run it), else skips it."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser test")
        pytest.skip(f"{CHROMIUM} is not installed")
    return CHROMIUM


@contextlib.contextmanager
def browser_page(chromium: Path, **context_options: Any) -> Iterator[Any]:
    """A page of a new headless Chromium (1400x1000, every wait STEP ms); `page.context` opens more."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=STEP)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, **context_options)
        page = context.new_page()
        page.set_default_timeout(STEP)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def idle(page) -> None:
    """Wait until the app has finished its rerun (the running indicator is gone)."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=STEP)
    page.wait_for_timeout(200)


def type_in(page, label: str, value: str) -> None:
    """Fill a text field and press Enter (Streamlit takes a text input's value on Enter or blur)."""
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Enter")
    idle(page)


def sign_in(page, username: str, password: str) -> None:
    """Fill in the sign-in form and wait for the first page."""
    type_in(page, "Username", username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    idle(page)
