"""Structure fit: the structure's estimated cost against the stable income that must carry it.

Starts from the answers (staff, structure type, fees and paid services of the funding mix,
`planning.base_structure_from_answers`, and the cost per FTE they imply); the manager
adjusts each input (keys `pst:<field>`). Each input is checked on its own: a refused one
keeps the saved value and shows its message beside it; the rest is saved at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
from pydantic import ValidationError

from planning import (
    StructureFit,
    StructureInputs,
    base_structure_from_answers,
    cost_per_fte_from,
    structure_fit,
)
from planning._base import problems_from
from storage.plans import InvalidPlan
from webapp import charts, state
from webapp.text import md
from webapp.views.planning_hub import Context, problems_by_field, saved_note, show_problems

KIND = "structure_fit"
NAME = "Structure fit"
PREFIX = "pst:"
TYPES = {
    "programme_window": "A window for public programmes (as in Austria)",
    "public_secretariat": "A secretariat relying on public funding (as in Scandinavia)",
    "light_connector": "A light connector with limited public support (as in France or Germany)",
    "hosted": "A team hosted by another organisation",
    "other": "Other",
}
# field -> (label, whole number?)
NUMBERS: dict[str, tuple[str, bool]] = {
    "staff_fte": ("Staff (full-time equivalents)", False),
    "project_fte": ("Of which paid by project budgets (FTE)", False),
    "cost_per_fte": ("Yearly cost of one FTE (thousands)", False),
    "overhead_pct": ("Premises, travel and running costs (% of staff cost)", False),
    "fee_income": ("Membership fees a year (thousands)", False),
    "service_income": ("Paid-service income a year (thousands)", False),
    "required_cover": ("Stable income needed per unit of cost (1 = all of it)", False),
}


def base_inputs(ctx: Context) -> dict[str, Any]:
    """Raw inputs from the answers, with the cost per FTE they imply when they give it."""
    raw = base_structure_from_answers(ctx.answers)
    budget = ctx.answers.profile.get("annual_budget")
    share = ctx.answers.answers.get("structure_share")
    staff = raw.get("staff_fte")
    if budget is not None and share is not None and staff:
        implied = cost_per_fte_from(budget, share, staff)
        if implied is not None:
            raw["cost_per_fte"] = round(implied, 3)
    return raw


def checked_merge(
    raw: Mapping[str, Any], stored: StructureInputs | None
) -> tuple[StructureInputs | None, dict[str, list[str]]]:
    """The inputs to save and the refused fields' messages; a refused field keeps the stored value."""
    try:
        return StructureInputs.model_validate(raw), {}
    except ValidationError as exc:
        problems = problems_by_field(problems_from(exc))
    # A check across fields (project staff above all staff) is reported on project_fte.
    if "" in problems:
        problems.setdefault("project_fte", []).extend(problems.pop(""))
    kept = stored.model_dump() if stored is not None else {}
    merged = {k: (kept[k] if k in problems else v) for k, v in raw.items() if k not in problems or k in kept}
    try:
        return StructureInputs.model_validate(merged), problems
    except ValidationError:
        return stored, problems


def _stored(ctx: Context) -> StructureInputs | None:
    if NAME not in {p.name for p in state.store().plans(ctx.info.id, KIND)}:
        return None
    payload = state.store().plan(ctx.info.id, KIND, NAME).payload
    assert isinstance(payload, StructureInputs)
    return payload


def gap_lines(fit: StructureFit) -> list[str]:
    """What would close the gap, each lever on its own."""
    lines = []
    if fit.fee_increase_pct is not None:
        lines.append(f"Raise membership fees by {fit.fee_increase_pct:,.0f}%.")
    else:
        lines.append("Start charging membership fees (none are charged now).")
    lines.append(f"Or earn {fit.extra_service_income:,.1f} thousand a year more from paid services.")
    lines.append(f"Or reduce the structure by {fit.fte_reduction:,.1f} FTE.")
    return lines


def render(ctx: Context) -> None:
    """The structure fit planner."""
    st.subheader("Structure fit")
    st.caption(
        "The form and size of the structure must follow its income: a structure larger than its "
        "fees and paid services can carry risks closing when public support ends (002 s6.2.3, Figure 4)."
    )
    try:
        stored = _stored(ctx)
    except InvalidPlan as exc:
        st.error(md(f"{exc}. Its inputs start again from the answers."))
        stored = None
    seeds = stored.model_dump() if stored is not None else base_inputs(ctx)
    for field in (*NUMBERS, "structure_type"):
        k = PREFIX + field
        if k not in st.session_state:
            st.session_state[k] = seeds.get(field, "other" if field == "structure_type" else None)
    raw = {f: st.session_state[PREFIX + f] for f in (*NUMBERS, "structure_type")}
    raw = {k: v for k, v in raw.items() if v is not None}
    current, problems = checked_merge(raw, stored)
    if ctx.writable and current is not None and current != stored:
        state.store().save_plan(ctx.info.id, KIND, NAME, current)
        saved_note("structure fit")
    disabled = not ctx.writable
    left, right = st.columns(2)
    with left:
        st.selectbox(
            "Structure type",
            list(TYPES),
            format_func=TYPES.__getitem__,
            key=PREFIX + "structure_type",
            disabled=disabled,
        )
        for field in ("staff_fte", "project_fte", "cost_per_fte", "overhead_pct"):
            _number(field, disabled)
            show_problems(problems, field)
    with right:
        for field in ("fee_income", "service_income", "required_cover"):
            _number(field, disabled)
            show_problems(problems, field)
    if current is None:
        st.info("Complete the marked fields to see the fit.", icon=":material/pending:")
        return
    fit = structure_fit(current)
    cols = st.columns(3)
    cols[0].metric("Cost of the structure", f"{fit.cost:,.1f} thousand")
    cols[1].metric("Stable income", f"{fit.stable_income:,.1f} thousand")
    cols[2].metric("Cover", "–" if fit.cover is None else f"{fit.cover:.2f}")
    if fit.warning:
        st.warning(md(fit.warning), icon=":material/warning:")
        st.markdown(
            "**What would close the gap**\n\n" + "\n".join(f"- {md(line)}" for line in gap_lines(fit))
        )
    else:
        st.success(
            "Fees and paid services carry the structure at the cover asked for.", icon=":material/check:"
        )
    st.caption(md(fit.note))
    st.plotly_chart(charts.structure_fit_bars(fit), key="plan:pst:chart", config={"displayModeBar": False})


def _number(field: str, disabled: bool) -> None:
    label, whole = NUMBERS[field]
    st.number_input(
        label,
        value=None,
        step=1 if whole else 0.1 if field in ("staff_fte", "project_fte", "required_cover") else 1.0,
        format="%d" if whole else "%g",
        key=PREFIX + field,
        disabled=disabled,
    )
