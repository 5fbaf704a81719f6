"""Structure fit: the cost of the cluster's structure against the stable income that must carry it.

The form and size of the structure must follow the funding mix and the value offer; a
structure larger than its income can carry risks closing when public support ends
(002 s6.2.3, Figure 4; MGT-COST-INCOME-FIT). Stable income is membership fees plus paid
services (`stable: true` in funding_mix.yaml). Money is in thousands a year.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from assessment.answers import ValidAnswers, render
from assessment.i18n import N_, format_number, gettext_for
from planning._base import Model

#: Premises, travel and running costs on top of staff cost, in % of staff cost. An
#: assumption of this project, not a figure of the sources: set it from your accounts.
DEFAULT_OVERHEAD_PCT = 20.0
#: Stable income needed per unit of structure cost. 1.0 means fees and paid services
#: carry the whole structure, as a cluster must to be "financially viable regardless of
#: the availability of public funds" (002 s6.2.1). The assessment's check
#: structure_against_income (checks.yaml) expects less in the early stages
#: (`required_ratio` by stage); pass that value to judge by stage instead.
DEFAULT_REQUIRED_COVER = 1.0

StructureType = Literal["programme_window", "public_secretariat", "light_connector", "hosted", "other"]

#: What each structure type of management.yaml's structure_type means for the fit (002 s6.2.3).
TYPE_NOTES: dict[str, str] = {
    "programme_window": N_(
        "A quasi-private window for public programmes: its cost is carried by the programmes it "
        "runs as long as they last; fees and paid services must carry what stays when they end."
    ),
    "public_secretariat": N_(
        "A secretariat that relies on public funding: any gap is what public funding must keep "
        "paying; agree with the funders how long, and plan for the day it stops."
    ),
    "light_connector": N_(
        "A light structure with limited public support: fees and paid services must carry most "
        "of it, so keep the team small and connect members to other programmes."
    ),
    "hosted": N_(
        "A team hosted by another organisation: count the host's staff and premises the cluster "
        "uses in its cost, or the fit looks better than it is."
    ),
    "other": N_("Compare the structure's cost with its stable income before public support ends."),
}

Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Fte = Annotated[float, Field(ge=0, le=500, allow_inf_nan=False)]


class StructureInputs(Model):
    """What the fit is estimated from.

    `cost_per_fte` is the yearly cost of one full-time employee (salary and social charges,
    thousands), which the manager sets; `project_fte` is staff time paid by project budgets,
    which the structure does not have to carry; `fee_income` and `service_income` are a
    year's membership fees and paid-service income (e.g. from `plan_income`).
    """

    staff_fte: Fte
    cost_per_fte: Amount
    structure_type: StructureType = "other"
    overhead_pct: Annotated[float, Field(ge=0, le=200, allow_inf_nan=False)] = DEFAULT_OVERHEAD_PCT
    project_fte: Fte = 0.0
    fee_income: Amount = 0.0
    service_income: Amount = 0.0
    required_cover: Annotated[float, Field(gt=0, le=5, allow_inf_nan=False)] = DEFAULT_REQUIRED_COVER

    @model_validator(mode="after")
    def _projects_within_staff(self) -> StructureInputs:
        if self.project_fte > self.staff_fte:
            raise PydanticCustomError(
                "project_fte_above_staff",
                "the staff working on projects ({project_fte} FTE) exceed the cluster organisation's staff"
                " ({staff_fte} FTE)",
                {"project_fte": self.project_fte, "staff_fte": self.staff_fte},
            )
        return self


class StructureFit(Model):
    """The structure's estimated cost against its stable income, and what would close a gap.

    `cover` is stable income / cost (None with no cost). When `oversized`, `gap` is the
    stable income missing and each of `fee_increase_pct` (None when no fees, or fees too
    small for any increase, are charged), `extra_service_income` and `fte_reduction` closes it alone;
    all three are 0 when the structure fits.
    """

    structure_fte: float
    cost: float
    stable_income: float
    cover: float | None
    required_cover: float
    oversized: bool
    gap: float
    fee_increase_pct: float | None
    extra_service_income: float
    fte_reduction: float
    warning: str | None
    note: str


_WARNING = N_(
    "The structure ({fte} FTE, {cost} thousand a year) is larger than its stable income ({stable} "
    "thousand) can carry at a cover of {cover}; {gap} thousand a year is missing (002 s6.2.3)."
)


def structure_fit(inputs: StructureInputs, lang: str = "en") -> StructureFit:
    """Estimate the structure's cost and compare it with fees plus paid services; words in `lang`."""
    fte = inputs.staff_fte - inputs.project_fte
    loaded = inputs.cost_per_fte * (1 + inputs.overhead_pct / 100)
    cost = fte * loaded
    stable = inputs.fee_income + inputs.service_income
    needed = inputs.required_cover * cost
    gap = max(0.0, needed - stable)
    oversized = gap > 1e-9
    fee_increase: float | None = 0.0
    fte_cut = 0.0
    warning = None
    if oversized:
        fee_increase = 100 * gap / inputs.fee_income if inputs.fee_income > 0 else None
        if fee_increase is not None and not math.isfinite(fee_increase):
            fee_increase = None  # fees too small for any increase to close the gap
        # Each FTE cut saves its loaded cost, lowering the stable income needed by
        # required_cover times that; never more than the structure's FTE, since with no
        # structure nothing is needed. Oversized implies cost > 0, so loaded > 0.
        fte_cut = min(fte, gap / (inputs.required_cover * loaded))
        amount = {
            k: format_number(v, lang, 1, trim=False)
            for k, v in (("cost", cost), ("stable", stable), ("gap", gap))
        }
        warning = render(_WARNING, {"fte": fte, "cover": inputs.required_cover, **amount}, lang)
    return StructureFit(
        structure_fte=fte,
        cost=cost,
        stable_income=stable,
        cover=stable / cost if cost > 0 else None,
        required_cover=inputs.required_cover,
        oversized=oversized,
        gap=gap,
        fee_increase_pct=fee_increase,
        extra_service_income=gap,
        fte_reduction=fte_cut,
        warning=warning,
        note=gettext_for(lang)(TYPE_NOTES[inputs.structure_type]),
    )


def cost_per_fte_from(
    budget: float, structure_share: float, staff_fte: float, overhead_pct: float = DEFAULT_OVERHEAD_PCT
) -> float | None:
    """The cost per FTE implied by an assessment: budget × structure_share, less overhead, per FTE.

    None when there is no staff. Raises ValueError for negative inputs or a share above 100.
    """
    if budget < 0 or staff_fte < 0 or overhead_pct < 0 or not 0 <= structure_share <= 100:
        raise ValueError("budget, staff and overhead must be 0 or more and the share between 0 and 100")
    if staff_fte == 0:
        return None
    return budget * structure_share / 100 / (1 + overhead_pct / 100) / staff_fte


def base_structure_from_answers(answers: ValidAnswers) -> dict[str, Any]:
    """Raw `StructureInputs` fields an assessment gives: staff, structure type and stable income.

    Fee and paid-service income are the budget times their shares of the funding mix. The
    manager adds `cost_per_fte` (see `cost_per_fte_from`) and may override the rest.
    Fields the answers do not give are left out.
    """
    raw: dict[str, Any] = {}
    staff = answers.profile.get("staff_fte")
    if staff is not None:
        raw["staff_fte"] = staff
    kind = answers.answers.get("structure_type")
    if kind in TYPE_NOTES:
        raw["structure_type"] = kind
    budget, mix = answers.profile.get("annual_budget"), answers.answers.get("funding_mix")
    if budget is not None and mix is not None:
        raw["fee_income"] = budget * mix.get("membership_fees", 0.0) / 100
        raw["service_income"] = budget * mix.get("paid_services", 0.0) / 100
    return raw
