"""The service portfolio plan: what to start, charge for, keep, fund from elsewhere or reduce.

The advice comes from the answered portfolio against Table 6 (`planning.plan_services`);
the manager sets a price and an expected uptake per service in a data editor, and the plan
(saved as it is changed, one plan per assessment) shows the income it would bring. A button
feeds that income into the funding exit path as its paid-service income.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from assessment.answers import ServiceUse
from assessment.errors import AssessmentError
from assessment.i18n import N_
from assessment.reference import Service
from planning import ServicePlan, plan_income, plan_services
from planning._base import problems_from
from planning.services import PAID_ACTIONS, ServiceAdvice, advice_text
from reports import plan_charts
from storage.plans import InvalidPlan
from webapp import state
from webapp.i18n import _, current_language, number
from webapp.text import md
from webapp.views import funding_scenarios
from webapp.views.planning_hub import TOOL, Context, amount, invalid_plan_text, saved_note

KIND = "service_plan"
NAME = "Service plan"  # the stored plan's name: an id, never shown
EDITOR = "plan:ps:editor"
#: The advice in a word or two (English msgids, translated where shown).
ACTIONS = {
    "start": N_("Start"),
    "charge": N_("Charge for it"),
    "keep": N_("Keep"),
    "fund_elsewhere": N_("Keep, fund from elsewhere"),
    "reduce": N_("Stop or reduce"),
    "review": N_("Review"),
}
#: The editor's columns, by their ids (which the editor's state and the tests use); headers are translated.
COLUMNS = ("Service", "Advice", "Why", "Offered", "Charged", "Price", "Uptake")


def merged_plan(advised: ServicePlan, stored: ServicePlan | None) -> ServicePlan:
    """The advice of today's answers with the prices and uptakes the manager saved, by service."""
    if stored is None:
        return advised
    kept = {i.service: i for i in stored.items}
    items = []
    for item in advised.items:
        old = kept.get(item.service)
        if old is not None:
            item = item.model_copy(update={"price": old.price, "uptake": old.uptake})
        items.append(item)
    return ServicePlan(items=tuple(items))


def rows(plan: ServicePlan, catalogue: Mapping[str, Service]) -> pd.DataFrame:
    """The editor's table: one row per service, indexed by service id, its words in the session's language."""
    lang = current_language()
    texts = {i.service: advice_text(i, catalogue, lang) for i in plan.items}
    frame = pd.DataFrame(
        [
            {
                "id": i.service,
                "Service": texts[i.service][0],
                "Advice": _(ACTIONS[i.action]),
                "Why": texts[i.service][1],
                "Offered": i.offered,
                "Charged": i.charged,
                "Price": i.price,
                "Uptake": i.uptake,
            }
            for i in plan.items
        ],
        columns=["id", *COLUMNS],
    )
    return frame.set_index("id")


def apply_edits(
    plan: ServicePlan, edited: pd.DataFrame, lang: str = "en"
) -> tuple[ServicePlan, dict[str, str]]:
    """The plan with the edited prices and uptakes; a refused value keeps the plan's and is named.

    Returns the plan and the messages (in `lang`) by service id.
    """
    items: list[ServiceAdvice] = []
    problems: dict[str, str] = {}
    for item in plan.items:
        if item.service not in edited.index:
            items.append(item)
            continue
        row = edited.loc[item.service]
        update = {f: _number(row[c]) for f, c in (("price", "Price"), ("uptake", "Uptake"))}
        try:
            items.append(ServiceAdvice.model_validate(item.model_dump() | update))
        except ValidationError as exc:
            problems[item.service] = "; ".join(str(p) for p in problems_from(exc, lang=lang))
            items.append(item)
    return ServicePlan(items=tuple(items)), problems


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return float(value)


def portfolio(ctx: Context) -> Sequence[ServiceUse]:
    """The answered service portfolio (empty when not answered)."""
    qid = next(
        (q.id for q in state.questionnaire().questions.values() if q.type == "service_portfolio"), None
    )
    value = ctx.answers.answers.get(qid) if qid else None
    return tuple(value or ())


def members(ctx: Context) -> int | None:
    """The number of member organisations of the profile, if answered."""
    value = ctx.answers.profile.get("members_total")
    return int(value) if value is not None else None


def _stored(ctx: Context) -> ServicePlan | None:
    if NAME not in {p.name for p in state.store().plans(ctx.info.id, KIND)}:
        return None
    payload = state.store().plan(ctx.info.id, KIND, NAME).payload
    assert isinstance(payload, ServicePlan)
    return payload


def _feed(ctx: Context, total: float) -> None:
    try:
        name = funding_scenarios.feed_service_income(ctx, total)
    except InvalidPlan as exc:
        state.flash(
            md(_("Not fed into the funding exit path: {reason}").format(reason=invalid_plan_text(exc)))
        )
        return
    except AssessmentError as exc:
        state.flash(md(_("Not fed into the funding exit path: {reason}").format(reason=exc)))
        return
    st.session_state[TOOL] = "funding"
    state.flash(
        _("Paid-service income of {amount} thousand a year set in scenario {name}.").format(
            amount=amount(total), name=md(repr(name))
        )
    )


def render(ctx: Context) -> None:
    """The service portfolio planner."""
    lang = current_language()
    st.subheader(_("Service portfolio plan"))
    st.caption(
        _(
            "From the answered portfolio and Table 6 (002 s6.2.2): focus on services members value "
            "and pay for; valued free services need another source; little-valued ones cost staff time."
        )
    )
    catalogue = state.questionnaire().service_index
    advised = plan_services(portfolio(ctx), catalogue)
    if not advised.items:
        st.info(_("Answer the service portfolio in the questionnaire first."), icon=":material/info:")
        return
    try:
        stored = _stored(ctx)
    except InvalidPlan as exc:
        st.error(md(invalid_plan_text(exc, _("Prices start again from the answers."))))
        stored = None
    plan = merged_plan(advised, stored)
    names = {i.service: advice_text(i, catalogue, lang)[0] for i in plan.items}
    edited = st.data_editor(
        rows(plan, catalogue),
        key=EDITOR,
        hide_index=True,
        disabled=True if not ctx.writable else ["Service", "Advice", "Why", "Offered", "Charged"],
        column_order=COLUMNS,
        column_config={
            "Service": st.column_config.TextColumn(_("Service")),
            "Advice": st.column_config.TextColumn(_("Advice")),
            "Why": st.column_config.TextColumn(_("Why"), width="large"),
            "Offered": st.column_config.CheckboxColumn(_("Offered")),
            "Charged": st.column_config.CheckboxColumn(_("Charged")),
            "Price": st.column_config.NumberColumn(_("Price (thousands per member a year)"), format="%g"),
            "Uptake": st.column_config.NumberColumn(_("Uptake (% of members)"), format="%g"),
        },
    )
    plan, problems = apply_edits(plan, edited, lang)
    for service, message in problems.items():
        st.error(md(f"{names[service]}: {message}"), icon=":material/error:")
    if ctx.writable and plan != (stored if stored is not None else advised):
        state.store().save_plan(ctx.info.id, KIND, NAME, plan)
        saved_note(_("service plan"))
    count = members(ctx)
    if count is None:
        st.warning(
            _("The number of members is not answered (profile): the plan's income cannot be computed.")
        )
        return
    income = plan_income(plan, count)
    st.metric(
        _("Income the priced services would bring"),
        _("{amount} thousand a year").format(amount=amount(income.total)),
    )
    st.caption(
        _("{count} members × uptake × price, for the services to start, charge, keep or review.").format(
            count=number(count, 0)
        )
    )
    unpriced = [
        names[i.service]
        for i in plan.items
        if i.action in PAID_ACTIONS and (i.price is None or i.uptake is None)
    ]
    if unpriced:
        st.caption(_("Not priced yet: {services}.").format(services=md(", ".join(unpriced))))
    if income.by_service:
        st.plotly_chart(
            plan_charts.service_income_bars(income.by_service, names, lang=lang),
            key="plan:ps:chart",
            config={"displayModeBar": False},
        )
    if ctx.writable:
        st.button(
            _("Use this income in the funding exit path"),
            key="plan:ps:feed",
            on_click=_feed,
            args=(ctx, income.total),
            icon=":material/trending_up:",
            disabled=not income.by_service,
        )


def by_action(
    plan: ServicePlan, catalogue: Mapping[str, Service] | None = None, lang: str = "en"
) -> Mapping[str, list[str]]:
    """Service names by advised action, for the report; in `lang` when given Table 6 (`catalogue`)."""
    out: dict[str, list[str]] = {}
    for item in plan.items:
        name = advice_text(item, catalogue, lang)[0] if catalogue is not None else item.name
        out.setdefault(item.action, []).append(name)
    return out
