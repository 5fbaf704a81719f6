"""The funding exit path: year by year income by source against the cost of the structure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from planning._base import PUBLIC_SOURCES, SOURCES, Model
from planning.assumptions import (
    Assumptions,
    EndSupport,
    GrantSupport,
    KeepSupport,
    TaperSupport,
)


class YearProjection(Model):
    """One year of the plan (amounts in thousands; shares in % of the year's total income).

    `shares` sums to 100 when `total` is above zero; with no income every share is 0 and
    `public_share` is None.
    """

    year: int
    income: dict[str, float]
    shares: dict[str, float]
    total: float
    public_share: float | None
    cost: float
    balance: float

    @property
    def covered(self) -> bool:
        """Income covers the cost of the structure this year."""
        return self.balance >= 0


class Projection(Model):
    """A projected funding exit path, with its milestones."""

    years: tuple[YearProjection, ...]
    public_target_pct: float
    #: The first year whose public share is below the target; None if none is within the plan.
    year_below_target: int | None
    #: Every year whose income does not cover the structure's cost.
    uncovered_years: tuple[int, ...]
    #: The sum of the yearly shortfalls (thousands).
    cumulative_gap: float


def _growth(rate_pct: float, t: int) -> float:
    return (1 + rate_pct / 100) ** t


def _public_baseline(a: Assumptions, base: float, year: int, t: int) -> float:
    support = a.public_support
    if isinstance(support, KeepSupport):
        return base
    if isinstance(support, EndSupport):
        return base if year <= support.end_year else 0.0
    if isinstance(support, GrantSupport):
        return support.amount if year <= support.end_year else 0.0
    assert isinstance(support, TaperSupport)
    if support.end_year is not None and year > support.end_year:
        return 0.0
    return base * max(0.0, 1 - support.pct_per_year * t / 100)


def _fees(a: Assumptions, base: float, t: int) -> float:
    growth = _growth(a.fee_growth_pct, t)
    if a.members is None:
        return base * growth
    tiers = (a.members.large, a.members.medium, a.members.small)
    return sum((tier.count + tier.new_per_year * t) * tier.fee for tier in tiers) * growth


def income_in(a: Assumptions, year: int) -> dict[str, float]:
    """Income by source in one calendar year of the plan (thousands); see `Assumptions`.

    Raises:
        ValueError: for a year outside the plan.
    """
    if year not in a.years:
        raise ValueError(f"{year} is outside the plan ({a.start_year}-{a.years[-1]})")
    t = year - a.start_year + 1
    mix = cast(Mapping[str, float], a.mix)  # keyed by the same source names
    base = {s: a.budget * mix[s] / 100 for s in SOURCES}
    projects = a.projects
    public_projects = base["public_projects"] * _growth(projects.public_growth_pct, t)
    if projects.public_end_year is not None and year > projects.public_end_year:
        public_projects = 0.0
    services = a.service_income if a.service_income is not None else base["paid_services"]
    return {
        "public_baseline": _public_baseline(a, base["public_baseline"], year, t),
        "public_projects": public_projects,
        "membership_fees": _fees(a, base["membership_fees"], t),
        "paid_services": services * _growth(a.service_growth_pct, t),
        "private_projects": base["private_projects"] * _growth(projects.private_growth_pct, t),
        "other_private": base["other_private"] * _growth(a.other_private_growth_pct, t),
    }


def _year(a: Assumptions, year: int) -> YearProjection:
    income = income_in(a, year)
    total = sum(income.values())
    if total > 0:
        shares = {s: 100 * v / total for s, v in income.items()}
        public_share: float | None = sum(shares[s] for s in PUBLIC_SOURCES)
    else:
        shares, public_share = dict.fromkeys(income, 0.0), None
    cost = a.base_cost * _growth(a.cost.growth_pct, year - a.start_year + 1)
    return YearProjection(
        year=year,
        income=income,
        shares=shares,
        total=total,
        public_share=public_share,
        cost=cost,
        balance=total - cost,
    )


def project(assumptions: Assumptions) -> Projection:
    """Project the funding exit path year by year. Pure and deterministic."""
    years = tuple(_year(assumptions, y) for y in assumptions.years)
    target = assumptions.public_target_pct
    below = next(
        (y.year for y in years if y.public_share is not None and y.public_share < target),
        None,
    )
    return Projection(
        years=years,
        public_target_pct=target,
        year_below_target=below,
        uncovered_years=tuple(y.year for y in years if not y.covered),
        cumulative_gap=sum(max(0.0, -y.balance) for y in years),
    )
