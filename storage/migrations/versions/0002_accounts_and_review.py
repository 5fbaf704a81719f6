"""Accounts and review: programmes, users and their clusters, review status, comments, revisions.

No existing table is altered: the new facts live in tables of their own, so the migration is
the same plain DDL on SQLite and PostgreSQL.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Migrations keep their own copy of the types they use, never the models' (which change).
UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the seven tables."""
    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
        sa.UniqueConstraint("slug", name=op.f("uq_programmes_slug")),
    )
    op.create_table(
        "cluster_programmes",
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_cluster_programmes_cluster_id_clusters")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"], name=op.f("fk_cluster_programmes_programme_id_programmes")
        ),
        sa.PrimaryKeyConstraint("cluster_id", name=op.f("pk_cluster_programmes")),
    )
    op.create_index(
        op.f("ix_cluster_programmes_programme_id"), "cluster_programmes", ["programme_id"], unique=False
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("disabled_at", UTC_TIMESTAMP, nullable=True),
        sa.CheckConstraint("role IN ('manager', 'officer', 'admin')", name=op.f("ck_users_role")),
        sa.CheckConstraint(
            "(role = 'officer' AND programme_id IS NOT NULL) OR (role <> 'officer' AND programme_id IS NULL)",
            name=op.f("ck_users_officer_programme"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"], name=op.f("fk_users_programme_id_programmes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "user_clusters",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_user_clusters_cluster_id_clusters")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_clusters_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", "cluster_id", name=op.f("pk_user_clusters")),
    )
    op.create_table(
        "reviews",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("updated_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint("status IN ('in_review', 'accepted', 'returned')", name=op.f("ck_reviews_status")),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name=op.f("fk_reviews_assessment_id_assessments")
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_reviews")),
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=200), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name=op.f("fk_comments_assessment_id_assessments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index(op.f("ix_comments_assessment_id"), "comments", ["assessment_id"], unique=False)
    op.create_table(
        "revisions",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name=op.f("fk_revisions_assessment_id_assessments")
        ),
        sa.ForeignKeyConstraint(
            ["previous_id"], ["assessments.id"], name=op.f("fk_revisions_previous_id_assessments")
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_revisions")),
    )
    op.create_index(op.f("ix_revisions_previous_id"), "revisions", ["previous_id"], unique=False)


def downgrade() -> None:
    """Drop the seven tables."""
    op.drop_index(op.f("ix_revisions_previous_id"), table_name="revisions")
    op.drop_table("revisions")
    op.drop_index(op.f("ix_comments_assessment_id"), table_name="comments")
    op.drop_table("comments")
    op.drop_table("reviews")
    op.drop_table("user_clusters")
    op.drop_table("users")
    op.drop_index(op.f("ix_cluster_programmes_programme_id"), table_name="cluster_programmes")
    op.drop_table("cluster_programmes")
    op.drop_table("programmes")
