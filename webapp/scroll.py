"""Bringing a question back into view after a reload: the page opens where the user was.

Streamlit cannot scroll from Python; a short script finds the widget by the class Streamlit
gives every keyed element (`st-key-<key>`, other characters than letters, digits, "-" and "_"
replaced by "-") and scrolls it to the middle of the window once the page has drawn it.
The script holds no "<": Streamlit passes `st.html` through DOMPurify, which drops a
script whose text reads like the start of a tag.
"""

from __future__ import annotations

import json
import re

import streamlit as st


def key_class(key: str) -> str:
    """The CSS class Streamlit gives the element of widget `key`."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key)


def scroll_to(key: str) -> None:
    """Scroll the widget of `key` into view once it is on the page (tries for about five seconds)."""
    selector = json.dumps("." + key_class(key))
    st.html(
        "<script>(function(){let n=0;const go=()=>{const d=[document,window.parent.document];"
        f"const el=d.map(x=>x.querySelector({selector})).find(Boolean);"
        "if(el){el.scrollIntoView({block:'center'});}else if(25>n++){setTimeout(go,200);}};"
        "setTimeout(go,200);})();</script>",
        unsafe_allow_javascript=True,
        width="content",
    )
