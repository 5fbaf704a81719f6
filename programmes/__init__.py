"""The programme officer's data: programme criteria, the portfolio, exports and bulk import."""

from programmes.bulk_import import FileOutcome, ImportReport, bulk_import, import_file, status_word
from programmes.criteria import (
    PROGRAMMES_DIR,
    Criterion,
    CriterionVerdict,
    Programme,
    ProgrammeError,
    judge,
    load_programme,
    shipped_programmes,
    verdict_counts,
    verdict_word,
)
from programmes.exports import (
    anonymised_benchmark,
    cluster_code,
    findings_frame,
    headed,
    sheet_name,
    to_csv,
    to_excel,
)
from programmes.portfolio import portfolio_frame, public_sources, round_scores, rounds_frame
from programmes.queue import review_queue, to_review
from programmes.views import (
    dimension_distribution,
    filter_portfolio,
    frequent_red_flags,
    public_share_vs_index,
    score_movement,
    sort_portfolio,
)

__all__ = [
    "PROGRAMMES_DIR",
    "Criterion",
    "CriterionVerdict",
    "FileOutcome",
    "ImportReport",
    "Programme",
    "ProgrammeError",
    "anonymised_benchmark",
    "bulk_import",
    "cluster_code",
    "dimension_distribution",
    "filter_portfolio",
    "findings_frame",
    "frequent_red_flags",
    "headed",
    "import_file",
    "judge",
    "load_programme",
    "portfolio_frame",
    "public_share_vs_index",
    "public_sources",
    "review_queue",
    "round_scores",
    "rounds_frame",
    "score_movement",
    "sheet_name",
    "shipped_programmes",
    "sort_portfolio",
    "status_word",
    "to_csv",
    "to_excel",
    "to_review",
    "verdict_counts",
    "verdict_word",
]
