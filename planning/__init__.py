"""The planning layer: pure functions and models that plan a cluster's way to sustainability.

- `assumptions`, `projection`: the funding exit path (issue 5), year by year;
- `scenarios`: named assumption sets side by side and the sensitivity of an outcome;
- `services`: the service portfolio plan against Table 6 and the income it would bring;
- `structure`: the structure's cost against its stable income.

No I/O, no Streamlit, no database: everything here is deterministic.
"""

from planning._base import PUBLIC_SOURCES, SOURCES, STABLE_SOURCES
from planning.assumptions import (
    DEFAULT_PUBLIC_TARGET_PCT,
    Assumptions,
    Checked,
    CostModel,
    EndSupport,
    GrantSupport,
    KeepSupport,
    Members,
    MemberTier,
    ProjectIncome,
    TaperSupport,
    base_from_answers,
    validate_assumptions,
)
from planning.projection import Projection, YearProjection, income_in, project
from planning.scenarios import (
    OUTCOMES,
    Scenario,
    ScenarioRow,
    Sensitivity,
    compare,
    compare_frame,
    project_scenarios,
    sensitivity,
)
from planning.services import (
    PlanIncome,
    ServiceAdvice,
    ServicePlan,
    plan_income,
    plan_services,
    set_price,
)
from planning.structure import (
    StructureFit,
    StructureInputs,
    base_structure_from_answers,
    cost_per_fte_from,
    structure_fit,
)

__all__ = [
    "DEFAULT_PUBLIC_TARGET_PCT",
    "OUTCOMES",
    "PUBLIC_SOURCES",
    "SOURCES",
    "STABLE_SOURCES",
    "Assumptions",
    "Checked",
    "CostModel",
    "EndSupport",
    "GrantSupport",
    "KeepSupport",
    "MemberTier",
    "Members",
    "PlanIncome",
    "ProjectIncome",
    "Projection",
    "Scenario",
    "ScenarioRow",
    "Sensitivity",
    "ServiceAdvice",
    "ServicePlan",
    "StructureFit",
    "StructureInputs",
    "TaperSupport",
    "YearProjection",
    "base_from_answers",
    "base_structure_from_answers",
    "compare",
    "compare_frame",
    "cost_per_fte_from",
    "income_in",
    "plan_income",
    "plan_services",
    "project",
    "project_scenarios",
    "sensitivity",
    "set_price",
    "structure_fit",
    "validate_assumptions",
]
