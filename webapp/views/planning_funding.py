"""The funding exit path planner: named scenarios of assumptions, projected year by year.

A scenario starts from the assessment's budget and funding mix (`planning.base_from_answers`);
the manager sets the public support schedule, member tiers and fees, paid-service and
project income and the structure's cost. Widgets are keyed `pf:<field>`; at every run their
values are checked field by field (`planning.validate_assumptions`): the fields that pass
are saved at once into the open scenario, a refused field keeps the saved value, and its
message is shown next to it without touching the other inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from webapp.files import file_stem
from webapp.i18n import _, current_language, number, percent
from webapp.text import md
from webapp.views.funding_form import (
    PREFIX,
    SUPPORT_KINDS,
    TIER_FIELD_LABELS,
    TIER_FIELDS,
    TIER_LABELS,
    TIERS,
    key,
    parameter_label,
    raw_from_widgets,
    widget_values,
)
from webapp.views.funding_results import (
    KIND,
    show_comparison,
    show_projection,
    show_sensitivity,
    source_labels,
)
from webapp.views.planning_hub import (
    Context,
    forget_widgets,
    invalid_plan_text,
    keep_refused,
    problems_by_field,
    saved_note,
    show_problems,
)

SCENARIO = "plan:fp:scenario"
#: The name of the first scenario, offered in the session's language (see `default_name`).
DEFAULT_NAME = N_("Base")


def default_name() -> str:
    """The name offered for the first scenario, in the session's language."""
    return _(DEFAULT_NAME)


def checked_merge(
    raw: Mapping[str, Any], stored: Assumptions | None
) -> tuple[Assumptions | None, dict[str, list[str]]]:
    """The assumptions to save, and the refused fields' messages by top-level field.

    Fields that pass take their new value; a refused field keeps the stored one (or is
    left out when nothing is stored), so one bad input never discards the others.
    """
    checked = validate_assumptions(raw, current_language())
    problems = problems_by_field(checked.problems)
    if checked.assumptions is not None:
        return checked.assumptions, problems
    kept = stored.model_dump() if stored is not None else {}
    merged = keep_refused(Assumptions.model_fields, checked.valid, problems, kept)
    try:
        return Assumptions.model_validate(merged), problems
    except ValueError:
        return stored, problems


# --- store --------------------------------------------------------------------------------------


def scenario_names(ctx: Context) -> list[str]:
    """The saved scenarios of the open assessment."""
    return [p.name for p in state.store().plans(ctx.info.id, KIND)]


def _stored(ctx: Context, name: str, names: list[str]) -> Assumptions | None:
    if name not in names:
        return None
    payload = state.store().plan(ctx.info.id, KIND, name).payload
    assert isinstance(payload, Assumptions)
    return payload


def _base(ctx: Context) -> dict[str, Any]:
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
    stored = _stored(ctx, name, names)
    data = stored.model_dump(mode="json") if stored is not None else _base(ctx)
    data["service_income"] = round(amount, 3)
    checked = validate_assumptions(data, current_language())
    if checked.assumptions is None:
        raise InvalidPlan(ctx.info.id, KIND, name, [str(p) for p in checked.problems])
    state.store().save_plan(ctx.info.id, KIND, name, checked.assumptions)
    st.session_state[SCENARIO] = name
    _forget_widgets()
    return name


def _forget_widgets() -> None:
    forget_widgets((PREFIX,))


# --- callbacks of the scenario buttons ----------------------------------------------------------


def _on_scenario() -> None:
    _forget_widgets()


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
    _forget_widgets()
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
    _forget_widgets()
    state.flash(_("Scenario {name} deleted.").format(name=md(repr(name))))


# --- drawing ------------------------------------------------------------------------------------


def _number(
    label: str, suffix: str, problems: Mapping[str, list[str]], whole: bool, disabled: bool, **kw: Any
) -> None:
    st.number_input(
        label,
        value=None,
        step=1 if whole else 1.0,
        format="%d" if whole else "%g",
        key=key(suffix),
        disabled=disabled,
        **kw,
    )


def _form(problems: Mapping[str, list[str]], disabled: bool, base: Mapping[str, Any]) -> None:
    st.subheader(_("Assumptions"))
    budget = base.get("budget")
    st.caption(
        _(
            "Amounts in thousands a year, growth in % a year. The base year is {year}: "
            "a budget of {budget} thousand with the funding mix of the answers."
        ).format(year=base.get("start_year", 0) - 1, budget="–" if budget is None else number(budget))
    )
    left, right = st.columns(2)
    with left:
        _number(_("Years to plan (5 to 10)"), "horizon", problems, True, disabled)
        show_problems(problems, "horizon")
        _number(
            _("Target public share (%)"),
            "public_target_pct",
            problems,
            False,
            disabled,
            help=_("By default {share}, the European reference of 2016-2017 (002 s6.2.1).").format(
                share=percent(40)
            ),
        )
        show_problems(problems, "public_target_pct")
        st.markdown("**" + _("Public support") + "**")
        kind = st.selectbox(
            _("Baseline public support"),
            list(SUPPORT_KINDS),
            format_func={k: _(v) for k, v in SUPPORT_KINDS.items()}.__getitem__,
            key=key("support:kind"),
            disabled=disabled,
        )
        if kind == "taper":
            _number(
                _("Falls each year by (% of today's level)"),
                "support:pct_per_year",
                problems,
                False,
                disabled,
            )
        if kind == "grant":
            _number(_("Grant a year (thousands)"), "support:amount", problems, False, disabled)
        if kind in ("taper", "end", "grant"):
            _number(
                _("Last year of support (empty: none)") if kind == "taper" else _("Last year of support"),
                "support:end_year",
                problems,
                True,
                disabled,
            )
        show_problems(problems, "public_support")
        st.markdown("**" + _("Cost of the structure") + "**")
        bases = {"share": _("% of the budget"), "cost": _("thousands a year")}
        st.radio(
            _("Cost given as"),
            ["share", "cost"],
            format_func=bases.__getitem__,
            key=key("cost:basis"),
            horizontal=True,
            disabled=disabled,
        )
        _number(_("Cost of the structure in the base year"), "cost:value", problems, False, disabled)
        _number(_("Cost growth (% a year)"), "cost:growth_pct", problems, False, disabled)
        show_problems(problems, "cost")
    with right:
        st.markdown("**" + _("Members") + "**")
        on = st.checkbox(
            _("Compute fees from members by size tier"), key=key("members:on"), disabled=disabled
        )
        if on:
            header = st.columns([2, 1, 1, 1])
            for col, name in zip(header[1:], TIER_FIELDS, strict=True):
                col.caption(_(TIER_FIELD_LABELS[name]))
            for tier in TIERS:
                cols = st.columns([2, 1, 1, 1])
                cols[0].markdown(_(TIER_LABELS[tier]))
                for col, name in zip(cols[1:], TIER_FIELDS, strict=True):
                    with col:
                        _number(
                            parameter_label(f"members.{tier}.{name}"),
                            f"members:{tier}:{name}",
                            problems,
                            name != "fee",
                            disabled,
                            label_visibility="collapsed",
                        )
        show_problems(problems, "members")
        _number(_("Fee growth (% a year)"), "fee_growth_pct", problems, False, disabled)
        show_problems(problems, "fee_growth_pct")
        st.markdown("**" + _("Paid services and projects") + "**")
        _number(
            _("Paid-service income in the base year (empty: from the funding mix)"),
            "service_income",
            problems,
            False,
            disabled,
        )
        show_problems(problems, "service_income")
        _number(_("Paid-service growth (% a year)"), "service_growth_pct", problems, False, disabled)
        show_problems(problems, "service_growth_pct")
        _number(
            _("Public project income growth (% a year)"),
            "projects:public_growth_pct",
            problems,
            False,
            disabled,
        )
        _number(
            _("Private project income growth (% a year)"),
            "projects:private_growth_pct",
            problems,
            False,
            disabled,
        )
        _number(
            _("Last year of public project calls (empty: none)"),
            "projects:public_end_year",
            problems,
            True,
            disabled,
        )
        show_problems(problems, "projects")
        _number(
            _("Other private income growth (% a year)"),
            "other_private_growth_pct",
            problems,
            False,
            disabled,
        )
        show_problems(problems, "other_private_growth_pct")


def _manage(ctx: Context, names: list[str], name: str, current: Assumptions | None) -> None:
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


def render(ctx: Context) -> None:
    """The funding exit path planner."""
    base = _base(ctx)
    frame = [k for k in ("budget", "mix") if k not in base]
    if frame:
        first = {
            ("budget",): _("answer the annual budget first"),
            ("mix",): _("answer the funding mix first"),
            ("budget", "mix"): _("answer the annual budget and the funding mix first"),
        }[tuple(frame)]
        st.warning(
            _(
                "The funding exit path starts from the cluster's annual budget and funding mix; {what}."
            ).format(what=first),
            icon=":material/info:",
        )
        return
    names = scenario_names(ctx)
    if st.session_state.get(SCENARIO) not in names:
        st.session_state[SCENARIO] = names[0] if names else default_name()
    if names:
        st.selectbox(_("Scenario"), names, key=SCENARIO, on_change=_on_scenario)
    else:
        st.caption(
            _("Scenario: {name} (saved as soon as its assumptions are complete)").format(
                name=md(st.session_state[SCENARIO])
            )
        )
    name = st.session_state[SCENARIO]
    try:
        stored = _stored(ctx, name, names)
    except InvalidPlan as exc:
        st.error(md(invalid_plan_text(exc, _("Its inputs start again from the answers."))))
        stored = None
    seeds = widget_values(stored.model_dump(mode="json") if stored is not None else base)
    if stored is None:
        seeds[key("horizon")] = seeds[key("horizon")] or base.get("horizon")
        seeds[key("public_target_pct")] = seeds[key("public_target_pct")] or 40.0
    for k, v in seeds.items():
        if k not in st.session_state:
            st.session_state[k] = v
    values = {k: st.session_state.get(k) for k in seeds}
    current, problems = checked_merge(raw_from_widgets(values, base), stored)
    if ctx.writable and current is not None and current != stored:
        state.store().save_plan(ctx.info.id, KIND, name, current)
        saved_note(_("scenario {name}").format(name=name))
        names = names if name in names else [*names, name]
    frame_problems = [m for f in ("start_year", "budget", "mix") for m in problems.get(f, ())]
    for message in frame_problems:
        st.error(md(_("From the answers: {problem}").format(problem=message)), icon=":material/error:")
    if ctx.writable:
        _manage(ctx, names, name, current)
    _form(problems, not ctx.writable, base)
    if current is None:
        st.info(_("Complete the marked fields to see the projection."), icon=":material/pending:")
        return
    if problems:
        st.warning(
            _("The projection uses the last accepted value of each field marked above."),
            icon=":material/warning:",
        )
    stem = f"{file_stem(ctx.info)}-{name}"
    labels = source_labels()
    show_projection(name, current, labels, stem)
    show_comparison(ctx, names, file_stem(ctx.info))
    show_sensitivity(current)
