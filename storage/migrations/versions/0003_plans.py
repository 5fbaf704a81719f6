"""Plans saved with an assessment: funding exit path scenarios, the service plan, structure fit.

A plan is a named JSON document of its kind, one per (assessment, kind, name). Plans are
decisions taken after a score, so they are kept even on a submitted (frozen) assessment.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Migrations keep their own copy of the types they use, never the models' (which change).
UTC_TIMESTAMP = sa.DateTime(timezone=True)


# JSON text; TEXT on SQLite, where a column declared JSON would have NUMERIC affinity (3.0 read as 3).
JSON_VALUE = sa.JSON().with_variant(sa.Text(), "sqlite")


def upgrade() -> None:
    """Create the plans table."""
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("payload", JSON_VALUE, nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("updated_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "kind IN ('funding_path', 'service_plan', 'structure_fit')", name=op.f("ck_plans_kind")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name=op.f("fk_plans_assessment_id_assessments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("assessment_id", "kind", "name", name=op.f("uq_plans_assessment_id_kind_name")),
    )
    op.create_index(op.f("ix_plans_assessment_id"), "plans", ["assessment_id"], unique=False)


def downgrade() -> None:
    """Drop the plans table."""
    op.drop_index(op.f("ix_plans_assessment_id"), table_name="plans")
    op.drop_table("plans")
