"""Initial schema: clusters, assessments, answers, results and the audit trail.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Migrations keep their own copy of the types they use, never the models' (which change).
UTC_TIMESTAMP = sa.DateTime(timezone=True)
# JSON text; TEXT on SQLite, where a column declared JSON would have NUMERIC affinity (3.0 read as 3).
JSON_VALUE = sa.JSON().with_variant(sa.Text(), "sqlite")


def upgrade() -> None:
    """Create the five tables."""
    op.create_table(
        "clusters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=True),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clusters")),
        sa.UniqueConstraint("origin", name=op.f("uq_clusters_origin")),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire", sa.String(length=100), nullable=False),
        sa.Column("questionnaire_version", sa.String(length=50), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("updated_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("submitted_at", UTC_TIMESTAMP, nullable=True),
        sa.CheckConstraint("status IN ('draft', 'submitted')", name=op.f("ck_assessments_status")),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_assessments_cluster_id_clusters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("cluster_id", "number", name=op.f("uq_assessments_cluster_id_number")),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", JSON_VALUE, nullable=False),
        sa.Column("updated_at", UTC_TIMESTAMP, nullable=False),
        sa.CheckConstraint("section IN ('profile', 'answers')", name=op.f("ck_answers_section")),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name=op.f("fk_answers_assessment_id_assessments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
        sa.UniqueConstraint(
            "assessment_id", "section", "key", name=op.f("uq_answers_assessment_id_section_key")
        ),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_TIMESTAMP, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=300), nullable=True),
        sa.Column("old", JSON_VALUE, nullable=True),
        sa.Column("new", JSON_VALUE, nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name=op.f("fk_audit_assessment_id_assessments")
        ),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name=op.f("fk_audit_cluster_id_clusters")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
    )
    op.create_index(op.f("ix_audit_assessment_id"), "audit", ["assessment_id"], unique=False)
    op.create_index(op.f("ix_audit_cluster_id"), "audit", ["cluster_id"], unique=False)
    op.create_table(
        "results",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.Column("overall", sa.Double(), nullable=True),
        sa.Column("stage", sa.String(length=50), nullable=True),
        sa.Column("engine_version", sa.String(length=50), nullable=False),
        sa.Column("computed_at", UTC_TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name=op.f("fk_results_assessment_id_assessments")
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_results")),
    )


def downgrade() -> None:
    """Drop the five tables."""
    op.drop_table("results")
    op.drop_index(op.f("ix_audit_cluster_id"), table_name="audit")
    op.drop_index(op.f("ix_audit_assessment_id"), table_name="audit")
    op.drop_table("audit")
    op.drop_table("answers")
    op.drop_table("assessments")
    op.drop_table("clusters")
