"""Scenarios side by side, and which assumption moves an outcome most."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, ValidationError

from planning._base import Model
from planning.assumptions import Assumptions
from planning.projection import Projection, project

if TYPE_CHECKING:
    import pandas as pd

#: Relative change of each numeric assumption in `sensitivity` (issue 5: ±10%).
DEFAULT_STEP_PCT = 10.0
#: Fields `sensitivity` does not vary: the plan's frame (start, horizon), the yardstick
#: (the public target) and the base year's facts (budget and funding mix), which are
#: answers of the assessment rather than assumptions about the future.
FIXED_FIELDS = frozenset({"start_year", "horizon", "public_target_pct", "budget", "mix"})

Outcome = Literal["year_below_target", "cumulative_gap", "uncovered_years", "final_public_share"]


def _year_below(p: Projection) -> float:
    """The year the public share falls below target; never within the plan counts as the year after it."""
    if p.year_below_target is not None:
        return float(p.year_below_target)
    return float(p.years[-1].year + 1)


def _final_public_share(p: Projection) -> float:
    share = p.years[-1].public_share
    return 0.0 if share is None else share


#: What `sensitivity` can measure, each as a number: lower is better for all four.
OUTCOMES: dict[str, Callable[[Projection], float]] = {
    "year_below_target": _year_below,
    "cumulative_gap": lambda p: p.cumulative_gap,
    "uncovered_years": lambda p: float(len(p.uncovered_years)),
    "final_public_share": _final_public_share,
}


class Scenario(Model):
    """A named set of assumptions."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    assumptions: Assumptions


def project_scenarios(scenarios: Iterable[Scenario]) -> dict[str, Projection]:
    """Project each scenario, keyed by name in the order given.

    Raises:
        ValueError: when two scenarios share a name.
    """
    out: dict[str, Projection] = {}
    for scenario in scenarios:
        if scenario.name in out:
            raise ValueError(f"two scenarios are named {scenario.name!r}")
        out[scenario.name] = project(scenario.assumptions)
    return out


class ScenarioRow(Model):
    """One scenario's milestones, a row of the comparison table."""

    scenario: str
    first_year: int
    last_year: int
    year_below_target: int | None
    uncovered_years: tuple[int, ...]
    cumulative_gap: float
    final_total: float
    final_cost: float
    final_public_share: float | None


def compare(projections: Mapping[str, Projection]) -> list[ScenarioRow]:
    """The scenarios side by side: one row of milestones each, in the order given."""
    rows = []
    for name, p in projections.items():
        last = p.years[-1]
        rows.append(
            ScenarioRow(
                scenario=name,
                first_year=p.years[0].year,
                last_year=last.year,
                year_below_target=p.year_below_target,
                uncovered_years=p.uncovered_years,
                cumulative_gap=p.cumulative_gap,
                final_total=last.total,
                final_cost=last.cost,
                final_public_share=last.public_share,
            )
        )
    return rows


def compare_frame(projections: Mapping[str, Projection], measure: str = "public_share") -> pd.DataFrame:
    """One measure of each year (rows) for each scenario (columns), e.g. public_share, total, balance.

    Raises:
        ValueError: for a measure a year does not have.
    """
    if measure not in {"public_share", "total", "cost", "balance"}:
        raise ValueError(f"unknown measure {measure!r}; use public_share, total, cost or balance")
    import pandas as pd  # here, not at the top: storage (and so the sign-in page) imports planning

    columns = {name: {y.year: getattr(y, measure) for y in p.years} for name, p in projections.items()}
    frame = pd.DataFrame(columns)
    frame.index.name = "year"
    return frame


class Sensitivity(Model):
    """How much one assumption moves the outcome when varied down and up.

    A side is None when the varied value is not a valid assumption (e.g. a negative fee).
    """

    parameter: str
    value: float
    low: float | None
    high: float | None
    outcome_low: float | None
    outcome_high: float | None
    outcome_base: float
    swing: float


def _numeric_leaves(
    data: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], Any]]:
    leaves = []
    for key, value in data.items():
        path = (*prefix, key)
        if isinstance(value, Mapping):
            leaves += _numeric_leaves(value, path)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            leaves.append((path, value))
    return leaves


def _varied(path: tuple[str, ...], value: float, step_pct: float) -> tuple[float, float]:
    """The low and high values tried: years ±1, counts ±10% rounded (at least ±1), others ±10%.

    A zero amount or rate moves by ±1 (thousand, member or percentage point), since 10%
    of nothing is nothing.
    """
    if path[-1].endswith("end_year"):
        return value - 1, value + 1
    if value == 0:
        return -1, 1
    low, high = value * (1 - step_pct / 100), value * (1 + step_pct / 100)
    if isinstance(value, int):
        return min(round(low), value - 1), max(round(high), value + 1)
    return low, high


def _with(data: dict[str, Any], path: tuple[str, ...], value: float) -> dict[str, Any]:
    out = dict(data)
    if len(path) == 1:
        out[path[0]] = value
    else:
        out[path[0]] = _with(data[path[0]], path[1:], value)
    return out


def sensitivity(
    assumptions: Assumptions, outcome: Outcome = "cumulative_gap", step_pct: float = DEFAULT_STEP_PCT
) -> list[Sensitivity]:
    """Vary each numeric assumption down and up (see `_varied`) and sort by how much the outcome moves.

    Fields in FIXED_FIELDS stay as they are. Ties keep the parameters' alphabetical order.

    Raises:
        ValueError: for an unknown outcome or a step outside 0-100.
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; use one of {', '.join(OUTCOMES)}")
    if not 0 < step_pct < 100:
        raise ValueError(f"step_pct must be between 0 and 100, got {step_pct!r}")
    measure = OUTCOMES[outcome]
    data = assumptions.model_dump()
    base = measure(project(assumptions))
    rows = []
    for path, value in _numeric_leaves(data):
        if path[0] in FIXED_FIELDS:
            continue
        tried: list[tuple[float | None, float | None]] = []
        for candidate in _varied(path, value, step_pct):
            try:
                varied = Assumptions.model_validate(_with(data, path, candidate))
            except ValidationError:
                tried.append((None, None))
            else:
                tried.append((candidate, measure(project(varied))))
        moves = [abs(o - base) for _, o in tried if o is not None]
        rows.append(
            Sensitivity(
                parameter=".".join(path),
                value=value,
                low=tried[0][0],
                high=tried[1][0],
                outcome_low=tried[0][1],
                outcome_high=tried[1][1],
                outcome_base=base,
                swing=max(moves, default=0.0),
            )
        )
    return sorted(rows, key=lambda r: (-r.swing, r.parameter))
