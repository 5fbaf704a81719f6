"""What the funding exit path planner shows of a scenario: its projection, the comparison and the sensitivity.

The planner (webapp.views.planning_funding) holds the form and the saved scenarios; this
module only draws what a scenario's projection says.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import streamlit as st

from planning import (
    OUTCOMES,
    Assumptions,
    Scenario,
    project,
    project_scenarios,
    sensitivity,
)
from reports import plan_charts
from scoring.funding import funding_question
from storage.plans import InvalidPlan
from webapp import state
from webapp.i18n import _, current_language, number
from webapp.text import md
from webapp.views.funding_form import (
    OUTCOME_LABELS,
    compare_rows,
    csv_text,
    milestones,
    parameter_label,
    year_rows,
)
from webapp.views.planning_hub import (
    Context,
    invalid_plan_text,
)

#: The plan kind of a funding exit path scenario, and the key of the comparison's choice.
KIND = "funding_path"
COMPARE = "plan:fp:compare"


def source_labels() -> dict[str, str]:
    """Funding source id -> its label in the questionnaire, in the session's language."""
    question = funding_question(state.questionnaire())
    lang = current_language()
    return {s.id: s.label.get(lang) for s in question.sources} if question is not None else {}


def show_projection(name: str, a: Assumptions, labels: Mapping[str, str], stem: str) -> None:
    """One scenario's projection: the chart, its reading, the year table and its download."""
    p = project(a)
    lang = current_language()
    st.subheader(_("Year by year: {name}").format(name=md(name)))
    for line in milestones(p):
        st.markdown(f"- {md(line)}")
    st.plotly_chart(
        plan_charts.funding_path(p, labels, name, lang=lang),
        key="plan:fp:chart",
        config={"displayModeBar": False},
    )
    st.plotly_chart(
        plan_charts.public_share_path({name: p}, lang=lang),
        key="plan:fp:share",
        config={"displayModeBar": False},
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
            csv_text(rows),
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


def show_comparison(ctx: Context, names: list[str], stem: str) -> None:
    """Two or more saved scenarios side by side."""
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
            plan_charts.public_share_path(projections, _("Public share by scenario"), lang=lang),
            key="plan:fp:compare_share",
            config={"displayModeBar": False},
        )
    with right:
        st.plotly_chart(
            plan_charts.scenario_balance(projections, lang=lang),
            key="plan:fp:compare_balance",
            config={"displayModeBar": False},
        )
    rows = compare_rows(projections)
    st.dataframe(rows, hide_index=True, key="plan:fp:compare_table")
    st.download_button(
        _("Comparison (CSV)"),
        csv_text(rows),
        file_name=f"{stem}-comparison.csv",
        mime="text/csv",
        key="plan:fp:compare_csv",
        on_click="ignore",
        icon=":material/download:",
    )


def show_sensitivity(a: Assumptions) -> None:
    """Which assumption moves the chosen outcome most."""
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
        plan_charts.sensitivity_bars(rows, _(OUTCOME_LABELS[outcome]), lang=current_language()),
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
