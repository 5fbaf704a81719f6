"""Names of the files the app offers for download, the same for every page."""

from __future__ import annotations

import re

from storage import AssessmentInfo


def file_stem(info: AssessmentInfo) -> str:
    """The start of download file names, e.g. cluster-vasco-2025-v1."""
    slug = re.sub(r"[^a-z0-9]+", "-", info.cluster_name.lower()).strip("-")[:50] or "cluster"
    return f"{slug}-{info.year}-v{info.number}"
