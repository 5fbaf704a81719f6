"""users.language: the language each user last chose in the app, so the next sign-in speaks it.

Nullable: existing accounts (and those that never choose) keep the app's default, English.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the nullable language column to users."""
    op.add_column("users", sa.Column("language", sa.String(length=5), nullable=True))


def downgrade() -> None:
    """Drop the language column (batch mode, so SQLite copies the table where it must)."""
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
