"""The members' survey (surveys, single-use invitations, responses, flood guard) and evidence per answer.

Only new tables: nothing existing changes, so an assessment without a survey or evidence
is stored and scored as before.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Migrations keep their own copy of the types they use, never the models' (which change).
UTC_TIMESTAMP = sa.DateTime(timezone=True)
# JSON text; TEXT on SQLite, where a column declared JSON would have NUMERIC affinity (3.0 read as 3).
JSON_VALUE = sa.JSON().with_variant(sa.Text(), "sqlite")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    """Create the survey and evidence tables."""
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("closed_at", UTC_TIMESTAMP, nullable=True),
        _fk("surveys", "assessment_id", "assessments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
    )
    op.create_index(op.f("ix_surveys_assessment_id"), "surveys", ["assessment_id"], unique=False)
    op.create_table(
        "survey_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", UTC_TIMESTAMP, nullable=True),
        _fk("survey_invitations", "survey_id", "surveys"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_survey_invitations_token_hash")),
    )
    op.create_index(
        op.f("ix_survey_invitations_survey_id"), "survey_invitations", ["survey_id"], unique=False
    )
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("firm_name", sa.String(length=200), nullable=True),
        sa.Column("answers", JSON_VALUE, nullable=False),
        _fk("survey_responses", "survey_id", "surveys"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
    )
    op.create_index(op.f("ix_survey_responses_survey_id"), "survey_responses", ["survey_id"], unique=False)
    op.create_table(
        "survey_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("client_key", sa.String(length=64), nullable=False),
        sa.Column("at", UTC_TIMESTAMP, nullable=False),
        _fk("survey_attempts", "survey_id", "surveys"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_attempts")),
    )
    op.create_index(op.f("ix_survey_attempts_survey_id"), "survey_attempts", ["survey_id"], unique=False)
    op.create_index(op.f("ix_survey_attempts_client_key"), "survey_attempts", ["client_key"], unique=False)
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("stored_name", sa.String(length=100), nullable=True),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint("kind IN ('note', 'link', 'file')", name=op.f("ck_evidence_kind")),
        _fk("evidence", "assessment_id", "assessments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    op.create_index(op.f("ix_evidence_assessment_id"), "evidence", ["assessment_id"], unique=False)
    op.create_table(
        "evidence_marks",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("updated_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "level IN ('self_declared', 'documented', 'verified')", name=op.f("ck_evidence_marks_level")
        ),
        _fk("evidence_marks", "assessment_id", "assessments"),
        sa.PrimaryKeyConstraint("assessment_id", "question_id", name=op.f("pk_evidence_marks")),
    )


def downgrade() -> None:
    """Drop the survey and evidence tables."""
    op.drop_table("evidence_marks")
    op.drop_index(op.f("ix_evidence_assessment_id"), table_name="evidence")
    op.drop_table("evidence")
    op.drop_index(op.f("ix_survey_attempts_client_key"), table_name="survey_attempts")
    op.drop_index(op.f("ix_survey_attempts_survey_id"), table_name="survey_attempts")
    op.drop_table("survey_attempts")
    op.drop_index(op.f("ix_survey_responses_survey_id"), table_name="survey_responses")
    op.drop_table("survey_responses")
    op.drop_index(op.f("ix_survey_invitations_survey_id"), table_name="survey_invitations")
    op.drop_table("survey_invitations")
    op.drop_index(op.f("ix_surveys_assessment_id"), table_name="surveys")
    op.drop_table("surveys")
