"""Files in and out of the app: names of downloads and the limit of uploads, the same on every page."""

from __future__ import annotations

import re

import streamlit as st

from storage import AssessmentInfo
from webapp.i18n import _, number


def file_stem(info: AssessmentInfo) -> str:
    """The start of download file names, e.g. cluster-vasco-2025-v1."""
    slug = re.sub(r"[^a-z0-9]+", "-", info.cluster_name.lower()).strip("-")[:50] or "cluster"
    return f"{slug}-{info.year}-v{info.number}"


def upload_help() -> str:
    """The uploaders' help: the size limit of .streamlit/config.toml, in the session's language."""
    limit = int(st.get_option("server.maxUploadSize"))
    return _("Files up to {size} MB.").format(size=number(limit, 0))
