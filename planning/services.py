"""The service portfolio plan: what to keep, start, charge for, fund from elsewhere or reduce.

The rules read Table 6 of 002 s6.2.2 (after ESCA 2017), which the questionnaire carries
as its services (`Questionnaire.service_index`): focus on services that both bring income
and are highly valued (VAL-PAYING-PORTFOLIO); valued services that bring nothing must be
paid from other sources (VAL-FREE-BUT-VALUED).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Literal

from pydantic import Field

from assessment.answers import ServiceUse
from assessment.i18n import N_, gettext_for
from assessment.reference import Service
from planning._base import Model

Action = Literal["start", "charge", "keep", "fund_elsewhere", "reduce", "review"]

#: Why each action is advised, in the order the plan lists them.
REASONS: dict[str, str] = {
    "start": N_("Members value it highly and clusters elsewhere earn from it (Table 6); not offered yet."),
    "charge": N_("Offered free, while members elsewhere pay for it (Table 6): set a price."),
    "keep": N_("Members pay for it: keep it and report what it brings."),
    "fund_elsewhere": N_(
        "Members value it highly but it rarely brings income (Table 6): keep it and pay for it "
        "from fees or other sources."
    ),
    "reduce": N_(
        "Little valued by members and it brings no income (Table 6), yet it costs staff time: "
        "stop it or reduce it."
    ),
    "review": N_("Not in Table 6 and offered free: decide whether members would pay for it."),
}
ORDER: tuple[str, ...] = tuple(REASONS)

Pct = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Price = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class ServiceAdvice(Model):
    """One line of the plan, with the manager's price and expected uptake once set.

    `price` is thousands of the currency per member using the service per year;
    `uptake` is the share of members expected to use it (%), by default last year's.
    """

    service: str
    name: str
    action: Action
    reason: str
    offered: bool
    charged: bool
    uptake: Pct | None = None
    price: Price | None = None


class ServicePlan(Model):
    """The advised actions, grouped in the order of ORDER, then by service id."""

    items: tuple[ServiceAdvice, ...]

    def by_action(self, action: str) -> tuple[ServiceAdvice, ...]:
        """The items advised one action."""
        return tuple(i for i in self.items if i.action == action)


def _action(use: ServiceUse, ref: Service | None) -> Action | None:
    if ref is None:
        if not use.offered:
            return None
        return "keep" if use.charged else "review"
    if not use.offered:
        return "start" if ref.brings_income and ref.highly_valued else None
    if use.charged:
        return "keep"
    if ref.brings_income:
        return "charge"
    if ref.highly_valued:
        return "fund_elsewhere"
    return "reduce"


def plan_services(portfolio: Iterable[ServiceUse], catalogue: Mapping[str, Service]) -> ServicePlan:
    """Advise an action for each service of an answered portfolio against Table 6.

    `catalogue` is Table 6 by id (`Questionnaire.service_index`). A Table 6 service the
    portfolio does not mention counts as not offered. Services neither offered nor worth
    starting are left out.
    """
    uses = {use.service: use for use in portfolio}
    for sid in catalogue:
        uses.setdefault(sid, ServiceUse(sid, offered=False))
    items = []
    for sid, use in uses.items():
        ref = catalogue.get(sid)
        action = _action(use, ref)
        if action is None:
            continue
        name = ref.name.get("en") if ref is not None else (use.name or sid)
        items.append(
            ServiceAdvice(
                service=sid,
                name=name,
                action=action,
                reason=REASONS[action],
                offered=use.offered,
                charged=use.charged,
                uptake=use.uptake,
            )
        )
    items.sort(key=lambda i: (ORDER.index(i.action), i.service))
    return ServicePlan(items=tuple(items))


def advice_text(item: ServiceAdvice, catalogue: Mapping[str, Service], lang: str = "en") -> tuple[str, str]:
    """An item's service name and reason in `lang`, for display.

    The plan keeps them in English (the plan is saved, and must not change with the reader's
    language); a Table 6 service takes its name in `lang` from `catalogue`, a service the
    cluster added keeps the name it was given.
    """
    ref = catalogue.get(item.service)
    name = ref.name.get(lang) if ref is not None else item.name  # type: ignore[arg-type]
    return name, gettext_for(lang)(REASONS[item.action])


def set_price(plan: ServicePlan, service: str, price: float, uptake: float | None = None) -> ServicePlan:
    """The plan with the manager's price (and expected uptake, if given) for one service.

    Raises:
        KeyError: when the service is not in the plan.
        pydantic.ValidationError: for a negative price or an uptake outside 0-100.
    """
    if service not in {i.service for i in plan.items}:
        raise KeyError(f"{service!r} is not in the plan")
    items = []
    for item in plan.items:
        if item.service == service:
            data = item.model_dump()
            data["price"] = price
            if uptake is not None:
                data["uptake"] = uptake
            item = ServiceAdvice.model_validate(data)
        items.append(item)
    return ServicePlan(items=tuple(items))


#: Actions whose services are (to be) paid for by members; the others are free by advice.
PAID_ACTIONS = frozenset({"start", "charge", "keep", "review"})


class PlanIncome(Model):
    """What the priced services would bring in a year (thousands), by service and in total."""

    by_service: dict[str, float]
    total: float


def plan_income(plan: ServicePlan, members: int) -> PlanIncome:
    """Yearly income of the plan's priced services: members × uptake% × price.

    Only services to start, charge, keep or review count, and only those with a price
    and an uptake; a service without them brings nothing here. The total can feed the
    funding exit path as `Assumptions.service_income`, so price every service that is
    already charged too.

    Raises:
        ValueError: for a negative number of members.
    """
    if members < 0:
        raise ValueError(f"members must be 0 or more, got {members!r}")
    by_service = {
        i.service: members * i.uptake / 100 * i.price
        for i in plan.items
        if i.action in PAID_ACTIONS and i.price is not None and i.uptake is not None
    }
    return PlanIncome(by_service=by_service, total=sum(by_service.values()))
