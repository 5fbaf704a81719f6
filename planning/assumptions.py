"""Assumptions of a funding exit path, and their field-by-field validation.

Money is in thousands of the cluster's currency, like the profile's `annual_budget`.
Every amount and count given describes the **base year**, the year before `start_year`
(the year the assessment answers describe); projection year t (t = 1 for `start_year`)
applies t yearly steps of every schedule and growth rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import AfterValidator, Field, TypeAdapter, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from assessment.answers import ValidAnswers
from assessment.errors import Problem
from assessment.i18n import N_, gettext_for
from assessment.years import MAX_YEAR, MIN_YEAR
from planning._base import SOURCES, Model, message, problems_from

#: The European reference: the public share of European clusters' funding fell to about
#: 40% in 2016-2017 (002 s6.2.1, Figure 1). The year the plan's public share falls below
#: it is the milestone of the exit path.
DEFAULT_PUBLIC_TARGET_PCT = 40.0
#: Horizon of a plan in years (issue 5: five to ten years).
MIN_HORIZON, MAX_HORIZON = 5, 10
#: Funding shares may miss 100% by this much, as in assessment/answers.py.
MIX_TOLERANCE = 0.5
#: Default yearly growth of every amount: 0%, i.e. the plan is in constant prices (real
#: terms). No single inflation or salary rate fits every currency the sources cover (EUR
#: to ARS), so the manager sets `cost.growth_pct` and the income growth rates.
DEFAULT_GROWTH_PCT = 0.0

Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Rate = Annotated[float, Field(ge=-100, le=100, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Source = Literal[
    "public_baseline",
    "public_projects",
    "membership_fees",
    "paid_services",
    "private_projects",
    "other_private",
]


class KeepSupport(Model):
    """Baseline public support stays at its base-year level for the whole plan."""

    kind: Literal["keep"] = "keep"


class TaperSupport(Model):
    """Baseline public support falls each year by `pct_per_year` % of its base-year level.

    Year t receives base × max(0, 1 - pct_per_year × t / 100); nothing after `end_year`.
    """

    kind: Literal["taper"] = "taper"
    pct_per_year: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
    end_year: Year | None = None


class EndSupport(Model):
    """Baseline public support stays at its base-year level until `end_year`, then stops."""

    kind: Literal["end"] = "end"
    end_year: Year


class GrantSupport(Model):
    """A project grant replaces baseline support: `amount` a year until `end_year`, then nothing."""

    kind: Literal["grant"] = "grant"
    amount: Amount
    end_year: Year


PublicSupport = Annotated[KeepSupport | TaperSupport | EndSupport | GrantSupport, Field(discriminator="kind")]


class MemberTier(Model):
    """Members of one size tier in the base year, the yearly fee each pays and yearly arrivals."""

    count: Annotated[int, Field(ge=0)] = 0
    fee: Amount = 0.0
    new_per_year: Annotated[int, Field(ge=0)] = 0


class Members(Model):
    """Fee-paying members by size tier (fee tiers for large, medium and small firms: 003).

    When given, membership fee income is computed from the tiers instead of the mix:
    year t = Σ (count + new_per_year × t) × fee × (1 + fee_growth_pct/100)^t.
    """

    large: MemberTier = MemberTier()
    medium: MemberTier = MemberTier()
    small: MemberTier = MemberTier()


class ProjectIncome(Model):
    """Project income: yearly growth of public and private projects; public calls may end."""

    public_growth_pct: Rate = DEFAULT_GROWTH_PCT
    private_growth_pct: Rate = DEFAULT_GROWTH_PCT
    public_end_year: Year | None = None


class CostModel(Model):
    """Cost of the structure: its base-year cost, growing by `growth_pct` a year.

    Give either `structure_share` (% of the budget spent on the structure, the management
    question `structure_share`) or `structure_cost` (thousands, e.g. from the structure-fit
    estimate), not both.
    """

    structure_share: Share | None = None
    structure_cost: Amount | None = None
    growth_pct: Rate = DEFAULT_GROWTH_PCT

    @model_validator(mode="after")
    def _one_base(self) -> CostModel:
        if self.structure_share is None and self.structure_cost is None:
            raise PydanticCustomError(
                "no_cost_base", "give the structure's share of the budget (%) or its cost (thousands)"
            )
        if self.structure_share is not None and self.structure_cost is not None:
            raise PydanticCustomError(
                "two_cost_bases", "give the structure's share of the budget or its cost, not both"
            )
        return self


def _check_mix(mix: dict[str, float]) -> dict[str, float]:
    total = sum(mix.values())
    if abs(total - 100) > MIX_TOLERANCE:
        raise PydanticCustomError(
            "funding_sum",
            "funding shares add up to {total}%, not {hundred}%",
            {"total": total, "hundred": 100},
        )
    return {s: float(mix.get(s, 0.0)) for s in SOURCES}


Mix = Annotated[dict[Source, Share], AfterValidator(_check_mix)]


class Assumptions(Model):
    """Everything a funding exit path projects from; see the module docstring for units."""

    start_year: Year
    horizon: Annotated[int, Field(ge=MIN_HORIZON, le=MAX_HORIZON)]
    budget: Amount
    mix: Mix
    public_support: PublicSupport = KeepSupport()
    members: Members | None = None
    fee_growth_pct: Rate = DEFAULT_GROWTH_PCT
    service_income: Amount | None = None
    service_growth_pct: Rate = DEFAULT_GROWTH_PCT
    projects: ProjectIncome = ProjectIncome()
    other_private_growth_pct: Rate = DEFAULT_GROWTH_PCT
    cost: CostModel
    public_target_pct: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)] = DEFAULT_PUBLIC_TARGET_PCT

    @model_validator(mode="after")
    def _years_in_order(self) -> Assumptions:
        ends = _ends_before_start(self.__dict__)
        if ends:
            english = "; ".join(str(p) for p in _cross_problems(self.__dict__))
            raise PydanticCustomError(
                "ends_before_start", "{message}", {"message": english, "problems": ends}
            )
        return self

    @property
    def years(self) -> range:
        """The calendar years of the plan."""
        return range(self.start_year, self.start_year + self.horizon)

    @property
    def base_cost(self) -> float:
        """The structure's cost in the base year (thousands)."""
        if self.cost.structure_cost is not None:
            return self.cost.structure_cost
        return self.budget * (self.cost.structure_share or 0.0) / 100


def _ends_before_start(values: Mapping[str, Any]) -> list[tuple[str, int, int]]:
    """End years before the start: (field path, end year, start year). Only fields present are compared."""
    start = values.get("start_year")
    if start is None:
        return []
    ends = (
        ("public_support.end_year", getattr(values.get("public_support"), "end_year", None)),
        ("projects.public_end_year", getattr(values.get("projects"), "public_end_year", None)),
    )
    return [(location, end, start) for location, end in ends if end is not None and end < start]


def _cross_problems(values: Mapping[str, Any], lang: str = "en") -> list[Problem]:
    """Problems between fields, worded in `lang`: end years before the start."""
    return [
        Problem(location, message("ends_before_start", lang, end=end, start=start))
        for location, end, start in _ends_before_start(values)
    ]


def _adapter(name: str) -> TypeAdapter[Any]:
    """A validator of one field alone, with the field's constraints."""
    info = Assumptions.model_fields[name]
    metadata = [*info.metadata, *([Field(discriminator=info.discriminator)] if info.discriminator else [])]
    annotation: Any = info.annotation  # a field's annotation is a type once the model is built
    return TypeAdapter(Annotated[(annotation, *metadata)] if metadata else annotation)


_ADAPTERS = {name: _adapter(name) for name in Assumptions.model_fields}


class Checked(NamedTuple):
    """The outcome of `validate_assumptions`.

    `assumptions` is None when anything is wrong; `problems` lists every problem, each at
    its field path; `valid` keeps every top-level field that passed, normalised, so a form
    can show the problems without losing what was right.
    """

    assumptions: Assumptions | None
    problems: list[Problem]
    valid: dict[str, Any]


_NOT_A_MAPPING = N_("expected a mapping of assumptions, got {got}")
_UNKNOWN_FIELD = N_("unknown field; fields are {fields}")


def validate_assumptions(raw: Any, lang: str = "en") -> Checked:
    """Check raw assumptions (e.g. a form's values) field by field; every problem at once, in `lang`."""
    translate = gettext_for(lang)
    if not isinstance(raw, Mapping):
        return Checked(None, [Problem("", translate(_NOT_A_MAPPING).format(got=repr(raw)))], {})
    problems: list[Problem] = []
    valid: dict[str, Any] = {}
    for key in raw:
        if key not in _ADAPTERS:
            problems.append(Problem(str(key), translate(_UNKNOWN_FIELD).format(fields=", ".join(_ADAPTERS))))
    for name, info in Assumptions.model_fields.items():
        if name not in raw:
            if info.is_required():
                problems.append(Problem(name, message("missing", lang)))
            continue
        try:
            valid[name] = _ADAPTERS[name].validate_python(raw[name])
        except ValidationError as exc:
            problems += problems_from(exc, name, lang)
    cross = _cross_problems(valid, lang)
    for problem in cross:
        valid.pop(problem.location.split(".")[0], None)
    problems += cross
    if problems:
        return Checked(None, problems, valid)
    return Checked(Assumptions(**valid), [], valid)


def base_from_answers(answers: ValidAnswers, horizon: int = MIN_HORIZON) -> dict[str, Any]:
    """Raw assumptions that start from an assessment: its budget, funding mix and structure share.

    The plan starts the year after the answers' year. Fields the answers do not give
    (e.g. an unanswered funding mix) are left out, so `validate_assumptions` names them.
    """
    raw: dict[str, Any] = {"start_year": answers.year + 1, "horizon": horizon}
    budget = answers.profile.get("annual_budget")
    if budget is not None:
        raw["budget"] = budget
    mix = answers.answers.get("funding_mix")
    if mix is not None:
        raw["mix"] = dict(mix)
    share = answers.answers.get("structure_share")
    if share is not None:
        raw["cost"] = {"structure_share": share}
    return raw
