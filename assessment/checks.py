"""Cross-checks: rules over several answers that a form alone cannot make.

Each kind declares the outcomes it can report and the facts it offers to the texts of
its findings, so a questionnaire naming an outcome or `{placeholder}` the engine never
produces is refused when it is loaded. The engine in `scoring/checks.py` implements
one function per kind.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator

from assessment.base import Condition, FindingRule, Id, LessonId, Scale, ScalePoint, Strict, check_scale
from assessment.text import Text

COMMON_FACTS = frozenset({"stage", "year_of_life", "score"})


class CheckBase(Strict):
    """What every check has: an id, its dimension, weight, lessons, texts and findings."""

    outcomes: ClassVar[frozenset[str]] = frozenset()
    facts: ClassVar[frozenset[str]] = frozenset()

    id: Id
    dimension: Id
    weight: float = Field(default=0, ge=0)
    lessons: list[LessonId] = Field(min_length=1)
    title: Text
    explanation: Text
    findings: list[FindingRule] = []

    def question_refs(self) -> dict[str, tuple[str, ...]]:
        """Parameter name -> the question types it may name (only for question parameters)."""
        return {}

    def profile_refs(self) -> list[str]:
        """Parameter names that name profile fields."""
        return []


def _scale(v: list[ScalePoint]) -> list[ScalePoint]:
    return check_scale(v)


class FundingStageCheck(CheckBase):
    """The public share of funding against the cluster's stage and the European reference."""

    outcomes = frozenset(
        {"public_expected", "public_only", "dependent", "public_by_design", "above_benchmark", "on_track"}
    )
    facts = frozenset({"public_share", "limit", "benchmark", "private_share", "structure_type"})

    kind: Literal["funding_stage"]
    funding: Id
    # Public money for the structure above which the mix is dependent, by stage.
    dependent_above: dict[Id, float]
    benchmark: float = Field(ge=0, le=100)
    expected_at_least: float = Field(default=50, ge=0, le=100)
    # At launch, the private share from which public support counts as co-financed (s6.3.1d).
    cofinanced_at_least: float = Field(default=20, ge=0, le=100)
    structure_type: Id | None = None
    # Structure types that rely on public money by design (002 s6.2.3 type b).
    public_by_design: list[Id] = []

    def question_refs(self) -> dict[str, tuple[str, ...]]:
        """The funding question, and the structure type when given."""
        refs: dict[str, tuple[str, ...]] = {"funding": ("funding_mix",)}
        if self.structure_type is not None:
            refs["structure_type"] = ("single_choice",)
        return refs


class FundingDiversityCheck(CheckBase):
    """How many private sources carry a real share of income (002 s6.3.2c)."""

    outcomes = frozenset({"single_private_source", "diversified"})
    facts = frozenset({"sources_count", "sources", "min_share", "target"})

    kind: Literal["funding_diversity"]
    funding: Id
    min_share: float = Field(gt=0, le=100)
    target_sources: int = Field(ge=1)
    # Public sources that count as a leg all the same: competitive projects (002 s6.3.2c b).
    also_count: list[Id] = []

    def question_refs(self) -> dict[str, tuple[str, ...]]:
        """The funding question."""
        return {"funding": ("funding_mix",)}


class StructureFitCheck(CheckBase):
    """Stable private income against the cost of the structure (002 s6.2.3, Figure 4)."""

    outcomes = frozenset({"oversized", "fits"})
    facts = frozenset({"stable_share", "structure_share", "ratio", "required"})

    kind: Literal["structure_fit"]
    funding: Id
    structure_share: Id
    required_ratio: dict[Id, float]
    structure_type: Id | None = None
    # Structure types whose baseline public support is stable income by design (002 s6.2.3 b).
    public_by_design: list[Id] = []

    def question_refs(self) -> dict[str, tuple[str, ...]]:
        """The funding question and the share of spending that goes to the structure."""
        refs: dict[str, tuple[str, ...]] = {"funding": ("funding_mix",), "structure_share": ("percentage",)}
        if self.structure_type is not None:
            refs["structure_type"] = ("single_choice",)
        return refs


class AeiPatternCheck(CheckBase):
    """The pattern of the clusters that closed when Spain's AEI structure funding ended."""

    outcomes = frozenset({"collapse_pattern"})
    facts = frozenset({"public_share", "structure_share", "value_share"})

    kind: Literal["aei_pattern"]
    funding: Id
    structure_share: Id
    value_sources: list[Id] = Field(min_length=1)
    stages: list[Id] = Field(min_length=1)
    public_at_least: float = Field(ge=0, le=100)
    structure_at_least: float = Field(ge=0, le=100)
    value_below: float = Field(ge=0, le=100)

    def question_refs(self) -> dict[str, tuple[str, ...]]:
        """The funding question and the share of spending that goes to the structure."""
        return {"funding": ("funding_mix",), "structure_share": ("percentage",)}


class PortfolioCheck(CheckBase):
    """The service portfolio against Table 6 (002 s6.2.2)."""

    outcomes = frozenset(
        {
            "missing_paying",
            "unpriced_paying",
            "free_valued",
            "low_value",
            "too_broad",
            "network_only",
            "paying_core",
        }
    )
    facts = frozenset(
        {
            "missing_services",
            "unpriced_services",
            "free_valued_services",
            "low_value_services",
            "offered_count",
            "paying_count",
            "charged_count",
            "max_services",
            "staff",
        }
    )

    kind: Literal["portfolio_table6"]
    portfolio: Id
    staff_field: Id
    services_per_fte: float = Field(gt=0)
    paying_core_at_least: int = Field(ge=1)

    def question_refs(self) -> dict[str, tuple[str, ...]]:
        """The service portfolio question."""
        return {"portfolio": ("service_portfolio",)}

    def profile_refs(self) -> list[str]:
        """The staff (FTE) field."""
        return ["staff_field"]


class CaptureRiskCheck(CheckBase):
    """Whether a few companies take part in most activities (002 s6.3.1a, s6.3.2b)."""

    outcomes = frozenset({"captured", "broad_participation"})
    facts = frozenset({"active_share", "top_share", "even_share"})

    kind: Literal["capture_risk"]
    active_share: Id
    top_share: Id
    # The number of members: with few active members the top five take most participations
    # even when everyone takes part evenly, so concentration is judged against that even share.
    members_field: Id | None = None
    active_scale: Scale
    top_share_scale: Scale
    captured_active_below: float = Field(ge=0, le=100)
    captured_top_above: float = Field(ge=0, le=100)
    broad_active_at_least: float = Field(ge=0, le=100)
    broad_top_at_most: float = Field(ge=0, le=100)

    _scales = field_validator("active_scale", "top_share_scale")(_scale)

    def question_refs(self) -> dict[str, tuple[str, ...]]:
        """The two participation shares."""
        return {"active_share": ("percentage",), "top_share": ("percentage",)}

    def profile_refs(self) -> list[str]:
        """The number of members, when given."""
        return ["members_field"] if self.members_field is not None else []


class GovernanceActionCheck(CheckBase):
    """Whether governance work turned into joint projects (002 s6.3.1b)."""

    outcomes = frozenset({"governance_without_projects", "governance_to_action"})
    facts = frozenset({"governance_score", "projects"})

    kind: Literal["governance_action"]
    governance: list[Id] = Field(min_length=1)
    projects: Id
    projects_scale: Scale
    governance_at_least: float = Field(ge=0, le=100)
    projects_below: float = Field(ge=0)

    _scales = field_validator("projects_scale")(_scale)

    def question_refs(self) -> dict[str, tuple[str, ...]]:
        """The count of joint projects."""
        return {"projects": ("number",)}


class Criterion(Strict):
    """One eligibility criterion: an answer or profile field compared with a threshold."""

    id: Id
    label: Text
    field: Id
    at_least: float | None = None
    equals: str | bool | None = None


class CriteriaCheck(CheckBase):
    """Programme criteria such as the Basque programme's (002 s5.4)."""

    outcomes = frozenset({"all_met", "some_failed"})
    facts = frozenset({"met", "failed", "unknown", "met_count", "judged_count"})

    kind: Literal["criteria"]
    criteria: list[Criterion] = Field(min_length=1)


class ConsistencyCheck(CheckBase):
    """Answers that cannot all be true at once: the result asks the manager to check them.

    A self-assessment is only as good as its answers; two that contradict each other (high
    willingness to pay while nothing is charged) mean one of them is wrong, and an officer
    should see that before funding on either.
    """

    outcomes = frozenset({"contradiction"})
    facts = frozenset({"answers"})

    kind: Literal["consistency"]
    all_of: list[Condition] = Field(min_length=2)


Check = Annotated[
    FundingStageCheck
    | FundingDiversityCheck
    | StructureFitCheck
    | AeiPatternCheck
    | PortfolioCheck
    | CaptureRiskCheck
    | GovernanceActionCheck
    | CriteriaCheck
    | ConsistencyCheck,
    Field(discriminator="kind"),
]

CHECK_KINDS: tuple[type[CheckBase], ...] = (
    FundingStageCheck,
    FundingDiversityCheck,
    StructureFitCheck,
    AeiPatternCheck,
    PortfolioCheck,
    CaptureRiskCheck,
    GovernanceActionCheck,
    CriteriaCheck,
    ConsistencyCheck,
)
