"""A throwaway PostgreSQL server for the storage tests, started once per test session (per worker under -n).

The binaries come from /usr/lib/postgresql/<version>/bin (Debian's `postgresql` package).
initdb refuses to run as root, so as root (CI) the server runs as the unprivileged user
`nobody`, in a temporary folder that user owns; it listens on 127.0.0.1 on a free port
and on a unix socket in that folder, with durability switched off (fsync) for speed.
Each test gets an empty schema of its own (`PostgresServer.new_schema`; a new database
takes 0.3 s, a schema nothing) or a database (`new_database`); the fixtures
`db_url` and `store` give every storage test on SQLite (a file in tmp_path) and PostgreSQL.

Without the binaries the PostgreSQL tests are skipped, except when the environment
variable CI is set: CI must run them, so there they fail.

Registered by the storage test modules with `pytest_plugins = ["tests.pg"]`.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import Store

PG_ROOT = Path("/usr/lib/postgresql")
RUN_AS = "nobody"
SUPERUSER = "postgres"


def find_bindir() -> Path | None:
    """The bin folder of the newest PostgreSQL installed, or None."""
    found = [p.parent for p in PG_ROOT.glob("*/bin/initdb") if (p.parent / "pg_ctl").exists()]
    found.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and Path(initdb).with_name("pg_ctl").exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A PostgreSQL server in a temporary folder; `stop` removes everything."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.as_root = os.geteuid() == 0
        self.base = Path(tempfile.mkdtemp(prefix="storage-pg-"))
        self.data = self.base / "data"
        self.log = self.base / "server.log"
        self.port = 0
        self._names = itertools.count(1)
        if self.as_root:
            user = pwd.getpwnam(RUN_AS)
            os.chown(self.base, user.pw_uid, user.pw_gid)

    def _run(self, *args: str, timeout: float = 60) -> tuple[int, str]:
        """Run a PostgreSQL program (as `nobody` when root); its exit code and output.

        The output goes to a file, not a pipe: a server started by pg_ctl keeps the
        descriptors it inherits, and reading a pipe it holds would never end.
        """
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", RUN_AS, "--", *command]
        with tempfile.TemporaryFile("w+") as out:
            code = subprocess.call(
                command, cwd=self.base, stdin=subprocess.DEVNULL, stdout=out, stderr=out, timeout=timeout
            )
            out.seek(0)
            return code, out.read()

    def _check(self, done: tuple[int, str], what: str) -> None:
        code, output = done
        if code != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{what} failed ({code}):\n{output}\n{log}")

    def start(self) -> None:
        """initdb, then start on a free port (trying another port if one was taken meanwhile)."""
        self._check(
            self._run(
                "initdb", "-D", str(self.data), "-U", SUPERUSER, "-A", "trust",
                "-E", "UTF8", "--no-locale", "--no-sync",
            ),
            "initdb",
        )  # fmt: skip
        for _ in range(3):
            self.port = _free_port()
            options = (
                f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
            )
            done = self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start"
            )
            if done[0] == 0:
                return
        self._check(done, "pg_ctl start")

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def restart(self) -> None:
        """Restart the server (same port and data), e.g. to check clients reconnect."""
        self._check(
            # -l again: without it the server would write to (and hold open) pg_ctl's output pipe.
            self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "restart"),
            "pg_ctl restart",
        )

    def url(self, database: str = SUPERUSER) -> str:
        """The SQLAlchemy URL of a database on this server."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self) -> str:
        """Create an empty database and return its URL (about 0.3 s)."""
        name = f"test_{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def new_schema(self) -> str:
        """Create an empty schema and return a URL whose connections use it (search_path); instant.

        To the store it is an empty database: its tables, and Alembic's, go in that schema.
        """
        name = f"test_{next(self._names)}"
        self._admin(f'CREATE SCHEMA "{name}"')
        return f"{self.url()}?options=-csearch_path%3D{name}"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A running PostgreSQL server for the whole session (skipped without binaries, failed on CI)."""
    bindir = find_bindir()
    if bindir is None:
        message = (
            f"PostgreSQL binaries not found under {PG_ROOT}/*/bin nor on PATH (apt-get install postgresql)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must run the PostgreSQL tests")
        pytest.skip(message)
    server = PostgresServer(bindir)
    try:
        server.start()
    except Exception as exc:
        server.stop()
        pytest.fail(f"could not start PostgreSQL: {exc}")
    try:
        yield server
    finally:
        server.stop()


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: an SQLite file, or a new schema on the session's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_server").new_schema()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A store opened on `db_url` (so migrated), closed after the test."""
    opened = Store(db_url)
    try:
        yield opened
    finally:
        opened.close()
