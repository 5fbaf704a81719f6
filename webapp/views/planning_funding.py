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

from planning import (
    Assumptions,
    validate_assumptions,
)
from storage.plans import InvalidPlan
from webapp import state
from webapp.files import file_stem
from webapp.i18n import _, current_language, number, percent
from webapp.text import md
from webapp.views import funding_scenarios
from webapp.views.funding_form import (
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
    invalid_plan_text,
    keep_refused,
    problems_by_field,
    saved_note,
    show_problems,
)


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


def render(ctx: Context) -> None:
    """The funding exit path planner."""
    base = funding_scenarios.base_values(ctx)
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
    names = funding_scenarios.scenario_names(ctx)
    if st.session_state.get(funding_scenarios.SCENARIO) not in names:
        st.session_state[funding_scenarios.SCENARIO] = names[0] if names else funding_scenarios.default_name()
    if names:
        st.selectbox(
            _("Scenario"), names, key=funding_scenarios.SCENARIO, on_change=funding_scenarios.on_scenario
        )
    else:
        st.caption(
            _("Scenario: {name} (saved as soon as its assumptions are complete)").format(
                name=md(st.session_state[funding_scenarios.SCENARIO])
            )
        )
    name = st.session_state[funding_scenarios.SCENARIO]
    try:
        stored = funding_scenarios.stored_scenario(ctx, name, names)
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
        funding_scenarios.manage(ctx, names, name, current)
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
