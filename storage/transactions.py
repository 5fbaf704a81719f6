"""One database and its transactions: the base every storage aggregate builds on.

Each read runs in its own short session and each write in its own transaction
(`_read`, `_write`), so no caller ever holds a session or an ORM object between calls.
Opening brings the schema up to date (Alembic `upgrade head`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.db import WRITE_OPTION, default_url, make_engine, upgrade


class Database:
    """A database opened at `url` (default: the embedded SQLite file), with its schema up to date."""

    def __init__(self, url: str | None = None) -> None:
        self.url: str = url or default_url()
        self._engine = make_engine(self.url)
        try:
            upgrade(self._engine)
        except BaseException:
            self._engine.dispose()
            raise
        self._reads = sessionmaker(self._engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self._engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    @property
    def display_url(self) -> str:
        """The URL with any password masked, to show on screen or in logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        """The database's kind: "sqlite" or "postgresql"."""
        return self._engine.dialect.name

    def close(self) -> None:
        """Close the store's connections (a closed store opens new ones if used again)."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.display_url!r})"

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._reads() as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with self._writes.begin() as session:
            yield session
