"""result_summaries: each summary also keeps the result's completeness (% of asked questions answered).

The officer's review queue shows every cluster's completeness; reading it from the narrow
summary, as the scores are, keeps the portfolio from decoding 70 kB of result JSON per row.
Results stored before keep their summary and gain `completeness` from their JSON; a summary
that is NULL (a text that is not a result of this engine) stays NULL. No table changes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500


def _completeness(result_json: str) -> float | None:
    """The result's completeness, or None when the text is not a result with one."""
    try:
        value = json.loads(result_json).get("completeness")
    except (ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _tables(sqlite: bool) -> tuple[sa.TableClause, sa.TableClause]:
    results = sa.table(
        "results", sa.column("assessment_id", sa.Integer()), sa.column("result_json", sa.Text())
    )
    summaries = sa.table(
        "result_summaries",
        sa.column("assessment_id", sa.Integer()),
        sa.column("summary", sa.Text() if sqlite else sa.JSON()),
    )
    return results, summaries


def _rewrite(add: bool) -> None:
    """Add (or, going down, drop) `completeness` in every non-NULL summary, a batch at a time."""
    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    results, summaries = _tables(sqlite)
    last = -1
    while True:
        rows = connection.execute(
            sa.select(summaries.c.assessment_id, summaries.c.summary, results.c.result_json)
            .join(results, results.c.assessment_id == summaries.c.assessment_id)
            .where(summaries.c.assessment_id > last, summaries.c.summary.is_not(None))
            .order_by(summaries.c.assessment_id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        for aid, stored, text in rows:
            summary: Any = json.loads(stored) if isinstance(stored, str) else stored
            if not isinstance(summary, dict):
                continue
            summary = {k: v for k, v in summary.items() if k != "completeness"}
            completeness = _completeness(text) if add else None
            if completeness is not None:
                summary["completeness"] = completeness
            value = json.dumps(summary, ensure_ascii=False) if sqlite else summary
            connection.execute(
                summaries.update().where(summaries.c.assessment_id == aid).values(summary=value)
            )
        last = rows[-1][0]


def upgrade() -> None:
    """Write each stored result's completeness into its summary."""
    _rewrite(add=True)


def downgrade() -> None:
    """Take the completeness out of the summaries again (the results keep it)."""
    _rewrite(add=False)
