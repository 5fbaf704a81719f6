"""What a cross-check reports, shared by the compilers of every kind of check.

Kept apart from the compilers so that they can live in several modules (the funding
checks in `scoring.funding_checks`, the others in `scoring.checks`) without a cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from scoring.context import Context

NO_STAGE = "profile.founded_year"


@dataclass(slots=True)
class CheckOutcome:
    """What a check found: its score, outcomes, facts, and the answers it used or lacked.

    Facts come as a function: they are only needed when a result is put in words, and
    building lists of names for every answer set of a programme would be wasted work.
    """

    score: float | None
    outcomes: frozenset[str] = frozenset()
    facts: Callable[[], dict[str, Any]] = dict
    inputs: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


CheckRule = Callable[[Context], CheckOutcome]
NONE: frozenset[str] = frozenset()


@cache
def one(outcome: str) -> frozenset[str]:
    """The set of one outcome, built once."""
    return frozenset((outcome,))


def missing_fields(ctx: Context, fields: tuple[str, ...]) -> tuple[str, ...]:
    """The fields (answers or profile values) of `fields` not given."""
    return tuple(f for f in fields if ctx.value(f) is None)
