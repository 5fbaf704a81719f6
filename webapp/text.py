"""Showing text users typed as text: never as Markdown or HTML that runs."""

from __future__ import annotations

import re

# Every ASCII punctuation character can be backslash-escaped in CommonMark; these are the
# ones Markdown, Streamlit's directives (:red[...], :emoji:) and LaTeX ($) give a meaning.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^\"'])")


def md(text: object) -> str:
    """`text` escaped for st.markdown and other elements that render Markdown.

    Line breaks are kept as spaces, so an escaped text cannot start a heading or a list.
    """
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def shorten(text: str, limit: int = 90) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"
