"""Shared building blocks of the planning layer: frozen models and pydantic errors as problems."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError

from assessment.errors import Problem

#: The six funding sources of the questionnaire's funding_mix question
#: (questionnaires/cluster-sustainability/dimensions/funding_mix.yaml), in its order.
#: tests/test_planning.py checks that they match the questionnaire.
SOURCES: tuple[str, ...] = (
    "public_baseline",
    "public_projects",
    "membership_fees",
    "paid_services",
    "private_projects",
    "other_private",
)
#: Sources paid by public bodies (`public: true` in funding_mix.yaml).
PUBLIC_SOURCES: frozenset[str] = frozenset({"public_baseline", "public_projects"})
#: Stable private sources (`stable: true` in funding_mix.yaml): what can carry a structure.
STABLE_SOURCES: frozenset[str] = frozenset({"membership_fees", "paid_services"})

_MESSAGES = {
    "greater_than_equal": "must be at least {ge}, got {got!r}",
    "greater_than": "must be more than {gt}, got {got!r}",
    "less_than_equal": "must be at most {le}, got {got!r}",
    "less_than": "must be less than {lt}, got {got!r}",
    "missing": "missing",
}
_TAGS = frozenset({"keep", "taper", "end", "grant"})


class Model(BaseModel):
    """Unknown keys are errors and a model never changes once built."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def problems_from(exc: ValidationError, prefix: str = "") -> list[Problem]:
    """One `Problem` per pydantic error, its location a dotted field path under `prefix`."""
    problems = []
    for err in exc.errors(include_url=False):
        parts = [
            str(p)
            for p in err["loc"]
            if not (isinstance(p, str) and (p in _TAGS or p.startswith("function-") or p == "[key]"))
        ]
        message = _MESSAGES.get(err["type"], "{msg}").format(
            msg=err["msg"].removeprefix("Value error, "), got=err.get("input"), **err.get("ctx", {})
        )
        if err["type"] == "literal_error" and err["loc"][-1] == "[key]":
            message = f"unknown funding source {err['input']!r}; sources are {', '.join(SOURCES)}"
        elif err["type"] == "union_tag_invalid":
            parts.append("kind")
            message = f"unknown kind {err['ctx']['tag']!r}; expected one of {err['ctx']['expected_tags']}"
        elif err["type"] == "union_tag_not_found":
            parts.append("kind")
            message = "missing; say which kind of schedule this is (keep, taper, end or grant)"
        elif err["type"] == "extra_forbidden":
            message = "unknown field"
        location = ".".join(p for p in (prefix, *parts) if p)
        problems.append(Problem(location, message))
    return problems
