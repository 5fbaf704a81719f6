"""Cross-check rules, one small function per kind, in a table.

Each takes its parameters (from checks.yaml) and the scoring context and returns a
score (or None when it cannot be judged yet), the outcomes it reports and the facts
that fill the texts of its findings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assessment.checks import (
    AeiPatternCheck,
    CaptureRiskCheck,
    CheckBase,
    CriteriaCheck,
    FundingDiversityCheck,
    FundingStageCheck,
    GovernanceActionCheck,
    PortfolioCheck,
    StructureFitCheck,
)
from assessment.questions import FundingMixQuestion
from scoring.context import Context
from scoring.describe import number, service_name
from scoring.questions import paying_valued, public_share, score_question
from scoring.scales import interpolate


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """What a check found: its score, outcomes, facts, and the answers it used or lacked."""

    score: float | None
    outcomes: frozenset[str] = frozenset()
    facts: dict[str, Any] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


def _missing(ctx: Context, *fields: str) -> tuple[str, ...]:
    return tuple(f for f in fields if ctx.value(f) is None)


def _funding_question(check: Any, ctx: Context) -> FundingMixQuestion:
    return ctx.questionnaire.questions[check.funding]  # type: ignore[return-value]


def _funding_stage(check: FundingStageCheck, ctx: Context) -> CheckOutcome:
    missing = _missing(ctx, check.funding)
    if missing or ctx.stage is None:
        return CheckOutcome(None, inputs=(check.funding,), missing=missing or ("profile.founded_year",))
    share = public_share(_funding_question(check, ctx), ctx.answers[check.funding])
    limit = check.dependent_above.get(ctx.stage)
    facts = {
        "public_share": share,
        "private_share": 100 - share,
        "benchmark": check.benchmark,
        "limit": limit,
    }
    if limit is None:
        outcome, score = ("public_expected" if share >= check.expected_at_least else "on_track"), 100.0
    elif share > limit:
        outcome, score = "dependent", 0.0
    elif share > check.benchmark:
        outcome, score = "above_benchmark", 50.0
    else:
        outcome, score = "on_track", 100.0
    return CheckOutcome(score, frozenset({outcome}), facts, (check.funding,))


def _private_sources(check: Any, ctx: Context) -> list[tuple[str, float]]:
    question = _funding_question(check, ctx)
    mix = ctx.answers[check.funding]
    return [(s.label.get(ctx.lang), mix[s.id]) for s in question.sources if not s.public]


def _funding_diversity(check: FundingDiversityCheck, ctx: Context) -> CheckOutcome:
    missing = _missing(ctx, check.funding)
    if missing:
        return CheckOutcome(None, inputs=(check.funding,), missing=missing)
    strong = [(label, share) for label, share in _private_sources(check, ctx) if share >= check.min_share]
    count = len(strong)
    outcomes = set()
    if count <= 1:
        outcomes.add("single_private_source")
    if count >= check.target_sources:
        outcomes.add("diversified")
    facts = {
        "sources_count": count,
        "sources": ", ".join(f"{label} {number(share)}%" for label, share in strong) or "none",
        "min_share": check.min_share,
        "target": check.target_sources,
    }
    score = min(100.0, 100.0 * count / check.target_sources)
    return CheckOutcome(score, frozenset(outcomes), facts, (check.funding,))


def _stable_share(check: Any, ctx: Context) -> float:
    question = _funding_question(check, ctx)
    mix = ctx.answers[check.funding]
    return sum(mix[s.id] for s in question.sources if s.stable and not s.public)


def _structure_fit(check: StructureFitCheck, ctx: Context) -> CheckOutcome:
    inputs = (check.funding, check.structure_share)
    missing = _missing(ctx, *inputs)
    if missing or ctx.stage is None:
        return CheckOutcome(None, inputs=inputs, missing=missing or ("profile.founded_year",))
    stable = _stable_share(check, ctx)
    structure = ctx.answers[check.structure_share]
    required = check.required_ratio[ctx.stage]
    ratio = stable / structure if structure > 0 else float("inf")
    score = 100.0 if required <= 0 else min(100.0, 100.0 * ratio / required)
    facts = {
        "stable_share": stable,
        "structure_share": structure,
        "ratio": "full" if ratio == float("inf") else f"{ratio:.2f}",
        "required": f"{required:.2f}",
    }
    return CheckOutcome(score, frozenset({"fits" if ratio >= required else "oversized"}), facts, inputs)


def _aei_pattern(check: AeiPatternCheck, ctx: Context) -> CheckOutcome:
    inputs = (check.funding, check.structure_share)
    missing = _missing(ctx, *inputs)
    if missing or ctx.stage is None:
        return CheckOutcome(None, inputs=inputs, missing=missing or ("profile.founded_year",))
    mix = ctx.answers[check.funding]
    share = public_share(_funding_question(check, ctx), mix)
    structure = ctx.answers[check.structure_share]
    value = sum(mix[s] for s in check.value_sources)
    pattern = (
        ctx.stage in check.stages
        and share >= check.public_at_least
        and structure >= check.structure_at_least
        and value < check.value_below
    )
    facts = {"public_share": share, "structure_share": structure, "value_share": value}
    return CheckOutcome(
        0.0 if pattern else 100.0, frozenset({"collapse_pattern"} if pattern else ()), facts, inputs
    )


def _portfolio(check: PortfolioCheck, ctx: Context) -> CheckOutcome:
    inputs = (check.portfolio,)
    missing = _missing(ctx, check.portfolio)
    if missing:
        return CheckOutcome(None, inputs=inputs, missing=missing)
    uses = ctx.answers[check.portfolio]
    catalogue = ctx.questionnaire.service_index
    offered = [u for u in uses if u.offered]
    offered_ids = {u.service for u in offered}
    paying = [u for u in offered if paying_valued(ctx, u)]
    name = lambda u: service_name(ctx.questionnaire, u, ctx.lang)  # noqa: E731
    missing_paying = [
        s.name.get(ctx.lang)
        for s in catalogue.values()
        if s.brings_income and s.highly_valued and s.id not in offered_ids
    ]
    unpriced = [name(u) for u in paying if not u.charged]
    free_valued = [
        name(u)
        for u in offered
        if u.service in catalogue
        and catalogue[u.service].financial_contribution == "none"
        and catalogue[u.service].highly_valued
        and not u.charged
    ]
    low_value = [
        name(u)
        for u in offered
        if u.service in catalogue
        and catalogue[u.service].member_valuation == "medium_low"
        and catalogue[u.service].financial_contribution == "none"
    ]
    concrete = [
        u
        for u in offered
        if u.service not in catalogue or catalogue[u.service].kind in ("business", "projects", "knowledge")
    ]
    staff = ctx.profile.get(check.staff_field)
    max_services = staff * check.services_per_fte if staff is not None else None
    charged_core = [u for u in paying if u.charged]
    outcomes = {
        name_: True
        for name_, holds in (
            ("missing_paying", bool(missing_paying)),
            ("unpriced_paying", bool(unpriced)),
            ("free_valued", bool(free_valued)),
            ("low_value", bool(low_value)),
            ("too_broad", max_services is not None and len(offered) > max(max_services, 1)),
            ("network_only", bool(offered) and not concrete),
            ("paying_core", len(charged_core) >= check.paying_core_at_least),
        )
        if holds
    }
    facts = {
        "missing_services": ", ".join(missing_paying) or "none",
        "unpriced_services": ", ".join(unpriced) or "none",
        "free_valued_services": ", ".join(free_valued) or "none",
        "low_value_services": ", ".join(low_value) or "none",
        "offered_count": len(offered),
        "paying_count": len(paying),
        "max_services": number(max_services) if max_services is not None else "unknown",
        "staff": number(staff) if staff is not None else "unknown",
    }
    score = 100.0 * len(paying) / len(offered) if offered else 0.0
    return CheckOutcome(score, frozenset(outcomes), facts, inputs)


def _capture(check: CaptureRiskCheck, ctx: Context) -> CheckOutcome:
    inputs = (check.active_share, check.top_share)
    missing = _missing(ctx, *inputs)
    if len(missing) == len(inputs):
        return CheckOutcome(None, inputs=inputs, missing=missing)
    active = ctx.answers.get(check.active_share)
    top = ctx.answers.get(check.top_share)
    parts = []
    if active is not None:
        parts.append(interpolate(check.active_scale, active))
    if top is not None:
        parts.append(interpolate(check.top_share_scale, top))
    captured = (active is not None and active < check.captured_active_below) or (
        top is not None and top > check.captured_top_above
    )
    broad = (
        active is not None
        and top is not None
        and active >= check.broad_active_at_least
        and top <= check.broad_top_at_most
    )
    outcomes = {"captured"} if captured else ({"broad_participation"} if broad else set())
    facts = {
        "active_share": number(active) if active is not None else "unknown",
        "top_share": number(top) if top is not None else "unknown",
    }
    return CheckOutcome(min(parts), frozenset(outcomes), facts, inputs, missing)


def _governance_action(check: GovernanceActionCheck, ctx: Context) -> CheckOutcome:
    inputs = (*check.governance, check.projects)
    missing = _missing(ctx, *inputs)
    if missing:
        return CheckOutcome(None, inputs=inputs, missing=missing)
    questions = ctx.questionnaire.questions
    scores = [score_question(questions[q], ctx.answers[q], ctx)[0] for q in check.governance]
    governance = sum(s or 0.0 for s in scores) / len(scores)
    projects = ctx.answers[check.projects]
    outcomes = set()
    if governance >= check.governance_at_least and projects < check.projects_below:
        outcomes.add("governance_without_projects")
    elif governance >= check.governance_at_least:
        outcomes.add("governance_to_action")
    facts = {"governance_score": number(governance), "projects": number(projects)}
    return CheckOutcome(interpolate(check.projects_scale, projects), frozenset(outcomes), facts, inputs)


def _criteria(check: CriteriaCheck, ctx: Context) -> CheckOutcome:
    met, failed, unknown = [], [], []
    for criterion in check.criteria:
        value = ctx.value(criterion.field)
        label = criterion.label.get(ctx.lang)
        if value is None:
            unknown.append(label)
        elif criterion.at_least is not None:
            (met if value >= criterion.at_least else failed).append(label)
        else:
            (met if value == criterion.equals else failed).append(label)
    judged = len(met) + len(failed)
    inputs = tuple(c.field for c in check.criteria)
    if not judged:
        return CheckOutcome(None, inputs=inputs, missing=inputs)
    outcomes = {"some_failed"} if failed else ({"all_met"} if not unknown else set())
    facts = {
        "met": "; ".join(met) or "none",
        "failed": "; ".join(failed) or "none",
        "unknown": "; ".join(unknown) or "none",
        "met_count": len(met),
        "judged_count": judged,
    }
    missing = tuple(c.field for c in check.criteria if ctx.value(c.field) is None)
    return CheckOutcome(100.0 * len(met) / judged, frozenset(outcomes), facts, inputs, missing)


CHECKS: dict[str, Callable[[Any, Context], CheckOutcome]] = {
    "funding_stage": _funding_stage,
    "funding_diversity": _funding_diversity,
    "structure_fit": _structure_fit,
    "aei_pattern": _aei_pattern,
    "portfolio_table6": _portfolio,
    "capture_risk": _capture,
    "governance_action": _governance_action,
    "criteria": _criteria,
}


def run_check(check: CheckBase, ctx: Context) -> CheckOutcome:
    """Run one cross-check of the questionnaire on the context."""
    return CHECKS[check.kind](check, ctx)  # type: ignore[attr-defined]
