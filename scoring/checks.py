"""Cross-check rules, one small compiler per kind, in a table.

A compiler takes a check's parameters (from checks.yaml) and returns the function that
judges a scoring context: a score (or None when it cannot be judged yet), the outcomes
it reports and the facts that fill the texts of its findings. Facts stay raw (numbers,
lists of names); they are put in words only when a result is explained.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assessment.answers import ServiceUse
from assessment.base import compile_condition
from assessment.checks import (
    CaptureRiskCheck,
    CheckBase,
    ConsistencyCheck,
    CriteriaCheck,
    GovernanceActionCheck,
    PortfolioCheck,
)
from assessment.questionnaire import Questionnaire
from assessment.text import Language
from scoring.context import Context
from scoring.funding_checks import aei_pattern, funding_diversity, funding_stage, structure_fit
from scoring.outcome import NONE, CheckOutcome, CheckRule, missing_fields, one
from scoring.scales import compile_scale

__all__ = ["CHECK_KINDS", "CheckOutcome", "CheckRule", "compile_check"]


def _portfolio(check: PortfolioCheck, qn: Questionnaire, lang: Language) -> CheckRule:
    catalogue = qn.service_index
    paying = [s.id for s in qn.services if s.brings_income and s.highly_valued]
    paying_set = frozenset(paying)
    free_valued = frozenset(
        s.id for s in qn.services if s.financial_contribution == "none" and s.highly_valued
    )
    low_value = frozenset(
        s.id for s in qn.services if s.member_valuation == "medium_low" and s.financial_contribution == "none"
    )
    networking = frozenset(s.id for s in qn.services if s.kind in ("networking", "promotion"))
    inputs = (check.portfolio,)

    def name(use: ServiceUse) -> str:
        known = catalogue.get(use.service)
        return known.name.get(lang) if known else (use.name or use.service)

    portfolio_id, staff_field = check.portfolio, check.staff_field
    per_fte, core_at_least = check.services_per_fte, check.paying_core_at_least

    def judge(ctx: Context) -> CheckOutcome:
        uses = ctx.answers.get(portfolio_id)
        if uses is None:
            return CheckOutcome(None, inputs=inputs, missing=inputs)
        offered: set[str] = set()
        charged: set[str] = set()
        for u in uses:
            if u.offered:
                offered.add(u.service)
            if u.charged:
                charged.add(u.service)
        paid = offered & paying_set
        staff = ctx.profile.get(staff_field)
        max_services = staff * per_fte if staff is not None else None
        charged_core = len(paid & charged)
        # Expect only as many paying services as the team can run (002 s6.2.2: assess the
        # real capabilities of the structure), so no answer is both "too broad" and "missing".
        expected = core_at_least
        if max_services is not None:
            expected = min(expected, max(1, int(max_services)))
        found = []
        if len(paid) < expected:
            found.append("missing_paying")
        if paid - charged:
            found.append("unpriced_paying")
        if (offered & free_valued) - charged:
            found.append("free_valued")
        if offered & low_value:
            found.append("low_value")
        if max_services is not None and len(offered) > max(max_services, 1):
            found.append("too_broad")
        if offered and offered <= networking:
            found.append("network_only")
        if charged_core >= core_at_least:
            found.append("paying_core")
        outcomes = frozenset(found)

        def facts() -> dict[str, Any]:
            named = {u.service: name(u) for u in uses if u.offered}
            return {
                "missing_services": [catalogue[s].name.get(lang) for s in paying if s not in offered],
                "unpriced_services": [named[s] for s in named if s in paid and s not in charged],
                "free_valued_services": [named[s] for s in named if s in free_valued and s not in charged],
                "low_value_services": [named[s] for s in named if s in low_value],
                "offered_count": len(offered),
                "paying_count": len(paid),
                "charged_count": charged_core,
                "max_services": max_services,
                "staff": staff,
            }

        score = 100.0 * len(paid) / len(offered) if offered else 0.0
        return CheckOutcome(score, outcomes, facts, inputs)

    return judge


def _capture(check: CaptureRiskCheck, qn: Questionnaire, lang: Language) -> CheckRule:
    inputs = (check.active_share, check.top_share)
    active_id, top_id, members_field = check.active_share, check.top_share, check.members_field
    active_scale, top_scale = compile_scale(check.active_scale), compile_scale(check.top_share_scale)
    captured_below, captured_above = check.captured_active_below, check.captured_top_above
    broad_at_least, broad_at_most = check.broad_active_at_least, check.broad_top_at_most
    captured_outcome, broad_outcome = one("captured"), one("broad_participation")

    def judge(ctx: Context) -> CheckOutcome:
        answers = ctx.answers
        active = answers.get(active_id)
        top = answers.get(top_id)
        if active is None and top is None:
            return CheckOutcome(None, inputs=inputs, missing=inputs)
        members = ctx.profile.get(members_field) if members_field else None
        # The top five's share if every active member took part evenly: 100% with five or
        # fewer active members, 50% with ten. Only the share above it is concentration.
        even = 0.0
        if members:
            active_count = max(1.0, members * (active if active is not None else 100.0) / 100.0)
            even = min(100.0, 500.0 / active_count)
        excess = None
        if top is not None:
            excess = 0.0 if even >= 100.0 else max(0.0, (top - even) / (100.0 - even) * 100.0)
        parts = []
        if active is not None:
            parts.append(active_scale(active))
        if excess is not None:
            parts.append(top_scale(excess))
        captured = (active is not None and active < captured_below) or (
            excess is not None and excess > captured_above
        )
        broad = (
            active is not None and excess is not None and active >= broad_at_least and excess <= broad_at_most
        )
        outcomes = captured_outcome if captured else (broad_outcome if broad else NONE)
        facts = {"active_share": active, "top_share": top, "even_share": round(even, 1)}
        missing = () if len(parts) == 2 else missing_fields(ctx, inputs)
        return CheckOutcome(min(parts), outcomes, lambda: facts, inputs, missing)

    return judge


def _governance_action(check: GovernanceActionCheck, qn: Questionnaire, lang: Language) -> CheckRule:
    inputs = (*check.governance, check.projects)
    governance_ids = tuple(check.governance)
    projects_id, at_least, below = check.projects, check.governance_at_least, check.projects_below
    scale = compile_scale(check.projects_scale)
    without, to_action = one("governance_without_projects"), one("governance_to_action")

    def judge(ctx: Context) -> CheckOutcome:
        answers = ctx.answers
        projects = answers.get(projects_id)
        if projects is None or any(q not in answers for q in governance_ids):
            return CheckOutcome(None, inputs=inputs, missing=missing_fields(ctx, inputs))
        scores = ctx.scores
        governance = sum([scores.get(q, 0.0) for q in governance_ids]) / len(governance_ids)
        outcomes = NONE
        if governance >= at_least:
            outcomes = without if projects < below else to_action
        facts = {"governance_score": governance, "projects": projects}
        return CheckOutcome(scale(projects), outcomes, lambda: facts, inputs)

    return judge


def _criteria(check: CriteriaCheck, qn: Questionnaire, lang: Language) -> CheckRule:
    inputs = tuple(c.field for c in check.criteria)
    criteria = [(c.field, c.label.get(lang), c.at_least, c.equals) for c in check.criteria]

    def judge(ctx: Context) -> CheckOutcome:
        met: list[str] = []
        failed: list[str] = []
        unknown: list[str] = []
        for field_id, label, at_least, equals in criteria:
            value = ctx.value(field_id)
            if value is None:
                unknown.append(label)
            elif at_least is not None:
                (met if value >= at_least else failed).append(label)
            else:
                (met if value == equals else failed).append(label)
        judged = len(met) + len(failed)
        if not judged:
            return CheckOutcome(None, inputs=inputs, missing=inputs)
        outcomes = one("some_failed") if failed else (one("all_met") if not unknown else NONE)
        facts = {
            "met": met,
            "failed": failed,
            "unknown": unknown,
            "met_count": len(met),
            "judged_count": judged,
        }
        missing = missing_fields(ctx, inputs) if unknown else ()
        return CheckOutcome(100.0 * len(met) / judged, outcomes, lambda: facts, inputs, missing)

    return judge


def _consistency(check: ConsistencyCheck, qn: Questionnaire, lang: Language) -> CheckRule:
    inputs = tuple(dict.fromkeys(c.question for c in check.all_of))
    conditions = tuple((c.question, compile_condition(c)) for c in check.all_of)
    texts = [qn.questions[q].text.get(lang) for q in inputs]  # the same for every answer set

    def facts() -> dict[str, Any]:
        return {"answers": list(texts)}

    # Outcomes are never changed once judged, so the common one is built once.
    holds, contradiction = CheckOutcome(100.0, NONE, facts, inputs), one("contradiction")

    def judge(ctx: Context) -> CheckOutcome:
        answers = ctx.answers
        for q in inputs:
            if q not in answers:
                # Not a question of its own: nothing to judge until every answer it compares is given.
                return CheckOutcome(None, inputs=inputs)
        for q, test in conditions:
            if not test(answers[q]):
                return holds
        return CheckOutcome(0.0, contradiction, facts, inputs)

    return judge


_COMPILERS: dict[str, Callable[[Any, Questionnaire, Language], CheckRule]] = {
    "funding_stage": funding_stage,
    "funding_diversity": funding_diversity,
    "structure_fit": structure_fit,
    "aei_pattern": aei_pattern,
    "portfolio_table6": _portfolio,
    "capture_risk": _capture,
    "governance_action": _governance_action,
    "criteria": _criteria,
    "consistency": _consistency,
}

CHECK_KINDS = frozenset(_COMPILERS)


def compile_check(check: CheckBase, questionnaire: Questionnaire, lang: Language = "en") -> CheckRule:
    """The judging function of one cross-check; names in its facts are in `lang`."""
    return _COMPILERS[check.kind](check, questionnaire, lang)  # type: ignore[attr-defined]
