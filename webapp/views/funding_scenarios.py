"""The funding planner's named scenarios: reading them, and the buttons that add, rename and delete one.

Kept apart from the planner's page (webapp.views.planning_funding), which draws the form
and the projection: this module only stores, and the service planner uses it too, to put
its paid-service income into the open scenario (`feed_service_income`).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from assessment.errors import AssessmentError
from assessment.i18n import N_
from planning import (
    Assumptions,
    base_from_answers,
    validate_assumptions,
)
from storage.plans import InvalidPlan
from webapp import state
from webapp.i18n import _, current_language
from webapp.text import md
from webapp.views.funding_form import PREFIX
from webapp.views.funding_results import KIND
from webapp.views.planning_hub import Context, forget_widgets, saved_note

SCENARIO = "plan:fp:scenario"
#: The name of the first scenario, offered in the session's language (see `default_name`).
DEFAULT_NAME = N_("Base")


def default_name() -> str:
    """The name offered for the first scenario, in the session's language."""
    return _(DEFAULT_NAME)


# --- store --------------------------------------------------------------------------------------


def scenario_names(ctx: Context) -> list[str]:
    """The saved scenarios of the open assessment."""
    return [p.name for p in state.store().plans(ctx.info.id, KIND)]


def stored_scenario(ctx: Context, name: str, names: list[str]) -> Assumptions | None:
    """The saved assumptions of scenario `name`, or None when it is not saved yet.

    Raises:
        InvalidPlan: when the saved scenario no longer fits the planning model.
    """
    if name not in names:
        return None
    payload = state.store().plan(ctx.info.id, KIND, name).payload
    assert isinstance(payload, Assumptions)
    return payload


def base_values(ctx: Context) -> dict[str, Any]:
    """The starting assumptions the answers give (budget, funding mix, start year)."""
    return base_from_answers(ctx.answers)


def feed_service_income(ctx: Context, amount: float) -> str:
    """Make `amount` the paid-service income of the open scenario (the first one, or a new base).

    Returns the scenario's name.

    Raises:
        InvalidPlan: when the assessment gives no valid starting scenario (e.g. no cost set yet).
    """
    names = scenario_names(ctx)
    chosen = st.session_state.get(SCENARIO)
    name = chosen if chosen in names else (names[0] if names else default_name())
    stored = stored_scenario(ctx, name, names)
    data = stored.model_dump(mode="json") if stored is not None else base_values(ctx)
    data["service_income"] = round(amount, 3)
    checked = validate_assumptions(data, current_language())
    if checked.assumptions is None:
        raise InvalidPlan(ctx.info.id, KIND, name, [str(p) for p in checked.problems])
    state.store().save_plan(ctx.info.id, KIND, name, checked.assumptions)
    st.session_state[SCENARIO] = name
    forget()
    return name


def forget() -> None:
    """Drop the form's widget values, so that the next run seeds them from the open scenario."""
    forget_widgets((PREFIX,))


# --- callbacks of the scenario buttons ----------------------------------------------------------


def on_scenario() -> None:
    """Another scenario was picked: its values replace the form's."""
    forget()


def _add(ctx: Context, current: Assumptions | None) -> None:
    name = (st.session_state.get("plan:fp:new") or "").strip()
    if current is None:
        state.flash(_("Fix the marked fields first: there is no valid scenario to copy yet."))
        return
    if not name:
        state.flash(_("Give the new scenario a name."))
        return
    if name in scenario_names(ctx):
        state.flash(
            _("A scenario named {name} exists already; choose another name.").format(name=md(repr(name)))
        )
        return
    try:
        state.store().save_plan(ctx.info.id, KIND, name, current)
    except AssessmentError as exc:
        state.flash(str(exc))
        return
    st.session_state[SCENARIO] = name
    st.session_state["plan:fp:new"] = ""
    forget()
    saved_note(_("scenario {name}").format(name=name))


def _rename(ctx: Context, name: str) -> None:
    new = (st.session_state.get("plan:fp:rename_to") or "").strip()
    if not new:
        state.flash(_("Give the scenario its new name."))
        return
    if new != name and new in scenario_names(ctx):
        state.flash(
            _("A scenario named {name} exists already; choose another name.").format(name=md(repr(new)))
        )
        return
    try:
        info = state.store().rename_plan(ctx.info.id, KIND, name, new)
    except AssessmentError as exc:
        state.flash(str(exc))
        return
    st.session_state[SCENARIO] = info.name
    st.session_state["plan:fp:rename_to"] = ""
    saved_note(_("scenario renamed to {name}").format(name=info.name))


def _delete(ctx: Context, name: str) -> None:
    try:
        state.store().delete_plan(ctx.info.id, KIND, name)
    except AssessmentError as exc:
        state.flash(str(exc))
        return
    st.session_state.pop(SCENARIO, None)
    forget()
    state.flash(_("Scenario {name} deleted.").format(name=md(repr(name))))


# --- the scenario bar ---------------------------------------------------------------------------


def manage(ctx: Context, names: list[str], name: str, current: Assumptions | None) -> None:
    """Save the open scenario as a new one, rename it or delete it."""
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.text_input(_("New scenario from this one"), key="plan:fp:new", max_chars=80, placeholder=_("Name"))
        st.button(
            _("Save as new scenario"),
            key="plan:fp:add",
            on_click=_add,
            args=(ctx, current),
            icon=":material/add:",
        )
        if name in names:
            st.text_input(_("Rename to"), key="plan:fp:rename_to", max_chars=80, placeholder=_("New name"))
            st.button(
                _("Rename"), key="plan:fp:rename", on_click=_rename, args=(ctx, name), icon=":material/edit:"
            )
            st.button(
                _("Delete"),
                key="plan:fp:delete",
                on_click=_delete,
                args=(ctx, name),
                icon=":material/delete:",
            )
