"""Caps, provisional ranges and the gain of each fix: the index after the gates.

A weighted mean alone would let good answers elsewhere average away a failed
precondition or a high red flag, and would show a half-filled draft as if it were final.
This module applies the questionnaire's gates to the dimension means, marks an index
provisional when a dimension is below the completeness floor, gives the range the index
could still take, and works out how much fixing one item would raise the index (the
action plan). Pure: numbers in, numbers out; words come from the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assessment.gates import Gate
from assessment.questionnaire import Questionnaire
from assessment.text import Language
from scoring.describe import number
from scoring.result import Cap

# The score an item is raised to when the action plan asks "what if this were fixed":
# level 3 of the maturity scales, "in place and documented".
IN_PLACE = 75.0
# (gate index, item id, dimension index, sequence of the fired finding or -1 for an item gate)
CapEntry = tuple[int, str, int, int]
# How findings sort, most important first; a fired finding carries both numbers (see
# `scoring.evaluation.Fired`), so gates compare them rather than reading its rule.
KIND_ORDER = {"red_flag": 0, "gap": 1, "strength": 2}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(slots=True)
class Gating:
    """The numbers after the gates for one answer set."""

    weighted: list[float]
    weights: list[float]
    uncapped: list[float | None]
    dimensions: list[float | None]
    uncapped_overall: float | None
    overall: float | None
    caps: list[CapEntry]
    provisional: bool
    overall_range: tuple[float, float] | None
    short: tuple[int, ...]


class GatePlan:
    """A questionnaire's gates, dimension weights and completeness floor, compiled once."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        items: Mapping[str, tuple[int, float]],
        titles: Mapping[str, str],
        lang: Language,
    ) -> None:
        self.gates: tuple[Gate, ...] = tuple(questionnaire.gates)
        self.lang = lang
        self._items = dict(items)
        self._titles = dict(titles)
        self._dim_weights = [d.weight for d in questionnaire.dimensions]
        n = len(self._dim_weights)
        self._questions = {q.id: self._items[q.id][0] for d in questionnaire.dimensions for q in d.questions}
        self._question_weight = {q.id: q.weight for d in questionnaire.dimensions for q in d.questions}
        self._asked = [0] * n
        self._total_weight = [0.0] * n
        for item_id, (di, weight) in self._items.items():
            self._total_weight[di] += weight
            if item_id in self._questions:
                self._asked[di] += 1
        self._floor = questionnaire.provisional.completeness_floor if questionnaire.provisional else None
        # The kinds of finding any gate looks at (by their sort number): only those findings
        # are read for caps.
        self._gate_kinds = frozenset(
            KIND_ORDER[g.when.finding] for g in self.gates if g.when.finding is not None
        )
        # Each gate's test and levels as plain values, so judging reads no model.
        self._gate_tests = tuple(
            (
                gi,
                g.when.item,
                g.when.score_below,
                KIND_ORDER[g.when.finding] if g.when.finding is not None else None,
                SEVERITY_ORDER[g.when.severity] if g.when.severity is not None else None,
            )
            for gi, g in enumerate(self.gates)
        )
        self._cap_dimension = [g.cap_dimension for g in self.gates]
        self._cap_overall = [g.cap_overall for g in self.gates]
        self._lessons = {item_id: lessons for item_id, lessons in _item_lessons(questionnaire).items()}

    # --- judging -------------------------------------------------------------------------

    def judge(
        self,
        weighted: list[float],
        weights: list[float],
        scores: Mapping[str, float],
        fired: Sequence[tuple[Any, ...]],
        hidden: frozenset[str],
        answered: Sequence[int],
    ) -> Gating:
        """Apply every gate that holds, and say whether the index is provisional.

        `answered` counts the answered questions of each dimension (the engine counts them
        while scoring, so no second pass over the answers is needed).
        """
        caps = self._caps(scores, fired)
        uncapped = _means(weighted, weights)
        dimensions, uncapped_overall, overall = self._apply(uncapped, caps)
        total, asked = self._total_weight, self._asked
        if hidden:
            total, asked = list(total), list(asked)
            for qid in hidden:
                di = self._questions.get(qid)
                if di is not None:
                    total[di] -= self._question_weight[qid]
                    asked[di] -= 1
        floor = self._floor
        short: tuple[int, ...] = ()
        if floor is not None:
            below_floor = [i for i, n in enumerate(asked) if n and 100.0 * answered[i] / n < floor]
            if below_floor:
                short = tuple(below_floor)
        overall_range = None
        unknown = False
        for given, possible in zip(weights, total, strict=True):
            if given < possible - 1e-9:
                unknown = True
                break
        if unknown:
            low = [weighted[i] / total[i] if total[i] else None for i in range(len(total))]
            high = [
                (weighted[i] + 100.0 * (total[i] - weights[i])) / total[i] if total[i] else None
                for i in range(len(total))
            ]
            _, _, low_overall = self._apply([_round(v) for v in low], caps)
            _, _, high_overall = self._apply([_round(v) for v in high], caps)
            if low_overall is not None and high_overall is not None:
                overall_range = (low_overall, high_overall)
        return Gating(
            weighted,
            weights,
            uncapped,
            dimensions,
            uncapped_overall,
            overall,
            caps,
            bool(short),
            overall_range,
            short,
        )

    def gain(self, gating: Gating, scores: Mapping[str, float], item_id: str, sequence: int) -> float:
        """How much the index would rise if `item_id` stood "in place" and its findings no longer held."""
        return self.gain_together(gating, scores, (item_id,), (sequence,))

    def gain_together(
        self, gating: Gating, scores: Mapping[str, float], item_ids: Sequence[str], sequences: Sequence[int]
    ) -> float:
        """The rise of the index if all of `item_ids` were fixed at once (caps that hold together)."""
        if gating.overall is None:
            return 0.0
        # Only the dimensions of the fixed items change: their sums are redone in the order
        # a full recount would add them (the same floats), the other means are reused.
        fixed = set(item_ids)
        changed: dict[int, float] = {}
        for item_id in fixed:
            di, weight = self._items[item_id]
            score = scores.get(item_id)
            if weight and score is not None and score < IN_PLACE:
                changed[di] = changed.get(di, gating.weighted[di]) + weight * (IN_PLACE - score)
        dropped = set(sequences)
        caps = [c for c in gating.caps if c[1] not in fixed and c[3] not in dropped]
        if not changed and len(caps) == len(gating.caps):
            return 0.0  # nothing moves: the index stays where it is
        means = list(gating.uncapped)
        weights = gating.weights
        for di, total in changed.items():
            means[di] = round(total / weights[di], 1) if weights[di] else None
        overall = self._capped_overall(self._capped_dimensions(means, caps), caps)
        return (overall or 0.0) - gating.overall

    def binding_groups(self, gating: Gating) -> list[tuple[str, ...]]:
        """Items whose caps hold the index down only together: fixing one leaves the others' cap.

        One group per dimension held at its cap by two or more items, and one for the items
        whose caps on the index all bind; the action plan offers each group as one step.
        """
        gates = self.gates
        by_dimension: dict[int, list[str]] = {}
        dims, _, _ = self._apply(gating.uncapped, [])
        capped_dims, _, _ = self._apply(gating.uncapped, gating.caps)
        for gi, item_id, di, _ in gating.caps:
            level, value = gates[gi].cap_dimension, dims[di]
            held = by_dimension.setdefault(di, [])
            if level is not None and value is not None and value > level and item_id not in held:
                held.append(item_id)
        after_dimensions = _overall(capped_dims, self._dim_weights)
        on_index: list[str] = []
        for gi, item_id, _, _ in gating.caps:
            level = gates[gi].cap_overall
            binds = level is not None and after_dimensions is not None and after_dimensions > level
            if binds and item_id not in on_index:
                on_index.append(item_id)
        groups = [tuple(items) for items in by_dimension.values() if len(items) > 1]
        if len(on_index) > 1:
            groups.append(tuple(on_index))
        return groups

    def cap(
        self, entry: CapEntry, finding_title: str | None, finding_lesson: str | None, dimension_id: str
    ) -> Cap:
        """A cap in words: the gate, what triggered it and the levels it sets."""
        gi, item_id, _, _ = entry
        gate = self.gates[gi]
        trigger = finding_title or self._titles.get(item_id, item_id)
        title = gate.title.get(self.lang).format(
            finding=trigger,
            overall=number(gate.cap_overall, self.lang) if gate.cap_overall is not None else "",
            dimension=number(gate.cap_dimension, self.lang) if gate.cap_dimension is not None else "",
        )
        lesson = gate.lesson or finding_lesson or next(iter(self._lessons.get(item_id, ())), "")
        return Cap(
            gate.id,
            gate.kind,
            item_id,
            dimension_id,
            gate.cap_dimension,
            gate.cap_overall,
            title,
            lesson,
            gate.source,
        )

    # --- helpers -------------------------------------------------------------------------

    def _caps(self, scores: Mapping[str, float], fired: Sequence[tuple[Any, ...]]) -> list[CapEntry]:
        caps: list[CapEntry] = []
        items = self._items
        kinds = self._gate_kinds
        candidates = [f for f in fired if f[0] in kinds] if kinds else ()
        for gi, item, below, kind, severity in self._gate_tests:
            if item is not None:
                score = scores.get(item)
                if score is not None and score < below:  # type: ignore[operator]
                    caps.append((gi, item, items[item][0], -1))
                continue
            for f in candidates:
                if f[0] == kind and (severity is None or f[1] == severity):
                    caps.append((gi, f[5], items[f[5]][0], f[3]))
        return caps

    def _apply(
        self, values: list[float | None], caps: list[CapEntry]
    ) -> tuple[list[float | None], float | None, float | None]:
        uncapped = _overall(values, self._dim_weights)
        if not caps:
            return list(values), uncapped, uncapped
        dims = self._capped_dimensions(values, caps)
        overall = _overall(dims, self._dim_weights) if dims != values else uncapped
        return dims, uncapped, self._cap_index(overall, caps)

    def _capped_dimensions(self, values: list[float | None], caps: list[CapEntry]) -> list[float | None]:
        dims = list(values)
        cap_dimension = self._cap_dimension
        for gi, _, di, _ in caps:
            level = cap_dimension[gi]
            value = dims[di]
            if level is not None and value is not None and value > level:
                dims[di] = level
        return dims

    def _capped_overall(self, dims: list[float | None], caps: list[CapEntry]) -> float | None:
        return self._cap_index(_overall(dims, self._dim_weights), caps)

    def _cap_index(self, overall: float | None, caps: list[CapEntry]) -> float | None:
        if overall is not None:
            cap_overall = self._cap_overall
            for gi, *_ in caps:
                level = cap_overall[gi]
                if level is not None and overall > level:
                    overall = level
        return overall


def compile_gates(
    questionnaire: Questionnaire,
    items: Mapping[str, tuple[int, float]],
    titles: Mapping[str, str],
    lang: Language,
) -> GatePlan:
    """The gate plan of a questionnaire in one language."""
    return GatePlan(questionnaire, items, titles, lang)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _means(weighted: list[float], weights: list[float]) -> list[float | None]:
    return [round(w / t, 1) if t else None for w, t in zip(weighted, weights, strict=True)]


def _overall(values: list[float | None], dim_weights: list[float]) -> float | None:
    total = total_weight = 0.0
    for value, weight in zip(values, dim_weights, strict=True):
        if value is not None:
            total += weight * value
            total_weight += weight
    return round(total / total_weight, 1) if total_weight else None


def _item_lessons(questionnaire: Questionnaire) -> dict[str, tuple[str, ...]]:
    lessons = {q.id: tuple(q.lessons) for d in questionnaire.dimensions for q in d.questions}
    lessons.update({c.id: tuple(c.lessons) for c in questionnaire.checks})
    return lessons
