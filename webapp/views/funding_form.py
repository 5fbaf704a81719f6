"""The funding exit path planner's form and tables: widgets to assumptions and back, projections as rows.

Kept apart from the page (webapp/views/planning_funding.py) so that it can be tested without
running one: the conversions are pure; the tables word their columns in the session's
language (`webapp.i18n`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from assessment.i18n import N_
from planning import SOURCES, Projection, compare
from webapp.i18n import _, percent
from webapp.views.planning_hub import amount

PREFIX = "pf:"
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


def key(suffix: str) -> str:
    """The widget key of one input: "pf:" and the field, e.g. "pf:horizon"."""
    return PREFIX + suffix


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
    # A dumped model holds both keys, the one not used as None.
    fixed = cost.get("structure_cost")
    out[key("cost:basis")] = "cost" if fixed is not None else "share"
    out[key("cost:value")] = fixed if fixed is not None else cost.get("structure_share")
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


def csv_text(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV, a header of their keys first (the scenario's download)."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


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
