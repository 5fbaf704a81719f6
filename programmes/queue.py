"""The officer's review queue: what waits for a decision first, oldest submission first.

With dozens of submissions an officer must see at once what is theirs to do: assessments
"to review" (submitted, or in review and not yet decided) come first, the longest waiting
at the top so that nobody waits for ever; then those returned to their manager; then the
accepted ones. Ties are broken by cluster name (case-insensitive), then by assessment id,
so the order is the same at every run. The columns an officer decides on (index, stage,
completeness, budget, members, status, submission date) come first; every other column of
the portfolio frame follows in its own order.

A pure function of the portfolio frame (`programmes.portfolio.portfolio_frame`, whose
`status` column holds each row's review status): no store, no Streamlit.
"""

from __future__ import annotations

import pandas as pd

#: The queue's groups in order; a status not listed here (e.g. "draft") goes last.
GROUPS: dict[str, int] = {"submitted": 0, "in_review": 0, "returned": 1, "accepted": 2}
TO_REVIEW = ("submitted", "in_review")
FIRST_COLUMNS = (
    "cluster", "overall", "stage", "completeness", "budget", "members", "status", "submitted_at",
)  # fmt: skip


def review_queue(frame: pd.DataFrame) -> pd.DataFrame:
    """The portfolio's rows in queue order (see the module), the decision columns first.

    Raises:
        ValueError: when the frame lacks a column the queue orders by (status, submitted_at, cluster).
    """
    missing = [c for c in ("status", "submitted_at", "cluster") if c not in frame.columns]
    if missing:
        raise ValueError(f"the portfolio frame has no {', '.join(missing)} column")
    out = frame.copy()
    out["_group"] = out["status"].map(lambda s: GROUPS.get(str(s), len(GROUPS)))
    # Missing dates sort last within their group; names compare case-insensitively.
    out["_when"] = pd.to_datetime(out["submitted_at"], utc=True, errors="coerce")
    out["_name"] = out["cluster"].map(lambda n: str(n).casefold())
    by = ["_group", "_when", "_name", *(["assessment_id"] if "assessment_id" in out.columns else [])]
    out = out.sort_values(by, kind="stable", na_position="last").drop(columns=["_group", "_when", "_name"])
    first = [c for c in FIRST_COLUMNS if c in out.columns]
    return out[[*first, *(c for c in out.columns if c not in first)]].reset_index(drop=True)


def to_review(queue: pd.DataFrame) -> pd.DataFrame:
    """The rows still waiting for a decision (submitted or in review), in the queue's order."""
    return queue[queue["status"].isin(TO_REVIEW)].reset_index(drop=True)
