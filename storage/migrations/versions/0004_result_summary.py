"""result_summaries: each result's current scores in a narrow row (dimension scores, red-flag lessons).

The portfolio lists thousands of clusters and needs only these few numbers of each result;
reading them from a narrow table instead of decoding 70 kB of result JSON per row lets a
programme of 5,000 clusters load in under a second, and a re-score rewrites these rows
alone (changing a results row would rewrite its JSON too). Existing results are summarised
here from their JSON (a text that is not a result of this engine gets a NULL summary).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Migrations keep their own copy of the types they use, never the models' (which change).
UTC_TIMESTAMP = sa.DateTime(timezone=True)
# JSON text; TEXT on SQLite, where a column declared JSON would have NUMERIC affinity (3.0 read as 3).
JSON_VALUE = sa.JSON().with_variant(sa.Text(), "sqlite")
BATCH = 500


def _summary(result_json: str) -> dict[str, Any] | None:
    """The migration's own copy of `storage.summary.summary_of_result` (migrations never import the app)."""
    try:
        data = json.loads(result_json)
        dimensions = {d["id"]: d.get("score") for d in data.get("dimensions", [])}
        flags = [f["lesson"] for f in data.get("findings", []) if f.get("kind") == "red_flag"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return {"dimensions": dimensions, "red_flags": flags}


def upgrade() -> None:
    """Create result_summaries and fill it from every stored result, a batch at a time."""
    op.create_table(
        "result_summaries",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("overall", sa.Double(), nullable=True),
        sa.Column("stage", sa.String(length=50), nullable=True),
        sa.Column("summary", JSON_VALUE, nullable=True),
        sa.Column("computed_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("rescored", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessments.id"], name=op.f("fk_result_summaries_assessment_id_assessments")
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_result_summaries")),
    )
    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    results = sa.table(
        "results",
        sa.column("assessment_id", sa.Integer()),
        sa.column("result_json", sa.Text()),
        sa.column("overall", sa.Double()),
        sa.column("stage", sa.String()),
        sa.column("computed_at", UTC_TIMESTAMP),
    )
    summaries = sa.table(
        "result_summaries",
        sa.column("assessment_id", sa.Integer()),
        sa.column("overall", sa.Double()),
        sa.column("stage", sa.String()),
        sa.column("summary", sa.Text() if sqlite else sa.JSON()),
        sa.column("computed_at", UTC_TIMESTAMP),
        sa.column("rescored", sa.Boolean()),
    )
    last = -1
    while True:
        rows = connection.execute(
            sa.select(
                results.c.assessment_id,
                results.c.result_json,
                results.c.overall,
                results.c.stage,
                results.c.computed_at,
            )
            .where(results.c.assessment_id > last)
            .order_by(results.c.assessment_id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        values = []
        for aid, text, overall, stage, computed in rows:
            parsed = _summary(text)
            summary: dict[str, Any] | str | None = parsed
            if sqlite and parsed is not None:
                summary = json.dumps(parsed, ensure_ascii=False)
            values.append(
                {
                    "assessment_id": aid,
                    "overall": overall,
                    "stage": stage,
                    "summary": summary,
                    "computed_at": computed,
                    "rescored": False,
                }
            )
        connection.execute(summaries.insert(), values)
        last = rows[-1][0]


def downgrade() -> None:
    """Drop result_summaries (the results keep everything it was made from)."""
    op.drop_table("result_summaries")
