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

from assessment.i18n import N_, format_number, format_percent
from planning import (
    StructureFit,
    StructureInputs,
    base_structure_from_answers,
    cost_per_fte_from,
    structure_fit,
)
from planning._base import problems_from
from reports import plan_charts
from storage.plans import InvalidPlan
from webapp import state
from webapp.i18n import _, current_language
from webapp.text import md
from webapp.views.planning_hub import (
    Context,
    amount,
    invalid_plan_text,
    keep_refused,
    problems_by_field,
    saved_note,
    show_problems,
)

KIND = "structure_fit"
NAME = "Structure fit"  # the stored plan's name: an id, never shown
PREFIX = "pst:"
# Labels are English msgids, translated where shown.
TYPES = {
    "programme_window": N_("A window for public programmes (as in Austria)"),
    "public_secretariat": N_("A secretariat relying on public funding (as in Scandinavia)"),
    "light_connector": N_("A light connector with limited public support (as in France or Germany)"),
    "hosted": N_("A team hosted by another organisation"),
    "other": N_("Other"),
}
# field -> (label, whole number?)
NUMBERS: dict[str, tuple[str, bool]] = {
    "staff_fte": (N_("Staff (full-time equivalents)"), False),
    "project_fte": (N_("Of which paid by project budgets (FTE)"), False),
    "cost_per_fte": (N_("Yearly cost of one FTE (thousands)"), False),
    "overhead_pct": (N_("Premises, travel and running costs (% of staff cost)"), False),
    "fee_income": (N_("Membership fees a year (thousands)"), False),
    "service_income": (N_("Paid-service income a year (thousands)"), False),
    "required_cover": (N_("Stable income needed per unit of cost (1 = all of it)"), False),
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
    raw: Mapping[str, Any], stored: StructureInputs | None, lang: str = "en"
) -> tuple[StructureInputs | None, dict[str, list[str]]]:
    """The inputs to save and the refused fields' messages (in `lang`); a refused field keeps its value."""
    try:
        return StructureInputs.model_validate(raw), {}
    except ValidationError as exc:
        problems = problems_by_field(problems_from(exc, lang=lang))
    # A check across fields (project staff above all staff) is reported on project_fte.
    if "" in problems:
        problems.setdefault("project_fte", []).extend(problems.pop(""))
    kept = stored.model_dump() if stored is not None else {}
    merged = keep_refused(raw, raw, problems, kept)
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
    """What would close the gap, each lever on its own, in the session's language."""
    lines = []
    if fit.fee_increase_pct is not None:
        lines.append(_("Raise membership fees by {share}.").format(share=percent0(fit.fee_increase_pct)))
    else:
        lines.append(_("Start charging membership fees (none are charged now)."))
    lines.append(
        _("Or earn {amount} thousand a year more from paid services.").format(
            amount=amount(fit.extra_service_income)
        )
    )
    lines.append(
        _("Or reduce the structure by {fte} FTE.").format(
            fte=format_number(fit.fte_reduction, current_language(), 1, trim=False)
        )
    )
    return lines


def percent0(value: float) -> str:
    """A percentage without decimals, thousands grouped: 1,250%."""
    return format_percent(round(value), current_language(), 0)


def render(ctx: Context) -> None:
    """The structure fit planner."""
    lang = current_language()
    st.subheader(_("Structure fit"))
    st.caption(
        _(
            "The form and size of the structure must follow its income: a structure larger than its "
            "fees and paid services can carry risks closing when public support ends (002 s6.2.3, Figure 4)."
        )
    )
    try:
        stored = _stored(ctx)
    except InvalidPlan as exc:
        st.error(md(invalid_plan_text(exc, _("Its inputs start again from the answers."))))
        stored = None
    seeds = stored.model_dump() if stored is not None else base_inputs(ctx)
    for field in (*NUMBERS, "structure_type"):
        k = PREFIX + field
        if k not in st.session_state:
            st.session_state[k] = seeds.get(field, "other" if field == "structure_type" else None)
    raw = {f: st.session_state[PREFIX + f] for f in (*NUMBERS, "structure_type")}
    raw = {k: v for k, v in raw.items() if v is not None}
    current, problems = checked_merge(raw, stored, lang)
    if ctx.writable and current is not None and current != stored:
        state.store().save_plan(ctx.info.id, KIND, NAME, current)
        saved_note(_("structure fit"))
    disabled = not ctx.writable
    left, right = st.columns(2)
    with left:
        st.selectbox(
            _("Structure type"),
            list(TYPES),
            format_func={t: _(v) for t, v in TYPES.items()}.__getitem__,
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
        st.info(_("Complete the marked fields to see the fit."), icon=":material/pending:")
        return
    fit = structure_fit(current, lang)
    thousand = _("{amount} thousand")
    cols = st.columns(3)
    cols[0].metric(_("Cost of the structure"), thousand.format(amount=amount(fit.cost)))
    cols[1].metric(_("Stable income"), thousand.format(amount=amount(fit.stable_income)))
    cols[2].metric(_("Cover"), "–" if fit.cover is None else number_fixed(fit.cover))
    if fit.warning:
        st.warning(md(fit.warning), icon=":material/warning:")
        st.markdown(
            "**"
            + _("What would close the gap")
            + "**\n\n"
            + "\n".join(f"- {md(line)}" for line in gap_lines(fit))
        )
    else:
        st.success(
            _("Fees and paid services carry the structure at the cover asked for."), icon=":material/check:"
        )
    st.caption(md(fit.note))
    st.plotly_chart(
        plan_charts.structure_fit_bars(fit, lang=lang), key="plan:pst:chart", config={"displayModeBar": False}
    )


def number_fixed(value: float) -> str:
    """A ratio with two decimals, as the session's language writes it: 0.85 or 0,85."""
    return format_number(value, current_language(), 2, trim=False)


def _number(field: str, disabled: bool) -> None:
    label, whole = NUMBERS[field]
    st.number_input(
        _(label),
        value=None,
        step=1 if whole else 0.1 if field in ("staff_fte", "project_fte", "required_cover") else 1.0,
        format="%d" if whole else "%g",
        key=PREFIX + field,
        disabled=disabled,
    )
