"""The funding exit path planner: named scenarios of assumptions, projected year by year.

A scenario starts from the assessment's budget and funding mix (`planning.base_from_answers`);
the manager sets the public support schedule, member tiers and fees, paid-service and
project income and the structure's cost. Widgets are keyed `pf:<field>`; at every run their
values are checked field by field (`planning.validate_assumptions`): the fields that pass
are saved at once into the open scenario, a refused field keeps the saved value, and its
message is shown next to it without touching the other inputs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

import streamlit as st

from assessment.errors import AssessmentError
from assessment.i18n import N_
from planning import (
    OUTCOMES,
    SOURCES,
    Assumptions,
    Projection,
    Scenario,
    base_from_answers,
    compare,
    project,
    project_scenarios,
    sensitivity,
    validate_assumptions,
)
from storage.plans import InvalidPlan
from webapp import charts, state
from webapp.i18n import _, current_language, number, percent
from webapp.logic import funding_question
from webapp.text import md
from webapp.views.planning_hub import (
    Context,
    amount,
    forget_widgets,
    invalid_plan_text,
    problems_by_field,
    saved_note,
    show_problems,
)

KIND = "funding_path"
PREFIX = "pf:"
SCENARIO = "plan:fp:scenario"
COMPARE = "plan:fp:compare"
#: The name of the first scenario, offered in the session's language (see `default_name`).
DEFAULT_NAME = N_("Base")
TIERS = ("large", "medium", "small")
# Labels below are English msgids, translated where they are shown.
TIER_LABELS = {
    "large": N_("Large companies"),
    "medium": N_("Medium companies"),
    "small": N_("Small companies"),
}
SUPPORT_KINDS = {
    "keep": N_("Kept at today's level"),
    "taper": N_("Tapers off by a share each year"),
    "end": N_("Kept, then ends in a given year"),
    "grant": N_("Replaced by a project grant that ends"),
}
OUTCOME_LABELS = {
    "cumulative_gap": N_("Total shortfall over the plan"),
    "uncovered_years": N_("Years whose cost is not covered"),
    "year_below_target": N_("Year the public share falls below the target"),
    "final_public_share": N_("Public share in the last year"),
}
TIER_FIELD_LABELS = {"count": N_("Members"), "fee": N_("Fee (thousands)"), "new_per_year": N_("New a year")}
#: What each assumption `sensitivity` varies is called on the page (by its dotted path).
PARAMETER_LABELS = {
    "public_support.pct_per_year": N_("Yearly fall of public support (%)"),
    "public_support.end_year": N_("Last year of public support"),
    "public_support.amount": N_("Project grant a year"),
    "fee_growth_pct": N_("Fee growth (% a year)"),
    "service_income": N_("Paid-service income in the base year"),
    "service_growth_pct": N_("Paid-service growth (% a year)"),
    "projects.public_growth_pct": N_("Public project income growth (% a year)"),
    "projects.private_growth_pct": N_("Private project income growth (% a year)"),
    "projects.public_end_year": N_("Last year of public project calls"),
    "other_private_growth_pct": N_("Other private income growth (% a year)"),
    "cost.structure_share": N_("Cost of the structure (% of the budget)"),
    "cost.structure_cost": N_("Cost of the structure (thousands a year)"),
    "cost.growth_pct": N_("Cost growth (% a year)"),
}
# Widgets of plain fields: key suffix -> (path in the assumptions, whole number?).
PLAIN: dict[str, tuple[tuple[str, ...], bool]] = {
    "horizon": (("horizon",), True),
    "public_target_pct": (("public_target_pct",), False),
    "fee_growth_pct": (("fee_growth_pct",), False),
    "service_income": (("service_income",), False),
    "service_growth_pct": (("service_growth_pct",), False),
    "projects:public_growth_pct": (("projects", "public_growth_pct"), False),
    "projects:private_growth_pct": (("projects", "private_growth_pct"), False),
    "projects:public_end_year": (("projects", "public_end_year"), True),
    "other_private_growth_pct": (("other_private_growth_pct",), False),
    "cost:growth_pct": (("cost", "growth_pct"), False),
}
SUPPORT_FIELDS = {
    "taper": ("pct_per_year", "end_year"),
    "end": ("end_year",),
    "grant": ("amount", "end_year"),
}
TIER_FIELDS = ("count", "fee", "new_per_year")


def default_name() -> str:
    """The name offered for the first scenario, in the session's language."""
    return _(DEFAULT_NAME)


def parameter_label(parameter: str) -> str:
    """An assumption's name on the page, e.g. "members.large.fee" -> "Large companies: Fee (thousands)"."""
    parts = parameter.split(".")
    if (
        len(parts) == 3
        and parts[0] == "members"
        and parts[1] in TIER_LABELS
        and parts[2] in TIER_FIELD_LABELS
    ):
        return _("{tier}: {field}").format(
            tier=_(TIER_LABELS[parts[1]]), field=_(TIER_FIELD_LABELS[parts[2]])
        )
    return _(PARAMETER_LABELS[parameter]) if parameter in PARAMETER_LABELS else parameter


def key(suffix: str) -> str:
    """The widget key of one input: "pf:" and the field, e.g. "pf:horizon"."""
    return PREFIX + suffix


# --- widgets <-> assumptions (pure) -------------------------------------------------------------


def widget_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """The widget values (by key) that show raw or dumped assumptions; absent fields are None."""
    out: dict[str, Any] = {}
    for suffix, (path, _whole) in PLAIN.items():
        value: Any = data
        for part in path:
            value = value.get(part) if isinstance(value, Mapping) else None
        out[key(suffix)] = value
    support = data.get("public_support") or {"kind": "keep"}
    out[key("support:kind")] = support.get("kind", "keep")
    for kind_fields in SUPPORT_FIELDS.values():
        for name in kind_fields:
            out[key(f"support:{name}")] = support.get(name)
    members = data.get("members")
    out[key("members:on")] = members is not None
    for tier in TIERS:
        for name in TIER_FIELDS:
            out[key(f"members:{tier}:{name}")] = ((members or {}).get(tier) or {}).get(name)
    cost = data.get("cost") or {}
    out[key("cost:basis")] = "cost" if cost.get("structure_cost") is not None else "share"
    out[key("cost:value")] = cost.get("structure_cost", cost.get("structure_share"))
    return out


def _put(raw: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        raw = raw.setdefault(part, {})
    raw[path[-1]] = value


def raw_from_widgets(values: Mapping[str, Any], base: Mapping[str, Any]) -> dict[str, Any]:
    """Raw assumptions from widget values; the frame (start year, budget, mix) comes from `base`.

    An empty input leaves its field out, so that its default applies (or, for a required
    field, `validate_assumptions` says it is missing).
    """
    raw: dict[str, Any] = {k: base[k] for k in ("start_year", "budget", "mix") if k in base}
    for suffix, (path, _whole) in PLAIN.items():
        value = values.get(key(suffix))
        if value is not None:
            _put(raw, path, value)
    kind = values.get(key("support:kind")) or "keep"
    support: dict[str, Any] = {"kind": kind}
    for name in SUPPORT_FIELDS.get(kind, ()):
        value = values.get(key(f"support:{name}"))
        if value is not None:
            support[name] = value
    raw["public_support"] = support
    if values.get(key("members:on")):
        raw["members"] = {
            tier: {
                name: values[key(f"members:{tier}:{name}")]
                for name in TIER_FIELDS
                if values.get(key(f"members:{tier}:{name}")) is not None
            }
            for tier in TIERS
        }
    basis, amount = values.get(key("cost:basis")), values.get(key("cost:value"))
    cost = dict(raw.get("cost") or {})
    if amount is not None:
        cost["structure_cost" if basis == "cost" else "structure_share"] = amount
    raw["cost"] = cost
    return raw


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
    merged = {}
    for name in Assumptions.model_fields:
        if name in problems:
            if name in kept:
                merged[name] = kept[name]
        elif name in checked.valid:
            merged[name] = checked.valid[name]
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


def milestones(p: Projection) -> list[str]:
    """The scenario's milestones in words: the year below target and the years not covered."""
    last = p.years[-1].year
    target = percent(p.public_target_pct, 2)
    lines = [
        _("The public share falls below {target} in {year}.").format(target=target, year=p.year_below_target)
        if p.year_below_target is not None
        else _("The public share stays at or above {target} through {year}.").format(target=target, year=last)
    ]
    if p.uncovered_years:
        years = ", ".join(str(y) for y in p.uncovered_years)
        lines.append(
            _("Costs are not covered in {years}: {amount} thousand short in all.").format(
                years=years, amount=amount(p.cumulative_gap)
            )
        )
    else:
        lines.append(_("Income covers the cost of the structure every year."))
    return lines


def year_rows(p: Projection, labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """One row per year: income by source, total, cost, balance and public share (rounded).

    Column names and yes/no are in the session's language (the table and its CSV export).
    """
    yes, no = _("yes"), _("no")
    return [
        {
            _("Year"): y.year,
            **{labels.get(s, s): round(y.income[s], 1) for s in SOURCES},
            _("Total income"): round(y.total, 1),
            _("Cost"): round(y.cost, 1),
            _("Balance"): round(y.balance, 1),
            _("Public share (%)"): None if y.public_share is None else round(y.public_share, 1),
            _("Covered"): yes if y.covered else no,
        }
        for y in p.years
    ]


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def source_labels() -> dict[str, str]:
    """Funding source id -> its label in the questionnaire, in the session's language."""
    question = funding_question(state.questionnaire())
    lang = current_language()
    return {s.id: s.label.get(lang) for s in question.sources} if question is not None else {}


def _projection(name: str, a: Assumptions, labels: Mapping[str, str], stem: str) -> None:
    p = project(a)
    lang = current_language()
    st.subheader(_("Year by year: {name}").format(name=md(name)))
    for line in milestones(p):
        st.markdown(f"- {md(line)}")
    st.plotly_chart(
        charts.funding_path(p, labels, name, lang=lang), key="plan:fp:chart", config={"displayModeBar": False}
    )
    st.plotly_chart(
        charts.public_share_path({name: p}, lang=lang), key="plan:fp:share", config={"displayModeBar": False}
    )
    rows = year_rows(p, labels)
    st.dataframe(rows, hide_index=True, key="plan:fp:years")
    export = {
        "scenario": name,
        "assumptions": a.model_dump(mode="json"),
        "projection": p.model_dump(mode="json"),
    }
    with st.container(horizontal=True):
        st.download_button(
            _("Scenario (CSV)"),
            _csv(rows),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key="plan:fp:csv",
            on_click="ignore",
            icon=":material/download:",
        )
        st.download_button(
            _("Scenario (JSON)"),
            json.dumps(export, ensure_ascii=False, indent=2),
            file_name=f"{stem}.json",
            mime="application/json",
            key="plan:fp:json",
            on_click="ignore",
            icon=":material/data_object:",
        )


def compare_rows(projections: Mapping[str, Projection]) -> list[dict[str, Any]]:
    """The comparison table: one row of milestones per scenario, column names in the session's language."""
    outside, none = _("not within the plan"), _("none")
    return [
        {
            _("Scenario"): r.scenario,
            _("Years"): f"{r.first_year}-{r.last_year}",
            _("Public share below target in"): str(r.year_below_target or outside),
            _("Years not covered"): ", ".join(map(str, r.uncovered_years)) or none,
            _("Total shortfall"): round(r.cumulative_gap, 1),
            _("Last year's income"): round(r.final_total, 1),
            _("Last year's cost"): round(r.final_cost, 1),
            _("Last year's public share (%)"): None
            if r.final_public_share is None
            else round(r.final_public_share, 1),
        }
        for r in compare(projections)
    ]


def _compare(ctx: Context, names: list[str], stem: str) -> None:
    st.subheader(_("Compare scenarios"))
    if len(names) < 2:
        st.caption(_("Save a second scenario (above) to compare them side by side."))
        return
    chosen = st.multiselect(
        _("Scenarios to compare"), names, key=COMPARE, placeholder=_("Choose two or more")
    )
    if len(chosen) < 2:
        st.caption(_("Choose two or more scenarios."))
        return
    scenarios = []
    for name in chosen:
        try:
            payload = state.store().plan(ctx.info.id, KIND, name).payload
        except InvalidPlan as exc:
            st.error(md(invalid_plan_text(exc)))
            continue
        assert isinstance(payload, Assumptions)
        scenarios.append(Scenario(name=name, assumptions=payload))
    projections = project_scenarios(scenarios)
    lang = current_language()
    left, right = st.columns(2)
    with left:
        st.plotly_chart(
            charts.public_share_path(projections, _("Public share by scenario"), lang=lang),
            key="plan:fp:compare_share",
            config={"displayModeBar": False},
        )
    with right:
        st.plotly_chart(
            charts.scenario_balance(projections, lang=lang),
            key="plan:fp:compare_balance",
            config={"displayModeBar": False},
        )
    rows = compare_rows(projections)
    st.dataframe(rows, hide_index=True, key="plan:fp:compare_table")
    st.download_button(
        _("Comparison (CSV)"),
        _csv(rows),
        file_name=f"{stem}-comparison.csv",
        mime="text/csv",
        key="plan:fp:compare_csv",
        on_click="ignore",
        icon=":material/download:",
    )


def _sensitivity(a: Assumptions) -> None:
    st.subheader(_("Which assumption matters most"))
    outcome = st.selectbox(
        _("Outcome"),
        list(OUTCOMES),
        format_func={o: _(v) for o, v in OUTCOME_LABELS.items()}.__getitem__,
        key="plan:fp:outcome",
    )
    rows = [
        r.model_copy(update={"parameter": parameter_label(r.parameter)})
        for r in sensitivity(a, outcome)  # type: ignore[arg-type]
    ]
    st.plotly_chart(
        charts.sensitivity_bars(rows, _(OUTCOME_LABELS[outcome]), lang=current_language()),
        key="plan:fp:sensitivity",
        config={"displayModeBar": False},
    )

    def shown(value: float | None) -> str:
        return "–" if value is None else number(value, 2)

    st.dataframe(
        [
            {
                _("Assumption"): r.parameter,
                _("Value"): r.value,
                _("Tried"): f"{shown(r.low)} / {shown(r.high)}",
                _("Outcome"): _("{low} / {high} (now {base})").format(
                    low=shown(r.outcome_low), high=shown(r.outcome_high), base=shown(r.outcome_base)
                ),
                _("Swing"): round(r.swing, 2),
            }
            for r in rows
        ],
        hide_index=True,
        key="plan:fp:sensitivity_table",
    )
    st.caption(_("Each assumption is moved 10% down and up (years by one, zero amounts by one unit)."))


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
    from webapp.views.results import file_stem

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
    _projection(name, current, labels, stem)
    _compare(ctx, names, file_stem(ctx.info))
    _sensitivity(current)
