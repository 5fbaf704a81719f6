"""Connecting to the database and bringing its schema up to date.

The database is an SQLite file in `data/` under the project root unless `DATABASE_URL`
names another (any SQLAlchemy URL; PostgreSQL as `postgresql+psycopg://user:pw@host/db`).
SQLite runs in WAL mode with a busy timeout, and SQLAlchemy emits the BEGIN itself so
that writers take the write lock at the start of their transaction (`BEGIN IMMEDIATE`):
two processes saving at once then wait for each other instead of failing.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from alembic.config import Config

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DB = DATA_DIR / "assessments.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# A migration's file starts with its revision id, four digits that count up from 0001
# (tests/test_storage.py holds the files to it): the newest is known without Alembic.
MIGRATION_FILE = re.compile(r"^(\d{4})_\w+\.py$")
VERSION_TABLE = "alembic_version"
URL_VARIABLE = "DATABASE_URL"
BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = "storage_write"
# Any constant: the key of the PostgreSQL advisory lock held while migrating.
MIGRATION_LOCK = 0x636C7573


def default_url() -> str:
    """`DATABASE_URL` when set, else the SQLite file `data/assessments.db` under the project root."""
    return os.environ.get(URL_VARIABLE) or f"sqlite:///{DEFAULT_DB}"


def make_engine(url: str) -> Engine:
    """An engine for `url`; for an SQLite file, its folder is created and WAL mode set on connect."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # Let SQLAlchemy emit BEGIN (see _sqlite_begin), not the sqlite3 module.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Switching a new database to WAL needs an exclusive lock, and SQLite reports "locked"
        # at once (no busy wait) when another connection is switching it too: try again.
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                cursor.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the package's migrations, with no alembic.ini.

    With `connection`, the migrations run on it (inside its transaction).
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest migration's revision id, as Alembic finds it from the chain of migrations."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def newest_migration() -> str | None:
    """The newest migration's revision id, read off the file names.

    Opening a store on an up-to-date database then needs no Alembic, whose import (with
    Mako and Pygments) adds about 0.1 s to the app's start.
    """
    found = (MIGRATION_FILE.match(p.name) for p in (MIGRATIONS_DIR / "versions").iterdir())
    return max((m.group(1) for m in found if m), default=None)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return _recorded_revision(connection)


def _recorded_revision(connection: Connection) -> str | None:
    # The table Alembic keeps its one row in; read with plain SQL so as not to import it.
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration, in one transaction.

    Two processes opening the same new database at once migrate it once: on PostgreSQL
    the second waits on an advisory lock, on SQLite on the write lock of BEGIN IMMEDIATE.
    """
    if current_revision(engine) == newest_migration():
        return
    from alembic import command

    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        command.upgrade(alembic_config(connection), "head")
