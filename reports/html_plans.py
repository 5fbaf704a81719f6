"""The report's section on the saved plans: funding exit paths, service plans and structure fits.

Each plan becomes a heading and its blocks (paragraphs, a table, charts) in the order the
template shows them; the texts are translated here and escaped by the template.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pydantic import BaseModel

from assessment.i18n import (
    format_number,
    gettext_for,
    ngettext_for,
    percent_sign,
)
from assessment.reference import Service
from assessment.text import Language
from planning import Assumptions, ServicePlan, StructureInputs, plan_income, project, structure_fit
from planning.services import advice_text
from reports import plan_charts
from reports.html_parts import Block, Cell, Paragraph, Table, figure, int_text, num


class ReportPlan(NamedTuple):
    """A saved plan to put in the report: its kind (storage.plans.PLAN_KINDS), name and planning model."""

    kind: str
    name: str
    payload: BaseModel


def action_words(action: str, lang: Language = "en") -> str:
    """The advice for a service of a plan in words in `lang` (the action id when it is unknown)."""
    _ = gettext_for(lang)
    words = {
        "start": _("Start"),
        "charge": _("Charge for it"),
        "keep": _("Keep"),
        "fund_elsewhere": _("Keep, fund from elsewhere"),
        "reduce": _("Stop or reduce"),
        "review": _("Review"),
    }
    return words.get(action, action)


@dataclass(frozen=True, slots=True)
class PlanView:
    """One saved plan as the report shows it: its heading, then its blocks in order."""

    heading: str
    blocks: Sequence[Block]


def _funding_plan(
    index: int, name: str, a: Assumptions, labels: Mapping[str, str], lang: Language
) -> PlanView:
    _ = gettext_for(lang)
    p = project(a)
    target = format_number(p.public_target_pct, lang, 1) + percent_sign(lang)
    below = (
        _("The public share falls below {share} in {year}.").format(share=target, year=p.year_below_target)
        if p.year_below_target is not None
        else _("The public share stays at or above {share} through {year}.").format(
            share=target, year=p.years[-1].year
        )
    )
    covered = (
        _("Costs are not covered in {years}: {amount} thousand short in all.").format(
            years=", ".join(map(str, p.uncovered_years)),
            amount=format_number(p.cumulative_gap, lang, 1, trim=False),
        )
        if p.uncovered_years
        else _("Income covers the cost of the structure every year.")
    )
    pct = percent_sign(lang)
    table = Table(
        [_("Year"), _("Income"), _("Cost"), _("Balance"), _("Public share")],
        [
            [
                Cell(str(y.year)),  # a year is never grouped
                Cell(num(y.total, lang), num=True),
                Cell(num(y.cost, lang), num=True),
                Cell(num(y.balance, lang), num=True),
                Cell(num(y.public_share, lang, pct), num=True),
            ]
            for y in p.years
        ],
    )
    return PlanView(
        _("Funding exit path: {name}").format(name=name),
        [
            Paragraph(f"{below} {covered}"),
            figure(plan_charts.funding_path(p, labels, name, lang=lang), f"plan-funding-{index}"),
            table,
        ],
    )


def _service_plan(
    index: int,
    name: str,
    plan: ServicePlan,
    members: int | None,
    services: Mapping[str, Service],
    lang: Language,
) -> PlanView:
    _ = gettext_for(lang)
    names = {i.service: advice_text(i, services, lang)[0] for i in plan.items}
    pct = percent_sign(lang)
    blocks: list[Block] = [
        Table(
            [_("Service"), _("Advice"), _("Price"), _("Uptake")],
            [
                [
                    Cell(names[i.service]),
                    Cell(action_words(i.action, lang)),
                    Cell(num(i.price, lang), num=True),
                    Cell(num(i.uptake, lang, pct), num=True),
                ]
                for i in plan.items
            ],
        )
    ]
    if members is not None:
        income = plan_income(plan, members)
        ngettext = ngettext_for(lang)
        sentence = ngettext(
            "With {members} member the priced services would bring {amount} thousand a year.",
            "With {members} members the priced services would bring {amount} thousand a year.",
            members,
        ).format(members=int_text(members, lang), amount=format_number(income.total, lang, 1, trim=False))
        blocks.append(Paragraph(sentence))
        if income.by_service:
            chart = plan_charts.service_income_bars(income.by_service, names, lang=lang)
            blocks.append(figure(chart, f"plan-services-{index}"))
    return PlanView(_("Service portfolio plan: {name}").format(name=name), blocks)


def _structure_plan(index: int, name: str, inputs: StructureInputs, lang: Language) -> PlanView:
    _ = gettext_for(lang)
    fit = structure_fit(inputs, lang)
    sentence = _(
        "Cost {cost} thousand a year against stable income of {income} thousand (cover {cover})."
    ).format(
        cost=format_number(fit.cost, lang, 1, trim=False),
        income=format_number(fit.stable_income, lang, 1, trim=False),
        cover=num(fit.cover, lang),
    )
    blocks: list[Block] = [Paragraph(sentence)]
    if fit.warning:
        blocks.append(Paragraph(fit.warning, "note"))
    blocks += [
        Paragraph(fit.note, "muted"),
        figure(plan_charts.structure_fit_bars(fit, lang=lang), f"plan-structure-{index}"),
    ]
    return PlanView(_("Structure fit: {name}").format(name=name), blocks)


def plans_section(
    plans: Sequence[ReportPlan],
    labels: Mapping[str, str],
    members: int | None,
    lang: Language = "en",
    services: Mapping[str, Service] | None = None,
) -> list[PlanView]:
    """The report's saved plans in `lang`, each with its charts; empty when there are none.

    `labels` name the funding sources (pass them in `lang`); `services` (Table 6 by id)
    gives the catalogue's services their names in `lang`. Plan names and the cluster's own
    services are the user's and stay as typed.
    """
    views = []
    for index, plan in enumerate(plans):
        if isinstance(plan.payload, Assumptions):
            views.append(_funding_plan(index, plan.name, plan.payload, labels, lang))
        elif isinstance(plan.payload, ServicePlan):
            views.append(_service_plan(index, plan.name, plan.payload, members, services or {}, lang))
        elif isinstance(plan.payload, StructureInputs):
            views.append(_structure_plan(index, plan.name, plan.payload, lang))
    return views
