"""What the three planners share: the planners' names, the context they plan in, amounts and notes.

The page that shows one planner at a time is webapp.views.planning; the planners are in
planning_funding, planning_services and planning_structure, which import this module (and
this module none of them).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from assessment.answers import ValidAnswers
from assessment.errors import Problem
from assessment.i18n import N_, format_number
from storage import AssessmentInfo
from storage.plans import InvalidPlan
from webapp import state
from webapp.i18n import _, current_language
from webapp.saving import note_saved
from webapp.text import md

TOOL = "plan:tool"
OPEN = "plan:assessment"
#: Prefixes of the planners' widget keys: forgotten when another assessment is planned.
WIDGET_PREFIXES = ("pf:", "pst:", "plan:fp:", "plan:ps:", "plan:pst:")
#: The planners, by the key the results page links to them with (English msgids: see `tool_label`).
TOOLS: dict[str, str] = {
    "funding": N_("Funding exit path"),
    "services": N_("Service portfolio plan"),
    "structure": N_("Structure fit"),
}


def tool_label(tool: str) -> str:
    """A planner's name in the session's language."""
    return _(TOOLS[tool])


def invalid_plan_text(exc: InvalidPlan, then: str = "") -> str:
    """A saved plan that no longer fits its model, in the session's language; `then` says what happens now.

    The failing fields are named as the store found them.
    """
    text = _("The saved plan {name} is not valid: {problems}.").format(
        name=repr(exc.name), problems="; ".join(exc.problems)
    )
    return f"{text} {then}" if then else text


def amount(value: float) -> str:
    """An amount of money (thousands) as the session's language writes it, one decimal kept: 1,234.5."""
    return format_number(value, current_language(), 1, trim=False)


@dataclass(frozen=True)
class Context:
    """What a planner works on: the open assessment, its valid answers and whether it may write."""

    info: AssessmentInfo
    answers: ValidAnswers
    writable: bool


def open_tool(tool: str) -> None:
    """Go to the planning page showing one planner (a button's action on the results page)."""
    st.session_state[TOOL] = tool
    state.go(state.PLANNING_PAGE)


def problems_by_field(problems: Sequence[Problem]) -> dict[str, list[str]]:
    """Problems grouped by their top-level field, each message prefixed with its sub-path.

    E.g. `members.large.fee: must be at least 0` is kept under `members` as
    `large.fee: must be at least 0`, to be shown next to the members' inputs.
    """
    out: dict[str, list[str]] = {}
    for p in problems:
        top, _, rest = p.location.partition(".")
        out.setdefault(top, []).append(f"{rest}: {p.message}" if rest else p.message)
    return out


def keep_refused(
    fields: Iterable[str], new: Mapping[str, Any], problems: Mapping[str, Any], stored: Mapping[str, Any]
) -> dict[str, Any]:
    """The fields to save: a refused field keeps its stored value (or is left out), the others take the new.

    One bad input never discards the others: the planners save what passes at once.
    """
    merged: dict[str, Any] = {}
    for name in fields:
        if name in problems:
            if name in stored:
                merged[name] = stored[name]
        elif name in new:
            merged[name] = new[name]
    return merged


def show_problems(problems: Mapping[str, list[str]], field: str) -> None:
    """The messages of one field, next to its input (plain text)."""
    for message in problems.get(field, ()):
        st.error(md(message), icon=":material/error:")


def forget_widgets(prefixes: tuple[str, ...]) -> None:
    """Forget what the widgets with these key prefixes hold, so they are filled again from the store."""
    for k in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefixes)]:
        with contextlib.suppress(KeyError, StreamlitAPIException):
            del st.session_state[k]


def saved_note(what: str) -> None:
    """Say that a change was saved, with the time; `what` is already in the session's language."""
    note_saved(what)
