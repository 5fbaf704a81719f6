"""The action plan: the few steps that would raise the index most, worked out from the rules."""

from __future__ import annotations

from collections.abc import Sequence

from scoring.evaluation import Evaluation, Fired
from scoring.gating import GatePlan, Gating
from scoring.result import Action, Finding

ACTIONS_AT_MOST = 5


def plan_actions(
    gates: GatePlan,
    ev: Evaluation,
    gating: Gating,
    findings: list[Finding],
    ordered: Sequence[Fired] | None = None,
) -> tuple[Action, ...]:
    """The few steps that would raise the index most, worked out from the rules.

    For each red flag or gap, the engine scores the answers again as if its item stood
    at the questionnaire's "in place" level and the finding no longer held (lifting any
    cap it causes); the gain is the rise of the index. One action per item. Where two
    caps hold a dimension or the index down together, fixing either alone gains nothing:
    the group is offered as one step, led by its most important finding.

    `findings` are in the order of `ordered`, the fired findings sorted (sorted here if
    not given: the engine passes the order it already has).
    """
    if ev.overall is None:
        return ()
    # A finding that merged others (one topic) is fixed with them: its step covers their
    # items and lifts their caps too.
    leads: dict[str, str] = {}  # item id -> the item of the finding that speaks for it
    firsts: dict[str, tuple[int, Finding]] = {}
    covers: dict[str, tuple[list[str], list[int]]] = {}
    by_key: dict[str, str] = {}
    if ordered is None:
        ordered = sorted(ev.fired)
    for order, (fired, finding) in enumerate(zip(ordered, findings, strict=True)):
        rule, item_id = fired[4], fired[5]
        if rule.kind == "strength":
            continue
        key = rule.topic or item_id
        lead = leads.get(item_id) or by_key.get(key) or item_id
        leads.setdefault(item_id, lead)
        by_key.setdefault(key, lead)
        firsts.setdefault(lead, (order, finding))
        items, seqs = covers.setdefault(lead, ([], []))
        if item_id not in items:
            items.append(item_id)
        seqs.append(fired[3])
    single = {lead: (gates.gain_together(gating, ev.scores, *covers[lead]), *firsts[lead]) for lead in firsts}
    ranked: list[tuple[float, int, Finding, tuple[str, ...]]] = []
    grouped: set[str] = set()
    for group in gates.binding_groups(gating):
        members = list(dict.fromkeys(leads[i] for i in group if i in leads))
        members = [i for i in members if i not in grouped]
        if len(members) < 2:
            continue
        items = [item for i in members for item in covers[i][0]]
        seqs = [seq for i in members for seq in covers[i][1]]
        joint = gates.gain_together(gating, ev.scores, items, seqs)
        if joint > max(single[i][0] for i in members) + 0.05:
            lead = min(members, key=lambda i: single[i][1])
            others = tuple(i for i in members if i != lead)
            ranked.append((-joint, single[lead][1], single[lead][2], others))
            grouped.update(members)
    ranked += [(-g, o, f, ()) for i, (g, o, f) in single.items() if i not in grouped and g > 0.05]
    ranked.sort(key=lambda entry: (entry[0], entry[1]))
    return tuple(
        Action(
            f.item,
            f.dimension,
            f.kind,
            f.severity,
            round(-g, 1),
            f.title,
            f.recommendation,
            f.lesson,
            f.source,
            together,
        )
        for g, _, f, together in ranked[:ACTIONS_AT_MOST]
    )
