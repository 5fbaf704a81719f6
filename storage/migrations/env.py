"""Alembic environment: runs the package's migrations on the connection the store hands over.

`storage.db.upgrade` passes its connection in `config.attributes["connection"]`; without
one (e.g. `alembic -x url=...` from a shell), an engine is made from the `sqlalchemy.url`
option, the `url` -x argument or `DATABASE_URL`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import storage.evidence_models  # noqa: F401  (its tables join the metadata)
from storage.db import default_url, make_engine
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url", default_url()
    )


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: later migrations copy the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_offline() -> None:
    """Print the SQL of the migrations instead of running them."""
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run the migrations on the given connection, or on a new one."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
